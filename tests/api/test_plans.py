"""Plans through the API: a plan with its sources, themes and wider areas, seen by the
one visibility rule and narrowed by the token; another council's plan answers as one that
does not exist."""

from __future__ import annotations

import pytest

from plans.models import PlanStatus
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    OrganisationFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
    WiderAreaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sources(council, director):
    """Test Council's plan fed by an ILACS and a focused visit, with a standard theme and
    a wider area filed under it; a report held as history feeds no plan."""
    plan = PlanFactory(local_authority=council, title="Children's services improvement plan")
    plan.lead_director = director
    plan.save()
    ilacs = InspectionFactory(local_authority=council, plan=plan)
    visit = InspectionFactory(local_authority=council, plan=plan, inspection_type="focused_visit")
    InspectionFactory(local_authority=council, plan=None)
    theme = ThemeFactory(
        plan=plan, name="Outcome 4: stable homes", framework_kind="outcome", framework_number=4
    )
    area = WiderAreaFactory(
        plan=plan, text="Audit follow-up", origin="audit", origin_detail="Q3 audit", theme=theme
    )
    return plan, ilacs, visit, theme, area


def test_a_plan_shows_its_sources_themes_and_wider_areas(client_for, reader, two_sources):
    plan, ilacs, visit, theme, area = two_sources
    response = client_for(reader).get(f"/api/v1/plans/{plan.pk}/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == plan.pk
    assert body["local_authority"] == plan.local_authority_id
    assert body["title"] == "Children's services improvement plan"
    assert body["status"] == "draft"
    assert body["lead_director"] == plan.lead_director_id
    assert body["lead_director_name"]
    assert sorted(body["sources"]) == sorted([ilacs.pk, visit.pk])
    assert body["themes"] == [
        {
            "id": theme.pk,
            "name": "Outcome 4: stable homes",
            "framework_kind": "outcome",
            "framework_number": 4,
            "order": 0,
        }
    ]
    assert body["wider_areas"] == [
        {
            "id": area.pk,
            "text": "Audit follow-up",
            "origin": "audit",
            "origin_detail": "Q3 audit",
            "theme": theme.pk,
            "order": 0,
        }
    ]
    assert body["html_url"] == plan.get_absolute_url()


def test_a_source_names_its_plan_and_a_held_report_names_none(client_for, reader, two_sources):
    plan, ilacs, *_ = two_sources
    api = client_for(reader)
    assert api.get(f"/api/v1/inspections/{ilacs.pk}/").json()["plan"] == plan.pk
    rows = api.get("/api/v1/inspections/?held_as_history=true").json()["results"]
    assert [row["plan"] for row in rows] == [None]
    of_plan = api.get(f"/api/v1/inspections/?plan={plan.pk}").json()["results"]
    assert len(of_plan) == 2 and {row["plan"] for row in of_plan} == {plan.pk}


def test_people_see_the_plans_the_rule_lets_them(client_for, council, director, two_sources):
    plan = two_sources[0]
    elsewhere = OrganisationFactory(name="Elsewhere Council")
    theirs = PlanFactory(local_authority=elsewhere)
    partner = OrganisationFactory(name="County NHS Trust", kind="nhs")
    partner.partner_of.add(council)
    owner_elsewhere = UserFactory(role="Action owners", organisation=elsewhere, username="oe")
    ActionFactory(recommendation=None, plan=plan, owner=owner_elsewhere)

    def ids(user, organisation=None) -> set[int]:
        response = client_for(user, "read", organisation).get("/api/v1/plans/")
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(director) == {plan.pk}
    assert ids(UserFactory(role="Readers", organisation=partner, username="nhs")) == {plan.pk}
    assert ids(owner_elsewhere) == {plan.pk, theirs.pk}  # their own, and one they act in
    assert ids(owner_elsewhere, elsewhere) == {theirs.pk}  # the token's limit narrows it
    assert ids(UserFactory(organisation=council, username="norole")) == set()
    assert ids(UserFactory(is_superuser=True, organisation=None, username="su")) == {
        plan.pk,
        theirs.pk,
    }
    assert client_for(None).get("/api/v1/plans/").status_code == 401


def test_another_councils_plan_is_answered_as_one_that_does_not_exist(
    client_for, outsider, director, two_sources
):
    plan = two_sources[0]
    theirs = client_for(outsider).get(f"/api/v1/plans/{plan.pk}/")
    missing = client_for(director).get("/api/v1/plans/999999/")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["detail"] == missing.json()["detail"]
    limited = client_for(director, organisation=OrganisationFactory(name="Elsewhere"))
    assert limited.get(f"/api/v1/plans/{plan.pk}/").status_code == 404


def test_plans_filter_by_council_and_status(client_for, council, two_sources):
    plan = two_sources[0]
    partner_council = OrganisationFactory(name="Partner Council")
    council.partner_of.add(partner_council)  # the council's people see its plans too
    closed = PlanFactory(local_authority=partner_council, status=PlanStatus.CLOSED)
    api = client_for(UserFactory(role="Directors", organisation=council, username="dcs"))

    def ids(query: str) -> list[int]:
        response = api.get(f"/api/v1/plans/?{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert sorted(ids("")) == sorted([plan.pk, closed.pk])
    assert ids(f"local_authority={council.pk}") == [plan.pk]
    assert ids(f"local_authority={partner_council.pk}") == [closed.pk]
    assert ids("status=closed") == [closed.pk]
    assert ids("status=draft") == [plan.pk]
    assert ids("status=in_delivery") == []
    assert api.get("/api/v1/plans/?status=finished").status_code == 400
    assert api.get("/api/v1/plans/?local_authority=abc").status_code == 400


def test_plans_page_with_a_cursor(client_for, council, director):
    made = [PlanFactory(local_authority=council).pk for _ in range(5)]
    api = client_for(director)
    url, seen = "/api/v1/plans/?page_size=2&ordering=-id", []
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted(made, reverse=True)
