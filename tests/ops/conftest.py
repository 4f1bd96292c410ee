"""The production processes, started for real: gunicorn, Celery worker and beat, a
throwaway redis-server, and a TCP proxy in front of PostgreSQL that a test can cut.

Nothing here touches the shared PostgreSQL on 5432 or Redis on 6379 beyond the test
database pytest-django made: outages are staged on throwaway servers and proxies.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import need_service, test_database_url
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "ops-tests-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate: Callable[[], Any], *, timeout: float, message: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(message)


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


class RedisServer:
    """A redis-server of our own on a free port, which a test may stop and start."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

        def up() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_for(up, timeout=10, message="the throwaway redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        need_service("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target; `cut()` drops every connection and refuses
    new ones (like a database host going away), `restore()` listens again."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self.lock:
            if self.listener is not None:
                # shutdown() wakes the thread blocked in accept(); close() alone would
                # leave the socket listening until that accept() returned.
                with contextlib.suppress(OSError):
                    self.listener.shutdown(socket.SHUT_RDWR)
                self.listener.close()
                self.listener = None
            for conn in self.connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self.connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by cut()
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                if self.listener is not listener:  # cut while this one was connecting
                    client.close()
                    upstream.close()
                    return
                self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for conn in (source, sink):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)


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
