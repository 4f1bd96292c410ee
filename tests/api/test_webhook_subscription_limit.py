"""One person holds at most WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON subscriptions."""

import pytest

from actions.webhooks.models import Subscription

pytestmark = pytest.mark.django_db


def test_a_subscription_past_the_limit_is_refused_with_a_clear_422(client_for, reader, settings):
    settings.WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON = 2
    api = client_for(reader)

    def subscribe(n: int):
        return api.post(
            "/api/v1/webhooks/",
            {"name": f"System {n}", "url": f"https://hooks.example.org/{n}"},
            format="json",
        )

    assert [subscribe(n).status_code for n in (1, 2)] == [201, 201]
    refused = subscribe(3)
    assert refused.status_code == 422 and refused.json()["code"] == "domain_rule"
    assert "You already have 2 webhook subscriptions" in str(refused.json())
    assert Subscription.objects.filter(owner=reader).count() == 2
    # Deleting one makes room again.
    Subscription.objects.filter(owner=reader).first().delete()
    assert subscribe(4).status_code == 201


def test_the_default_limit_is_twenty():
    from django.conf import settings

    assert settings.WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON == 20
