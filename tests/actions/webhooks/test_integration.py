"""A real Celery worker on Redis and PostgreSQL posting to a real receiver: the shape
production runs, from a change made through the API to a verified event."""

from __future__ import annotations

import time

import pytest
from rest_framework.test import APIClient

from actions import services
from actions.webhooks import tasks
from actions.webhooks.models import Delivery, DeliveryStatus
from core.tokens.services import create_token
from tests.brokers import broker
from tests.factories import ActionFactory, InspectionFactory, RecommendationFactory
from tests.waiting import wait_for

from .helpers import subscribe
from .receiver import Reply

pytestmark = pytest.mark.services


@pytest.fixture
def worker(monkeypatch, redis_url, postgres, transactional_db, request):
    """The worker, with retries a second apart instead of a minute, and an empty queue."""
    from config.celery import app

    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "1")
    monkeypatch.setenv("WEBHOOK_RETRY_MAX_SECONDS", "1")
    with broker(redis_url):
        app.control.purge()  # nothing left over from other runs
    return request.getfixturevalue("celery_worker_process")


@pytest.fixture
def action(owner):
    recommendation = RecommendationFactory(inspection=InspectionFactory())
    return ActionFactory(recommendation=recommendation, owner=owner)


def delivered() -> bool:
    rows = list(Delivery.objects.values_list("status", flat=True))
    return bool(rows) and all(status == DeliveryStatus.DELIVERED for status in rows)


def test_a_change_through_the_api_reaches_the_receiver_signed(worker, receiver, reader, action):
    subscription, secret = subscribe(reader, receiver.url)
    receiver.secrets.append(secret)
    client = APIClient()
    token = create_token(name="tracker", user=action.owner, scope="read-write")[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = client.post(
        f"/api/v1/actions/{action.pk}/progress-updates/", {"text": "Two teams trained"}
    )
    assert response.status_code == 201

    wait_for(lambda: receiver.events(), message="the worker did not deliver the event")
    wait_for(delivered)
    [event] = receiver.events()
    assert event["type"] == "action.progress_recorded"
    assert event["data"]["progress_update"]["text"] == "Two teams trained"
    assert event["data"]["action"] == client.get(f"/api/v1/actions/{action.pk}/").json()
    assert Delivery.objects.get().subscription == subscription
    assert len(receiver.received) == 1


def test_a_failed_attempt_is_retried_by_the_sweep_and_delivered_once(
    worker, receiver, reader, action
):
    _, secret = subscribe(reader, receiver.url)
    receiver.secrets.append(secret)
    receiver.script(Reply(500, b"restarting"))

    services.record_progress(action=action, by=action.owner, text="Two teams trained")

    wait_for(lambda: Delivery.objects.filter(attempts=1, last_response_status=500).exists())
    assert Delivery.objects.get().status == DeliveryStatus.PENDING

    def sweep_and_check() -> bool:
        tasks.sweep_webhooks.delay()  # what beat does every minute
        time.sleep(0.5)
        return delivered()

    wait_for(sweep_and_check, message="the sweep did not retry the delivery")
    time.sleep(1)  # a second sweep or a redelivered message would post again now

    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert second.error == "" and len(receiver.events()) == 2
    delivery = Delivery.objects.get()
    assert delivery.attempts == 2
    assert list(delivery.attempt_log.values_list("response_status", flat=True)) == [500, 204]
