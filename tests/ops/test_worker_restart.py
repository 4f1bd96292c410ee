"""Workers stop without losing tasks (acks_late and reject_on_worker_lost).

- A worker killed mid-task (SIGKILL: out of memory, host lost): the task stays
  unacknowledged in Redis and is delivered again once the visibility timeout passes; the
  restarted worker completes it.
- A worker stopped mid-task (SIGTERM, as `docker compose stop` or a rolling deploy do,
  with REMAP_SIGTERM=SIGQUIT): the running task gets CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT
  seconds, then goes back to the queue at once for the next worker.
"""

import signal
import time

import pytest
from celery import Celery

from tests.waiting import wait_for

from .conftest import production_env, start_worker

pytestmark = pytest.mark.services


def worker_env(redis_url: str, tmp_path, **extra: str) -> dict[str, str]:
    return production_env(
        REDIS_URL=redis_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        DJANGO_SETTINGS_MODULE="tests.ops.worker_settings",
        **extra,
    )


def send_slow_task(redis_url: str, marker) -> None:
    producer = Celery("ops-tests", broker=redis_url, set_as_current=False)
    producer.send_task("ops.slow_write", args=[str(marker)])
    producer.close()


def test_a_task_of_a_killed_worker_is_delivered_again_and_completed(
    redis_server, processes, tmp_path
):
    env = worker_env(redis_server.url, tmp_path)
    marker = tmp_path / "task.txt"
    first = start_worker(processes, env, "--include=tests.ops.tasks")
    send_slow_task(redis_server.url, marker)
    wait_for(lambda: marker.exists(), timeout=15, message="the task did not start")

    first.signal(signal.SIGKILL)
    first.popen.wait(timeout=5)
    assert "done" not in marker.read_text()
    time.sleep(3.5)  # the visibility timeout of tests/ops/worker_settings.py

    start_worker(processes, env, "--include=tests.ops.tasks")
    wait_for(
        lambda: "done" in marker.read_text(), timeout=20,
        message="the restarted worker did not complete the task",
    )  # fmt: skip
    assert marker.read_text().split() == ["start", "start", "done"]


def test_a_stopped_worker_puts_its_running_task_back_at_once(redis_server, processes, tmp_path):
    env = worker_env(
        redis_server.url, tmp_path,
        REMAP_SIGTERM="SIGQUIT", CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT="1",
    )  # fmt: skip
    # An hour's visibility timeout, as in production: redelivery must not rely on it.
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    marker = tmp_path / "task.txt"
    first = start_worker(processes, env, "--include=tests.ops.tasks", "--pool=prefork")
    send_slow_task(redis_server.url, marker)
    wait_for(lambda: marker.exists(), timeout=15, message="the task did not start")

    started = time.monotonic()
    first.signal(signal.SIGTERM)
    first.popen.wait(timeout=20)
    assert time.monotonic() - started < 15, "the worker did not stop promptly"
    assert "done" not in marker.read_text()

    start_worker(processes, env, "--include=tests.ops.tasks", "--pool=prefork")
    wait_for(
        lambda: "done" in marker.read_text(), timeout=20,
        message="the task was not put back in the queue",
    )  # fmt: skip
    assert marker.read_text().split() == ["start", "start", "done"]
