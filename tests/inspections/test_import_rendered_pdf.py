"""The text samples, printed to PDF, import exactly as the text does.

Each text report is laid out as a word processor would print it: paragraphs wrapped to the
page width, bullets with a hanging indent, a running header with the report's name and a
page number in the footer on every page. Whatever the layout adds must not reach the
recommendations, and lines wrapped or cut by a page break must be joined back.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from inspections.importing import ParsedReport, ReportParseError, parse_report

reportlab = pytest.importorskip(
    "reportlab", reason="reportlab (a test dependency) is needed to print text samples to PDF"
)
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
FULL = [
    "derbyshire-2011-safeguarding-lac.txt",
    "county-durham-2011-safeguarding-lac.txt",
    "derby-city-2008-joint-area-review.md",
]
NOT_REPORTS = ["derby-city-2017-cabinet-response.md", "derbyshire-ilacs-news-summary.txt"]


def render_pdf(text: str, title: str) -> bytes:
    """`text` printed on A4: one paragraph per line, '-' lines as bullets, header, footer."""
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, spaceAfter=8)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=18, bulletIndent=6)
    story = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(("- ", "* ")):
            story.append(Paragraph(escape(stripped[2:]), bullet, bulletText="•"))
        else:
            story.append(Paragraph(escape(stripped), body))

    def furniture(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, A4[1] - 36, f"{title}: inspection report")
        canvas.drawRightString(A4[0] - 72, 30, str(document.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title).build(
        story, onFirstPage=furniture, onLaterPages=furniture
    )
    return buffer.getvalue()


@functools.cache
def both(name: str) -> tuple[ParsedReport, ParsedReport]:
    data = (REPORTS / name).read_bytes()
    pdf = render_pdf(data.decode("utf-8"), name.split(".")[0])
    assert pdf.startswith(b"%PDF-")
    return parse_report(data, name), parse_report(pdf, name.rsplit(".", 1)[0] + ".pdf")


@pytest.mark.parametrize("name", FULL)
def test_printed_text_report_gives_the_same_recommendations(name):
    from_text, from_pdf = both(name)
    assert len(from_pdf.recommendations) == len(from_text.recommendations)
    for printed, typed in zip(from_pdf.recommendations, from_text.recommendations, strict=True):
        assert printed == typed


@pytest.mark.parametrize("name", FULL)
def test_printed_text_report_gives_the_same_report_details(name):
    from_text, from_pdf = both(name)
    for field in (
        "local_authority",
        "inspection_type",
        "inspection_start",
        "inspection_end",
        "publication_date",
        "lead_inspector",
        "judgements",
    ):
        assert getattr(from_pdf, field) == getattr(from_text, field), field


@pytest.mark.parametrize("name", FULL)
def test_running_header_and_page_numbers_do_not_leak(name):
    _, from_pdf = both(name)
    for rec in from_pdf.recommendations:
        assert "inspection report" not in rec.text
        assert not rec.text.rstrip(".").split()[-1].isdigit() or "(2010)" in rec.text


@pytest.mark.parametrize("name", NOT_REPORTS)
def test_printed_non_reports_are_refused_the_same_way(name):
    data = (REPORTS / name).read_bytes()
    with pytest.raises(ReportParseError) as typed:
        parse_report(data, name)
    with pytest.raises(ReportParseError) as printed:
        parse_report(render_pdf(data.decode("utf-8"), "Document"), "document.pdf")
    assert str(printed.value) == str(typed.value)


def test_footnote_under_a_list_and_headings_set_in_bold():
    """As Ofsted prints it: bold headings, a footnote mark on one, the note at the foot."""
    from reportlab.lib.styles import getSampleStyleSheet

    styles = getSampleStyleSheet()
    body = ParagraphStyle("b", fontName="Helvetica", fontSize=12, leading=14.5, spaceAfter=12)
    bold = ParagraphStyle("h", parent=body, fontName="Helvetica-Bold", fontSize=14)
    bullet = ParagraphStyle("l", parent=body, leftIndent=18, bulletIndent=4)
    story = [
        Paragraph("Inspection of Testshire local authority children’s services", styles["Title"]),
        Paragraph("Inspection dates: 3 to 14 June 2024", body),
        Paragraph("Lead inspector: Ann Example, His Majesty’s Inspector", body),
        Paragraph("What needs to improve?<super>1</super>", bold),
        Paragraph("The timeliness of assessments for disabled children.", bullet, bulletText="•"),
        Paragraph("The quality of supervision for social workers.", bullet, bulletText="•"),
        Paragraph("The sufficiency of homes for children in care.", bullet, bulletText="•"),
        Paragraph("The experiences and progress of children in care: good", bold),
        Paragraph("Children in care are well supported. " * 30, body),
    ]

    def footnote(canvas, document) -> None:
        text = canvas.beginText(72, 60)
        text.setFont("Helvetica", 7)
        text.setRise(4)
        text.textOut("1")
        text.setRise(0)
        text.setFont("Helvetica", 10)
        text.textOut(" The areas are listed in no order of priority.")
        canvas.drawText(text)

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story, onFirstPage=footnote)
    report = parse_report(buffer.getvalue(), "ilacs.pdf")
    assert [r.text for r in report.recommendations] == [
        "The timeliness of assessments for disabled children.",
        "The quality of supervision for social workers.",
        "The sufficiency of homes for children in care.",
    ]
    assert {r.section for r in report.recommendations} == {"What needs to improve?"}
    assert (report.local_authority, report.inspection_type, report.lead_inspector) == (
        "Testshire",
        "ilacs",
        "Ann Example",
    )
