"""Posting to a real receiver on 127.0.0.1: signatures, retries, backoff, giving up,
pausing, and what is never sent."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import ssl
import subprocess

import pytest
import standardwebhooks
from django.utils import timezone

from actions import services
from actions.webhooks import delivery as delivering
from actions.webhooks import services as webhook_services
from actions.webhooks import targets, transport
from actions.webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus
from core.errors import DomainError
from core.models import AuditEntry
from tests.concurrency import at_once
from tests.factories import ActionFactory, InspectionFactory, RecommendationFactory
from tests.waiting import free_port

from .helpers import fake_getaddrinfo, run_due, subscribe, time_has_come
from .receiver import BadSignature, Receiver, Reply, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(owner):
    recommendation = RecommendationFactory(inspection=InspectionFactory())
    return ActionFactory(recommendation=recommendation, owner=owner)


@pytest.fixture
def subscription(reader, receiver):
    made, secret = subscribe(reader, receiver.url)
    receiver.secrets.append(secret)
    return made


def progress(action, text: str = "Two teams trained") -> None:
    services.record_progress(action=action, by=action.owner, text=text)


def test_a_delivery_reaches_the_receiver_signed_as_the_specification_says(
    action, subscription, receiver
):
    progress(action)

    assert run_due() == ["delivered"]

    [received] = receiver.received
    assert received.error == ""
    delivery = Delivery.objects.get()
    assert received.headers["webhook-id"] == str(delivery.event_id)
    assert received.headers["Content-Type"] == "application/json"
    assert received.event["type"] == "action.progress_recorded"
    assert received.event["data"]["action"]["id"] == action.pk
    assert (delivery.status, delivery.attempts, delivery.last_response_status) == (
        DeliveryStatus.DELIVERED,
        1,
        204,
    )
    [attempt] = delivery.attempt_log.all()
    assert attempt.response_status == 204 and attempt.error == "" and attempt.duration_ms >= 0


def test_the_standard_webhooks_reference_library_accepts_the_signature(
    action, subscription, receiver
):
    progress(action)
    run_due()
    [received] = receiver.received
    event = standardwebhooks.Webhook(receiver.secrets[0]).verify(received.body, received.headers)
    assert event["type"] == "action.progress_recorded"


def test_the_receivers_check_refuses_a_changed_body_another_secret_or_an_old_timestamp(
    action, subscription, receiver
):
    progress(action)
    run_due()
    [received] = receiver.received
    secret = receiver.secrets[0]
    with pytest.raises(BadSignature):
        verify(secret=secret, headers=received.headers, body=received.body.replace(b"Two", b"Six"))
    with pytest.raises(BadSignature):
        verify(
            secret=webhook_services.signing.new_secret(),
            headers=received.headers,
            body=received.body,
        )
    old = {
        **received.headers,
        "webhook-timestamp": str(int(received.headers["webhook-timestamp"]) - 600),
    }
    with pytest.raises(BadSignature):
        verify(secret=secret, headers=old, body=received.body)


def test_a_500_is_retried_later_with_the_same_message_then_delivered(
    action, subscription, receiver
):
    receiver.script(Reply(500, b"database is down"))
    progress(action)

    before = timezone.now()
    assert run_due() == ["retry"]
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_response_status == 500 and "500" in delivery.last_error
    # The first retry waits between half of and the whole base delay (60 s).
    assert before + dt.timedelta(seconds=29) < delivery.next_attempt_at
    assert delivery.next_attempt_at < timezone.now() + dt.timedelta(seconds=61)
    assert run_due() == []  # not due yet

    time_has_come()
    assert run_due() == ["delivered"]

    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body and second.error == ""
    attempts = list(Delivery.objects.get().attempt_log.values_list("number", "response_status"))
    assert attempts == [(1, 500), (2, 204)]
    assert DeliveryAttempt.objects.get(number=1).response_body == "database is down"


def test_a_receiver_that_does_not_answer_in_time_is_retried(
    action, subscription, receiver, settings
):
    settings.WEBHOOK_READ_TIMEOUT = 0.3
    receiver.script(Reply(204, delay=1.5))
    progress(action)

    assert run_due() == ["retry"]
    delivery = Delivery.objects.get()
    assert delivery.last_response_status is None
    assert delivery.last_error.startswith("Timed out")
    assert delivery.attempt_log.get().duration_ms < 1400

    time_has_come()
    assert run_due() == ["delivered"]


def test_an_unreachable_receiver_is_retried(action, reader):
    subscribe(reader, f"http://127.0.0.1:{free_port()}/hooks")  # nothing listens there
    progress(action)
    assert run_due() == ["retry"]
    assert "ConnectionError" in Delivery.objects.get().last_error


def test_the_backoff_doubles_up_to_the_cap_with_jitter(settings):
    rng = random.Random(7)
    ceilings = [min(6 * 3600, 60 * 2 ** (n - 1)) for n in range(1, 13)]
    delays = [delivering.retry_delay(n, rng).total_seconds() for n in range(1, 13)]
    for ceiling, delay in zip(ceilings, delays, strict=True):
        assert ceiling / 2 <= delay <= ceiling
    assert ceilings[:4] == [60, 120, 240, 480] and ceilings[-1] == 6 * 3600
    # Jitter: two senders retrying after the same failure do not come back together.
    other = [delivering.retry_delay(n, random.Random(8)).total_seconds() for n in range(1, 13)]
    assert other != delays
    # The documented default schedule: about 8.5 hours at most over 10 attempts.
    assert sum(ceilings[:9]) == 60 * (2**9 - 1)


def test_after_the_last_attempt_it_fails_and_a_failing_subscription_is_paused(
    action, subscription, receiver, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 2
    receiver.script(*[Reply(503)] * 10)
    progress(action, "First")
    progress(action, "Second")

    outcomes = []
    for _ in range(3):
        outcomes += run_due()
        time_has_come()

    assert outcomes == ["retry", "retry", "retry", "retry", "failed", "failed"]
    assert list(Delivery.objects.values_list("status", "attempts")) == [("failed", 3)] * 2
    subscription.refresh_from_db()
    assert not subscription.active and subscription.consecutive_failures == 2
    assert "after 2 deliveries in a row failed" in subscription.paused_reason
    assert AuditEntry.objects.filter(verb="pause_webhook", actor=None).exists()
    progress(action, "Third")  # while paused: no delivery is recorded
    assert Delivery.objects.count() == 2 and len(receiver.received) == 6


def test_a_delivered_event_resets_the_count_of_failures(action, subscription, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.script(Reply(500))
    progress(action, "First")
    progress(action, "Second")
    assert sorted(run_due()) == ["delivered", "failed"]
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0 and subscription.active


def test_redirects_are_not_followed(action, subscription, receiver):
    receiver.script(Reply(302, headers={"Location": receiver.url + "/moved"}))
    progress(action)
    assert run_due() == ["retry"]
    assert len(receiver.received) == 1
    assert "Redirects are not followed" in Delivery.objects.get().last_error


def test_the_answer_kept_in_the_log_is_cut_short(action, subscription, receiver):
    receiver.script(Reply(200, b"x" * 50_000))
    progress(action)
    assert run_due() == ["delivered"]
    assert len(DeliveryAttempt.objects.get().response_body) == 1000


def test_private_and_loopback_receivers_are_refused_by_default(action, reader, receiver, settings):
    subscribe(reader, receiver.url)  # allowed while saving
    settings.WEBHOOK_ALLOWED_NETWORKS = []

    with pytest.raises(DomainError, match="private, loopback or reserved") as refused:
        subscribe(reader, receiver.url)
    assert refused.value.field == "url"
    for url in (
        "https://intranet.internal/h",
        "https://metadata.internal/latest",
        "https://[::1]/",
    ):
        with pytest.raises(DomainError):
            subscribe(reader, url)

    progress(action)
    assert run_due() == ["retry"]
    assert Delivery.objects.get().last_error.startswith("Refused")
    assert receiver.received == []


def test_a_name_that_later_resolves_to_a_private_address_is_refused_when_sending(
    action, reader, receiver, settings, monkeypatch
):
    port = receiver.server.server_port
    subscribe(reader, f"http://rebind.example.org:{port}/hooks")  # public when saved
    settings.WEBHOOK_ALLOWED_NETWORKS = []

    def rebound(host, *args, **kwargs):
        return fake_getaddrinfo(
            "127.0.0.1" if host == "rebind.example.org" else host, *args, **kwargs
        )

    monkeypatch.setattr(targets, "getaddrinfo", rebound)
    progress(action)

    assert run_due() == ["retry"]
    assert "127.0.0.1" in Delivery.objects.get().last_error
    assert receiver.received == []


@pytest.fixture
def tls_receiver(tmp_path, settings):
    """A receiver on https://localhost with a certificate no public authority signed."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
    server = Receiver(tls=context).start()
    try:
        yield server, cert
    finally:
        server.stop()


def test_https_receivers_are_checked_against_their_host_name(
    action, reader, tls_receiver, monkeypatch
):
    server, cert = tls_receiver
    _, secret = subscribe(reader, server.url)
    server.secrets.append(secret)
    progress(action)

    assert run_due() == ["retry"]  # a certificate nobody vouches for is not trusted
    assert "CERTIFICATE_VERIFY_FAILED" in Delivery.objects.get().last_error
    assert server.received == []

    make_session = transport._session

    def trusting_the_receivers_certificate():
        session = make_session()
        session.verify = str(cert)  # as a council's own certificate authority would be
        return session

    monkeypatch.setattr(transport, "_session", trusting_the_receivers_certificate)
    time_has_come()
    assert run_due() == ["delivered"]
    [event] = server.events()
    assert event["type"] == "action.progress_recorded"


def test_https_is_required_unless_allowed(reader, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(DomainError, match="https"):
        subscribe(reader, "http://receiver.example.org/hooks")
    with pytest.raises(DomainError, match="credentials"):
        subscribe(reader, "https://user:pass@receiver.example.org/hooks")
    subscription, _ = subscribe(reader, "https://receiver.example.org/hooks")
    assert subscription.url == "https://receiver.example.org/hooks"


def test_a_duplicate_task_posts_nothing(action, subscription, receiver):
    progress(action)
    [delivery_id] = Delivery.objects.values_list("pk", flat=True)
    assert delivering.deliver(delivery_id=delivery_id) == "delivered"
    assert delivering.deliver(delivery_id=delivery_id) == "not claimed"
    assert delivering.deliver(delivery_id=delivery_id + 1000) == "not claimed"  # gone
    assert len(receiver.received) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_one_delivery_at_once_post_it_once(
    postgres, action, subscription, receiver
):
    progress(action)
    delivery_id = Delivery.objects.get().pk

    def work() -> str:
        return delivering.deliver(delivery_id=delivery_id).value

    outcomes = at_once(work, work, timeout=20)

    assert sorted(outcomes) == ["delivered", "not claimed"]
    assert len(receiver.received) == 1


def test_nothing_is_sent_about_an_action_the_owner_can_no_longer_see(
    action, subscription, receiver, reader
):
    progress(action)
    reader.groups.clear()  # no role left: the reader sees no plan

    assert run_due() == ["cancelled"]
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.CANCELLED and "no longer see" in delivery.last_error
    assert receiver.received == []


def test_a_paused_subscription_holds_its_deliveries_until_resumed(
    action, subscription, receiver, reader
):
    progress(action)
    webhook_services.update_subscription(subscription=subscription, by=reader, active=False)
    assert run_due() == []
    delivery = Delivery.objects.get()
    assert delivering.deliver(delivery_id=delivery.pk) == "held"  # a task already queued
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0

    webhook_services.update_subscription(subscription=subscription, by=reader, active=True)
    assert run_due() == ["delivered"]
    assert len(receiver.received) == 1


def test_a_ping_is_sent_even_to_a_paused_subscription(subscription, receiver, reader):
    webhook_services.update_subscription(subscription=subscription, by=reader, active=False)
    webhook_services.send_ping(subscription=subscription, by=reader)
    assert run_due() == ["delivered"]
    [event] = receiver.events()
    assert event["type"] == "webhook.ping" and event["data"]["subscription"] == subscription.pk


def test_after_rotation_both_secrets_sign_until_the_grace_period_ends(
    action, subscription, receiver, reader
):
    old = receiver.secrets[0]
    subscription, new = webhook_services.rotate_secret(subscription=subscription, by=reader)
    progress(action)
    run_due()
    [received] = receiver.received
    assert len(received.headers["webhook-signature"].split()) == 2
    for secret in (old, new):
        verify(secret=secret, headers=received.headers, body=received.body)

    subscription.previous_secret_expires_at = timezone.now() - dt.timedelta(seconds=1)
    subscription.save()
    progress(action, "Later")
    run_due()
    later = receiver.received[-1]
    verify(secret=new, headers=later.headers, body=later.body)
    with pytest.raises(BadSignature):
        verify(secret=old, headers=later.headers, body=later.body)


def test_a_redelivery_sends_the_same_message_again_as_a_new_log_entry(
    action, subscription, receiver, reader
):
    progress(action)
    run_due()
    original = Delivery.objects.get()

    copy = webhook_services.redeliver(delivery=original, by=reader)
    assert run_due() == ["delivered"]

    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == str(original.event_id)
    assert first.body == second.body
    assert (copy.redelivery, copy.requested_by) == (1, reader)
    progress(action, "New")
    pending = Delivery.objects.get(status="pending")
    with pytest.raises(DomainError, match="still being attempted"):
        webhook_services.redeliver(delivery=pending, by=reader)
