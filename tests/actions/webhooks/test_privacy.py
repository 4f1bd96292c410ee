"""A person's webhook subscriptions in their personal data export, without the secrets;
a person whose data is removed sends nothing more."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from actions import services
from actions.webhooks import services as webhooks
from actions.webhooks.models import Delivery
from tests.factories import ActionFactory

from .helpers import subscribe

pytestmark = pytest.mark.django_db


def test_the_export_lists_subscriptions_but_never_their_signing_secrets(reader, tmp_path):
    subscription, secret = subscribe(reader, "https://receiver.example.org/hooks")
    webhooks.rotate_secret(subscription=subscription, by=reader)
    path = tmp_path / "export.json"

    call_command("export_personal_data", reader.username, "--output", str(path))

    text = path.read_text()
    [row] = json.loads(text)["related"]["webhooks.Subscription.owner"]
    assert row["url"] == "https://receiver.example.org/hooks"
    assert "secret" not in row and "previous_secret" not in row
    assert secret not in text and "whsec_" not in text


def test_after_removing_a_persons_data_their_subscriptions_receive_nothing(reader, owner):
    action = ActionFactory(owner=owner)
    subscribe(reader, "https://receiver.example.org/hooks")

    call_command("remove_personal_data", reader.username, "--no-input")
    services.record_progress(action=action, by=owner, text="Two teams trained")

    assert not Delivery.objects.exists()
