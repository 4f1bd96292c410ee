"""The sweep: find the reminders due in a window of days and record each exactly once.

Cost grows with what is due, not with the number of actions: the window's occasions are
turned into a few ranges of due dates (policy.due_dates_*), served by the
(status, due_date) index on actions and the plan_due_date index on inspections (a
plan's sources); only those rows are read. Recording is an INSERT … ON CONFLICT DO
NOTHING on the unique (recipient, kind, occasion) key, in key order so concurrent
sweeps cannot deadlock. Sending is someone else's job (tasks.send_reminder, or the
management command).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from actions.models import OPEN_STATUSES, Action
from core.deadlines import add_working_days, is_working_day
from core.models import User
from inspections.models import Inspection

from .models import Kind, Reminder, ReminderStatus, SweepRun
from .policy import (
    ONE_DAY,
    DateRange,
    Occasion,
    Policy,
    Window,
    action_due_ranges,
    action_occasions,
    current_policy,
    plan_due_ranges,
    plan_occasion,
)
from .recipients import Recipients

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class SweepResult:
    run_id: int
    window: Window | None
    created: int


def sweep_window(today: dt.date) -> Window:
    """From the day after the last completed sweep (bounded by the catch-up limit) to today.

    Today is always included, so a second sweep the same day finds occasions of actions
    created since the first; the unique key makes the repeat harmless.
    """
    last = SweepRun.objects.aggregate(last=Max("window_end"))["last"]
    floor = add_working_days(today, -settings.REMINDER_CATCH_UP_WORKING_DAYS)
    start = floor if last is None else max(last + ONE_DAY, floor)
    return Window(start=min(start, today), end=today)


def _oldest_overdue(today: dt.date) -> dt.date | None:
    # One short index probe per status on (status, due_date), not MIN over a scan.
    found = [
        Action.objects.filter(status=status, due_date__lt=today)
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
        for status in OPEN_STATUSES
    ]
    found = [day for day in found if day is not None]
    return min(found) if found else None


def _ranges_q(field: str, ranges: Iterable[DateRange]) -> Q | None:
    query: Q | None = None
    for low, high in ranges:
        part = Q(**{f"{field}__range": (low, high)})
        query = part if query is None else query | part
    return query


def action_candidates(window: Window, policy: Policy) -> list[Action]:
    """Open actions that may have an occasion in the window (a small superset)."""
    ranges = action_due_ranges(window, policy, _oldest_overdue(window.end))
    query = _ranges_q("due_date", ranges)
    if query is None:
        return []
    # Few columns, no joins: owners are loaded once each below, and the plan only for
    # the few escalations that need it.
    return list(
        Action.objects.open()
        .filter(query)
        .only("id", "due_date", "status", "owner_id", "assigned_by_id", "plan_id")
        .order_by("pk")
    )


def plan_candidates(window: Window, policy: Policy) -> list[Inspection]:
    """Sources of a plan whose submission (or draft submission) may have an occasion in
    the window. Each source keeps its own deadlines; a report held as history has none
    that anyone is reminded of."""
    ranges = plan_due_ranges(window, policy)
    final, draft = _ranges_q("plan_due_date", ranges), _ranges_q("draft_plan_due_date", ranges)
    if final is None:
        return []
    return list(
        Inspection.objects.filter(final | draft, plan_submitted_at__isnull=True)
        .filter(plan__isnull=False)
        .select_related("plan")
        .order_by("pk")
    )


def _row(user: User, occasion: Occasion, **subject) -> Reminder:
    held = user.reminder_delivery == User.ReminderDelivery.DIGEST
    return Reminder(
        recipient=user,
        kind=occasion.kind,
        occasion=occasion.key,
        due_date=occasion.due_date,
        scheduled_for=occasion.fires_on,
        status=ReminderStatus.HELD if held else ReminderStatus.PENDING,
        **subject,
    )


def due_reminders(window: Window, policy: Policy) -> list[Reminder]:
    """Unsaved reminder rows for every occasion in the window, to every eligible person."""
    actions = action_candidates(window, policy)
    inspections = plan_candidates(window, policy)
    people = Recipients()
    users = User.objects.in_bulk(
        {a.owner_id for a in actions if a.owner_id}
        | {a.assigned_by_id for a in actions if a.assigned_by_id}
    )
    people.load(users)
    rows: list[Reminder] = []
    for action in actions:
        action.owner = users.get(action.owner_id)
        action.assigned_by = users.get(action.assigned_by_id)
        for occasion in action_occasions(
            action_id=action.pk, due=action.due_date, policy=policy, window=window
        ):
            if occasion.kind == Kind.ESCALATION:
                recipients = people.escalation(action)
            else:
                recipients = [action.owner] if people.can_be_reminded(action.owner) else []
            rows += [_row(user, occasion, action=action) for user in recipients]
    for source in inspections:
        occasions = [
            plan_occasion(
                inspection_id=source.pk, due=due, policy=policy, window=window, draft=draft
            )
            for due, draft in (
                (None if source.draft_plan_sent_at else source.draft_plan_due_date, True),
                (source.plan_due_date, False),
            )
            if due is not None
        ]
        for occasion in filter(None, occasions):
            rows += [_row(u, occasion, inspection=source) for u in people.plan(source)]
    return rows


def _insert(rows: list[Reminder]) -> int:
    if not rows:
        return 0
    existing = set(
        Reminder.objects.filter(
            recipient_id__in={r.recipient_id for r in rows}, occasion__in={r.occasion for r in rows}
        ).values_list("recipient_id", "kind", "occasion")
    )
    new = [r for r in rows if (r.recipient_id, r.kind, r.occasion) not in existing]
    # Same order in every sweep: two sweeps inserting the same keys wait, never deadlock.
    new.sort(key=lambda r: (r.recipient_id, r.kind, r.occasion))
    Reminder.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def last_digest_day(today: dt.date, weekday: int) -> dt.date:
    return today - dt.timedelta(days=(today.weekday() - weekday) % 7)


def build_digests(window: Window, policy: Policy) -> int:
    """Gather held reminders into one digest per person, once a week.

    The digest is built by the first sweep whose window holds the digest day (so a
    digest day missed by the scheduler, or a bank holiday, is caught up the next working
    day). Its key is the week's digest day: a second sweep finds it already made.
    """
    digest_day = last_digest_day(window.end, policy.digest_weekday)
    if digest_day not in window:
        return 0
    made = 0
    waiting = Reminder.objects.filter(status=ReminderStatus.HELD, digest__isnull=True)
    for recipient_id in sorted(set(waiting.values_list("recipient_id", flat=True))):
        try:
            with transaction.atomic():
                digest = Reminder.objects.create(
                    recipient_id=recipient_id,
                    kind=Kind.DIGEST,
                    occasion=f"week:{digest_day.isoformat()}",
                    scheduled_for=window.end,
                )
        except IntegrityError:
            continue  # another sweep made this week's digest: its items are in it
        waiting.filter(recipient_id=recipient_id).update(digest=digest)
        made += 1
    return made


@transaction.atomic
def record_due_reminders(*, today: dt.date, source: str = "beat") -> SweepResult:
    """Record every reminder due up to today (see module doc); one sweep run."""
    started = timezone.now()
    window: Window | None = None
    created = 0
    # Nobody reads reminders at weekends or on bank holidays: their occasions are picked
    # up by the next working day's sweep, whose window starts after the last covered day.
    if is_working_day(today):
        policy = current_policy()
        window = sweep_window(today)
        created = _insert(due_reminders(window, policy))
        created += build_digests(window, policy)
    run = SweepRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        window_start=window.start if window else None,
        window_end=window.end if window else None,
        created=created,
        source=source,
    )
    logger.info("reminder sweep %s: window %s, %s new", run.pk, window, created)
    return SweepResult(run_id=run.pk, window=window, created=created)


def requeue_cutoff(now: dt.datetime) -> dt.datetime:
    """Work handed out or claimed before this is presumed lost (broker or worker died)."""
    return now - dt.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)


def claimable(now: dt.datetime | None = None) -> list[int]:
    """Ids of pending reminders nobody holds: never enqueued, or enqueued or claimed so
    long ago that the task was lost (broker restart, killed worker)."""
    cutoff = requeue_cutoff(now or timezone.now())
    return list(
        Reminder.objects.pending()
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=cutoff))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=cutoff))
        .order_by("id")
        .values_list("id", flat=True)
    )
