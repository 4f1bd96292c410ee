"""Text copied out of a PDF report imports as the PDF does.

Copying from a PDF viewer gives the page's lines as they were wrapped, with the running
headers, footers and page numbers among them and no blank line between paragraphs. The
copy is made here with PDFium, the engine of Chromium's PDF viewer.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from inspections.importing import parse_report

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
PDFS = sorted(p.name for p in REPORTS.glob("*.pdf"))


def copied_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n"))
        return "\n".join(pages)
    finally:
        document.close()


@pytest.mark.parametrize("name", PDFS)
def test_copied_text_gives_the_same_recommendations_as_the_pdf(name):
    data = (REPORTS / name).read_bytes()
    from_pdf = parse_report(data, name)
    from_text = parse_report(copied_text(data).encode("utf-8"), "copied.txt")
    assert [r.text for r in from_text.recommendations] == [r.text for r in from_pdf.recommendations]
    assert from_text.recommendations == from_pdf.recommendations
    assert (from_text.local_authority, from_text.inspection_type) == (
        from_pdf.local_authority,
        from_pdf.inspection_type,
    )
    assert (from_text.inspection_start, from_text.inspection_end) == (
        from_pdf.inspection_start,
        from_pdf.inspection_end,
    )
