"""One table of transitions (actions.lifecycle): in every status, the services allow, the
API accepts and the action page offers exactly what it says."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from actions import lifecycle, services
from actions.models import Evidence, Rag, Status
from actions.transitions import TRANSITIONS as PAGE_TRANSITIONS
from core.errors import DomainError
from core.tokens.services import create_token
from plans.permissions import can
from tests.factories import ActionFactory, MeasureFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class World:
    director: Any
    officer: Any
    owner: Any
    other_owner: Any
    action: Any


@pytest.fixture
def world(director, officer, owner) -> World:
    other = UserFactory(role="Action owners", username="other_owner")
    action = ActionFactory(owner=owner)
    Evidence.objects.create(action=action, description="Audit", link="https://e.org/a")
    return World(director, officer, owner, other, action)


def in_state(action, status: str) -> None:
    type(action).objects.filter(pk=action.pk).update(status=status)
    action.refresh_from_db()


# Each transition as the services make it, with inputs that pass every other rule.
SERVICE_CALLS: dict[str, Callable[[World], Any]] = {
    "edit": lambda w: services.update_details(
        action=w.action, by=w.officer, expected_version=None, risks="Turnover"
    ),
    "assign": lambda w: services.assign_owner(action=w.action, by=w.director, owner=w.other_owner),
    "move-date": lambda w: services.move_due_date(
        action=w.action, by=w.director, new_date=dt.date(2024, 12, 2), reason="Board"
    ),
    "progress": lambda w: services.record_progress(action=w.action, by=w.owner, text="Trained"),
    "evidence": lambda w: services.add_evidence(
        action=w.action, by=w.owner, description="Audit", link="https://e.org/audit"
    ),
    "measure": lambda w: services.add_measure(
        action=w.action,
        by=w.officer,
        name="Re-referrals",
        baseline=Decimal(30),
        target=Decimal(20),
        direction="lower",
    ),
    "reading": lambda w: services.record_reading(
        measure=MeasureFactory(action=w.action),
        by=w.owner,
        date=dt.date(2024, 6, 1),
        value=Decimal(70),
    ),
    "complete": lambda w: services.mark_complete(action=w.action, by=w.owner, note="Done"),
    "impact": lambda w: services.submit_impact(action=w.action, by=w.owner, summary="On time"),
    "sign-off": lambda w: services.sign_off(
        action=w.action, by=w.director, justification="Board agreed"
    ),
    "reopen": lambda w: services.reopen(action=w.action, by=w.director, reason="Slipped"),
    "rag": lambda w: services.override_rag(
        action=w.action, by=w.director, rag_value=Rag.AMBER, reason="Capacity"
    ),
}

CASES = [(name, status) for name in lifecycle.TRANSITIONS for status in Status]


def test_every_transition_has_a_service_call_and_a_page_form():
    assert SERVICE_CALLS.keys() == lifecycle.TRANSITIONS.keys()
    assert {t.rule.name for t in PAGE_TRANSITIONS.values()} == set(lifecycle.TRANSITIONS)


@pytest.mark.parametrize(("name", "status"), CASES, ids=[f"{n}-{s}" for n, s in CASES])
def test_the_service_allows_exactly_what_the_table_says(world, name, status):
    transition = lifecycle.TRANSITIONS[name]
    in_state(world.action, status)

    if status in transition.from_statuses:
        SERVICE_CALLS[name](world)
        world.action.refresh_from_db()
        assert world.action.status == transition.status_after(status)
    else:
        with pytest.raises(DomainError) as refused:
            SERVICE_CALLS[name](world)
        assert refused.value.message == transition.refusal
        world.action.refresh_from_db()
        assert world.action.status == status


def test_the_table_leads_from_not_started_to_closed_and_back():
    after = {name: t.status_after for name, t in lifecycle.TRANSITIONS.items()}
    assert after["progress"](Status.NOT_STARTED) == Status.IN_PROGRESS
    assert after["complete"](Status.IN_PROGRESS) == Status.COMPLETE
    assert after["impact"](Status.COMPLETE) == Status.IMPACT_EVIDENCED
    assert after["sign-off"](Status.IMPACT_EVIDENCED) == Status.CLOSED
    assert after["reopen"](Status.CLOSED) == Status.IN_PROGRESS
    closed = {n for n, t in lifecycle.TRANSITIONS.items() if Status.CLOSED in t.from_statuses}
    assert closed == {"reopen", "rag"}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", ["director", "officer", "owner"])
def test_the_page_offers_exactly_what_the_table_allows(client, world, role, status):
    person = getattr(world, role)
    in_state(world.action, status)
    client.force_login(person)

    response = client.get(world.action.get_absolute_url())

    offered = {transition.name for transition, _ in response.context["transition_forms"]}
    expected = {
        page.name
        for page in PAGE_TRANSITIONS.values()
        if status in page.rule.from_statuses
        and can(person, page.rule.permission, world.action)
        and not page.needs_override  # nothing set by hand yet
    }
    assert offered == expected
    for name in expected:
        assert f"/actions/{world.action.pk}/{name}/" in response.content.decode()


# The API's state changes: transition, endpoint, body, who makes it.
API_CHANGES = [
    ("assign", "assign-owner", lambda w: {"owner": w.other_owner.pk}, "director"),
    ("move-date", "move-due-date", lambda w: {"new_date": "2024-12-02", "reason": "B"}, "director"),
    ("rag", "override-rag", lambda w: {"rag": "amber", "reason": "Capacity"}, "director"),
    ("complete", "complete", lambda w: {"note": "Done"}, "owner"),
    ("impact", "submit-impact", lambda w: {"summary": "On time"}, "owner"),
    ("sign-off", "sign-off", lambda w: {"justification": "Board agreed"}, "director"),
    ("reopen", "reopen", lambda w: {"reason": "Slipped"}, "director"),
    ("progress", "progress-updates", lambda w: {"text": "Trained"}, "owner"),
    ("evidence", "evidence", lambda w: {"description": "A", "link": "https://e.org/b"}, "owner"),
]
API_CASES = [(change, status) for change in API_CHANGES for status in Status]


@pytest.mark.parametrize(("change", "status"), API_CASES, ids=[f"{c[0]}-{s}" for c, s in API_CASES])
def test_the_api_accepts_exactly_what_the_table_says(world, change, status):
    name, path, body, role = change
    transition = lifecycle.TRANSITIONS[name]
    in_state(world.action, status)
    client = APIClient()
    secret = create_token(name="t", user=getattr(world, role), scope="read-write")[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    response = client.post(f"/api/v1/actions/{world.action.pk}/{path}/", body(world), format="json")

    world.action.refresh_from_db()
    if status in transition.from_statuses:
        assert response.status_code in (200, 201), response.content
        assert world.action.status == transition.status_after(status)
    else:
        assert response.status_code == 422, response.content
        assert transition.refusal in response.content.decode()
        assert world.action.status == status
