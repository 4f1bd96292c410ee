"""A rate limiter whose cache is down lets requests through instead of failing them."""

from django.core.cache import cache

from tests.factories import UserFactory


def test_the_api_serves_when_the_rate_limit_cache_is_down(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "get", broken)
    client.force_login(UserFactory(role="Readers"))
    response = client.get("/api/v1/actions/")
    assert response.status_code == 200
