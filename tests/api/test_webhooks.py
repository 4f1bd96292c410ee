"""Managing webhook subscriptions through the API: who may, what is shown once, what is
refused, and the delivery log."""

from __future__ import annotations

import pytest
from django.utils import timezone

from actions.webhooks.models import Delivery, DeliveryStatus, Subscription
from core.models import AuditEntry
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "https://dashboard.example.gov.uk/hooks"


def create(client, **body):
    return client.post("/api/v1/webhooks/", {"name": "Dashboard", "url": URL, **body})


def test_a_subscription_is_created_with_its_secret_shown_once(client_for, reader):
    client = client_for(reader)

    response = create(client, events=["action.progress_recorded", "action.signed_off"])

    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert body["events"] == ["action.progress_recorded", "action.signed_off"]
    assert (body["owner"], body["active"], body["organisation"]) == (reader.pk, True, None)
    assert response["Location"].endswith(f"/api/v1/webhooks/{body['id']}/")
    shown = client.get(f"/api/v1/webhooks/{body['id']}/").json()
    assert "secret" not in shown and body["secret"] not in str(
        client.get("/api/v1/webhooks/").json()
    )
    assert AuditEntry.objects.filter(verb="create_webhook", actor=reader).exists()


def test_events_default_to_every_action_event(client_for, reader):
    assert create(client_for(reader)).json()["events"] == ["*"]


def test_people_manage_their_own_subscriptions_and_administrators_everyones(
    client_for, reader, officer
):
    mine = create(client_for(reader)).json()["id"]
    other = client_for(officer)
    assert other.get(f"/api/v1/webhooks/{mine}/").status_code == 404
    assert other.patch(f"/api/v1/webhooks/{mine}/", {"name": "x"}).status_code == 404
    assert other.delete(f"/api/v1/webhooks/{mine}/").status_code == 404
    assert other.get("/api/v1/webhooks/").json()["results"] == []

    admin = client_for(UserFactory(username="admin", is_superuser=True, is_staff=True))
    assert [row["id"] for row in admin.get("/api/v1/webhooks/").json()["results"]] == [mine]
    assert admin.patch(f"/api/v1/webhooks/{mine}/", {"active": False}).status_code == 200


def test_a_read_only_token_reads_but_does_not_subscribe(client_for, reader):
    mine = create(client_for(reader)).json()["id"]
    read_only = client_for(reader, scope="read")
    assert read_only.get(f"/api/v1/webhooks/{mine}/deliveries/").status_code == 200
    assert create(read_only).status_code == 403
    assert read_only.post(f"/api/v1/webhooks/{mine}/ping/").status_code == 403


def test_someone_without_a_role_cannot_subscribe(client_for):
    nobody = UserFactory(username="nobody")
    assert create(client_for(nobody)).status_code == 403


def test_a_token_limited_to_one_authority_makes_and_sees_only_limited_subscriptions(
    client_for, reader, council
):
    elsewhere = OrganisationFactory(name="Elsewhere Council")
    unlimited = create(client_for(reader)).json()["id"]
    limited = client_for(reader, organisation=council)

    response = create(limited)
    assert response.status_code == 201 and response.json()["organisation"] == council.pk
    refused = create(limited, organisation=elsewhere.pk)
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "organisation"
    assert [r["id"] for r in limited.get("/api/v1/webhooks/").json()["results"]] == [
        response.json()["id"]
    ]
    assert limited.get(f"/api/v1/webhooks/{unlimited}/").status_code == 404


def test_unsafe_urls_and_unknown_events_are_refused_with_the_field_named(
    client_for, reader, settings
):
    client = client_for(reader)
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    for url, reason in [
        ("http://dashboard.example.gov.uk/hooks", "https"),
        ("https://intranet.internal/hooks", "private"),
        ("https://127.0.0.1/hooks", "private"),
        ("https://169.254.169.254/latest/meta-data", "private"),
    ]:
        response = create(client, url=url)
        assert response.status_code == 422, url
        error = response.json()["errors"][0]
        assert error["field"] == "url" and reason in error["message"], url
    assert create(client, events=["action.nope"]).status_code == 400
    assert create(client, events=[]).status_code == 400
    assert not Subscription.objects.exists()


def test_pausing_resuming_and_changing_the_url(client_for, reader):
    client = client_for(reader)
    mine = create(client).json()["id"]
    Subscription.objects.filter(pk=mine).update(consecutive_failures=3)

    paused = client.patch(f"/api/v1/webhooks/{mine}/", {"active": False}).json()
    assert paused["active"] is False and paused["paused_at"] and paused["paused_reason"]
    resumed = client.patch(f"/api/v1/webhooks/{mine}/", {"active": True, "url": URL + "/v2"}).json()
    assert (resumed["active"], resumed["paused_reason"], resumed["consecutive_failures"]) == (
        True,
        "",
        0,
    )
    assert resumed["url"] == URL + "/v2"
    assert AuditEntry.objects.filter(verb="update_webhook").count() == 2


def test_rotating_the_secret_returns_a_new_one_and_keeps_the_old_for_a_while(client_for, reader):
    client = client_for(reader)
    created = create(client).json()
    rotated = client.post(f"/api/v1/webhooks/{created['id']}/rotate-secret/")
    assert rotated.status_code == 200
    body = rotated.json()
    assert body["secret"].startswith("whsec_") and body["secret"] != created["secret"]
    assert body["previous_secret_expires_at"] > timezone.now().isoformat()[:19]
    subscription = Subscription.objects.get()
    assert (subscription.secret, subscription.previous_secret) == (
        body["secret"],
        created["secret"],
    )


def test_a_ping_is_queued_and_appears_in_the_delivery_log(client_for, reader):
    client = client_for(reader)
    mine = create(client).json()["id"]

    response = client.post(f"/api/v1/webhooks/{mine}/ping/")

    assert response.status_code == 202
    ping = response.json()
    assert (ping["event_type"], ping["status"], ping["attempts"]) == ("webhook.ping", "pending", 0)
    assert ping["payload"]["type"] == "webhook.ping"
    assert ping["payload"]["id"] == ping["event_id"]
    log = client.get(f"/api/v1/webhooks/{mine}/deliveries/").json()
    assert [row["id"] for row in log["results"]] == [ping["id"]]


def test_the_delivery_log_filters_and_a_finished_delivery_can_be_sent_again(
    client_for, reader, officer
):
    client = client_for(reader)
    mine = create(client).json()["id"]
    done = Delivery.objects.create(
        subscription_id=mine,
        event_type="action.completed",
        payload='{"type": "action.completed"}',
        status=DeliveryStatus.FAILED,
        attempts=10,
        last_error="The receiver answered 503",
    )
    waiting = Delivery.objects.create(
        subscription_id=mine,
        event_type="action.updated",
        payload="{}",
        next_attempt_at=timezone.now(),
    )
    base = f"/api/v1/webhooks/{mine}/deliveries/"

    failed = client.get(base, {"status": "failed"}).json()["results"]
    assert [row["id"] for row in failed] == [done.pk]
    newest_first = [row["id"] for row in client.get(base).json()["results"]]
    assert newest_first == [waiting.pk, done.pk]
    assert client.get(base, {"status": "lost"}).status_code == 400
    assert client.get(f"{base}{done.pk}/").json()["last_error"] == "The receiver answered 503"

    again = client.post(f"{base}{done.pk}/redeliver/")
    assert again.status_code == 202
    copy = again.json()
    assert (copy["event_id"], copy["redelivery"], copy["status"]) == (
        str(done.event_id),
        1,
        "pending",
    )
    assert client.post(f"{base}{waiting.pk}/redeliver/").status_code == 422

    theirs = create(client_for(officer)).json()["id"]
    assert client.get(f"/api/v1/webhooks/{theirs}/deliveries/{done.pk}/").status_code == 404
    assert client.get(f"{base}999999/").status_code == 404


def test_deleting_a_subscription_removes_it_and_its_log(client_for, reader):
    client = client_for(reader)
    mine = create(client).json()["id"]
    client.post(f"/api/v1/webhooks/{mine}/ping/")

    assert client.delete(f"/api/v1/webhooks/{mine}/").status_code == 204

    assert client.get(f"/api/v1/webhooks/{mine}/").status_code == 404
    assert not Delivery.objects.exists()
    assert AuditEntry.objects.filter(verb="delete_webhook", object_id=str(mine)).exists()
