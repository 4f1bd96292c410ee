"""A real worker on a real Redis and PostgreSQL: the shape production runs."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from actions.models import Action
from actions.tasks import refresh_rag
from tests.factories import ActionFactory

pytestmark = pytest.mark.services


def test_a_real_worker_runs_tasks_from_redis_against_the_database(celery_worker_process):
    from config.celery import app

    assert app.conf.broker_url.startswith("redis://")
    action = ActionFactory(due_date=timezone.localdate() - dt.timedelta(days=30))
    assert action.rag == "green"

    refresh_rag.delay(action.pk)

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        action.refresh_from_db()
        if action.rag == "red":
            break
        time.sleep(0.2)
    assert action.rag == "red", "the worker did not run the task"
    assert "working days overdue" in Action.objects.get(pk=action.pk).rag_reason
