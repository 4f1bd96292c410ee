"""Background work for webhooks. Tasks take ids, are idempotent and never carry a delay:
the database is the schedule (docs/webhooks.md)."""

from __future__ import annotations

from celery import shared_task

from . import delivery, dispatch


@shared_task(name="webhooks.deliver")
def deliver_webhook(delivery_id: int) -> str:
    """Claim, post and record one attempt of one delivery.

    Run twice (a redelivered message, a second sweep's copy) it posts once: the second run
    finds the delivery done, not yet due again, or claimed, and does nothing. A deleted
    delivery is ignored. A failed attempt is not retried by Celery: the delivery gets its
    next attempt time in the database (backoff with jitter) and the sweep hands it out
    then, because waits of hours cannot ride on the broker (Redis redelivers delayed
    messages past its visibility timeout).
    """
    return delivery.deliver(delivery_id=delivery_id).value


@shared_task(name="webhooks.sweep")
def sweep_webhooks() -> int:
    """Every minute: hand out the deliveries due now (new ones whose publish failed,
    retries whose time has come, work of a worker that died) and drop old log rows.
    Two sweeps at once publish each delivery once (conditional update)."""
    published = dispatch.sweep()
    dispatch.purge_finished()
    return published
