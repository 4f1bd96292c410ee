"""Actions through the API: every change goes through its service, with If-Match."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from actions.api.serializers import ActionSerializer, action_rows, answered, shown, with_answers
from actions.models import Action, DueDateChange, Status
from core.api.renderers import dumps
from core.models import AuditEntry
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    MeasureFactory,
    RecommendationFactory,
    UserFactory,
    WiderAreaFactory,
)

pytestmark = pytest.mark.django_db


def test_an_action_carries_its_version_as_etag(client_for, reader, plan):
    response = client_for(reader).get(f"/api/v1/actions/{plan.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{plan.version}"'
    assert response.json()["version"] == plan.version


def test_a_stale_if_match_is_412_with_the_current_values(client_for, officer, plan):
    api = client_for(officer)
    etag = api.get(f"/api/v1/actions/{plan.pk}/")["ETag"]
    assert (
        api.patch(f"/api/v1/actions/{plan.pk}/", {"title": "First"}, HTTP_IF_MATCH=etag).status_code
        == 200
    )
    stale = api.patch(f"/api/v1/actions/{plan.pk}/", {"title": "Second"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    body = stale.json()
    assert body["code"] == "precondition_failed"
    assert body["current"]["title"] == "First" and body["current"]["version"] == plan.version + 1
    assert stale["ETag"] == f'"{plan.version + 1}"'
    assert Action.objects.get(pk=plan.pk).title == "First"


@pytest.mark.parametrize("header", ['"abc"', "1, 2", "W/"])
def test_a_malformed_if_match_never_matches(client_for, officer, plan, header):
    response = client_for(officer).patch(
        f"/api/v1/actions/{plan.pk}/", {"title": "x"}, HTTP_IF_MATCH=header
    )
    assert response.status_code == 412


def test_if_match_star_or_weak_etag_is_accepted(client_for, officer, plan):
    api = client_for(officer)
    assert (
        api.patch(f"/api/v1/actions/{plan.pk}/", {"title": "a"}, HTTP_IF_MATCH="*").status_code
        == 200
    )
    assert (
        api.patch(
            f"/api/v1/actions/{plan.pk}/", {"title": "b"}, HTTP_IF_MATCH=f'W/"{plan.version + 1}"'
        ).status_code
        == 200
    )


def test_the_loop_is_closed_through_the_api(client_for, director, officer, owner, plan):
    """Draft → assign → measure → progress → reading → complete → impact → sign off."""
    as_officer, as_director, as_owner = client_for(officer), client_for(director), client_for(owner)
    drafted = as_officer.post(
        "/api/v1/actions/",
        {
            "plan": plan.plan_id,
            "recommendations": [plan.recommendations.get().pk],
            "title": "Audit supervision",
            "expected_outcome": "Every child seen on time",
        },
    )
    assert drafted.status_code == 201, drafted.json()
    pk = drafted.json()["id"]
    assert drafted["Location"].endswith(f"/api/v1/actions/{pk}/")
    assert (
        as_director.post(f"/api/v1/actions/{pk}/assign-owner/", {"owner": owner.pk}).json()["owner"]
        == owner.pk
    )
    measure = as_officer.post(
        f"/api/v1/actions/{pk}/measures/",
        {
            "name": "Visits on time",
            "unit": "%",
            "baseline": "60",
            "target": "90",
            "direction": "higher",
        },
    )
    assert measure.status_code == 201
    progress = as_owner.post(f"/api/v1/actions/{pk}/progress-updates/", {"text": "Started"})
    assert progress.status_code == 201
    assert as_owner.get(f"/api/v1/actions/{pk}/").json()["status"] == "in_progress"
    reading = as_owner.post(
        f"/api/v1/measures/{measure.json()['id']}/readings/", {"date": "2024-06-01", "value": "95"}
    )
    assert reading.status_code == 201
    assert as_owner.post(f"/api/v1/actions/{pk}/complete/").json()["status"] == "complete"
    impact = as_owner.post(f"/api/v1/actions/{pk}/submit-impact/", {"summary": "95% on time"})
    assert impact.json()["status"] == "impact_evidenced"
    closed = as_director.post(f"/api/v1/actions/{pk}/sign-off/", {})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["signed_off_by"] == director.pk
    assert closed.json()["rag"] == "blue"
    reopened = as_director.post(f"/api/v1/actions/{pk}/reopen/", {"reason": "Slipped"})
    assert reopened.json()["status"] == "in_progress"
    verbs = set(AuditEntry.objects.filter(object_id=str(pk)).values_list("verb", flat=True))
    assert {"draft", "assign", "complete", "submit_impact", "sign_off", "reopen"} <= verbs


def test_a_director_cannot_sign_off_their_own_action(client_for, plan):
    director_owner = UserFactory(role="Directors", username="director_owner")
    director_owner.groups.add(*UserFactory(role="Action owners").groups.all())
    Action.objects.filter(pk=plan.pk).update(owner=director_owner, status=Status.IMPACT_EVIDENCED)
    response = client_for(director_owner).post(
        f"/api/v1/actions/{plan.pk}/sign-off/", {"justification": "Done"}
    )
    assert response.status_code == 403


def test_moving_the_due_date_keeps_the_reason(client_for, director, plan):
    response = client_for(director).post(
        f"/api/v1/actions/{plan.pk}/move-due-date/",
        {"new_date": "2025-02-03", "reason": "Board agreed"},
    )
    assert response.json()["due_date"] == "2025-02-03"
    change = DueDateChange.objects.get(action=plan)
    assert (change.old_date, change.reason) == (dt.date(2024, 9, 1), "Board agreed")


def test_dates_far_outside_a_plan_are_refused(client_for, director, plan):
    response = client_for(director).post(
        f"/api/v1/actions/{plan.pk}/move-due-date/", {"new_date": "9999-12-31", "reason": "x"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "new_date"


def test_the_list_rows_equal_the_serializer(plan, owner):
    ActionFactory(
        recommendation=plan.recommendations.get(),
        owner=None,
        rag_override="red",
        rag_override_reason="Slipping",
        status=Status.CLOSED,
    )
    second = RecommendationFactory(inspection=InspectionFactory(plan=plan.plan), order=0)
    ActionFactory(
        recommendation=None, plan=plan.plan, answers=[second, *plan.recommendations.all()]
    )
    ActionFactory(recommendation=None, plan=plan.plan, wider_area=WiderAreaFactory(plan=plan.plan))
    queryset = Action.objects.order_by("id")
    fast = json.loads(dumps(answered([shown(row) for row in action_rows(queryset)])))
    slow = json.loads(
        dumps(ActionSerializer(with_answers(queryset.select_related("owner")), many=True).data)
    )
    assert fast == slow
    first = plan.recommendations.get()
    # in report order: the first source's item before the later source's
    assert [row["recommendations"] for row in fast][-2:] == [[first.pk, second.pk], []]


def test_the_list_filters_like_the_pages(client_for, director, owner, plan):
    other = ActionFactory(
        recommendation=plan.recommendations.get(),
        owner=None,
        status="in_progress",
        due_date=dt.date(2099, 1, 1),
    )
    api = client_for(director)

    def ids(query: str) -> set[int]:
        response = api.get(f"/api/v1/actions/?{query}")
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(f"owner={owner.pk}") == {plan.pk}
    assert ids("status=in_progress") == {other.pk}
    assert ids("overdue=true") == {plan.pk}
    assert ids("overdue=false") == {other.pk}
    assert ids("due_after=2030-01-01") == {other.pk}
    assert ids(f"inspection={plan.recommendations.get().inspection_id}") == {plan.pk, other.pk}
    assert ids(f"plan={plan.plan_id}") == {plan.pk, other.pk}
    assert ids("rag=green") == {plan.pk, other.pk}
    assert ids("q=Action") == {plan.pk, other.pk}
    assert api.get("/api/v1/actions/?overdue=maybe").status_code == 400
    assert api.get("/api/v1/actions/?status=lost").status_code == 400


def test_measures_come_with_their_readings(client_for, reader, plan):
    measure = MeasureFactory(action=plan)
    response = client_for(reader).get(f"/api/v1/measures/{measure.pk}/")
    assert response.json()["readings"] == []
