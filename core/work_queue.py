"""The work queue: rows in the database say what work is due; Celery workers do it.

This is the one way background work is handed out. Reminders, webhook deliveries and
document generations are rows that say what is due, so the database is the schedule and
the broker only carries what is due now:

- `publish_due` marks a row (`enqueued_at = now`) with a conditional update that only a
  row still waiting passes, so two sweeps never both publish it, and then publishes its
  task. If the broker is down or hung, publishing fails within the broker's socket
  timeouts (one connection attempt, no pause): the row's mark is undone, the rest are
  left for the next sweep, and the failure is logged, not raised.
- `claim` is how a worker then takes the row for one attempt before doing anything
  outside the database; it records the outcome only while it still holds the claim.
- `publish_on_commit` is for work that has no row of its own (an e-mail on assignment).

Tasks are published by their registered name, so services name the work they need done
and never import the tasks modules: tasks import services, never the other way round.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import uuid
from collections.abc import Callable, Iterable

from celery import Task
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

# One connection attempt, no pause before giving up: with the broker's socket timeouts
# (2 s) a hung Redis costs about two seconds, a stopped one almost nothing.
FAIL_FAST = {"max_retries": 0, "interval_start": 0, "interval_step": 0, "interval_max": 0}


@functools.cache
def _app():
    """The Celery app with every app's tasks registered (a web process imports the tasks
    modules only here, so that eager mode and the worker see the same tasks)."""
    from config.celery import app

    app.autodiscover_tasks(force=True)
    return app


def task_named(name: str) -> Task:
    """The registered task called `name` (its `@shared_task(name=...)`)."""
    return _app().tasks[name]


@dataclasses.dataclass(frozen=True)
class Published:
    count: int
    broker_failed: bool


def publish_due(
    ids: Iterable[int], *, waiting: Callable[[dt.datetime], QuerySet], task: str, what: str
) -> Published:
    """Mark and publish the task named `task` with each row of `waiting(now)` among `ids`.

    `waiting(now)` is the rows that may be handed out at that moment; `what` names them
    in the log when the broker fails.
    """
    app = _app()
    to_run = task_named(task)
    published = 0
    try:
        with app.connection_for_write(transport_options=FAIL_FAST) as connection:
            producer = connection.Producer()
            for row_id in ids:
                now = timezone.now()
                row = waiting(now).filter(pk=row_id)
                if not row.update(enqueued_at=now):
                    continue  # another sweep has it, or it is done
                try:
                    to_run.apply_async((row_id,), producer=producer, retry=False)
                except Exception:
                    row.model.objects.filter(pk=row_id, enqueued_at=now).update(enqueued_at=None)
                    raise
                published += 1
    except Exception as exc:  # any broker failure: the rows wait for the next sweep
        logger.warning("broker unavailable (%s): %s wait for the next sweep", exc, what)
        return Published(published, broker_failed=True)
    return Published(published, broker_failed=False)


def publish_on_commit(task: str, *args: object) -> None:
    """After the caller's transaction commits, publish the task named `task`; if the
    broker cannot be reached, run it here instead, so the work is not lost (for work
    that has no row to wait in for the next sweep)."""

    def publish() -> None:
        to_run = task_named(task)
        try:
            to_run.delay(*args)
        except Exception:  # broker unreachable: do it now rather than lose it
            logger.warning("Broker unavailable; running %s in the request", task)
            to_run.apply(args=args)

    transaction.on_commit(publish)


@dataclasses.dataclass(frozen=True)
class Claim:
    token: uuid.UUID  # only the holder of this token may record the outcome
    took_over: bool  # the previous holder's claim had expired: its outcome is unknown


def claim(waiting: QuerySet, *, now: dt.datetime, timeout_seconds: int, what: str) -> Claim | None:
    """A worker takes a handed-out row for one attempt (`claimed_at`, a new `claim_token`,
    one more `attempts`), or gets None if the row is not `waiting` or someone else holds
    it. A claim older than `timeout_seconds` is presumed dead (its worker was killed) and
    is taken over; `what` names the row in the log when that happens."""
    token = uuid.uuid4()
    changes = {"claimed_at": now, "claim_token": token, "attempts": F("attempts") + 1}
    if waiting.filter(claimed_at__isnull=True).update(**changes):
        return Claim(token, took_over=False)
    cutoff = now - dt.timedelta(seconds=timeout_seconds)
    if waiting.filter(claimed_at__lt=cutoff).update(**changes):
        logger.warning("%s: took over a claim that expired", what)
        return Claim(token, took_over=True)
    return None
