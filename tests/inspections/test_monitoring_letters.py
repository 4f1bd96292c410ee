"""Monitoring visit letters are accepted: their findings become items to respond to.

No real monitoring letter is among the samples or the corpus: the three letters in
tests/fixtures/monitoring/ were written in the shape Ofsted's monitoring letters take
(areas covered, headline findings, findings and evaluation of progress, the standard
close), one with findings only in prose, one with an "Areas for development" list, and
one with nothing left to improve.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.importing import parse_report
from inspections.models import Inspection
from tests.inspections.test_import_journeys import review_form

LETTERS = Path(__file__).resolve().parents[1] / "fixtures" / "monitoring"
PROSE = LETTERS / "northshire-2024-monitoring-visit.txt"
LISTED = LETTERS / "westmoor-2023-monitoring-visit.txt"
NOTHING = LETTERS / "eastvale-2025-monitoring-visit.txt"


def read(path: Path):
    return parse_report(path.read_bytes(), path.name)


def test_findings_in_prose_are_proposed_as_items_in_the_letters_words():
    report = read(PROSE)
    assert report.inspection_type == "monitoring_visit"
    assert report.local_authority == "Northshire"
    assert (report.inspection_start.isoformat(), report.inspection_end.isoformat()) == (
        "2024-02-06",
        "2024-02-07",
    )
    texts = [r.text for r in report.recommendations]
    assert texts == [
        "Management oversight of children's plans is not yet consistent.",
        "Supervision records are often brief and do not give social workers clear direction, "
        "so drift in some children's plans is not identified quickly enough.",
        "The quality of supervision needs to improve so that it consistently challenges "
        "practice and drives children's plans forward.",
        "Contingency planning in a small number of plans is still too vague.",
        "The reliance on agency social workers remains high in the long-term teams.",
    ]
    assert {r.section for r in report.recommendations} == {"Findings and evaluation of progress"}
    # What went well, the areas covered (from the earlier inspection) and the close are not
    # items.
    assert not any("Strategy meetings" in t or "Ofsted will take" in t for t in texts)
    assert any("picked out by the service" in w for w in report.warnings)


def test_a_list_of_areas_for_development_is_read_as_the_items():
    report = read(LISTED)
    assert report.inspection_type == "monitoring_visit"
    assert [r.text for r in report.recommendations] == [
        "The timeliness of permanence planning for children who cannot return home, so that "
        "every child has a permanence plan by their second review.",
        "The use of the Public Law Outline, so that pre-proceedings work is tracked and does "
        "not drift.",
        "The quality of life-story work for children in long-term foster care.",
    ]


def test_a_letter_with_nothing_to_improve_is_read_with_no_items_and_a_warning():
    report = read(NOTHING)
    assert report.inspection_type == "monitoring_visit"
    assert report.recommendations == []
    assert any("add the findings the plan must respond to by hand" in w for w in report.warnings)


@pytest.mark.parametrize("path", [PROSE, LISTED, NOTHING], ids=lambda p: p.stem)
def test_letters_state_no_plan_deadline(path):
    report = read(path)
    assert report.stated_plan_due_date is None
    assert report.stated_draft_plan_due_date is None


def test_printed_to_pdf_the_letter_gives_the_same_items():
    from tests.inspections.test_import_rendered_pdf import render_text

    pytest.importorskip("weasyprint")
    pdf = render_text(PROSE.read_text(), "Monitoring visit")
    printed = parse_report(pdf, "letter.pdf")
    assert [r.text for r in printed.recommendations] == [
        r.text for r in read(PROSE).recommendations
    ]
    assert printed.inspection_type == "monitoring_visit"


@pytest.mark.django_db
def test_the_officer_enters_a_letters_findings_by_hand_one_after_another(client, officer):
    client.force_login(officer)
    location = client.post(
        "/inspections/import/", {"report": SimpleUploadedFile(NOTHING.name, NOTHING.read_bytes())}
    )["Location"]
    review = client.get(location)
    body = review.content.decode()
    assert "0 recommendations found" in body
    assert '<details class="govuk-details" id="edit-items" open>' in body

    findings = [
        "Leaders should sustain the range of supported lodgings.",
        "Pathway plans for young people in custody are not yet reviewed on release.",
    ]
    data = review_form(review)
    for finding in findings:
        index = int(data["recommendations-TOTAL_FORMS"]) - 1  # the empty row
        data[f"recommendations-{index}-text"] = finding
        again = client.post(location, {**data, "check": "items"})
        assert again.status_code == 200
        data = review_form(again)  # the items kept, and an empty row again
    confirmed = client.post(location, {**data, "confirm": "1"})

    inspection = Inspection.objects.get()
    assert confirmed.status_code == 302
    assert inspection.inspection_type == "monitoring_visit"
    assert list(inspection.recommendations.values_list("text", flat=True)) == findings
