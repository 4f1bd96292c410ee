"""The submission in Word, PDF and HTML: every recommendation verbatim, in report order,
with its actions; the same content in every format; a draft says so on every page."""

import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from actions.documents import submission_docx, submission_pdf
from actions.documents.snapshot import build_submission_snapshot
from tests.factories import InspectionFactory

from .conftest import REPORT
from .helpers import (
    docx_blocks,
    docx_header_text,
    in_order,
    pdf_table_rows,
    pdf_text,
    squash,
)

SIGN_OFF = {
    "name": "Jo Director",
    "job_title": "Director of children's services",
    "date": "2024-05-20",
}


@pytest.fixture
def ready_snapshot(plan):
    return build_submission_snapshot(plan.plan, plan.inspection, sign_off=SIGN_OFF)


@pytest.fixture
def draft_snapshot(incomplete_plan):
    return build_submission_snapshot(incomplete_plan.plan, incomplete_plan.inspection)


@pytest.fixture(scope="module")
def rendered():
    """Render each snapshot once per format: PDFs take a moment."""
    cache = {}

    def render(kind, snapshot):
        key = (kind, json.dumps(snapshot, sort_keys=True))
        if key not in cache:
            renderer = submission_docx.render if kind == "docx" else submission_pdf.render
            cache[key] = renderer(snapshot)
        return cache[key]

    return render


def _expected_action_rows(plan):
    return [
        (f"{rec_ref}.{n}", action.title)
        for rec_ref, rec in enumerate(plan.recommendations, 1)
        for n, action in enumerate(rec.actions.order_by("order", "id"), 1)
    ]


def test_word_has_every_recommendation_verbatim_in_report_order(plan, ready_snapshot, rendered):
    blocks = docx_blocks(rendered("docx", ready_snapshot))
    texts = [squash(r[3]) for r in REPORT]
    positions = [blocks.index(text) for text in texts]
    assert positions == sorted(positions)
    assert [b for b in blocks if b.startswith("Recommendation ")][:4] == [
        "Recommendation 1",
        "Recommendation 2",
        "Recommendation 3",
        "Recommendation 4",
    ]


def test_word_lists_each_recommendations_actions_in_a_real_table(plan, ready_snapshot, rendered):
    document = Document(io.BytesIO(rendered("docx", ready_snapshot)))
    rows = [
        [squash(c.text) for c in row.cells]
        for table in document.tables
        for row in table.rows
        if row.cells[0].text[:1].isdigit() and len(row.cells) == 7
    ]
    assert [(r[0], r[1]) for r in rows] == _expected_action_rows(plan)
    first = rows[0]
    assert first[2] == "Alice Owner Head of safeguarding Test Council"
    assert first[3] == "15 Apr 2024"
    assert first[4] == "Outcome of “Audit every child in need plan and review those out of date”."
    assert first[5].startswith("Measure for Audit every child in: baseline 60%, target 90%")
    assert first[6] == "Resources: Two team managers' time Risks: Staff turnover"
    header = document.tables[2].rows[0]
    assert header._tr.trPr.xml.count("tblHeader") == 1  # repeats on every page


def test_word_uses_heading_styles_for_its_structure(ready_snapshot, rendered):
    document = Document(io.BytesIO(rendered("docx", ready_snapshot)))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", "Test Council: improvement plan")
    assert ("Heading 1", "Recommendations and actions") in headings
    assert ("Heading 2", "Safeguarding: areas for improvement: immediately") in headings
    assert ("Heading 3", "Recommendation 1") in headings
    assert ("Heading 1", "Appendix: closing the loop") in headings


def test_word_cover_gives_authority_dates_judgements_deadline_and_sign_off(
    plan, ready_snapshot, rendered
):
    blocks = docx_blocks(rendered("docx", ready_snapshot))
    deadline = plan.inspection.plan_due_date
    assert in_order(
        " | ".join(blocks),
        [
            "Local authority | Test Council",
            "Inspection | Safeguarding and looked after children (2009–12)",
            "Inspection dates | 8 January 2024 to 19 January 2024",
            "Report published | 1 March 2024",
            # the fixture's report has no date of receipt: it counts from publication
            f"Plan submission deadline | {deadline.day} {deadline:%B %Y} "
            "(70 working days from publication, as no date of receipt is entered)",
            "Signed off by | Jo Director, Director of children's services, 20 May 2024",
            "Overall effectiveness (safeguarding) | Grade 3 (Adequate)",
            "Capacity for improvement | Grade 2 (Good)",
        ],
    )


def test_the_submission_names_its_report_by_kind_and_year(ready_snapshot, rendered):
    """Two reports of one kind feed a plan over the years: "Our response to the
    Inspection of local authority children's services" did not say which."""
    words = "Our response to the Safeguarding and looked after children (2009–12) (2024)."
    assert words in docx_blocks(rendered("docx", ready_snapshot))
    html = submission_pdf.render_html(ready_snapshot, stylesheet_url="/documents/document.css")
    assert words in html


def test_word_appendix_gives_measures_readings_travel_and_evidence(ready_snapshot, rendered):
    blocks = " | ".join(docx_blocks(rendered("docx", ready_snapshot)))
    assert (
        "1.1.1 | Audit every child in need plan and review those out of date | "
        "Measure for Audit every child in | 60% | 90% | 70% on 1 Jun 2024 | Worsening | "
        "Improving | Audit report to the board (https://intranet.example.org/audit)"
    ) in blocks
    assert "Health assessment tracker (tracker.xlsx)" in blocks
    assert (
        "4.1.1 | Give every care leaver a health summary | "
        "Measure for Give every care leav | 60% | 90% | No reading yet"
    ) in blocks


def test_a_complete_plan_in_word_has_no_draft_mark(ready_snapshot, rendered):
    data = rendered("docx", ready_snapshot)
    assert "DRAFT" not in docx_header_text(data).upper()
    assert not any("draft" in b.lower() for b in docx_blocks(data))
    assert (
        b"DraftWatermark" not in Document(io.BytesIO(data)).sections[0].header._element.xml.encode()
    )


def test_an_incomplete_plan_in_word_is_marked_draft_on_every_page(draft_snapshot, rendered):
    data = rendered("docx", draft_snapshot)
    document = Document(io.BytesIO(data))
    assert "DRAFT — INCOMPLETE: NOT READY TO SUBMIT" in docx_header_text(data)
    assert "DraftWatermark" in document.sections[0].header._element.xml
    # Later sections inherit the first section's header: no section has its own.
    assert all(s.header.is_linked_to_previous for s in document.sections[1:])
    blocks = docx_blocks(data)
    assert "Still to answer before submission" in blocks
    assert any(b.startswith("Recommendation 5 (needs an action)") for b in blocks)


def test_pdf_has_every_recommendation_verbatim_in_report_order(ready_snapshot, rendered):
    text = pdf_text(rendered("pdf", ready_snapshot))
    assert in_order(text, [squash(r[3]) for r in REPORT])
    assert in_order(text, ["Recommendations and actions", "Appendix: closing the loop"])


def test_pdf_lists_the_same_actions_in_the_same_order_as_word(plan, ready_snapshot, rendered):
    rows = pdf_table_rows(rendered("pdf", ready_snapshot))
    plan_rows = [(r[0], r[1]) for r in rows if len(r) == 7 and r[0][:1].isdigit()]
    assert plan_rows == _expected_action_rows(plan)
    first = next(r for r in rows if len(r) == 7 and r[0] == "1.1")
    assert first[2] == "Alice Owner Head of safeguarding Test Council"
    assert first[4] == "Outcome of “Audit every child in need plan and review those out of date”."


def test_pdf_cover_and_appendix(plan, ready_snapshot, rendered):
    text = pdf_text(rendered("pdf", ready_snapshot))
    assert "Signed off by Jo Director, Director of children's services, 20 May 2024" in text
    assert "Capacity for improvement Grade 2 (Good)" in text
    rows = pdf_table_rows(rendered("pdf", ready_snapshot))
    appendix = next(r for r in rows if r[0] == "1.1.1")
    assert appendix[3:8] == ["60%", "90%", "70% on 1 Jun 2024", "Worsening", "Improving"]
    # A long link wraps inside its cell: compare without the line break.
    assert (
        appendix[8].replace(" ", "") == "Auditreporttotheboard(https://intranet.example.org/audit)"
    )


def test_pdf_is_tagged_for_accessibility(ready_snapshot, rendered):
    reader = PdfReader(io.BytesIO(rendered("pdf", ready_snapshot)))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()
    assert reader.metadata.title == "Test Council: improvement plan"


def test_pdf_uses_liberation_sans_embedded(ready_snapshot, rendered):
    reader = PdfReader(io.BytesIO(rendered("pdf", ready_snapshot)))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts and all("Liberation-Sans" in name for name in fonts)


def test_a_complete_plan_in_pdf_has_no_draft_mark(ready_snapshot, rendered):
    assert "draft" not in pdf_text(rendered("pdf", ready_snapshot)).lower()


def test_an_incomplete_plan_in_pdf_is_marked_draft_on_every_page(draft_snapshot, rendered):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(rendered("pdf", draft_snapshot))) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) > 2
    assert all("DRAFT — INCOMPLETE: NOT READY TO SUBMIT" in page for page in pages)
    assert "Recommendation 5 (needs an action)" in squash(" ".join(pages))


def test_the_printable_page_is_the_same_document(ready_snapshot):
    html = submission_pdf.render_html(ready_snapshot, stylesheet_url="/documents/document.css")
    assert '<link rel="stylesheet" href="/documents/document.css">' in html
    assert "<style>" not in html and "<script" not in html
    assert in_order(html, [r[3].replace("'", "&#x27;") for r in REPORT])


def test_the_draft_printable_page_says_draft(draft_snapshot):
    html = submission_pdf.render_html(draft_snapshot, stylesheet_url="/x.css")
    assert "Draft — incomplete: not ready to submit." in html


def test_cached_page_references_follow_pages_as_they_are_added():
    import pydyf

    from actions.documents import pdf

    pdf._remember_page_references()
    document = pydyf.PDF()
    for _ in range(3):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = document.page_references
    assert first == tuple(f"{n} 0 R".encode() for n in document.pages["Kids"][::3])
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(document.page_references) == 4 and document.page_references[:3] == first


def test_a_visit_of_one_day_is_one_date_on_the_cover(client, director):
    visit = InspectionFactory(
        inspection_type="focused_visit",
        inspection_start=dt.date(2025, 11, 26),
        inspection_end=dt.date(2025, 11, 26),
    )
    client.force_login(director)
    page = client.get(
        reverse("documents-submission-print", args=[visit.plan_id, visit.pk])
    ).content.decode()
    assert re.search(r"Inspection dates</t[hd]>\s*<td[^>]*>26 November 2025<", page)
