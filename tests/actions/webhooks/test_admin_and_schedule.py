"""Administrators' views of subscriptions and deliveries, and the sweep in the schedule."""

from __future__ import annotations

import pytest
from django_celery_beat.models import PeriodicTask

from actions.webhooks.models import Delivery, DeliveryStatus, Subscription
from config.celery import app
from core.models import AuditEntry

from .helpers import subscribe

pytestmark = pytest.mark.django_db
URL = "https://receiver.example.org/hooks"


def test_the_migration_schedules_the_sweep_every_minute():
    task = PeriodicTask.objects.select_related("crontab").get(task="webhooks.sweep")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("*", "*", "*")
    app.loader.import_default_modules()
    assert {"webhooks.sweep", "webhooks.deliver"} <= set(app.tasks)


def add_form(reader, url: str = URL) -> dict:
    return {
        "name": "Intranet",
        "owner": reader.pk,
        "url": url,
        "event_types": ["action.signed_off", "action.reopened"],
        "organisation": "",
        "active": "on",
    }


def test_an_administrator_adds_a_subscription_and_sees_its_secret_once(admin_client, reader):
    response = admin_client.post("/admin/webhooks/subscription/add/", add_form(reader))

    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert subscription.owner == reader
    assert subscription.event_types == ["action.signed_off", "action.reopened"]
    assert AuditEntry.objects.filter(verb="create_webhook").exists()
    page = admin_client.get(f"/admin/webhooks/subscription/{subscription.pk}/change/")
    assert page.status_code == 200 and subscription.secret not in page.content.decode()


def test_the_admin_refuses_a_receiver_inside_the_network(admin_client, reader, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    response = admin_client.post(
        "/admin/webhooks/subscription/add/", add_form(reader, "https://intranet.internal/hooks")
    )
    assert response.status_code == 200
    assert "private, loopback or reserved" in response.content.decode()
    assert not Subscription.objects.exists()


def test_admin_actions_pause_ping_and_rotate_through_the_services(admin_client, reader):
    subscription, secret = subscribe(reader, URL)
    changelist = "/admin/webhooks/subscription/"
    selected = {"_selected_action": [subscription.pk]}

    admin_client.post(changelist, {"action": "pause", **selected})
    subscription.refresh_from_db()
    assert not subscription.active and subscription.paused_reason.startswith("Paused by")

    admin_client.post(changelist, {"action": "send_ping", **selected})
    assert Delivery.objects.get().event_type == "webhook.ping"

    page = admin_client.post(changelist, {"action": "rotate_secrets", **selected})
    subscription.refresh_from_db()
    assert subscription.secret != secret and subscription.secret in page.content.decode()
    assert subscription.previous_secret == secret


def test_failed_deliveries_are_listed_read_only_and_can_be_sent_again(admin_client, reader):
    subscription, _ = subscribe(reader, URL)
    failed = Delivery.objects.create(
        subscription=subscription,
        event_type="action.completed",
        payload="{}",
        status=DeliveryStatus.FAILED,
        attempts=10,
        last_error="The receiver answered 503",
    )

    listing = admin_client.get("/admin/webhooks/delivery/?status=failed")
    assert listing.status_code == 200 and "action.completed" in listing.content.decode()
    detail = admin_client.get(f"/admin/webhooks/delivery/{failed.pk}/change/")
    assert detail.status_code == 200 and 'name="status"' not in detail.content.decode()

    admin_client.post(
        "/admin/webhooks/delivery/",
        {"action": "deliver_again", "_selected_action": [failed.pk]},
    )
    copy = Delivery.objects.exclude(pk=failed.pk).get()
    assert (copy.event_id, copy.redelivery, copy.status) == (failed.event_id, 1, "pending")
