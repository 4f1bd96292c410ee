"""Working days and the deadline rules of DOMAIN.md, in one place.

A working day is Monday to Friday and not a bank holiday in England and Wales (which
includes Christmas Day, Good Friday and one-off days such as 19 September 2022), nor an
extra closure day from settings. Counting "N working days from a date" never counts the
starting day.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re

import holidays
from django.conf import settings

# Dates far outside any plan's life (year 1 or 9999) are typing mistakes or probes; they
# would also overflow the working-day arithmetic behind deadlines and RAG.
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)


@functools.cache
def _bank_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG")


@functools.cache
def _parse_closures(days: tuple[str, ...]) -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(day) for day in days)


def _extra_closure_days() -> frozenset[dt.date]:
    return _parse_closures(tuple(settings.EXTRA_CLOSURE_DAYS))


@functools.cache
def _weekday_closures(first_year: int, last_year: int, extra: frozenset[dt.date]) -> list[dt.date]:
    """Sorted non-working weekdays (bank holidays and extra closures) in those years."""
    years = range(first_year, last_year + 1)
    bank = holidays.country_holidays("GB", subdiv="ENG", years=years)
    days = set(bank) | {day for day in extra if day.year in years}
    return sorted(day for day in days if day.weekday() < 5)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays() and day not in _extra_closure_days()


def _weekdays_after(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days in (start, end], start <= end."""
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    weekday = start.weekday()
    for offset in range(1, rest + 1):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (before it when negative).

    The starting day is not counted, whether or not it is a working day.
    """
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    closures = _extra_closure_days()
    bank = _bank_holidays()
    while remaining:
        day += dt.timedelta(days=step)
        if day.weekday() < 5 and day not in bank and day not in closures:
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    # Arithmetic, not a loop: dashboards and sweeps call this for thousands of actions.
    closures = _weekday_closures(start.year, end.year, _extra_closure_days())
    closed = bisect.bisect_right(closures, end) - bisect.bisect_right(closures, start)
    return _weekdays_after(start, end) - closed


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months later, clamped to the month's last day (31 Aug + 6m = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return start.replace(
        year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1])
    )


def plan_due_date(received: dt.date) -> dt.date:
    """The statutory plan deadline: PLAN_DUE_WORKING_DAYS working days after receipt."""
    return add_working_days(received, settings.PLAN_DUE_WORKING_DAYS)


def draft_plan_due_date(received: dt.date) -> dt.date:
    """Focused visits with priority actions ask for a draft plan sooner."""
    return add_working_days(received, settings.DRAFT_PLAN_DUE_WORKING_DAYS)


_OFFSET = re.compile(r"^\s*(\d+)\s*(wd|m|d)\s*$")


def parse_offset(text: str) -> tuple[int, str]:
    """Parse an offset setting: "10wd" (working days), "3m" (months) or "14d" (days)."""
    match = _OFFSET.match(text)
    if not match:
        raise ValueError(f"Not a due-date offset: {text!r} (use e.g. 10wd, 3m or 14d)")
    return int(match.group(1)), match.group(2)


def apply_offset(start: dt.date, offset: str) -> dt.date:
    amount, unit = parse_offset(offset)
    if unit == "wd":
        return add_working_days(start, amount)
    if unit == "m":
        return add_months(start, amount)
    return start + dt.timedelta(days=amount)


def working_day_on_or_after(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the next working day."""
    return add_working_days(day - dt.timedelta(days=1), 1)


def default_action_due_date(
    timescale: str, *, report_date: dt.date | None, today: dt.date
) -> dt.date:
    """The due date suggested for an action answering a recommendation with `timescale`.

    Counted from the later of the report's date (received, or else published) and today,
    then moved on to a working day. From the report's date, because a timescale such as
    "within three months" runs from the report, so a plan drafted on time keeps it; from
    today when that is later, because a plan drafted for an older report (or one whose
    timescale has run out) would otherwise start with a date already passed, and every
    action would be red before anyone could start it. Only an officer who types a past
    date gets one. "Immediately" still gets a concrete date; every offset is a setting.
    """
    start = max(report_date or today, today)
    offsets = settings.ACTION_DUE_OFFSETS
    return working_day_on_or_after(apply_offset(start, offsets.get(timescale, offsets["none"])))
