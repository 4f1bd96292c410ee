"""Services some tests need: required on CI, optional on a developer's machine."""

from __future__ import annotations

import os

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1" or os.environ.get("CI") == "true"


def need_service(reason: str) -> None:
    """Fail on CI, skip locally: the services are required there and optional here."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)
