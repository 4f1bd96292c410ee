"""The text samples, printed to PDF, import exactly as the text does.

Each text report is laid out as a word processor would print it (WeasyPrint, which the
project already uses for its own PDFs, does the printing): paragraphs wrapped to the page
width, bullets with a hanging indent, a running header with the report's name and a page
number in the footer of every page. Whatever the layout adds must not reach the
recommendations, and lines wrapped or cut by a page break must be joined back.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

import pytest

from inspections.importing import ParsedReport, ReportParseError, parse_report

weasyprint = pytest.importorskip(
    "weasyprint", reason="WeasyPrint (a project dependency) prints the text samples to PDF"
)

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
FULL = [
    "derbyshire-2011-safeguarding-lac.txt",
    "county-durham-2011-safeguarding-lac.txt",
    "derby-city-2008-joint-area-review.md",
]
NOT_REPORTS = ["derby-city-2017-cabinet-response.md", "derbyshire-ilacs-news-summary.txt"]

PAGE_CSS = """
@page {
  size: A4;
  margin: 25mm 22mm;
  @top-left { content: "%s: inspection report"; font-size: 8pt }
  @bottom-right { content: counter(page); font-size: 8pt }
}
body { font-family: sans-serif; font-size: 10pt; line-height: 1.25 }
p, li { margin: 0 0 8pt 0 }
ul { margin: 0; padding-left: 18pt }
h2 { font-size: 13pt; margin: 12pt 0 8pt 0 }
.note { float: footnote; font-size: 8pt }
"""


def print_pdf(body: str, title: str = "Report") -> bytes:
    page = f"<html><head><style>{PAGE_CSS % title}</style></head><body>{body}</body></html>"
    return weasyprint.HTML(string=page).write_pdf()


def render_text(text: str, title: str) -> bytes:
    """`text` printed on A4: one paragraph per line, '- ' lines as a bulleted list."""
    parts: list[str] = []
    in_list = False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        is_item = stripped.startswith(("- ", "* "))
        if is_item and not in_list:
            parts.append("<ul>")
        elif not is_item and in_list:
            parts.append("</ul>")
        in_list = is_item
        tag = "li" if is_item else "p"
        parts.append(f"<{tag}>{html.escape(stripped[2:] if is_item else stripped)}</{tag}>")
    if in_list:
        parts.append("</ul>")
    return print_pdf("\n".join(parts), title)


@functools.cache
def both(name: str) -> tuple[ParsedReport, ParsedReport]:
    data = (REPORTS / name).read_bytes()
    pdf = render_text(data.decode("utf-8"), name.split(".")[0])
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
        parse_report(render_text(data.decode("utf-8"), "Document"), "document.pdf")
    assert str(printed.value) == str(typed.value)


def test_footnote_under_a_list_and_headings_set_in_bold():
    """As Ofsted prints it: bold headings, a footnote mark on one, the note at the foot."""
    body = """
    <h1>Inspection of Testshire local authority children’s services</h1>
    <p>Inspection dates: 3 to 14 June 2024</p>
    <p>Lead inspector: Ann Example, His Majesty’s Inspector</p>
    <h2>What needs to improve?<span class="note">The areas are listed in no order of
    priority.</span></h2>
    <ul>
      <li>The timeliness of assessments for disabled children.</li>
      <li>The quality of supervision for social workers.</li>
      <li>The sufficiency of homes for children in care.</li>
    </ul>
    <h2 style="break-before: page">The experiences and progress of children in care: good</h2>
    <p>Children in care are well supported and their plans are reviewed regularly.</p>
    """
    report = parse_report(print_pdf(body), "ilacs.pdf")
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
