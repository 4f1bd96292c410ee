from __future__ import annotations

from collections.abc import Iterator

import pytest

from actions.webhooks import targets

from .helpers import fake_getaddrinfo
from .receiver import Receiver

DEFAULTS = {
    "WEBHOOK_MAX_ATTEMPTS": 10,
    "WEBHOOK_RETRY_BASE_SECONDS": 60,
    "WEBHOOK_RETRY_MAX_SECONDS": 6 * 60 * 60,
    "WEBHOOK_PAUSE_AFTER_FAILURES": 5,
    "WEBHOOK_CONNECT_TIMEOUT": 1.0,
    "WEBHOOK_READ_TIMEOUT": 2.0,
    "WEBHOOK_ALLOW_HTTP": True,
    "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.0/8"],
    "WEBHOOK_SECRET_GRACE_HOURS": 24,
}


@pytest.fixture(autouse=True)
def webhook_settings(settings) -> None:
    """The documented defaults (short timeouts), with this machine allowed as a target."""
    for name, value in DEFAULTS.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def no_dns_queries(monkeypatch) -> None:
    monkeypatch.setattr(targets, "getaddrinfo", fake_getaddrinfo)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    try:
        yield server
    finally:
        server.stop()
