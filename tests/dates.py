"""Dates as the service's forms post them (core.forms.DateField: day, month, year)."""

from __future__ import annotations

import datetime as dt


def date_post(name: str, value: dt.date | str) -> dict[str, str]:
    """`name`'s three boxes, filled as a person types a date: {"x_day": "5", ...}."""
    date = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return {
        f"{name}_day": str(date.day),
        f"{name}_month": str(date.month),
        f"{name}_year": str(date.year),
    }


def fill_date(page, field_id: str, value: str) -> None:
    """Type an ISO date into a date input's three boxes in the browser (Playwright)."""
    date = dt.date.fromisoformat(value)
    page.fill(f"#{field_id}", str(date.day))
    page.fill(f"#{field_id}_month", str(date.month))
    page.fill(f"#{field_id}_year", str(date.year))
