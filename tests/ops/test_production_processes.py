"""The production processes outside Docker, as docs/deployment.md runs them: gunicorn,
a Celery worker and exactly one Celery beat, on PostgreSQL and Redis."""

import datetime as dt
import json

import pytest
from celery import Celery
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from actions.models import Action
from core.logging import bind_request_id, unbind_request_id
from tests.factories import TEST_PASSWORD, ActionFactory
from tests.waiting import wait_for

from .conftest import Browser, production_env, start_beat, start_web, start_worker

pytestmark = pytest.mark.services


def test_web_worker_and_beat_serve_pages_and_run_scheduled_tasks(
    postgres_test_database, redis_server, processes, tmp_path, web_reader
):
    action = ActionFactory(due_date=timezone.localdate() - dt.timedelta(days=30))
    assert action.rag == "green"
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="RAG refresh (test)", task="actions.refresh_all_rags", interval=every_second
    )
    env = production_env(DATABASE_URL=postgres_test_database, REDIS_URL=redis_server.url)

    worker = start_worker(processes, env, wait=False)
    beat = start_beat(processes, env, tmp_path)
    web = start_web(processes, env)
    worker.wait_for_output(r"ready\.")
    browser = Browser(web.url)

    page = browser.get("/accounts/login/", headers={"X-Request-ID": "ops-test-1"})
    assert page.status_code == 200
    assert "Sign in" in page.text
    assert page.headers["X-Request-ID"] == "ops-test-1"
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert browser.sign_in("reader", TEST_PASSWORD).status_code == 302
    assert browser.get("/").status_code == 200

    # Beat schedules the nightly RAG refresh; the worker runs it against PostgreSQL.
    beat.wait_for_output("actions.refresh_all_rags")
    wait_for(
        lambda: Action.objects.get(pk=action.pk).rag == "red", timeout=30,
        message="the scheduled task did not run",
    )  # fmt: skip
    # A task enqueued while handling a request logs under that request's id.
    late = ActionFactory(due_date=timezone.localdate() - dt.timedelta(days=30))
    token = bind_request_id("trace-me-42")
    try:
        producer = Celery("ops-tests", broker=redis_server.url, set_as_current=False)
        producer.send_task("actions.refresh_rag", args=[late.pk])
        producer.close()
    finally:
        unbind_request_id(token)
    wait_for(
        lambda: any(
            line.get("request_id") == "trace-me-42" and "succeeded" in line.get("message", "")
            for line in json_lines(worker)
        ),
        timeout=20, message="the worker's log has no line with the request id",
    )  # fmt: skip

    # Production logs are JSON lines carrying the request id.
    web_lines = json_lines(web)
    sign_in = next(line for line in web_lines if line.get("event") == "sign_in")
    assert sign_in["username"] == "reader"
    assert len(sign_in["request_id"]) == 32


def json_lines(process) -> list[dict]:
    return [json.loads(line) for line in process.output().splitlines() if line.startswith("{")]
