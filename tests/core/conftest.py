"""Fixtures for the sign-in tests."""

import json
import logging

import pytest

from core.logging import JsonFormatter, RequestIdFilter


@pytest.fixture
def json_lines():
    """What the production log handler writes for the `core.auth` logger, one JSON
    object per line."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("core.auth")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in lines]
    logger.removeHandler(handler)
