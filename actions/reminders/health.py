"""Readiness facts for reminders: can the broker be reached, when did a sweep last run."""

from __future__ import annotations

import concurrent.futures
import logging

logger = logging.getLogger(__name__)

# Threads that outlive a hung check are left to time out on their own socket timeouts;
# a small pool caps how many a stream of probes can pile up.
_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="broker-check")


def _ping_broker() -> None:
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1.5)
        connection.default_channel  # the Redis transport sends PING here  # noqa: B018


def broker_status(timeout: float = 1.8) -> str:
    """ "ok", or "error: <reason>" — within `timeout` seconds whatever the broker does."""
    future = _POOL.submit(_ping_broker)
    try:
        future.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        future.cancel()  # if it is still queued behind a hung check, drop it
        return "error: no answer"
    except Exception as exc:  # any failure to reach the broker is reported, not raised
        return f"error: {exc.__class__.__name__}"
    return "ok"
