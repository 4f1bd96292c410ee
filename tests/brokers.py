"""Pointing this process's Celery app at another broker (a test's Redis or a dead port)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


def reset_pools(app: Any) -> None:
    """Forget connections to the previous broker (after changing `broker_url`)."""
    app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        app.__dict__["amqp"]._producer_pool = None


@contextlib.contextmanager
def broker(url: str) -> Iterator[None]:
    """Publish to `url` for the block, then to the broker from before."""
    from config.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = url
    reset_pools(app)
    try:
        yield
    finally:
        app.conf.broker_url = previous
        reset_pools(app)
