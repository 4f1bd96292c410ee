"""Handing pending reminders to workers without ever waiting long on the broker."""

from __future__ import annotations

import logging

from django.db.models import Q
from django.utils import timezone

from .models import Reminder, ReminderStatus
from .sweep import claimable, requeue_cutoff

logger = logging.getLogger(__name__)

# One connection attempt, no pause before giving up: with the broker's socket timeouts
# (2 s) a hung Redis costs about two seconds, a stopped one almost nothing. The next
# sweep is the retry.
FAIL_FAST = {"max_retries": 0, "interval_start": 0, "interval_step": 0, "interval_max": 0}


def enqueue_pending(ids: list[int] | None = None) -> int:
    """Publish a send task for each pending reminder nobody holds; return how many.

    Call it after the rows are committed (the sweep does; services use on_commit). Each
    row is marked enqueued with a conditional update first, so two sweeps do not both
    publish it. If the broker is down or hung, publishing fails within the broker's
    socket timeouts: the mark is undone, the rest are left, and the next sweep tries
    again — nothing waits long, nothing is lost.
    """
    from config.celery import app

    from .tasks import send_reminder

    ids = claimable() if ids is None else ids
    if not ids:
        return 0
    published = 0
    try:
        with app.connection_for_write(transport_options=FAIL_FAST) as connection:
            producer = connection.Producer()
            for reminder_id in ids:
                now = timezone.now()
                mine = (
                    Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING)
                    .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=requeue_cutoff(now)))
                    .update(enqueued_at=now)
                )
                if not mine:
                    continue
                try:
                    send_reminder.apply_async((reminder_id,), producer=producer, retry=False)
                except Exception:
                    Reminder.objects.filter(pk=reminder_id, enqueued_at=now).update(
                        enqueued_at=None
                    )
                    raise
                published += 1
    except Exception as exc:  # any broker failure: the rows wait for the next sweep
        logger.warning("broker unavailable (%s): pending reminders wait for the next sweep", exc)
    return published
