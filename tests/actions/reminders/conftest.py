from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
import time_machine

from tests.brokers import broker
from tests.conftest import ROOT, need_service, test_database_url
from tests.waiting import free_port

from .mailbox import read_messages

POLICY = {
    "REMINDER_DAYS_BEFORE": [10, 5, 1],
    "REMINDER_ON_DUE_DATE": True,
    "REMINDER_OVERDUE_EVERY": 5,
    "REMINDER_ESCALATE_AFTER": 10,
    "REMINDER_PLAN_DAYS_BEFORE": [20, 10, 5, 1],
    "REMINDER_DIGEST_WEEKDAY": 0,
    "REMINDER_CATCH_UP_WORKING_DAYS": 10,
    "REMINDER_CHANNEL": "email",
    "SITE_URL": "https://plans.example.gov.uk",
}


@pytest.fixture(autouse=True)
def reminder_policy(settings) -> None:
    """The documented defaults, whatever the environment says."""
    for name, value in POLICY.items():
        setattr(settings, name, value)


class ThrowawayRedis:
    """A private redis-server on a loopback port, to stop, start, pause and resume."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("throwaway redis-server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.resume()
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def pause(self) -> None:
        """Hung: the port accepts connections, nothing answers."""
        assert self.proc
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGCONT)


@pytest.fixture
def mid_morning() -> Iterator[None]:
    """The clock at 10:00 on a working day, running: for tests that move it on by minutes
    and must stay on the same day, whenever they run. Not for tests with worker
    processes, which keep the real clock."""
    with time_machine.travel(dt.datetime(2024, 6, 10, 10, 0, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def throwaway_redis(redis_url) -> Iterator[ThrowawayRedis]:
    if shutil.which("redis-server") is None:
        need_service("redis-server is not installed (outage tests start their own)")
    server = ThrowawayRedis()
    try:
        yield server
    finally:
        server.stop()


def _private_db(url: str) -> str:
    """The same Redis, another database: workers of other test runs do not take our tasks."""
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path="/13"))


class ReminderWorker:
    """Real `celery worker` processes on Redis and the test database; e-mail to files."""

    def __init__(self, broker_url: str, maildir: Path) -> None:
        self.broker_url = broker_url
        self.maildir = maildir
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        from config.celery import app

        env = {
            **os.environ,
            "REDIS_URL": self.broker_url,
            "DATABASE_URL": test_database_url(),
            "DJANGO_SETTINGS_MODULE": "tests.actions.reminders.worker_settings",
            "REMINDER_TEST_MAILDIR": str(self.maildir),
            "SITE_URL": POLICY["SITE_URL"],
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=reminders-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 30
        with broker(self.broker_url):
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    pytest.fail(f"worker exited: {self.proc.stdout.read()}")
                if app.control.ping(timeout=0.5):
                    return
        pytest.fail("worker did not start within 30 seconds")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None

    def messages(self) -> list[dict[str, str]]:
        return read_messages(self.maildir)


@pytest.fixture
def reminder_worker(redis_url, postgres, transactional_db, tmp_path) -> Iterator[ReminderWorker]:
    """A worker with its own Redis database; this process publishes there too."""
    from config.celery import app

    url = _private_db(redis_url)
    maildir = tmp_path / "mail"
    maildir.mkdir()
    worker = ReminderWorker(url, maildir)
    with broker(url):
        app.control.purge()
        worker.start()
        try:
            yield worker
        finally:
            worker.stop()
