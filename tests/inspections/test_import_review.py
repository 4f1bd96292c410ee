"""The review page of an import: what was read, the date received and the deadline it
gives, the dates in day/month/year boxes; and the text box of the upload page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.importing.result import ParsedRecommendation, ParsedReport
from inspections.models import Inspection, PendingImport
from tests.dates import date_post
from tests.factories import OrganisationFactory, UserFactory
from tests.inspections.test_import_journeys import review_form

pytestmark = pytest.mark.django_db

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
DERBYSHIRE = REPORTS / "derbyshire-2011-safeguarding-lac.txt"
ST_HELENS = REPORTS / "st-helens-2018-focused-visit.pdf"


def pending_for(user, report: ParsedReport) -> PendingImport:
    """A report waiting for review, as the upload leaves it."""
    pending = PendingImport(uploaded_by=user, filename="report.pdf", result=report.to_dict())
    pending.file.save("report.pdf", ContentFile(b"%PDF-1.7 a report"), save=False)
    pending.save()
    return pending


def review_url(pending: PendingImport) -> str:
    return f"/inspections/import/{pending.token}/review/"


def told(response) -> str:
    """The messages a response leaves for the next page."""
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def box(body: str, name: str) -> str:
    """The value typed in one of a date's boxes on the page."""
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', body).group()
    return re.search(r'value="([^"]*)"', tag).group(1)


NEW_FORMAT = ParsedReport(
    local_authority="Bury",
    inspection_type="ilacs",
    inspection_start=dt.date(2025, 6, 9),
    inspection_end=dt.date(2025, 6, 20),
    publication_date=dt.date(2025, 7, 29),
    recommendations=[
        ParsedRecommendation(
            section="What needs to improve?",
            timescale="none",
            text="The quality of supervision (outcome 4, national framework).",
            framework_kind="outcome",
            framework_number=4,
            framework_name="Children in care and care leavers have stable, loving homes",
        )
    ],
)


def test_the_page_shows_what_was_read_and_the_dates_in_their_boxes(client, officer):
    client.force_login(officer)
    body = client.get(review_url(pending_for(officer, NEW_FORMAT))).content.decode()

    assert "Bury" in body  # the authority as printed
    assert "9 June 2025 to 20 June 2025" in body
    assert "29 July 2025" in body
    assert "1 recommendation found" in body and "1 recommendations" not in body
    assert "National framework: Outcome 4: Children in care" in body
    assert [box(body, f"details-inspection_start_{p}") for p in ("day", "month", "year")] == [
        "9",
        "6",
        "2025",
    ]
    assert box(body, "details-publication_date_year") == "2025"
    assert "When did the council receive the report?" in body
    assert "The plan deadline counts from this date" in body


def test_the_deadline_counts_from_publication_until_a_receipt_date_is_given(client, officer):
    client.force_login(officer)
    url = review_url(pending_for(officer, NEW_FORMAT))
    first = client.get(url)
    # 70 working days after 29 July 2025, not counting the bank holiday of 25 August
    assert first.context["summary"].plan_due_date == dt.date(2025, 11, 5)
    assert "5 November 2025" in first.content.decode()
    assert "70 working days from publication" in first.content.decode()

    data = {**review_form(first), **date_post("plan-received_date", "2025-08-04"), "check": "1"}
    again = client.post(url, data)

    assert again.status_code == 200
    assert again.context["summary"].plan_due_date == dt.date(2025, 11, 11)
    assert "11 November 2025" in again.content.decode()
    assert box(again.content.decode(), "plan-received_date_day") == "4"
    assert not Inspection.objects.exists()  # working it out saves nothing


def test_a_focused_visit_with_priority_actions_shows_the_draft_plan_deadline(client, officer):
    client.force_login(officer)
    location = client.post(
        "/inspections/import/",
        {"report": SimpleUploadedFile(ST_HELENS.name, ST_HELENS.read_bytes())},
    )["Location"]
    body = client.get(location).content.decode()

    assert "Draft plan deadline" in body
    assert "10 September 2018" in body  # stated in the letter
    assert "3 December 2018" in body


def test_a_wrong_date_gives_the_govuk_message_and_keeps_what_was_typed(client, officer):
    client.force_login(officer)
    url = review_url(pending_for(officer, NEW_FORMAT))
    data = {
        **review_form(client.get(url)),
        "plan-received_date_day": "31",
        "plan-received_date_month": "2",
        "plan-received_date_year": "2025",
        "details-inspection_end_month": "",
        "confirm": "1",
    }

    response = client.post(url, data)

    body = response.content.decode()
    assert response.status_code == 400
    assert "The date the report was received must be a real date" in body
    assert "The date the inspection ended must include a month" in body
    assert box(body, "plan-received_date_day") == "31"
    assert '<details class="govuk-details" open>' in body  # the details with the error
    assert not Inspection.objects.exists()


def test_confirming_keeps_the_dates_and_the_cross_reference(client, officer):
    client.force_login(officer)
    url = review_url(pending_for(officer, NEW_FORMAT))
    data = {**review_form(client.get(url)), **date_post("plan-received_date", "2025-08-04")}

    response = client.post(url, {**data, "confirm": "1"})

    inspection = Inspection.objects.get()
    assert response["Location"] == inspection.plan.get_absolute_url()  # a new plan
    assert inspection.inspection_start == dt.date(2025, 6, 9)
    assert inspection.inspection_end == dt.date(2025, 6, 20)
    assert inspection.publication_date == dt.date(2025, 7, 29)
    assert inspection.received_date == dt.date(2025, 8, 4)
    assert inspection.plan_due_date == dt.date(2025, 11, 11)
    recommendation = inspection.recommendations.get()
    assert (recommendation.framework_kind, recommendation.framework_number) == ("outcome", 4)
    assert recommendation.framework_name.startswith("Children in care")
    assert "Imported 1 recommendation into" in told(response)


def test_a_council_that_is_not_named_in_the_report_is_a_warning(client, officer):
    client.force_login(officer)
    body = client.get(review_url(pending_for(officer, NEW_FORMAT))).content.decode()

    assert "The report names “Bury”, not Test Council." in body
    assert f'value="{officer.organisation.pk}" checked' in body


def test_the_named_council_gives_no_warning(client):
    from tests.factories import UserFactory

    bury = OrganisationFactory(name="Bury Metropolitan Borough Council")
    officer = UserFactory(role="Policy officers", organisation=bury)
    client.force_login(officer)
    body = client.get(review_url(pending_for(officer, NEW_FORMAT))).content.decode()

    assert "The report names" not in body


# The upload page: a file, or text copied from the report.


def test_text_pasted_from_a_report_is_read_like_a_file(client, officer):
    client.force_login(officer)
    response = client.post("/inspections/import/", {"text": DERBYSHIRE.read_text()})

    assert response.status_code == 302
    pending = PendingImport.objects.get()
    assert len(pending.result["recommendations"]) == 13


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose the report file, or paste the text of the report."),
        ({"text": "   "}, "Choose the report file, or paste the text of the report."),
        (
            {"text": "Recommendations", "report": "file"},
            "Upload the report or paste its text, not both.",
        ),
    ],
)
def test_both_or_neither_is_refused_clearly(client, officer, data, message):
    client.force_login(officer)
    if data.get("report"):
        data = {**data, "report": SimpleUploadedFile(DERBYSHIRE.name, DERBYSHIRE.read_bytes())}

    response = client.post("/inspections/import/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()


def test_pasted_text_that_is_not_a_report_is_kept_to_correct(client, officer):
    client.force_login(officer)
    response = client.post("/inspections/import/", {"text": "Shopping list: eggs, milk."})

    assert response.status_code == 400
    body = response.content.decode()
    assert "No recommendations could be found" in body
    assert "Shopping list: eggs, milk.</textarea>" in body


CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
NOTHING_TO_IMPROVE = CORPUS / "barnsley-children-s-services-focused-visit-05-december-2024.pdf"


def test_a_letter_naming_nothing_to_improve_becomes_a_plan_with_no_recommendations(client, officer):
    if not NOTHING_TO_IMPROVE.exists():
        pytest.skip(f"the corpus of real reports is not beside the project ({CORPUS})")
    client.force_login(officer)
    upload = SimpleUploadedFile("letter.pdf", NOTHING_TO_IMPROVE.read_bytes())
    response = client.post("/inspections/import/", {"report": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    review = client.get(response["Location"])
    body = review.content.decode()
    assert "names nothing to improve" in body
    assert "0 recommendations found" in body

    confirmed = client.post(response["Location"], {**review_form(review), "confirm": "1"})

    inspection = Inspection.objects.get()
    assert confirmed["Location"] == inspection.plan.get_absolute_url()
    assert inspection.recommendations.count() == 0
    assert inspection.inspection_type == "focused_visit"
    assert "Imported 0 recommendations" in told(confirmed)


def test_a_report_another_council_imported_is_refused_without_naming_their_plan(client, officer):
    client.force_login(officer)
    first = client.post(
        "/inspections/import/", {"report": SimpleUploadedFile("r.pdf", ST_HELENS.read_bytes())}
    )
    review = client.get(first["Location"])
    client.post(first["Location"], {**review_form(review), "confirm": "1"})
    existing = Inspection.objects.get()
    elsewhere = UserFactory(role="Policy officers", organisation__name="Another Council")
    client.force_login(elsewhere)

    response = client.post(
        "/inspections/import/", {"report": SimpleUploadedFile("r.pdf", ST_HELENS.read_bytes())}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "already been imported for another council" in body
    assert existing.get_absolute_url() not in body
    assert str(existing) not in body
