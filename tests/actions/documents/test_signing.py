"""The submission's cover is signed by a director of the plan's council: the form offers
that council's directors, a director signs a version, and nobody else can be named."""

import pytest
from django.urls import reverse

from actions.documents.models import DocumentVersion
from tests.dates import date_post

from .conftest import person


def _signatories_offered(client, plan) -> dict[str, str]:
    response = client.get(reverse("documents-source", args=[plan.plan.pk, plan.inspection.pk]))
    assert response.status_code == 200
    field = response.context["submission_form"]["signed_by"]
    return {str(value): label for value, label in field.field.choices}


@pytest.fixture
def dana(db):
    return person(
        "dana", "Directors", first_name="Dana", last_name="Director",
        job_title="Director of children's services",
    )  # fmt: skip


def test_the_form_offers_the_councils_directors_and_no_one_else(
    client, plan, dana, outsider, officer
):
    client.force_login(officer)
    offered = _signatories_offered(client, plan)
    assert offered[str(dana.pk)] == "Dana Director, Director of children's services"
    assert str(outsider.pk) not in offered
    assert str(officer.pk) not in offered


def test_a_director_signs_a_version_of_their_councils_plan(client, plan, dana):
    client.force_login(dana)
    response = client.post(
        reverse("documents-generate-submission", args=[plan.plan.pk, plan.inspection.pk]),
        {"format": "docx", "signed_by": dana.pk, **date_post("signed_on", "2024-05-20")},
    )
    version = DocumentVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == version.get_absolute_url()
    assert version.snapshot["sign_off"] == {
        "name": "Dana Director",
        "job_title": "Director of children's services",
        "date": "2024-05-20",
    }
    printed = client.get(reverse("documents-version-print", args=[version.pk])).content.decode()
    assert "Dana Director" in printed


def test_another_councils_director_is_refused(client, plan, dana, outsider):
    client.force_login(dana)
    response = client.post(
        reverse("documents-generate-submission", args=[plan.plan.pk, plan.inspection.pk]),
        {"format": "docx", "signed_by": outsider.pk},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not DocumentVersion.objects.exists()


def test_with_no_director_the_form_says_why_no_one_can_sign(client, plan, officer, outsider):
    client.force_login(officer)
    offered = _signatories_offered(client, plan)
    assert offered == {"": "Not signed yet"}
    page = client.get(
        reverse("documents-source", args=[plan.plan.pk, plan.inspection.pk])
    ).content.decode()
    assert "No director of Test Council has an account yet, so no one can be chosen." in page
