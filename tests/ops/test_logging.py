"""Structured logs: a request id on every response and every log line, JSON lines a
collector can read, and the id carried from a request to the tasks it enqueues."""

import json
import logging
import re
import sys
from types import SimpleNamespace

from celery import signals

from core.logging import (
    JsonFormatter,
    RequestIdFilter,
    bind_request_id,
    current_request_id,
    unbind_request_id,
)


def test_every_response_carries_a_request_id(client, db):
    response = client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert client.get("/healthz")["X-Request-ID"] != response["X-Request-ID"]


def test_the_load_balancers_request_id_is_kept(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert response["X-Request-ID"] == "lb-7f3a.42"


def test_an_unsafe_request_id_is_replaced(client, db):
    for bad in ["has spaces", "new\nline", "x" * 200, "<script>"]:
        response = client.get("/healthz", HTTP_X_REQUEST_ID=bad)
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"]), bad


def test_the_request_id_is_unbound_after_the_request(client, db):
    client.get("/healthz", HTTP_X_REQUEST_ID="only-during-the-request")
    assert current_request_id() == "-"


def record(message="hello", **extra):
    rec = logging.LogRecord("core.test", logging.WARNING, __file__, 1, message, None, None)
    rec.__dict__.update(extra)
    return rec


def test_json_lines_hold_time_level_logger_message_request_id_and_extras():
    token = bind_request_id("abc123")
    try:
        rec = record("sign-in failed", username="reader", ip="192.0.2.1")
        RequestIdFilter().filter(rec)
        line = json.loads(JsonFormatter().format(rec))
    finally:
        unbind_request_id(token)
    assert line["level"] == "WARNING"
    assert line["logger"] == "core.test"
    assert line["message"] == "sign-in failed"
    assert line["request_id"] == "abc123"
    assert (line["username"], line["ip"]) == ("reader", "192.0.2.1")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])


def test_a_traceback_stays_inside_one_json_line():
    try:
        raise ValueError("boom")
    except ValueError:
        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    text = JsonFormatter().format(rec)
    assert "\n" not in text
    assert "ValueError: boom" in json.loads(text)["exception"]


def test_outside_a_request_the_id_is_a_dash():
    rec = record()
    RequestIdFilter().filter(rec)
    assert rec.request_id == "-"


class FakeTask:
    """What the signal handlers read from a Celery task: its request's headers."""

    def __init__(self, **headers):
        self.request = SimpleNamespace(**headers)


def test_tasks_carry_the_request_id_of_the_request_that_enqueued_them():
    headers: dict = {}
    token = bind_request_id("req-42")
    try:
        signals.before_task_publish.send(sender="actions.refresh_rag", headers=headers)
    finally:
        unbind_request_id(token)
    assert headers["request_id"] == "req-42"

    task = FakeTask(request_id=headers["request_id"])
    signals.task_prerun.send(sender=task, task_id="task-1", task=task)
    assert current_request_id() == "req-42"
    signals.task_postrun.send(sender=task, task_id="task-1", task=task)
    assert current_request_id() == "-"


def test_a_scheduled_task_uses_its_own_id():
    task = FakeTask()
    signals.task_prerun.send(sender=task, task_id="3f2c-task", task=task)
    assert current_request_id() == "3f2c-task"
    signals.task_postrun.send(sender=task, task_id="3f2c-task", task=task)
