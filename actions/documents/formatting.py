"""How snapshot values are written in every document: dates, numbers, travel.

The snapshot keeps dates as ISO strings and numbers as decimal strings (JSON-safe);
these functions turn them into the words people read, the same in Word, PDF and HTML.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

DRAFT_MARK = "Draft — incomplete"
DRAFT_NOTICE = "Draft — incomplete: not ready to submit"


def long_date(value: str | dt.date | None, empty: str = "") -> str:
    """ "1 March 2024" from an ISO date (or a date); `empty` when there is none."""
    if not value:
        return empty
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%B %Y}"


def short_date(value: str | dt.date | None, empty: str = "") -> str:
    """ "1 Mar 2024", for tables."""
    if not value:
        return empty
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%b %Y}"


def number(value: str | Decimal | None, unit: str = "", empty: str = "") -> str:
    """A decimal without trailing zeros ("60", "72.5"), with its unit when it has one."""
    if value is None or value == "":
        return empty
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{amount.normalize():f}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


TRAVEL_WORDS = {
    "improving": "Improving",
    "worsening": "Worsening",
    "no change": "No change",
    None: "No earlier reading",
}


def travel(value: str | None) -> str:
    return TRAVEL_WORDS.get(value, str(value))
