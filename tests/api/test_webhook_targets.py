"""The API refuses webhook receivers at IPv6 addresses that carry a private IPv4 address."""

from __future__ import annotations

import pytest

from actions.webhooks.models import Subscription
from tests.actions.webhooks.test_ipv6_targets import HIDDEN_PRIVATE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("address", HIDDEN_PRIVATE.values(), ids=HIDDEN_PRIVATE.keys())
def test_the_api_refuses_them_with_the_field_named(client_for, reader, settings, address):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    response = client_for(reader).post(
        "/api/v1/webhooks/", {"name": "Dashboard", "url": f"https://[{address}]/hooks"}
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "url" and "private, loopback or reserved" in error["message"]
    assert not Subscription.objects.exists()
