"""The production processes, started for real: gunicorn, Celery worker and beat, a
throwaway redis-server, and a TCP proxy in front of PostgreSQL that a test can cut.

Nothing here touches the shared PostgreSQL on 5432 or Redis on 6379 beyond the test
database pytest-django made: outages are staged on throwaway servers and proxies.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import need_service, test_database_url
from tests.factories import UserFactory
from tests.waiting import free_port, wait_for

from .servers import RedisServer

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "ops-tests-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH"


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production process: DEBUG off, JSON logs."""
    unset = {"DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DEBUG="false",
        SECRET_KEY=PRODUCTION_SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_FORMAT="json",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


class Process:
    """A child process in its own process group, its output in a file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path):
        self.name = name
        self.url = ""
        self.log = log_dir / f"{name}-{time.monotonic_ns()}.log"
        with self.log.open("w") as out:
            self.popen = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            os.killpg(self.popen.pid, sig)

    def stop(self, timeout: float = 15) -> None:
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.popen.wait(timeout=5)

    def wait_for_output(self, pattern: str, timeout: float = 30) -> None:
        def seen() -> bool:
            if not self.alive():
                pytest.fail(f"{self.name} exited:\n{self.output()[-3000:]}")
            return re.search(pattern, self.output()) is not None

        wait_for(seen, timeout=timeout, message=f"{self.name}: no {pattern!r} in its output")


@pytest.fixture
def processes(tmp_path) -> Iterator[Callable[..., Process]]:
    """Start processes; every one still running is stopped after the test."""
    started: list[Process] = []

    def start(name: str, args: list[str], env: dict[str, str]) -> Process:
        process = Process(name, args, env, tmp_path)
        started.append(process)
        return process

    yield start
    for process in started:  # all at once: each takes a moment to shut down
        process.signal(signal.SIGTERM)
    for process in started:
        process.stop()


def start_web(start: Callable[..., Process], env: dict[str, str], workers: int = 2) -> Process:
    """gunicorn as the Dockerfile runs it, once /healthz answers (its URL in `.url`)."""
    port = free_port()
    web = start("gunicorn", [sys.executable, "-m", "gunicorn", "config.wsgi",
                       "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                       "--timeout", "30", "--graceful-timeout", "5",
                       "--access-logfile", "-"], env)  # fmt: skip
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return requests.get(f"{url}/healthz", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    wait_for(healthy, timeout=30, message="gunicorn did not answer /healthz")
    web.url = url
    return web


def start_worker(
    start: Callable[..., Process], env: dict[str, str], *extra: str, wait: bool = True
) -> Process:
    worker = start("worker", [sys.executable, "-m", "celery", "-A", "config", "worker",
                              "--loglevel=INFO", "--without-gossip", "--without-mingle",
                              "--without-heartbeat", "--concurrency=1", *extra], env)  # fmt: skip
    if wait:
        worker.wait_for_output(r"ready\.")
    return worker


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        need_service("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def postgres_test_database(postgres, transactional_db) -> str:
    """The URL of pytest-django's PostgreSQL test database, with committed data."""
    return test_database_url()


@pytest.fixture
def web_reader(settings, postgres_test_database):
    """A reader whose password the production processes can check (the suite's fast
    hasher is not one they accept)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    return UserFactory(role="Readers", username="reader")


def start_beat(start: Callable[..., Process], env: dict[str, str], directory: Path) -> Process:
    pidfile = f"--pidfile={directory / 'beat.pid'}"
    return start("beat", [sys.executable, "-m", "celery", "-A", "config", "beat",
                          "--loglevel=INFO", pidfile], env)  # fmt: skip


class Browser:
    """A client behind a TLS-terminating proxy: it says X-Forwarded-Proto: https, so the
    application runs with its production settings (secure __Host- cookies included),
    and it keeps cookies itself because they are Secure and the wire here is http."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"X-Forwarded-Proto": "https", **kwargs.pop("headers", {})}
        response = requests.request(
            method, self.base_url + path, headers=headers, cookies=self.cookies,
            allow_redirects=False, timeout=kwargs.pop("timeout", 10), **kwargs,
        )  # fmt: skip
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def sign_in(self, username: str, password: str) -> requests.Response:
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        origin = self.base_url.replace("http://", "https://")
        return self.request(
            "POST", "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{origin}/accounts/login/"},
        )  # fmt: skip
