"""The API keeps the page's rules: blue by hand only once closed and signed off, a reason
with every RAG set by hand, a note of what was done when nothing has been recorded, and
a default due date on a working day still to come."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from actions.models import Action, Rag, Status
from core.deadlines import is_working_day
from tests.factories import InspectionFactory, RecommendationFactory, UserFactory

pytestmark = pytest.mark.django_db


def refusal(response) -> tuple[int, list[tuple[str, str]]]:
    body = response.json()
    return response.status_code, [(e["field"], e["message"]) for e in body["errors"]]


def test_blue_by_hand_is_refused_until_the_action_is_signed_off(client_for, director, plan):
    api = client_for(director)
    url = f"/api/v1/actions/{plan.pk}/override-rag/"

    refused = api.post(url, {"rag": "blue", "reason": "Looks done"}, format="json")
    assert refusal(refused) == (
        422,
        [
            (
                "rag",
                "Select red, amber or green: blue is only for an action that is closed "
                "and signed off",
            )
        ],
    )
    assert Action.objects.get(pk=plan.pk).rag_override == ""

    Action.objects.filter(pk=plan.pk).update(
        status=Status.CLOSED, signed_off_by=UserFactory(role="Directors")
    )
    accepted = api.post(url, {"rag": "blue", "reason": "Closed at the board"}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["rag_override"] == Rag.BLUE


def test_a_rag_by_hand_without_a_reason_is_refused(client_for, director, plan):
    response = client_for(director).post(
        f"/api/v1/actions/{plan.pk}/override-rag/", {"rag": "red"}, format="json"
    )
    assert refusal(response) == (422, [("reason", "Enter why you are setting the RAG by hand")])


def test_completing_with_nothing_recorded_needs_a_note(client_for, owner, plan):
    api = client_for(owner)
    url = f"/api/v1/actions/{plan.pk}/complete/"

    assert refusal(api.post(url, {}, format="json")) == (422, [("note", "Enter what was done")])
    assert Action.objects.get(pk=plan.pk).status == Status.NOT_STARTED

    done = api.post(url, {"note": "Every team trained"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "complete"
    assert plan.progress_updates.get().text == "Completed: Every team trained"


@time_machine.travel(dt.datetime(2025, 1, 15, 12), tick=False)
def test_a_draft_without_a_due_date_gets_a_working_day_to_come(client_for, officer):
    recommendation = RecommendationFactory(
        timescale="none", inspection=InspectionFactory(publication_date=dt.date(2024, 3, 1))
    )
    response = client_for(officer).post(
        "/api/v1/actions/",
        {
            "plan": recommendation.inspection.plan_id,
            "recommendations": [recommendation.pk],
            "title": "Audit supervision",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    due = dt.date.fromisoformat(response.json()["due_date"])
    assert due == dt.date(2025, 7, 15)
    assert is_working_day(due) and response.json()["rag"] != Rag.RED
