"""Dates as the pages write them."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@register.filter
def until(start: dt.date | None, end: dt.date | None) -> str:
    """ "8 July 2019 to 12 July 2019"; one date for a visit of one day, or when only one
    end is known; "" when neither is. Pages and documents write a span this way."""
    days = [day for day in (start, end) if day]
    if not days:
        return ""
    if len(days) == 1 or start == end:
        return _long(days[0])
    return f"{_long(start)} to {_long(end)}"
