"""Claim one reminder, send it, record it: the exactly-once core.

    claim   UPDATE reminder SET claimed_at = now, claim_token = T, attempts = attempts + 1
            WHERE id = X AND status = 'pending'
              AND (claimed_at IS NULL OR claimed_at < now - REMINDER_CLAIM_TIMEOUT)
            — one row updated means this worker, and no other, may send it.
    send    through the channel, outside any transaction.
    record  UPDATE … SET status = 'sent', sent_at = now WHERE id = X AND claim_token = T.

A failure before the send releases the claim (claimed_at = NULL) so a retry can take it
at once. A worker killed between claim and record leaves the claim in place; it expires
after REMINDER_CLAIM_TIMEOUT and the next sweep hands the row out again. If the kill
came after the mail server accepted the message, that is the one case a person can get
a reminder twice (docs/reminders.md); with Notify the new claimant asks Notify first.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import work_queue
from core.work_queue import Claim

from . import content as content_module
from .channels import (
    Channel,
    PermanentDeliveryError,
    TransientDeliveryError,
    get_channel,
    message_reference,
)
from .models import Kind, Reminder, ReminderStatus

logger = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    SENT = "sent"
    NOT_CLAIMED = "not claimed"  # sent already, held by another worker, or gone
    CANCELLED = "cancelled"
    FAILED = "failed"


def claim(*, reminder_id: int, now: dt.datetime | None = None) -> Claim | None:
    """Take the reminder for sending, or None if someone else has it or it is done."""
    return work_queue.claim(
        Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING),
        now=now or timezone.now(),
        timeout_seconds=settings.REMINDER_CLAIM_TIMEOUT,
        what=f"reminder {reminder_id}",
    )


@transaction.atomic
def _record(
    reminder: Reminder, token: uuid.UUID, *, status: str, channel: str = "", ref: str = ""
) -> bool:
    now = timezone.now()
    changes: dict = {"status": status, "claimed_at": None, "channel": channel}
    if status == ReminderStatus.SENT:
        changes.update(sent_at=now, provider_reference=ref, last_error="")
    updated = Reminder.objects.filter(pk=reminder.pk, claim_token=token).update(**changes)
    if not updated:
        # Our claim expired and another worker took the row: it may have sent too.
        logger.error("reminder %s: claim lost before recording %s", reminder.pk, status)
        return False
    if reminder.kind == Kind.DIGEST:
        items = Reminder.objects.filter(digest=reminder, status=ReminderStatus.HELD)
        if status == ReminderStatus.SENT:
            items.update(status=ReminderStatus.SENT, sent_at=now, channel=channel)
        elif status == ReminderStatus.CANCELLED:
            items.update(status=ReminderStatus.CANCELLED)
    return True


def _release(reminder_id: int, token: uuid.UUID, *, error: str, final: bool) -> None:
    changes: dict = {"claimed_at": None, "last_error": error[:2000]}
    if final:
        changes["status"] = ReminderStatus.FAILED
    Reminder.objects.filter(pk=reminder_id, claim_token=token).update(**changes)


def deliver(*, reminder_id: int, channel: Channel | None = None) -> Outcome:
    """Claim, send and record one reminder (or digest).

    Safe to run any number of times, at once or in turn: only the claimant sends, and a
    sent, cancelled or failed reminder is never claimed again. A deleted reminder is
    ignored. Raises TransientDeliveryError when a retry may succeed (the claim is
    released first); after REMINDER_MAX_ATTEMPTS attempts the reminder is marked failed.
    """
    held = claim(reminder_id=reminder_id)
    if held is None:
        return Outcome.NOT_CLAIMED
    reminder = (
        Reminder.objects.select_related(*content_module.RELATED)
        .prefetch_related(*content_module.PREFETCHED)
        .get(pk=reminder_id)
    )
    today = timezone.localdate()
    try:
        message = content_module.build(reminder, today)
    except Exception as exc:  # a template or data error: retrying will not fix it
        logger.exception("reminder %s could not be written", reminder_id)
        _release(reminder_id, held.token, error=f"writing the message: {exc!r}", final=True)
        return Outcome.FAILED
    if message is None:
        _record(reminder, held.token, status=ReminderStatus.CANCELLED)
        return Outcome.CANCELLED
    channel = channel or get_channel()
    reference = message_reference(reminder.pk)
    try:
        ref = channel.find_sent(reference=reference) if held.took_over else None
        if ref is None:
            ref = channel.send(to=reminder.recipient.email, content=message, reference=reference)
    except PermanentDeliveryError as exc:
        _release(reminder_id, held.token, error=str(exc), final=True)
        logger.error("reminder %s failed for good: %s", reminder_id, exc)
        return Outcome.FAILED
    except Exception as exc:
        final = reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS
        _release(reminder_id, held.token, error=f"{exc.__class__.__name__}: {exc}", final=final)
        logger.warning("reminder %s attempt %s failed: %s", reminder_id, reminder.attempts, exc)
        if final:
            return Outcome.FAILED
        if isinstance(exc, TransientDeliveryError):
            raise
        raise TransientDeliveryError(str(exc)) from exc
    _record(reminder, held.token, status=ReminderStatus.SENT, channel=channel.name, ref=ref)
    return Outcome.SENT


def pending_now(now: dt.datetime | None = None) -> list[int]:
    """Ids of pending reminders a foreground run may try now (not held by a live claim)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
    return list(
        Reminder.objects.pending()
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=cutoff))
        .order_by("id")
        .values_list("id", flat=True)
    )
