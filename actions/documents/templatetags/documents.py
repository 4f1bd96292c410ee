"""Filters that write snapshot values in templates exactly as the Word document does."""

from __future__ import annotations

from django import template

from .. import formatting

register = template.Library()


@register.filter
def long_date(value: str | None, empty: str = "") -> str:
    return formatting.long_date(value, empty)


@register.filter
def short_date(value: str | None, empty: str = "") -> str:
    return formatting.short_date(value, empty)


@register.filter
def number(value: str | None, unit: str = "") -> str:
    return formatting.number(value, unit)


@register.filter
def travel(value: str | None) -> str:
    return formatting.travel(value)
