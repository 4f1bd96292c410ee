"""Log lines that a collector can read: JSON with the request id, or plain text.

The request id comes from the X-Request-ID header (set by the load balancer) or is made
here (core.middleware.RequestIdMiddleware). It sits in a context variable, so every log
line written while a request is handled carries it, whichever module writes the line;
tasks enqueued during the request carry it to the worker too.

This module is loaded while logging is configured, before the apps are ready: it may
import the standard library and Celery, never Django models.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from typing import Any

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# What a caller may send as an id: short, printable, no spaces (ids end up in log lines).
_VALID_ID = re.compile(r"[A-Za-z0-9._:@-]{1,128}")

# Attributes every LogRecord has; anything else on a record was passed with `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(value: str | None) -> str:
    """The caller's id if it is safe to log, else a new one."""
    if value and _VALID_ID.fullmatch(value):
        return value
    return new_request_id()


def current_request_id() -> str:
    return _request_id.get()


def bind_request_id(value: str) -> contextvars.Token[str]:
    return _request_id.set(value)


def unbind_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (for the plain format's %(request_id)s)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, any
    `extra=` fields, and the traceback as one string when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def _connect_celery_signals() -> None:
    """Carry the request id from the web process to the tasks it enqueues, and use the
    task's id in a worker when there is no request id."""
    try:
        from celery import signals
    except ImportError:  # pragma: no cover - Celery is a dependency
        return

    @signals.before_task_publish.connect(weak=False)
    def _stamp(headers: dict | None = None, **kwargs: Any) -> None:
        if headers is not None and current_request_id() != "-":
            headers.setdefault("request_id", current_request_id())

    @signals.task_prerun.connect(weak=False)
    def _bind(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
        request = getattr(task, "request", None)
        value = getattr(request, "request_id", None) or task_id or new_request_id()
        task._request_id_token = bind_request_id(clean_request_id(value))

    @signals.task_postrun.connect(weak=False)
    def _unbind(task: Any = None, **kwargs: Any) -> None:
        token = getattr(task, "_request_id_token", None)
        if token is not None:
            task._request_id_token = None
            try:
                unbind_request_id(token)
            except ValueError:  # bound in another context (eager tasks in tests)
                bind_request_id("-")


_connect_celery_signals()
