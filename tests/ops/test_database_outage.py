"""PostgreSQL unavailable: pages and the API answer a clean 503 (never a traceback) and
the service recovers by itself when the database is back.

The outage is staged on a TCP proxy in front of the shared server, which the test cuts
and restores; the server itself is never stopped."""

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.db import OperationalError
from django.test import Client

from core.tokens.services import create_token
from tests.factories import TEST_PASSWORD
from tests.waiting import wait_for

from .conftest import Browser, production_env, start_web
from .servers import TcpProxy

UNAVAILABLE = "Sorry, the service is unavailable"


def test_a_database_error_in_a_view_becomes_a_503_page(client, reader, monkeypatch):
    client.force_login(reader)

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("core.views.dashboard_context", broken)
    response = client.get("/")

    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
    assert response["Retry-After"] == "30"
    assert "Traceback" not in response.content.decode()
    assert "default-src 'none'" in response["Content-Security-Policy"]


def failing_middleware(get_response):
    """Stands for a middleware that reads the database (sessions, sign-in) while it is down."""

    def middleware(request):
        raise OperationalError("server closed the connection unexpectedly")

    return middleware


def test_a_database_error_in_another_middleware_becomes_a_503_page_too(db, settings):
    position = settings.MIDDLEWARE.index("core.middleware.DatabaseUnavailableMiddleware") + 1
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:position],
        "tests.ops.test_database_outage.failing_middleware",
        *settings.MIDDLEWARE[position:],
    ]
    browser = Client(raise_request_exception=False)

    page = browser.get("/actions/")
    api = browser.get("/api/v1/actions/")

    assert page.status_code == 503
    assert UNAVAILABLE in page.content.decode()
    assert api.status_code == 503
    assert api["Content-Type"] == "application/problem+json"
    assert api.json()["status"] == 503


@pytest.mark.services
def test_postgresql_going_away_gives_clean_503s_and_the_service_recovers(
    postgres_test_database, web_reader, processes
):
    _, secret = create_token(name="Dashboard", user=web_reader, scope="read")
    database = urlsplit(postgres_test_database)
    proxy = TcpProxy((database.hostname, database.port or 5432))
    through_proxy = database._replace(netloc=f"{database.username}@127.0.0.1:{proxy.port}")
    env = production_env(DATABASE_URL=through_proxy.geturl(), DATABASE_CONNECT_TIMEOUT="2")
    web = start_web(processes, env)
    browser = Browser(web.url)
    assert browser.sign_in("reader", TEST_PASSWORD).status_code == 302
    assert browser.get("/").status_code == 200
    api_headers = {"Authorization": f"Bearer {secret}"}

    def burst():
        requests_to_make = [
            ("GET", "/", {}), ("GET", "/actions/", {}), ("GET", "/actions/mine/", {}),
            ("GET", "/api/v1/actions/", {"headers": api_headers}),
            ("GET", "/readyz", {}),
        ] * 8  # fmt: skip
        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(
                pool.map(lambda r: (r[1], browser.request(r[0], r[1], **r[2])), requests_to_make)
            )

    proxy.cut()
    try:
        responses = burst()
    finally:
        proxy.restore()

    for path, response in responses:
        assert response.status_code == 503, (path, response.status_code, response.text[:300])
        assert "Traceback" not in response.text
        assert response.elapsed.total_seconds() < 5, f"{path} took {response.elapsed}"
        if path.startswith("/api/"):
            assert response.headers["Content-Type"] == "application/problem+json"
            assert response.json()["code"] == "service_unavailable"
        elif path != "/readyz":
            assert UNAVAILABLE in response.text
    assert "Traceback" not in web.output()
    assert web.alive()

    # Back by itself: the same signed-in session works again, with no restart.
    wait_for(
        lambda: browser.get("/").status_code == 200, timeout=15,
        message="the service did not recover after the database came back",
    )  # fmt: skip
    assert browser.get("/api/v1/actions/", headers=api_headers).status_code == 200
    assert browser.get("/readyz").json()["checks"]["database"] == "ok"
