"""Background work for reminders. Tasks take ids, are idempotent and never wait on a
reminder's date: the database is the schedule (docs/reminders.md)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import delivery, sweep
from .channels import TransientDeliveryError
from .enqueue import enqueue_pending


@shared_task(
    name="reminders.send_reminder",
    acks_late=True,
    autoretry_for=(TransientDeliveryError,),
    retry_backoff=True,
    retry_backoff_max=600,  # well under the broker's visibility timeout (one hour)
    retry_jitter=True,
    max_retries=max(0, settings.REMINDER_MAX_ATTEMPTS - 1),
)
def send_reminder(reminder_id: int) -> str:
    """Claim, send and record one reminder.

    Run twice (a redelivery, a second sweep's copy, a retry after a crash) it sends once:
    the second run finds the reminder sent or claimed and does nothing. A reminder that
    no longer exists, or is no longer needed (action closed, date moved, plan submitted),
    is not sent. Mail errors are retried with backoff, at most REMINDER_MAX_ATTEMPTS
    attempts in all; then the reminder is marked failed for the admin's failed list.
    """
    return delivery.deliver(reminder_id=reminder_id).value


@shared_task(name="reminders.sweep")
def sweep_reminders() -> int:
    """Record the reminders due today (and those missed since the last sweep), then hand
    every unsent one to a worker. Run twice, or on two schedulers, it records each once
    (unique key) and the claim keeps sends single. Returns how many were recorded."""
    result = sweep.record_due_reminders(today=timezone.localdate(), source="beat")
    enqueue_pending()
    return result.created
