"""A plan's authority: an existing council the importing person may act for.

What is promised (docs/security.md, "A plan's authority"): the page, the API and the
command line never put a plan under a council the importer may not act for; the name a
report prints never creates an organisation; a token limited to one council cannot be
steered to another (nor to a duplicate of its own spelt in another case); importing a
report grants no rights over anyone's plan; and the council's whole team (and its
partners) sees the new plan at once.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from core.models import Organisation
from core.tokens.services import create_token
from inspections import services
from inspections.importing import parse_report
from inspections.models import Inspection
from plans.permissions import can
from tests.dates import date_post
from tests.factories import InspectionFactory, OrganisationFactory, UserFactory
from tests.inspections.test_import_journeys import review_form

pytestmark = pytest.mark.django_db

REPORT = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
DERBYSHIRE = REPORT / "derbyshire-2011-safeguarding-lac.txt"  # prints "Derbyshire"


@pytest.fixture
def council() -> Organisation:
    return OrganisationFactory(name="Test Council")


@pytest.fixture
def other_council() -> Organisation:
    return OrganisationFactory(name="Other Council")


@pytest.fixture
def officer(council):
    return UserFactory(role="Policy officers", username="officer", organisation=council)


def review(client, officer) -> tuple[str, dict]:
    """Upload the report as the officer; the review page's URL and its form, unchanged."""
    client.force_login(officer)
    location = client.post(
        "/inspections/import/",
        {"report": SimpleUploadedFile(DERBYSHIRE.name, DERBYSHIRE.read_bytes())},
    )["Location"]
    page = client.get(location)
    assert page.status_code == 200
    return location, {**review_form(page), "confirm": "1"}


def api_for(user, organisation: Organisation | None = None) -> APIClient:
    secret = create_token(name="system", user=user, scope="read-write", organisation=organisation)[
        1
    ]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


def api_upload(api: APIClient) -> str:
    response = api.post(
        "/api/v1/imports/",
        {"report": SimpleUploadedFile(DERBYSHIRE.name, DERBYSHIRE.read_bytes())},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


# Confirming under another council is refused, whichever way in.


def test_the_page_refuses_another_councils_authority(client, officer, other_council):
    location, data = review(client, officer)
    data["plan-local_authority"] = str(other_council.pk)
    data["details-local_authority"] = other_council.name  # the old free-text field

    response = client.post(location, data)

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Inspection.objects.exists()


def test_the_page_offers_only_the_councils_one_may_act_for(client, officer, other_council):
    partner_of = OrganisationFactory(name="Neighbour Council")
    officer.organisation.partner_of.add(partner_of)
    location, _ = review(client, officer)

    choices = client.get(location).context["plan"].fields["local_authority"].queryset

    assert set(choices) == {officer.organisation, partner_of}


def test_the_import_service_refuses_another_councils_authority(officer, other_council):
    parsed = parse_report(DERBYSHIRE.read_bytes(), DERBYSHIRE.name)

    with pytest.raises(services.AuthorityRefused):
        services.import_report(
            parsed=parsed,
            data=DERBYSHIRE.read_bytes(),
            filename=DERBYSHIRE.name,
            imported_by=officer,
            authority=other_council,
        )
    assert not Inspection.objects.exists()


def test_the_api_refuses_another_councils_authority(officer, other_council):
    api = api_for(officer)
    pending = api_upload(api)

    response = api.post(
        f"/api/v1/imports/{pending}/confirm/", {"local_authority": other_council.pk}, format="json"
    )

    assert response.status_code == 403
    assert not Inspection.objects.exists()


# The printed name never creates an organisation.


def test_confirming_on_the_page_creates_no_organisation(client, officer):
    location, data = review(client, officer)
    before = set(Organisation.objects.values_list("name", flat=True))

    response = client.post(location, data)

    assert response.status_code == 302
    assert Inspection.objects.get().local_authority == officer.organisation
    assert set(Organisation.objects.values_list("name", flat=True)) == before


def test_an_edited_name_through_the_api_creates_no_organisation(officer):
    api = api_for(officer)
    pending = api_upload(api)
    result = api.get(f"/api/v1/imports/{pending}/").json()["result"]
    before = Organisation.objects.count()

    response = api.post(
        f"/api/v1/imports/{pending}/confirm/",
        {"result": {**result, "local_authority": "Brand New Borough Council"}},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert Organisation.objects.count() == before
    assert Inspection.objects.get().local_authority == officer.organisation


def test_the_command_refuses_a_council_that_does_not_exist(db):
    OrganisationFactory(name="Derby City Council")  # exists, but is not Derbyshire
    before = Organisation.objects.count()

    with pytest.raises((CommandError, SystemExit)):
        call_command("import_report", str(DERBYSHIRE), stdout=io.StringIO(), stderr=io.StringIO())

    assert Organisation.objects.count() == before
    assert not Inspection.objects.exists()


# A token limited to one council.


def test_a_name_differing_only_in_case_does_not_make_a_duplicate_council(officer, council):
    api = api_for(officer, organisation=council)
    pending = api_upload(api)
    result = api.get(f"/api/v1/imports/{pending}/").json()["result"]

    response = api.post(
        f"/api/v1/imports/{pending}/confirm/",
        {"result": {**result, "local_authority": "TEST COUNCIL"}},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert Organisation.objects.filter(name__iexact="test council").count() == 1
    assert Inspection.objects.get().local_authority == council


def test_a_limited_token_cannot_name_another_council_the_person_may_act_for(officer, council):
    neighbour = OrganisationFactory(name="Neighbour Council")
    council.partner_of.add(neighbour)
    api = api_for(officer, organisation=council)
    pending = api_upload(api)

    response = api.post(
        f"/api/v1/imports/{pending}/confirm/", {"local_authority": neighbour.pk}, format="json"
    )

    assert response.status_code == 403
    assert not Inspection.objects.exists()


# Importing grants nothing; the council's team sees the plan.


def test_importing_grants_no_rights_over_another_councils_plan(client, officer, other_council):
    theirs = InspectionFactory(local_authority=other_council, imported_by=officer)
    client.force_login(officer)

    assert client.get(theirs.get_absolute_url()).status_code == 404
    response = client.post(
        f"/inspections/{theirs.pk}/deadline/",
        {"which": "plan", "reason": "Mine now", **date_post("new_date", "2030-01-01")},
    )
    assert response.status_code == 404
    assert not can(officer, "actions.draft_action", theirs)
    assert not can(officer, "inspections.change_deadline", theirs)


def test_the_whole_council_sees_the_new_plan_at_once(client, officer, council, other_council):
    partner = OrganisationFactory(name="County NHS Trust", kind=Organisation.Kind.NHS)
    partner.partner_of.add(council)
    team = [
        UserFactory(role="Directors", organisation=council),
        UserFactory(role="Action owners", organisation=council),
        UserFactory(role="Readers", organisation=council),
        UserFactory(role="Readers", organisation=partner),
    ]
    elsewhere = UserFactory(role="Policy officers", organisation=other_council)
    location, data = review(client, officer)
    client.post(location, data)
    plan = Inspection.objects.get()

    for person in team:
        client.force_login(person)
        assert client.get(plan.get_absolute_url()).status_code == 200, person
    client.force_login(elsewhere)
    assert client.get(plan.get_absolute_url()).status_code == 404
