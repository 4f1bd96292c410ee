"""Reads for pages: the reminders of one action, sent and upcoming; sweep health."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from actions.models import Action

from .models import Kind, Reminder, ReminderStatus, SweepRun
from .policy import (
    current_policy,
    upcoming_action_dates,
)


@dataclasses.dataclass(frozen=True)
class ReminderLine:
    """One line of the action page's reminders table."""

    date: dt.date
    kind: str  # Kind value
    description: str  # e.g. "5 working days before the due date"
    recipient: str  # a name, or who it will go to ("Owner")
    status: str  # "sent", "pending", "held", "failed", "cancelled" or "upcoming"
    status_label: str
    sent_at: dt.datetime | None = None


def _describe(kind: str, days: int) -> str:
    if kind == Kind.BEFORE_DUE:
        return f"{days} working day{'' if days == 1 else 's'} before the due date"
    if kind == Kind.DUE_TODAY:
        return "On the due date"
    if kind == Kind.OVERDUE:
        return "Overdue" if days == 0 else f"Overdue, repeat {days}"
    if kind == Kind.ESCALATION:
        return f"Escalation after {days} working days overdue"
    return Kind(kind).label


def _upcoming_recipient(action: Action, kind: str) -> str:
    if kind != Kind.ESCALATION:
        return str(action.owner)
    if action.assigned_by_id:
        return str(action.assigned_by)
    return "Directors who can see the plan"


def _days_from_key(reminder: Reminder) -> int:
    last = reminder.occasion.rsplit(":", 1)[-1]
    return int(last) if last.isdigit() else 0


def reminders_for_action(action: Action, *, today: dt.date | None = None) -> list[ReminderLine]:
    """Every reminder of the action, in date order: those recorded (sent, waiting, failed or
    no longer needed) and, while it is open, those still to come for its current due
    date. Escalations in the table go to directors; readers never appear."""
    today = today or timezone.localdate()
    lines: list[ReminderLine] = []
    policy = current_policy()
    recorded = action.reminders.select_related("recipient").order_by("scheduled_for", "id")
    done: set[tuple[str, dt.date]] = set()
    for reminder in recorded:
        days = _days_from_key(reminder)
        if reminder.kind == Kind.ESCALATION:
            days = policy.escalate_after
        status = reminder.status
        label = ReminderStatus(status).label
        if status == ReminderStatus.HELD and reminder.digest_id:
            label = "In the weekly digest"
        lines.append(
            ReminderLine(
                date=reminder.scheduled_for,
                kind=reminder.kind,
                description=_describe(reminder.kind, days),
                recipient=str(reminder.recipient),
                status=status,
                status_label=label,
                sent_at=reminder.sent_at,
            )
        )
        if reminder.due_date == action.due_date:
            done.add((reminder.kind, reminder.scheduled_for))
    if action.is_open:
        for occasion in upcoming_action_dates(due=action.due_date, policy=policy, after=today):
            if (occasion.kind, occasion.fires_on) in done:
                continue
            if occasion.kind != Kind.ESCALATION and action.owner_id is None:
                continue
            lines.append(
                ReminderLine(
                    date=occasion.fires_on,
                    kind=occasion.kind,
                    description=_describe(occasion.kind, occasion.days),
                    recipient=_upcoming_recipient(action, occasion.kind),
                    status="upcoming",
                    status_label="Upcoming",
                )
            )
    return sorted(lines, key=lambda line: line.date)


def last_successful_sweep() -> SweepRun | None:
    return SweepRun.objects.order_by("-finished_at", "-id").first()
