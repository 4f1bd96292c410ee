"""HTML to a tagged PDF (PDF/UA-1) with WeasyPrint, fetching nothing from outside.

Fonts come from the system (Debian's fonts-liberation2): the stylesheet asks for
"Liberation Sans", Arial, sans-serif, so nothing is downloaded while rendering.
"""

from __future__ import annotations

from django.template.loader import render_to_string


def html_to_pdf(html: str) -> bytes:
    # Imported here: loading Pango costs time that pages without PDFs need not pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only inline data: URIs: a document never makes the server fetch a URL.
    fetcher = URLFetcher(allowed_protocols=["data"])
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")


def stylesheet() -> str:
    """The documents' CSS, shared by the PDFs (inline) and the printable pages (linked)."""
    return render_to_string("documents/document.css")
