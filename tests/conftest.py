from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.brokers import broker
from tests.browser import browser, page  # noqa: F401 (fixtures for every test)
from tests.factories import UserFactory
from tests.object_storage import s3_bucket, s3_endpoint, s3_storage  # noqa: F401 (fixtures)
from tests.services import REQUIRE_SERVICES, need_service  # noqa: F401 (used by other tests)

ROOT = Path(__file__).resolve().parent.parent


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        need_service("REDIS_URL is not set (Redis-backed tests need it)")
    if not _reachable(url):
        need_service(f"Redis is not reachable at {url}")
    return url


@pytest.fixture
def postgres(settings) -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        need_service("DATABASE_URL does not point at PostgreSQL")


def test_database_url() -> str:
    """The URL of the database pytest-django created, for subprocesses."""
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@pytest.fixture
def celery_worker_process(redis_url: str, postgres, transactional_db) -> Iterator[subprocess.Popen]:
    """A real Celery worker process on Redis and the test database."""
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DATABASE_URL": test_database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    proc = subprocess.Popen(
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
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    from config.celery import app

    # Publish from this process to the same broker, whatever earlier tests pointed at
    # (shared tasks publish through the current app: make it ours).
    app.set_current()
    try:
        with broker(redis_url):
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    pytest.fail(f"worker exited: {proc.stdout.read()}")
                if app.control.ping(timeout=0.5):
                    break
            else:
                pytest.fail("worker did not start within 30 seconds")
            yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def director(db):
    return UserFactory(role="Directors", username="director")


@pytest.fixture
def officer(db):
    return UserFactory(role="Policy officers", username="officer")


@pytest.fixture
def owner(db):
    return UserFactory(role="Action owners", username="owner")


@pytest.fixture
def reader(db):
    return UserFactory(role="Readers", username="reader")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Strong hashing is slow by design; tests only need passwords that check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in the calling process (for tests about what a task does)."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path) -> None:
    """Uploads in tests go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
