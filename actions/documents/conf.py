"""Settings of the documents app, read when used so tests can override them.

Each value comes from Django settings when set there, else from the environment, else
the default below.
"""

from __future__ import annotations

import environ
from django.conf import settings

_env = environ.Env()


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = _env.int(name, default=default)
    return int(value)


def inline_max_actions() -> int:
    """Plans with at most this many actions are generated during the request."""
    return _int("DOCUMENTS_INLINE_MAX_ACTIONS", 100)


def import_max_bytes() -> int:
    return _int("DOCUMENTS_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def import_max_rows() -> int:
    """Rows per sheet an imported tracker may have (a plan has hundreds, not millions)."""
    return _int("DOCUMENTS_IMPORT_MAX_ROWS", 5000)


def status_refresh_seconds() -> int:
    """How often the page of a document being generated reloads itself."""
    return _int("DOCUMENTS_STATUS_REFRESH_SECONDS", 3)


def stale_generation_seconds() -> int:
    """After this long a generation that never finished (a worker died) may be retried."""
    return _int("DOCUMENTS_STALE_GENERATION_SECONDS", 600)
