"""Every change to an action is an event, recorded by the service that makes it, for the
subscriptions whose owner may see the action (and only those)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from actions import services
from actions.models import Evidence, Status
from actions.webhooks import dispatch
from actions.webhooks import services as webhook_services
from actions.webhooks.models import ACTION_EVENTS, Delivery
from core.errors import DomainError
from core.tokens.services import create_token
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    MeasureFactory,
    OrganisationFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    UserFactory,
)

from .helpers import subscribe

pytestmark = pytest.mark.django_db
URL = "https://receiver.example.org/hooks"


@dataclasses.dataclass
class World:
    director: Any
    officer: Any
    owner: Any
    other_owner: Any
    reader: Any
    action: Any
    later_source: Any


@pytest.fixture
def world(director, officer, owner, reader) -> World:
    inspection = InspectionFactory()
    later = InspectionFactory(
        plan=inspection.plan, local_authority=inspection.local_authority, inspection_type="jtai"
    )
    action = ActionFactory(recommendation=RecommendationFactory(inspection=inspection), owner=owner)
    other = UserFactory(role="Action owners", username="other_owner")
    return World(director, officer, owner, other, reader, action, later)


def in_state(action, status: str) -> None:
    type(action).objects.filter(pk=action.pk).update(status=status)


def impact_ready(w: World) -> None:
    in_state(w.action, Status.COMPLETE)
    Evidence.objects.create(action=w.action, description="Audit", link="https://e.org/a")


# (event type, service name, the call); each runs the service as pages and API do.
CASES: list[tuple[str, str, Any]] = [
    (
        "action.created",
        "draft_action",
        lambda w: services.draft_action(
            plan=w.action.plan,
            recommendations=w.action.recommendations.all(),
            by=w.officer,
            title="Audit supervision",
        ),
    ),
    (
        "action.updated",
        "update_details",
        lambda w: services.update_details(
            action=w.action, by=w.officer, expected_version=None, risks="Turnover"
        ),
    ),
    (
        "action.updated",
        "change_answers",
        lambda w: services.change_answers(
            action=w.action,
            by=w.officer,
            recommendations=[
                *w.action.recommendations.all(),
                RecommendationFactory(inspection=w.later_source),
            ],
        ),
    ),
    (
        "action.owner_assigned",
        "assign_owner",
        lambda w: services.assign_owner(action=w.action, by=w.director, owner=w.other_owner),
    ),
    (
        "action.due_date_moved",
        "move_due_date",
        lambda w: services.move_due_date(
            action=w.action, by=w.director, new_date=dt.date(2024, 12, 2), reason="Board"
        ),
    ),
    (
        "action.rag_overridden",
        "override_rag",
        lambda w: services.override_rag(
            action=w.action, by=w.director, rag_value="amber", reason="Capacity"
        ),
    ),
    (
        "action.progress_recorded",
        "record_progress",
        lambda w: services.record_progress(action=w.action, by=w.owner, text="Two teams trained"),
    ),
    (
        "action.evidence_added",
        "add_evidence",
        lambda w: services.add_evidence(
            action=w.action, by=w.owner, description="Audit", link="https://e.org/audit"
        ),
    ),
    (
        "action.measure_added",
        "add_measure",
        lambda w: services.add_measure(
            action=w.action,
            by=w.officer,
            name="Re-referrals",
            baseline=Decimal(30),
            target=Decimal(20),
            direction="lower",
        ),
    ),
    (
        "action.reading_recorded",
        "record_reading",
        lambda w: services.record_reading(
            measure=MeasureFactory(action=w.action),
            by=w.owner,
            date=dt.date(2024, 6, 1),
            value=Decimal(70),
        ),
    ),
    (
        "action.completed",
        "mark_complete",
        lambda w: (
            in_state(w.action, Status.IN_PROGRESS),
            services.mark_complete(action=w.action, by=w.owner, note="Every team trained"),
        ),
    ),
    (
        "action.impact_submitted",
        "submit_impact",
        lambda w: (
            impact_ready(w),
            services.submit_impact(action=w.action, by=w.owner, summary="Visits on time"),
        ),
    ),
    (
        "action.signed_off",
        "sign_off",
        lambda w: (
            in_state(w.action, Status.IMPACT_EVIDENCED),
            services.sign_off(action=w.action, by=w.director, justification="Board agreed"),
        ),
    ),
    (
        "action.reopened",
        "reopen",
        lambda w: (
            in_state(w.action, Status.CLOSED),
            services.reopen(action=w.action, by=w.director, reason="Slipped"),
        ),
    ),
    (
        "action.item_returned",
        "return_item",
        lambda w: services.return_item(
            item=ProgressUpdateFactory(action=w.action, author=w.owner),
            by=w.director,
            comment="Add figures",
        ),
    ),
]
ITEM_KEYS = {
    "action.progress_recorded": "progress_update",
    "action.evidence_added": "evidence",
    "action.measure_added": "measure",
    "action.reading_recorded": "reading",
    "action.item_returned": "progress_update",
}


def test_every_action_event_type_and_every_service_has_a_case():
    assert sorted({event for event, _, _ in CASES}) == sorted(ACTION_EVENTS)
    # Every write: the services that change a plan run in a transaction (@atomic wraps
    # them); the rules they share with forms, such as rag_override_choices, only read.
    writes = {
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__ == "actions.services"
        and not name.startswith("_")
        and hasattr(function, "__wrapped__")
    }
    assert writes == {name for _, name, _ in CASES}


def api_representation(user, action_id: int) -> dict:
    client = APIClient()
    secret = create_token(name="check", user=user, scope="read")[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get(f"/api/v1/actions/{action_id}/")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(
    ("event_type", "name", "change"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES]
)
def test_each_change_is_one_event_carrying_the_action_as_the_api_shows_it(
    world, event_type, name, change
):
    subscription, _ = subscribe(world.reader, URL)

    change(world)

    [delivery] = Delivery.objects.all()
    event = delivery.data
    assert (delivery.event_type, event["type"]) == (event_type, event_type)
    assert event["id"] == str(delivery.event_id) and delivery.subscription == subscription
    action_id = event["data"]["action"]["id"]
    assert delivery.action_id == action_id
    assert event["data"]["action"] == api_representation(world.reader, action_id)
    assert event["data"]["actor"] in {world.officer.pk, world.director.pk, world.owner.pk}
    if event_type in ITEM_KEYS:
        assert event["data"][ITEM_KEYS[event_type]]["id"]
    assert event["timestamp"].endswith("Z")


def test_a_change_that_is_refused_records_no_event(world):
    subscribe(world.reader, URL)
    in_state(world.action, Status.CLOSED)
    with pytest.raises(DomainError):
        services.record_progress(action=world.action, by=world.owner, text="More")
    assert not Delivery.objects.exists()


def test_no_event_reaches_a_subscription_whose_owner_cannot_see_the_plan(world, outsider):
    subscribe(outsider, URL)  # a director of another council
    mine, _ = subscribe(world.reader, URL)

    services.record_progress(action=world.action, by=world.owner, text="Two teams trained")

    assert [d.subscription for d in Delivery.objects.all()] == [mine]


@pytest.fixture
def outsider(db):
    return UserFactory(
        role="Directors", username="outsider", organisation=OrganisationFactory(name="Elsewhere")
    )


def test_an_authority_limit_narrows_what_a_subscription_receives(world):
    council = world.action.plan.local_authority
    elsewhere = OrganisationFactory(name="Elsewhere")
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    limited_here, _ = subscribe(admin, URL, organisation=council)
    subscribe(admin, URL, organisation=elsewhere)

    services.record_progress(action=world.action, by=world.owner, text="Two teams trained")

    assert [d.subscription for d in Delivery.objects.all()] == [limited_here]


def test_paused_subscriptions_inactive_owners_and_other_event_types_receive_nothing(world):
    paused, _ = subscribe(world.reader, URL)
    webhook_services.update_subscription(subscription=paused, by=world.reader, active=False)
    subscribe(world.officer, URL, events=["action.signed_off"])
    subscribe(world.director, URL)  # its owner leaves next
    type(world.director).objects.filter(pk=world.director.pk).update(is_active=False)

    services.record_progress(action=world.action, by=world.owner, text="Two teams trained")

    assert not Delivery.objects.exists()


def test_two_subscriptions_get_their_own_event_ids(world):
    subscribe(world.reader, URL)
    subscribe(world.officer, URL)
    services.record_progress(action=world.action, by=world.owner, text="Two teams trained")
    first, second = Delivery.objects.all()
    assert first.event_id != second.event_id
    assert first.data["data"] == second.data["data"]


def test_deliveries_are_handed_out_after_the_change_commits(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr(dispatch, "publish", lambda ids: published.extend(ids) or len(ids))
    subscribe(world.reader, URL)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.record_progress(action=world.action, by=world.owner, text="Two teams trained")
        assert published == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert published == [Delivery.objects.get().pk]


def test_without_subscriptions_a_change_costs_one_query_more(world):
    services.record_progress(action=world.action, by=world.owner, text="Warm up")
    with CaptureQueriesContext(connection) as counted:
        services.record_progress(action=world.action, by=world.owner, text="Again")
    webhook_queries = [q for q in counted.captured_queries if "webhooks_" in q["sql"]]
    assert len(webhook_queries) == 1


def test_an_event_costs_the_same_queries_for_one_subscription_or_many(world, outsider):
    def queries_of_one_change() -> int:
        with CaptureQueriesContext(connection) as counted:
            services.record_progress(action=world.action, by=world.owner, text="Again")
        return len(counted.captured_queries)

    subscribe(world.reader, URL)
    queries_of_one_change()  # warm up: what the first change reads once
    one = queries_of_one_change()
    for person in (world.officer, world.director, outsider, world.other_owner):
        subscribe(person, URL)
    for number in range(6):
        subscribe(UserFactory(role="Readers", username=f"reader{number}"), URL)
    Delivery.objects.all().delete()

    assert queries_of_one_change() == one
    told = {delivery.subscription.owner.username for delivery in Delivery.objects.all()}
    everyone_but_the_outsider = {"reader", "officer", "director", "other_owner"}
    assert told == everyone_but_the_outsider | {f"reader{number}" for number in range(6)}


def test_an_event_carries_the_plan_and_every_item_the_action_answers(world):
    subscribe(world.reader, URL)
    later_item = RecommendationFactory(inspection=world.later_source)

    services.change_answers(
        action=world.action,
        by=world.officer,
        recommendations=[*world.action.recommendations.all(), later_item],
    )

    [delivery] = Delivery.objects.all()
    told = delivery.data["data"]["action"]
    assert told["plan"] == world.action.plan_id
    assert later_item.pk in told["recommendations"] and len(told["recommendations"]) == 2


def test_events_follow_the_plan_not_the_council(world):
    """Someone who sees a plan only through an action they own there is told about that
    plan's actions, not about another plan of the same council."""
    partner_owner = UserFactory(
        role="Action owners", username="partner", organisation=OrganisationFactory(name="NHS")
    )
    plan = world.action.plan
    ActionFactory(recommendation=None, plan=plan, owner=partner_owner)
    other_plan = InspectionFactory(local_authority=plan.local_authority).plan
    elsewhere = ActionFactory(recommendation=None, plan=other_plan, owner=world.owner)
    mine, _ = subscribe(partner_owner, URL)

    services.record_progress(action=world.action, by=world.owner, text="Two teams trained")
    services.record_progress(action=elsewhere, by=world.owner, text="Audit started")

    assert [(d.subscription, d.action) for d in Delivery.objects.all()] == [(mine, world.action)]
