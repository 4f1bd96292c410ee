"""Finding the deliveries due now and handing each to a worker once.

The database is the schedule: a delivery's `next_attempt_at` says when it may be tried,
and the broker only ever carries work that is due now (no ETA or countdown, which Redis
redelivers again and again past its visibility timeout). The sweep (tasks.sweep_webhooks,
every minute) reads the due rows through a small partial index and hands each out as
core.work_queue does for reminders and documents too: a conditional update of `enqueued_at` (one row
updated means this sweep, and no other, publishes it), then the task. New events are
handed out the same way right after their transaction commits; whatever could not be
published waits for the next sweep.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.work_queue import publish_due

from .models import FINISHED, Delivery, DeliveryStatus, EventType

logger = logging.getLogger(__name__)

BATCH = 500
# After a failed publish, requests in this process leave publishing to the sweep for this
# long: an import that records hundreds of events must not wait two seconds for each.
BROKER_REST_SECONDS = 30
_broker_down_until = 0.0


def requeue_cutoff(now: dt.datetime) -> dt.datetime:
    """Work handed out or claimed before this is presumed lost (broker or worker died)."""
    return now - dt.timedelta(seconds=settings.WEBHOOK_CLAIM_TIMEOUT)


def waiting(now: dt.datetime) -> Q:
    """Pending, due, and held by nobody (or by someone presumed dead)."""
    cutoff = requeue_cutoff(now)
    return (
        Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=cutoff))
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=cutoff))
    )


def due(now: dt.datetime | None = None, limit: int = BATCH) -> list[int]:
    """Ids of deliveries to hand out now, oldest first. Paused subscriptions' deliveries
    wait (test pings excepted) until the subscription is resumed."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(waiting(now))
        .filter(Q(subscription__active=True) | Q(event_type=EventType.PING))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def publish(ids: Iterable[int]) -> int:
    """Mark each delivery handed out (conditional update) and publish its task.

    Returns how many were published. A broker failure undoes the mark of the delivery
    being published and leaves the rest for the next sweep; it is logged, not raised.
    """
    global _broker_down_until

    def waiting_now(now: dt.datetime) -> QuerySet[Delivery]:
        return Delivery.objects.filter(waiting(now))

    result = publish_due(
        ids, waiting=waiting_now, task="webhooks.deliver", what="webhook deliveries"
    )
    if result.broker_failed:
        _broker_down_until = time.monotonic() + BROKER_REST_SECONDS
    return result.count


def publish_on_commit(ids: list[int]) -> None:
    """After the caller's transaction commits, publish these deliveries, unless the broker
    failed moments ago (then the sweep, at most a minute later, does it)."""
    if not ids:
        return

    def run() -> None:
        if time.monotonic() < _broker_down_until:
            return
        publish(ids)

    transaction.on_commit(run)


def sweep(now: dt.datetime | None = None) -> int:
    """Hand out every delivery due now, in batches; returns how many were published."""
    total = 0
    for _ in range(20):  # at most 10,000 a minute; the rest next minute
        ids = due(now)
        if not ids:
            break
        published = publish(ids)
        total += published
        if published == 0 or len(ids) < BATCH:
            break
    return total


def purge_finished(now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Delete finished deliveries older than WEBHOOK_LOG_RETENTION_DAYS (a batch a run)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.WEBHOOK_LOG_RETENTION_DAYS)
    old = list(
        Delivery.objects.filter(status__in=FINISHED, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    if not old:
        return 0
    Delivery.objects.filter(pk__in=old).delete()
    return len(old)
