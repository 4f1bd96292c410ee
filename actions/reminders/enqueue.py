"""Handing pending reminders to workers without ever waiting long on the broker."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from core.work_queue import publish_due

from .models import Reminder, ReminderStatus
from .sweep import claimable, requeue_cutoff


def enqueue_pending(ids: list[int] | None = None) -> int:
    """Publish a send task for each pending reminder nobody holds; return how many.

    Call it after the rows are committed (the sweep does; services use on_commit). See
    core.work_queue: each row is marked first, so two sweeps do not both publish it, and
    a broker that is down or hung costs seconds at most; the next sweep is the retry.
    """
    ids = claimable() if ids is None else ids
    if not ids:
        return 0

    def waiting(now: dt.datetime) -> QuerySet[Reminder]:
        return Reminder.objects.filter(status=ReminderStatus.PENDING).filter(
            Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=requeue_cutoff(now))
        )

    return publish_due(
        ids, waiting=waiting, task="reminders.send_reminder", what="pending reminders"
    ).count
