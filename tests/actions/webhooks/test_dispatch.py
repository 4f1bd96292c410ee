"""The sweep: what is due now is handed out once, whatever runs at the same time, and a
broker outage loses nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from actions.webhooks import dispatch, tasks
from actions.webhooks.models import Delivery, DeliveryStatus, EventType
from core.tokens.services import create_token
from tests.brokers import broker
from tests.concurrency import at_once, raised
from tests.factories import ActionFactory, InspectionFactory, RecommendationFactory
from tests.waiting import free_port

from .helpers import subscribe

URL = "https://receiver.example.org/hooks"


@pytest.fixture
def published(monkeypatch) -> list[int]:
    """Ids the sweep publishes (the broker itself is not needed to count them)."""
    sent: list[int] = []
    lock = threading.Lock()

    def record(args, **kwargs):
        with lock:
            sent.append(args[0])

    monkeypatch.setattr(tasks.deliver_webhook, "apply_async", record)
    return sent


@pytest.fixture(autouse=True)
def broker_trusted_again():
    yield
    dispatch._broker_down_until = 0.0


def pending(subscription, **fields) -> Delivery:
    fields.setdefault("next_attempt_at", timezone.now())
    return Delivery.objects.create(
        subscription=subscription,
        event_id=uuid.uuid4(),
        event_type=fields.pop("event_type", EventType.ACTION_UPDATED),
        payload="{}",
        **fields,
    )


@pytest.mark.django_db
def test_the_sweep_hands_out_what_is_due_and_nobody_holds(reader, published):
    subscription, _ = subscribe(reader, URL)
    paused, _ = subscribe(reader, URL)
    paused.active = False
    paused.save()
    now = timezone.now()
    long_ago = now - dt.timedelta(hours=1)
    due = pending(subscription)
    lost = pending(subscription, enqueued_at=long_ago)  # its task was lost
    dead_worker = pending(subscription, enqueued_at=long_ago, claimed_at=long_ago)
    ping = pending(paused, event_type=EventType.PING)
    pending(subscription, next_attempt_at=now + dt.timedelta(minutes=5))  # a later retry
    pending(subscription, enqueued_at=now)  # in the queue already
    pending(subscription, claimed_at=now)  # being posted
    pending(paused)  # waits for the subscription to resume
    pending(subscription, status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None)

    assert dispatch.sweep() == 4
    assert sorted(published) == sorted([due.pk, lost.pk, dead_worker.pk, ping.pk])
    assert dispatch.sweep() == 0  # marked as handed out: not again
    assert len(published) == 4


@pytest.mark.django_db
def test_the_due_query_is_served_by_the_partial_index(postgres):
    due = Delivery.objects.filter(dispatch.waiting(timezone.now())).order_by(
        "next_attempt_at", "id"
    )[:500]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # as on a table of many rows
    assert "webhook_delivery_due_idx" in due.explain()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_hand_out_each_delivery_once(postgres, reader, published):
    subscription, _ = subscribe(reader, URL)
    ids = [pending(subscription).pk for _ in range(120)]
    outcomes = at_once(dispatch.sweep, dispatch.sweep)

    assert raised(outcomes) == []
    assert sorted(published) == sorted(ids)  # every one, each exactly once


@contextlib.contextmanager
def dead_broker():
    """The Celery app points at a port where nothing listens, for the block."""

    with broker(f"redis://127.0.0.1:{free_port()}/0"):
        yield


@pytest.mark.django_db(transaction=True)
def test_a_change_made_while_the_broker_is_down_is_saved_and_sent_by_the_next_sweep(
    reader, owner, monkeypatch
):
    action = ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory()), owner=owner
    )
    subscribe(reader, URL)
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION="Bearer " + create_token(name="s", user=owner, scope="read-write")[1]
    )
    with dead_broker():
        started = time.monotonic()
        response = client.post(
            f"/api/v1/actions/{action.pk}/progress-updates/", {"text": "Two teams trained"}
        )
        took = time.monotonic() - started
    assert response.status_code == 201 and took < 3
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.enqueued_at is None

    sent: list[int] = []
    monkeypatch.setattr(
        tasks.deliver_webhook, "apply_async", lambda args, **kwargs: sent.append(args[0])
    )
    assert dispatch.sweep() == 1 and sent == [delivery.pk]


@pytest.mark.django_db
def test_finished_deliveries_past_the_retention_period_are_deleted(reader, settings):
    settings.WEBHOOK_LOG_RETENTION_DAYS = 30
    subscription, _ = subscribe(reader, URL)
    now = timezone.now()
    old = pending(subscription, status=DeliveryStatus.FAILED, next_attempt_at=None)
    still_trying = pending(subscription)
    recent = pending(subscription, status=DeliveryStatus.FAILED, next_attempt_at=None)
    Delivery.objects.filter(pk__in=[old.pk, still_trying.pk]).update(
        created_at=now - dt.timedelta(days=31)
    )

    assert dispatch.purge_finished() == 1
    assert set(Delivery.objects.values_list("pk", flat=True)) == {still_trying.pk, recent.pk}
