"""Importing a report: upload → review → confirm (optionally corrected); duplicates 409."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Organisation
from inspections.models import Inspection, PendingImport
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
REPORT = Path("tests/fixtures/reports/derbyshire-2011-safeguarding-lac.txt")


def upload(api, content: bytes | None = None):
    data = REPORT.read_bytes() if content is None else content
    return api.post(
        "/api/v1/imports/", {"report": SimpleUploadedFile(REPORT.name, data)}, format="multipart"
    )


def test_an_upload_returns_the_parsed_result_for_review(client_for, officer):
    response = upload(client_for(officer))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["result"]["recommendations"]) == 13
    assert body["result"]["inspection_type"] == "safeguarding_lac"
    assert PendingImport.objects.get().token == body["id"]
    assert not Inspection.objects.exists()


def test_confirming_imports_what_was_parsed(client_for, officer):
    api = client_for(officer)
    pending = upload(api).json()
    response = api.post(
        f"/api/v1/imports/{pending['id']}/confirm/", {"received_date": "2011-06-01"}
    )
    assert response.status_code == 201, response.json()
    inspection = Inspection.objects.get()
    assert response.json()["id"] == inspection.pk
    assert response.json()["recommendation_count"] == 13
    assert str(inspection.received_date) == "2011-06-01"
    assert not PendingImport.objects.exists()


def test_confirming_an_edited_result_imports_the_edits(client_for, officer):
    api = client_for(officer)
    pending = upload(api).json()
    edited = pending["result"]
    edited["recommendations"] = edited["recommendations"][:2]
    edited["recommendations"][0]["text"] = "Corrected text."
    edited["local_authority"] = "Derbyshire County Council"
    response = api.post(f"/api/v1/imports/{pending['id']}/confirm/", {"result": edited})
    assert response.status_code == 201, response.json()
    inspection = Inspection.objects.get()
    # The plan is the officer's council's: the printed name never makes an organisation.
    assert inspection.local_authority == officer.organisation
    assert not Organisation.objects.filter(name__icontains="Derbyshire").exists()
    assert inspection.recommendations.order_by("order").first().text == "Corrected text."
    assert inspection.recommendations.count() == 2


def test_an_edited_result_is_validated(client_for, officer):
    api = client_for(officer)
    pending = upload(api).json()
    edited = {**pending["result"], "recommendations": [], "inspection_type": "nonsense"}
    response = api.post(f"/api/v1/imports/{pending['id']}/confirm/", {"result": edited})
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"result.recommendations", "result.inspection_type"} <= fields


def test_a_report_imported_before_is_409_with_a_link(client_for, officer):
    api = client_for(officer)
    pending = upload(api).json()
    api.post(f"/api/v1/imports/{pending['id']}/confirm/", {})
    response = upload(api)
    assert response.status_code == 409
    existing = Inspection.objects.get()
    body = response.json()
    assert body["code"] == "duplicate" and body["existing"]["id"] == existing.pk
    assert body["existing"]["url"].endswith(f"/api/v1/inspections/{existing.pk}/")


def test_a_report_another_council_imported_is_409_without_telling_which_plan(client_for, officer):
    api = client_for(officer)
    pending = upload(api).json()
    api.post(f"/api/v1/imports/{pending['id']}/confirm/", {})
    elsewhere = UserFactory(role="Policy officers", organisation__name="Another Council")

    response = upload(client_for(elsewhere))

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate"
    assert "existing" not in body
    existing = Inspection.objects.get()
    assert str(existing) not in response.content.decode()
    assert str(existing.pk) not in body["detail"]


def test_an_unreadable_file_is_422_with_the_parsers_message(client_for, officer):
    response = upload(client_for(officer), content=b"%PDF-1.4 broken")
    assert response.status_code == 422
    assert "PDF" in response.json()["detail"]


def test_abandoning_removes_the_pending_import(client_for, officer):
    api = client_for(officer)
    pending = upload(api).json()
    assert api.delete(f"/api/v1/imports/{pending['id']}/").status_code == 204
    assert not PendingImport.objects.exists()


def test_someone_elses_pending_import_is_not_found(client_for, officer):
    from tests.factories import UserFactory

    pending = upload(client_for(officer)).json()
    colleague = UserFactory(role="Policy officers", username="colleague")
    assert client_for(colleague).get(f"/api/v1/imports/{pending['id']}/").status_code == 404


def test_a_token_limited_to_another_authority_cannot_confirm(client_for, officer, council):
    neighbour = OrganisationFactory(name="Neighbour Council")
    council.partner_of.add(neighbour)  # the officer may act for both councils
    api = client_for(officer, organisation=council)
    pending = upload(api).json()
    response = api.post(
        f"/api/v1/imports/{pending['id']}/confirm/", {"local_authority": neighbour.pk}
    )
    assert response.status_code == 403
    assert not Inspection.objects.exists()


def test_confirming_names_the_council_by_id(client_for, officer, council):
    neighbour = OrganisationFactory(name="Neighbour Council")
    council.partner_of.add(neighbour)
    api = client_for(officer)
    pending = upload(api).json()
    response = api.post(
        f"/api/v1/imports/{pending['id']}/confirm/", {"local_authority": neighbour.pk}
    )
    assert response.status_code == 201, response.json()
    assert Inspection.objects.get().local_authority == neighbour


def test_a_date_of_receipt_that_cannot_be_is_refused_on_its_field(client_for, officer):
    """The page's rule (Inspection.check_received_date): not still to come, not before the
    inspection's last day (Derbyshire's: 18 March 2011)."""
    api = client_for(officer)
    pending = upload(api).json()
    confirm = f"/api/v1/imports/{pending['id']}/confirm/"
    for date, words in (("2099-01-01", "today or in the past"), ("2011-03-01", "18 March 2011")):
        response = api.post(confirm, {"received_date": date})
        assert response.status_code == 422, response.json()
        assert words in str(response.json())
        assert "received_date" in str(response.json())
    assert not Inspection.objects.exists()
