"""How a page words an item's repeats of earlier items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template

from core.words import counted
from inspections.models import RepeatStatus

register = template.Library()


@register.filter
def repeats_heading(repeats: Sequence[Any]) -> str:
    """What the earlier items an item likely repeats (each with a `status`: confirmed,
    suggested, or "" before import stores it) say: "Ofsted may have asked for this
    before: 3 earlier items"; once an officer confirms, "Ofsted asked for this before"."""
    confirmed = sum(repeat.status == RepeatStatus.CONFIRMED for repeat in repeats)
    suggested = len(repeats) - confirmed
    if not confirmed:
        heading, how_many = "Ofsted may have asked for this before", suggested
    elif not suggested:
        heading, how_many = "Ofsted asked for this before", confirmed
    else:
        return (
            f"Ofsted asked for this before: {counted(confirmed, 'earlier item')} "
            f"confirmed, {suggested} more suggested"
        )
    return f"{heading}: {counted(how_many, 'earlier item')}" if how_many > 1 else heading
