"""HTML to a tagged PDF (PDF/UA-1) with WeasyPrint, fetching nothing from outside.

Fonts come from the system (Debian's fonts-liberation2): the stylesheet asks for
"Liberation Sans", Arial, sans-serif, so nothing is downloaded while rendering.
"""

from __future__ import annotations

from django.template.loader import render_to_string


def _remember_page_references() -> None:
    """Make pydyf's `PDF.page_references` a cached list instead of a rebuilt one.

    Tagging (PDF/UA) asks for it once per tagged element, and each call rebuilds the
    tuple of every page: time grows with elements × pages, so a plan twice as large
    took two and a half times as long. The cache is rebuilt whenever a page is added,
    so the answer is always the same as the original's.
    """
    import pydyf

    original = getattr(pydyf.PDF, "page_references", None)
    if not isinstance(original, property) or getattr(original.fget, "cached", False):
        return

    def page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get("_page_references_cache")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), original.fget(pdf))
            pdf.__dict__["_page_references_cache"] = cached
        return cached[1]

    page_references.cached = True
    pydyf.PDF.page_references = property(page_references)


def html_to_pdf(html: str) -> bytes:
    # Imported here: loading Pango costs time that pages without PDFs need not pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    _remember_page_references()

    # Only inline data: URIs: a document never makes the server fetch a URL.
    fetcher = URLFetcher(allowed_protocols=["data"])
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")


def stylesheet() -> str:
    """The documents' CSS, shared by the PDFs (inline) and the printable pages (linked)."""
    return render_to_string("documents/document.css")
