"""Redis unavailable (a throwaway redis-server of the test's own, killed): pages and the
API still serve, quickly, and /readyz reports the broker without failing."""

import time

import pytest

from core.tokens.services import create_token
from tests.factories import TEST_PASSWORD, ActionFactory

from .conftest import Browser, production_env, start_web

pytestmark = pytest.mark.services


def test_pages_and_the_api_serve_while_redis_is_down(
    postgres_test_database, redis_server, web_reader, processes
):
    action = ActionFactory()
    _, secret = create_token(name="Dashboard", user=web_reader, scope="read")
    env = production_env(DATABASE_URL=postgres_test_database, REDIS_URL=redis_server.url)
    web = start_web(processes, env)
    browser = Browser(web.url)
    assert browser.sign_in("reader", TEST_PASSWORD).status_code == 302
    assert browser.get("/readyz").json()["checks"]["broker"] == "ok"

    redis_server.stop()

    api = {"Authorization": f"Bearer {secret}"}
    for path, headers in [
        ("/", {}), ("/actions/", {}), (f"/actions/{action.pk}/", {}), ("/actions/mine/", {}),
        ("/api/v1/actions/", api), (f"/api/v1/actions/{action.pk}/", api),
    ]:  # fmt: skip
        started = time.monotonic()
        response = browser.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        assert time.monotonic() - started < 3, f"{path} waited on the broker"
    ready = browser.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"
    assert ready.json()["checks"]["broker"] != "ok"
    assert "Traceback" not in web.output()
