"""Claim one delivery, post it, record the attempt: the exactly-once core.

    claim   UPDATE delivery SET claimed_at = now, claim_token = T, attempts = attempts + 1
            WHERE id = X AND status = 'pending' AND next_attempt_at <= now
              AND (claimed_at IS NULL OR claimed_at < now - WEBHOOK_CLAIM_TIMEOUT)
            — one row updated means this worker, and no other, may post it.
    post    outside any transaction, with short timeouts (transport.py).
    record  the attempt, and the outcome WHERE id = X AND claim_token = T: delivered; or
            pending again with the next attempt time (exponential backoff with jitter);
            or failed after WEBHOOK_MAX_ATTEMPTS.

A delivered, failed or cancelled delivery is never claimed again, so a duplicate task
posts nothing. A worker killed between post and record leaves its claim, which expires
after WEBHOOK_CLAIM_TIMEOUT; the sweep then hands the delivery out again and the receiver
gets the message a second time with the same `webhook-id` (receivers de-duplicate on it).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import random
import time
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import work_queue
from core.work_queue import Claim

from . import services, signing, transport
from .access import sees
from .models import Delivery, DeliveryAttempt, DeliveryStatus, EventType, Subscription

logger = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # failed this time; pending again with a later next_attempt_at
    FAILED = "failed"  # gave up after the last attempt
    CANCELLED = "cancelled"  # the owner may no longer see it: not sent
    HELD = "held"  # the subscription is paused: waits, not counted as an attempt
    NOT_CLAIMED = "not claimed"  # done already, not due, held by another worker, or gone


def claim(*, delivery_id: int, now: dt.datetime | None = None) -> Claim | None:
    """Take the delivery for one attempt, or None if it is not ours to try now."""
    now = now or timezone.now()
    return work_queue.claim(
        Delivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        ),
        now=now,
        timeout_seconds=settings.WEBHOOK_CLAIM_TIMEOUT,
        what=f"webhook delivery {delivery_id}",
    )


def retry_delay(attempts: int, rng: random.Random | None = None) -> dt.timedelta:
    """The wait after `attempts` failed attempts: exponential, capped, with jitter.

    The ceiling doubles each time from WEBHOOK_RETRY_BASE_SECONDS up to
    WEBHOOK_RETRY_MAX_SECONDS; the wait is between half the ceiling and the ceiling, so
    receivers coming back from an outage are not hit by every sender at the same second.
    """
    rng = rng or random.SystemRandom()
    exponent = min(max(attempts - 1, 0), 30)
    ceiling = min(
        settings.WEBHOOK_RETRY_MAX_SECONDS, settings.WEBHOOK_RETRY_BASE_SECONDS * 2**exponent
    )
    return dt.timedelta(seconds=ceiling / 2 + rng.uniform(0, ceiling / 2))


def _secrets(subscription: Subscription, now: dt.datetime) -> list[str]:
    found = [subscription.secret]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret and expires and expires > now:
        found.append(subscription.previous_secret)
    return found


def _not_allowed(delivery: Delivery) -> str:
    """Why this delivery may no longer be sent, or "" if it may."""
    subscription = delivery.subscription
    if not subscription.owner.is_active:
        return "Not sent: the subscription's owner is no longer active."
    if delivery.action is not None and not sees(subscription, delivery.action):
        return "Not sent: the subscription's owner may no longer see this action."
    return ""


def _finish_without_sending(delivery: Delivery, token: uuid.UUID, *, held: bool, note: str) -> None:
    changes: dict = {"claimed_at": None, "enqueued_at": None}
    if held:
        changes["attempts"] = F("attempts") - 1
    else:
        changes.update(status=DeliveryStatus.CANCELLED, next_attempt_at=None, last_error=note)
    Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(**changes)


def deliver(*, delivery_id: int) -> Outcome:
    """Claim, post and record one delivery. Safe to run any number of times at once."""
    held = claim(delivery_id=delivery_id)
    if held is None:
        return Outcome.NOT_CLAIMED
    delivery = (
        Delivery.objects.select_related("subscription__owner", "action__plan")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:  # the subscription was deleted meanwhile
        return Outcome.NOT_CLAIMED
    subscription = delivery.subscription
    if not subscription.active and delivery.event_type != EventType.PING:
        _finish_without_sending(delivery, held.token, held=True, note="")
        return Outcome.HELD
    reason = _not_allowed(delivery)
    if reason:
        _finish_without_sending(delivery, held.token, held=False, note=reason)
        return Outcome.CANCELLED
    body = delivery.payload.encode("utf-8")
    started = timezone.now()
    headers = signing.headers(
        secrets=_secrets(subscription, started),
        msg_id=str(delivery.event_id),
        timestamp=int(time.time()),
        body=body,
    )
    answer = transport.post(url=subscription.url, body=body, headers=headers)
    return _record(delivery, held.token, answer, started)


@transaction.atomic
def _record(
    delivery: Delivery, token: uuid.UUID, answer: transport.Answer, started: dt.datetime
) -> Outcome:
    now = timezone.now()
    changes: dict = {
        "claimed_at": None,
        "enqueued_at": None,
        "last_response_status": answer.status,
        "last_error": answer.error,
    }
    if answer.ok:
        outcome = Outcome.DELIVERED
        changes.update(status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None)
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        outcome = Outcome.FAILED
        changes.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
    else:
        outcome = Outcome.RETRY
        changes["next_attempt_at"] = now + retry_delay(delivery.attempts)
    mine = Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(**changes)
    if mine or Delivery.objects.filter(pk=delivery.pk).exists():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            started_at=started,
            duration_ms=answer.duration_ms,
            response_status=answer.status,
            response_body=answer.body,
            error=answer.error,
        )
    if not mine:
        # Our claim expired and another worker took the delivery: its record wins.
        logger.error("webhook delivery %s: claim lost before recording", delivery.pk)
        return outcome
    if delivery.event_type == EventType.PING:
        return outcome
    if outcome == Outcome.DELIVERED:
        Subscription.objects.filter(pk=delivery.subscription_id).exclude(
            consecutive_failures=0
        ).update(consecutive_failures=0)
    elif outcome == Outcome.FAILED:
        services.note_failed_delivery(subscription_id=delivery.subscription_id)
    if outcome != Outcome.DELIVERED:
        logger.warning(
            "webhook delivery %s attempt %s: %s",
            delivery.pk,
            delivery.attempts,
            answer.error or answer.status,
        )
    return outcome
