"""Fixtures for the API tests: a plan in "Test Council", people in every role, tokens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from core.tokens.services import create_token
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    OrganisationFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def no_dns_queries(monkeypatch) -> None:
    """Webhook URLs are resolved when saved: answer from a fake DNS, never a real one."""
    from actions.webhooks import targets
    from tests.actions.webhooks.helpers import fake_getaddrinfo

    monkeypatch.setattr(targets, "getaddrinfo", fake_getaddrinfo)


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Rate-limit counters live in the cache: each test starts with none."""
    settings.API_THROTTLE_TOKEN_RATE = "100000/minute"
    settings.API_THROTTLE_USER_RATE = "100000/minute"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Test Council")


@pytest.fixture
def plan(council, owner):
    """An inspection with one recommendation and one action owned by `owner`."""
    inspection = InspectionFactory(local_authority=council)
    recommendation = RecommendationFactory(inspection=inspection)
    action = ActionFactory(recommendation=recommendation, owner=owner)
    return action


@pytest.fixture
def outsider(db):
    other = OrganisationFactory(name="Elsewhere Council")
    return UserFactory(role="Directors", username="outsider", organisation=other)


@pytest.fixture
def make_token() -> Callable[..., str]:
    def make(user, scope: str = "read-write", organisation=None) -> str:
        return create_token(
            name=f"{user.username} system", user=user, scope=scope, organisation=organisation
        )[1]

    return make


@pytest.fixture
def client_for(make_token) -> Callable[..., APIClient]:
    """An API client sending a new token of `user` with `scope` (None: anonymous)."""

    def make(user=None, scope: str = "read-write", organisation=None) -> APIClient:
        client = APIClient()
        if user is not None:
            secret = make_token(user, scope, organisation)
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make


@pytest.fixture
def full_plan(plan, director, officer, reader):
    """The plan with a progress update, a measure with a reading and link evidence."""
    from actions.models import Evidence

    ProgressUpdateFactory(action=plan, author=plan.owner)
    measure = MeasureFactory(action=plan)
    MeasureReadingFactory(measure=measure)
    Evidence.objects.create(
        action=plan, description="Audit", link="https://example.org/a", added_by=plan.owner
    )
    return plan
