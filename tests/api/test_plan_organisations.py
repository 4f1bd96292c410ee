"""An action names only its plan's council or a partner of it, so no other council's
people can be reached through an action: not through the API, not through the page."""

from __future__ import annotations

import pytest

from actions import services
from actions.models import Action
from core.errors import DomainError
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(council):
    trust = OrganisationFactory(name="Test NHS Trust", kind="nhs")
    trust.partner_of.add(council)
    return trust


@pytest.fixture
def elsewhere(db):
    """Another council, with a director and an action owner of its own."""
    other = OrganisationFactory(name="Elsewhere Council")
    UserFactory(username="their-director", role="Directors", organisation=other)
    UserFactory(username="their-owner", role="Action owners", organisation=other)
    return other


def test_an_officer_can_name_the_council_or_a_partner(client_for, officer, plan, partner, council):
    api = client_for(officer)
    for organisation in (partner, council):
        response = api.patch(f"/api/v1/actions/{plan.pk}/", {"organisation": organisation.pk})
        assert response.status_code == 200, response.json()
        assert response.json()["organisation"] == organisation.pk


def test_another_council_is_refused_like_an_organisation_that_does_not_exist(
    client_for, officer, director, plan, elsewhere
):
    officer_api, director_api = client_for(officer), client_for(director)
    requests = {
        "patch": lambda org: officer_api.patch(
            f"/api/v1/actions/{plan.pk}/", {"organisation": org}, format="json"
        ),
        "draft": lambda org: officer_api.post(
            "/api/v1/actions/",
            {
                "plan": plan.plan_id,
                "recommendations": [plan.recommendations.get().pk],
                "title": "New",
                "organisation": org,
            },
            format="json",
        ),
        "assign": lambda org: director_api.post(
            f"/api/v1/actions/{plan.pk}/assign-owner/",
            {"owner": plan.owner_id, "organisation": org},
            format="json",
        ),
    }
    for name, send in requests.items():
        theirs, nobody = send(elsewhere.pk), send(999_999)
        assert theirs.status_code == nobody.status_code == 400, name
        assert _errors(theirs, elsewhere.pk) == _errors(nobody, 999_999), name
    plan.refresh_from_db()
    assert plan.organisation_id != elsewhere.pk
    assert Action.objects.filter(organisation=elsewhere).count() == 0


def _errors(response, pk: int) -> list:
    """The problem's errors, with the id sent written the same way."""
    return [
        {**error, "message": error["message"].replace(str(pk), "ID")}
        for error in response.json()["errors"]
    ]


def test_the_service_refuses_another_council_whoever_calls_it(officer, plan, elsewhere):
    with pytest.raises(DomainError, match="the council or one of its partner organisations"):
        services.update_details(
            action=plan, by=officer, expected_version=None, organisation=elsewhere
        )


def test_the_page_offers_only_the_council_and_its_partners(
    client, officer, plan, partner, council, elsewhere
):
    client.force_login(officer)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert partner.name in page and council.name in page
    assert "Elsewhere Council" not in page

    response = client.post(
        f"/actions/{plan.pk}/edit/",
        {"edit-version": plan.version, "edit-title": plan.title, "edit-organisation": elsewhere.pk},
    )
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.organisation_id is None


def test_a_legacy_action_naming_another_council_does_not_list_its_people(
    client_for, officer, plan, elsewhere
):
    # Written before the rule, straight into the database.
    Action.objects.filter(pk=plan.pk).update(organisation=elsewhere)
    api = client_for(officer)
    people = {u["username"] for u in api.get("/api/v1/users/?page_size=100").json()["results"]}
    organisations = {o["name"] for o in api.get("/api/v1/organisations/").json()["results"]}
    assert "their-director" not in people and "their-owner" not in people
    assert "owner" in people  # the plan's own people are still there
    assert "Elsewhere Council" not in organisations
    assert "Test Council" in organisations
