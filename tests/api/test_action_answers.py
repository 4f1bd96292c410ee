"""What an action answers, through the API: items of any of its plan's sources, or a
wider area the plan records; drafted and changed through the services the pages use."""

from __future__ import annotations

import pytest

from actions.models import Action
from inspections.models import RecommendationRepeat, RepeatStatus
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    OrganisationFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
    WiderAreaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(council):
    """One plan fed by two reports, an item of each, a theme and a wider area; and another
    plan of the same council with an item of its own."""
    ilacs = InspectionFactory(local_authority=council)
    plan = ilacs.plan
    visit = InspectionFactory(local_authority=council, plan=plan, inspection_type="focused_visit")
    first = RecommendationFactory(inspection=ilacs, timescale="six_months")
    second = RecommendationFactory(inspection=visit, timescale="three_months")
    other = RecommendationFactory(inspection=InspectionFactory(local_authority=council))
    theme = ThemeFactory(plan=plan, name="Supervision")
    area = WiderAreaFactory(plan=plan, text="Audits are not followed up", origin="audit")
    return {
        "plan": plan,
        "first": first,
        "second": second,
        "other": other,
        "theme": theme,
        "area": area,
    }


def draft(api, **fields):
    return api.post("/api/v1/actions/", {"title": "Audit supervision", **fields}, format="json")


def errors(response) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def test_an_action_answers_items_of_two_sources_of_one_plan(client_for, officer, sources):
    plan, first, second = sources["plan"], sources["first"], sources["second"]
    api = client_for(officer)
    response = draft(
        api,
        plan=plan.pk,
        recommendations=[second.pk, first.pk],
        theme=sources["theme"].pk,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["plan"] == plan.pk
    assert body["recommendations"] == [first.pk, second.pk]  # in report order
    assert (body["wider_area"], body["theme"]) == (None, sources["theme"].pk)
    action = Action.objects.get(pk=body["id"])
    assert set(action.recommendations.all()) == {first, second}
    assert api.get(f"/api/v1/actions/{action.pk}/").json() == body

    def ids(query: str) -> list[int]:
        return [row["id"] for row in api.get(f"/api/v1/actions/?{query}").json()["results"]]

    assert ids(f"recommendation={second.pk}") == [action.pk]
    assert ids(f"inspection={first.inspection_id}") == [action.pk]
    assert ids(f"plan={plan.pk}") == [action.pk]
    assert ids(f"theme={sources['theme'].pk}") == [action.pk]
    assert ids(f"recommendation={sources['other'].pk}") == []
    # each item lists it among the actions answering it
    for item in (first, second):
        assert api.get(f"/api/v1/recommendations/{item.pk}/").json()["actions"] == [action.pk]


def test_an_action_may_answer_a_wider_area_only(client_for, officer, sources):
    area = sources["area"]
    response = draft(
        client_for(officer), plan=sources["plan"].pk, recommendations=[], wider_area=area.pk
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["recommendations"], body["wider_area"]) == ([], area.pk)
    listed = client_for(officer).get(f"/api/v1/actions/?wider_area={area.pk}").json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    assert listed[0]["recommendations"] == []


def test_an_action_answering_nothing_is_refused(client_for, officer, sources):
    response = draft(client_for(officer), plan=sources["plan"].pk)
    assert response.status_code == 422
    assert errors(response) == [("recommendations", "domain_rule")]
    assert not Action.objects.exists()


def test_an_item_of_another_plans_source_is_refused(client_for, officer, sources):
    response = draft(
        client_for(officer),
        plan=sources["plan"].pk,
        recommendations=[sources["first"].pk, sources["other"].pk],
    )
    assert response.status_code == 422
    assert errors(response) == [("recommendations", "domain_rule")]
    assert not Action.objects.exists()


def test_another_plans_wider_area_or_theme_is_refused(client_for, officer, sources):
    elsewhere = sources["other"].inspection.plan
    api = client_for(officer)
    for field, other in [
        ("wider_area", WiderAreaFactory(plan=elsewhere)),
        ("theme", ThemeFactory(plan=elsewhere)),
    ]:
        response = draft(
            api, plan=sources["plan"].pk, recommendations=[sources["first"].pk], **{field: other.pk}
        )
        assert response.status_code == 422, field
        assert errors(response) == [(field, "domain_rule")]
    assert not Action.objects.exists()


def test_what_is_not_visible_is_answered_as_what_does_not_exist(
    client_for, officer, outsider, sources
):
    """An item of another council's report is refused as one that does not exist; a plan
    not seen is not found."""
    theirs = RecommendationFactory(inspection=InspectionFactory(local_authority__name="Far"))
    api = client_for(officer)
    answers = [
        draft(api, plan=sources["plan"].pk, recommendations=[pk]) for pk in (theirs.pk, 999_999)
    ]
    assert {r.status_code for r in answers} == {400}
    assert errors(answers[0]) == errors(answers[1]) == [("recommendations", "does_not_exist")]
    messages = [r.json()["errors"][0]["message"] for r in answers]
    assert messages[0].replace(str(theirs.pk), "N") == messages[1].replace("999999", "N")
    not_seen = draft(api, plan=theirs.inspection.plan_id, recommendations=[theirs.pk])
    missing = draft(api, plan=999_999, recommendations=[theirs.pk])
    assert not_seen.status_code == missing.status_code == 404
    assert not Action.objects.exists()


def test_only_policy_officers_draft(client_for, director, sources):
    response = draft(
        client_for(director), plan=sources["plan"].pk, recommendations=[sources["first"].pk]
    )
    assert response.status_code == 403


def test_what_an_action_answers_is_changed_through_the_service(client_for, officer, sources):
    action = ActionFactory(recommendation=sources["first"])
    api = client_for(officer)
    etag = api.get(f"/api/v1/actions/{action.pk}/")["ETag"]
    changed = api.patch(
        f"/api/v1/actions/{action.pk}/",
        {"recommendations": [sources["second"].pk], "wider_area": sources["area"].pk},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert body["recommendations"] == [sources["second"].pk]
    assert body["wider_area"] == sources["area"].pk
    assert body["version"] == action.version + 1
    # a stale version writes nothing
    stale = api.patch(
        f"/api/v1/actions/{action.pk}/",
        {"recommendations": [sources["first"].pk]},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert stale.status_code == 412
    assert list(Action.objects.get(pk=action.pk).recommendations.all()) == [sources["second"]]
    # the theme alone; what is left out stays
    themed = api.patch(
        f"/api/v1/actions/{action.pk}/", {"theme": sources["theme"].pk}, format="json"
    ).json()
    assert themed["theme"] == sources["theme"].pk
    assert themed["recommendations"] == [sources["second"].pk]
    # answering nothing at all is refused, and nothing changes
    empty = api.patch(
        f"/api/v1/actions/{action.pk}/",
        {"recommendations": [], "wider_area": None, "title": "Renamed"},
        format="json",
    )
    assert empty.status_code == 422
    assert errors(empty) == [("recommendations", "domain_rule")]
    kept = Action.objects.get(pk=action.pk)
    assert kept.title != "Renamed" and kept.wider_area == sources["area"]
    # details and answers together
    both = api.patch(
        f"/api/v1/actions/{action.pk}/",
        {"recommendations": [sources["first"].pk, sources["second"].pk], "title": "Renamed"},
        format="json",
    )
    assert both.status_code == 200, both.json()
    assert both.json()["title"] == "Renamed"
    assert both.json()["recommendations"] == [sources["first"].pk, sources["second"].pk]
    refused = api.patch(
        f"/api/v1/actions/{action.pk}/", {"recommendations": [sources["other"].pk]}, format="json"
    )
    assert refused.status_code == 422


def test_an_item_shows_the_earlier_items_it_repeats(client_for, reader, council, sources):
    held = InspectionFactory(local_authority=council, plan=None)
    old = RecommendationFactory(inspection=held, text="Management oversight and supervision")
    older = RecommendationFactory(inspection=held, text="Supervision is not regular")
    dismissed = RecommendationFactory(inspection=held, text="Something else")
    later = sources["first"]
    RecommendationRepeat.objects.create(
        recommendation=later, earlier=old, score=91.5, status=RepeatStatus.CONFIRMED
    )
    RecommendationRepeat.objects.create(recommendation=later, earlier=older, score=72)
    RecommendationRepeat.objects.create(
        recommendation=later, earlier=dismissed, score=80, status=RepeatStatus.DISMISSED
    )
    answering = ActionFactory(recommendation=later)
    api = client_for(reader)
    body = api.get(f"/api/v1/recommendations/{later.pk}/").json()
    assert body["repeats"] == [
        {
            "id": old.pk,
            "status": "confirmed",
            "score": 91.5,
            "text": "Management oversight and supervision",
            "inspection": held.pk,
        },
        {
            "id": older.pk,
            "status": "suggested",
            "score": 72.0,
            "text": "Supervision is not regular",
            "inspection": held.pk,
        },
    ]
    assert body["actions"] == [answering.pk]
    listed = api.get(f"/api/v1/recommendations/?inspection={later.inspection_id}").json()
    assert listed["results"][0]["repeats"] == body["repeats"]
    assert api.get(f"/api/v1/recommendations/{old.pk}/").json()["repeats"] == []


def test_an_earlier_item_a_person_cannot_see_is_not_shown(client_for, council, sources):
    """Someone who sees the plan only because they own one of its actions does not see
    the council's other reports, nor the repeats pointing at them."""
    held = InspectionFactory(local_authority=council, plan=None)
    RecommendationRepeat.objects.create(
        recommendation=sources["first"],
        earlier=RecommendationFactory(inspection=held),
        score=90,
    )
    stranger = UserFactory(
        role="Action owners", organisation=OrganisationFactory(name="Far"), username="far"
    )
    ActionFactory(recommendation=sources["first"], owner=stranger)
    body = client_for(stranger).get(f"/api/v1/recommendations/{sources['first'].pk}/").json()
    assert body["repeats"] == []
    assert client_for(stranger).get(f"/api/v1/inspections/{held.pk}/").status_code == 404
