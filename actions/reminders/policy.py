"""The reminder policy and the calendar arithmetic of occasions, as pure functions.

An *occasion* is one moment a reminder is owed: "action 12, due 2 April 2024, 5 working
days before" falls on a working day (its `fires_on`). Occasions form series per deadline:
the days before it (and the day itself), the overdue repeats, the escalation. A sweep
looks at a *window* of days — from the day after the last completed sweep to today — and
for every series keeps only the latest occasion in the window that is still relevant:
after a scheduler outage people get the one reminder that matters now, not a backlog.

All working-day arithmetic goes through core.deadlines.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

from django.conf import settings

from core import deadlines
from core.deadlines import is_working_day

from .models import Kind, ReminderPolicy, parse_days

ONE_DAY = dt.timedelta(days=1)


# Many actions share a due date (defaults come from the report's timescales), so a sweep
# asks the calendar the same questions again and again. Memoised here, keyed on the
# closure days too, so a change of EXTRA_CLOSURE_DAYS is never answered from the past.
@functools.lru_cache(maxsize=8192)
def _add(start: dt.date, days: int, closures: tuple[str, ...]) -> dt.date:
    return deadlines.add_working_days(start, days)


@functools.lru_cache(maxsize=8192)
def _between(start: dt.date, end: dt.date, closures: tuple[str, ...]) -> int:
    return deadlines.working_days_between(start, end)


def add_working_days(start: dt.date, days: int) -> dt.date:
    return _add(start, days, tuple(settings.EXTRA_CLOSURE_DAYS))


def working_days_between(start: dt.date, end: dt.date) -> int:
    return _between(start, end, tuple(settings.EXTRA_CLOSURE_DAYS))


@dataclasses.dataclass(frozen=True)
class Policy:
    days_before: tuple[int, ...]
    on_due_date: bool
    overdue_every: int
    escalate_after: int
    plan_days_before: tuple[int, ...]
    digest_weekday: int

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            days_before=tuple(sorted(set(settings.REMINDER_DAYS_BEFORE), reverse=True)),
            on_due_date=settings.REMINDER_ON_DUE_DATE,
            overdue_every=max(1, settings.REMINDER_OVERDUE_EVERY),
            escalate_after=max(1, settings.REMINDER_ESCALATE_AFTER),
            plan_days_before=tuple(sorted(set(settings.REMINDER_PLAN_DAYS_BEFORE), reverse=True)),
            digest_weekday=settings.REMINDER_DIGEST_WEEKDAY,
        )

    @classmethod
    def from_row(cls, row: ReminderPolicy) -> Policy:
        return cls(
            days_before=tuple(parse_days(row.days_before)),
            on_due_date=row.on_due_date,
            overdue_every=max(1, row.overdue_every),
            escalate_after=max(1, row.escalate_after),
            plan_days_before=tuple(parse_days(row.plan_days_before)),
            digest_weekday=row.digest_weekday,
        )


def current_policy() -> Policy:
    """The administrator's policy when one was saved, else the settings' defaults."""
    row = ReminderPolicy.objects.filter(pk=1).first()
    return Policy.from_row(row) if row else Policy.from_settings()


@dataclasses.dataclass(frozen=True)
class Window:
    """Occasions falling on days start..end (inclusive) are looked at by one sweep."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def working_bounds(self) -> tuple[dt.date, dt.date] | None:
        """First and last working day inside the window, or None if it has none."""
        first = self.start if is_working_day(self.start) else add_working_days(self.start, 1)
        last = self.end if is_working_day(self.end) else add_working_days(self.end, -1)
        return (first, last) if first <= last else None


@dataclasses.dataclass(frozen=True)
class Occasion:
    kind: str
    key: str
    fires_on: dt.date
    due_date: dt.date
    days: int = 0  # working days before (series before) or the overdue repeat number


def last_working_day_on_or_before(day: dt.date) -> dt.date:
    return day if is_working_day(day) else add_working_days(day, -1)


def _before_series(
    prefix: str, kind: str, due: dt.date, offsets: tuple[int, ...], window: Window
) -> Occasion | None:
    """The latest "N working days before" occasion in the window, while not yet past due."""
    today = window.end
    if today > due:
        return None
    best: Occasion | None = None
    for days in offsets:
        fires_on = add_working_days(due, -days) if days else due
        if fires_on in window and (best is None or fires_on > best.fires_on):
            key = f"{prefix}:before:{days}" if days else prefix
            best = Occasion(
                kind=Kind.DUE_TODAY if not days else kind,
                key=key,
                fires_on=fires_on,
                due_date=due,
                days=days,
            )
    return best


def action_occasions(
    *, action_id: int, due: dt.date, policy: Policy, window: Window
) -> list[Occasion]:
    """Occasions of one open action to send in this window (owner series and escalation)."""
    prefix = f"action:{action_id}:due:{due.isoformat()}"
    today = window.end
    found: list[Occasion] = []
    offsets = policy.days_before + ((0,) if policy.on_due_date else ())
    before = _before_series(prefix, Kind.BEFORE_DUE, due, offsets, window)
    if before:
        found.append(before)
    if due < today:
        late = working_days_between(due, today)
        if late >= 1:
            repeat = (late - 1) // policy.overdue_every
            since = (late - 1) % policy.overdue_every
            fires_on = add_working_days(last_working_day_on_or_before(today), -since)
            if fires_on in window:
                found.append(
                    Occasion(Kind.OVERDUE, f"{prefix}:overdue:{repeat}", fires_on, due, repeat)
                )
        if late >= policy.escalate_after:
            fires_on = add_working_days(due, policy.escalate_after)
            if fires_on in window:
                found.append(
                    Occasion(Kind.ESCALATION, prefix, fires_on, due, policy.escalate_after)
                )
    return found


# The step of a plan-submission occasion's key naming the draft's deadline
# ("inspection:<id>:draft_plan:<date>…"; the plan's own is "inspection:<id>:plan:<date>…").
DRAFT_PLAN = "draft_plan"


def plan_occasion(
    *, inspection_id: int, due: dt.date, policy: Policy, window: Window, draft: bool = False
) -> Occasion | None:
    """The latest occasion in the window of one source's plan submission deadline (its
    draft's, if `draft`: a focused visit with areas for priority action asks for both)."""
    prefix = f"inspection:{inspection_id}:{DRAFT_PLAN if draft else 'plan'}:{due.isoformat()}"
    return _before_series(prefix, Kind.PLAN_DUE, due, policy.plan_days_before, window)


def is_draft_occasion(key: str) -> bool:
    """Is this plan-submission occasion about the draft (not the plan itself)?"""
    return key.split(":")[2:3] == [DRAFT_PLAN]


def upcoming_action_dates(*, due: dt.date, policy: Policy, after: dt.date) -> list[Occasion]:
    """The owner series and escalation of an action still to fall after `after`."""
    found = [
        Occasion(Kind.BEFORE_DUE, "", add_working_days(due, -days), due, days)
        for days in policy.days_before
    ]
    if policy.on_due_date:
        found.append(Occasion(Kind.DUE_TODAY, "", due, due))
    late = working_days_between(due, after) if due < after else 0
    repeat = (late - 1) // policy.overdue_every + 1 if late >= 1 else 0
    fires_on = add_working_days(due, 1 + repeat * policy.overdue_every)
    found.append(Occasion(Kind.OVERDUE, "", fires_on, due, repeat))
    escalation = add_working_days(due, policy.escalate_after)
    found.append(Occasion(Kind.ESCALATION, "", escalation, due, policy.escalate_after))
    return sorted((o for o in found if o.fires_on > after), key=lambda o: o.fires_on)


# Candidate due dates for the sweep's query. Each range is a superset of the due dates
# whose occasion falls in the window; action_occasions() then decides exactly.

DateRange = tuple[dt.date, dt.date]


def due_dates_before(window: Window, days: int) -> DateRange | None:
    """Due dates D whose "`days` working days before D" falls in the window."""
    bounds = window.working_bounds()
    if bounds is None:
        return None
    first, last = bounds
    if days == 0:
        return window.start, window.end
    return add_working_days(first, days - 1) + ONE_DAY, add_working_days(last, days)


def due_dates_after(window: Window, days: int) -> DateRange | None:
    """Due dates D whose "`days` working days after D" falls in the window."""
    bounds = window.working_bounds()
    if bounds is None:
        return None
    first, last = bounds
    return add_working_days(first, -days), add_working_days(last, 1 - days) - ONE_DAY


def due_dates_overdue(window: Window, every: int, oldest: dt.date) -> list[DateRange]:
    """Due dates (not before `oldest`) whose overdue repeat falls in the window.

    Repeats fall 1, 1 + every, 1 + 2 × every … working days after the due date: one short
    range of due dates per repeat, found by stepping back `every` working days at a time.
    """
    bounds = window.working_bounds()
    if bounds is None:
        return []
    first, last = bounds
    low, high = add_working_days(first, -1), last  # repeat 0: D in [low, high - 1 day]
    ranges: list[DateRange] = []
    while high - ONE_DAY >= oldest:
        ranges.append((max(low, oldest), high - ONE_DAY))
        low, high = add_working_days(low, -every), add_working_days(high, -every)
    return merge_ranges(ranges)


def _before_ranges(window: Window, offsets: tuple[int, ...]) -> list[DateRange]:
    today = window.end
    ranges = []
    for days in offsets:
        found = due_dates_before(window, days)
        if found and found[1] >= today:  # only deadlines not yet passed
            ranges.append((max(found[0], today), found[1]))
    return ranges


def action_due_ranges(window: Window, policy: Policy, oldest: dt.date | None) -> list[DateRange]:
    """Due dates of open actions that may have an occasion in the window. `oldest` is
    the earliest due date of an open overdue action (None if there is none)."""
    ranges = _before_ranges(window, policy.days_before + ((0,) if policy.on_due_date else ()))
    escalation = due_dates_after(window, policy.escalate_after)
    if escalation:
        ranges.append(escalation)
    if oldest is not None:
        ranges.extend(due_dates_overdue(window, policy.overdue_every, oldest))
    return merge_ranges(ranges)


def plan_due_ranges(window: Window, policy: Policy) -> list[DateRange]:
    return merge_ranges(_before_ranges(window, policy.plan_days_before))


def merge_ranges(ranges: list[DateRange]) -> list[DateRange]:
    merged: list[DateRange] = []
    for low, high in sorted(r for r in ranges if r[0] <= r[1]):
        if merged and low <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged
