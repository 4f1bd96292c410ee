"""Writes with rules: the admin's "send again" on failed reminders."""

from __future__ import annotations

from django.db import transaction

from core import audit
from core.models import User

from .enqueue import enqueue_pending
from .models import Reminder, ReminderStatus


@transaction.atomic
def retry_failed(*, reminder_ids: list[int], actor: User | None) -> int:
    """Put failed reminders back in the queue with a fresh attempt count.

    The rows are saved first; publishing happens after commit and never blocks on a
    dead broker (the next sweep picks up whatever could not be published).
    """
    ids = list(
        Reminder.objects.filter(pk__in=reminder_ids, status=ReminderStatus.FAILED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Reminder.objects.filter(pk__in=ids, status=ReminderStatus.FAILED).update(
        status=ReminderStatus.PENDING,
        attempts=0,
        claimed_at=None,
        claim_token=None,
        enqueued_at=None,
    )
    for reminder in Reminder.objects.filter(pk__in=ids):
        audit.record(
            actor=actor,
            verb="reminder.retry",
            obj=reminder,
            summary=f"Sent again after failure: {reminder}",
            before={"status": ReminderStatus.FAILED, "last_error": reminder.last_error},
            after={"status": ReminderStatus.PENDING},
        )
    if ids:
        transaction.on_commit(lambda: enqueue_pending(ids))
    return len(ids)
