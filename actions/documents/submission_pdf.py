"""The submission as HTML (the printable page) and as a tagged PDF made from that HTML.

Both come from the same plan snapshot and the same template as the Word document's
content and order; only the layout differs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import pdf, watermark
from . import submission_layout as layout


def context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Everything the template shows, derived from the snapshot alone."""
    sections = [
        {
            **section,
            "rows": [
                [cell if isinstance(cell, list) else [cell] for cell in row]
                for row in section["rows"]
            ],
        }
        for section in layout.appendix_sections(snapshot)
    ]
    return {
        "snap": snapshot,
        "facts": snapshot["inspection"],
        "cover": layout.cover_rows(snapshot),
        "groups": layout.plan_groups(snapshot),
        "appendix_intro": layout.APPENDIX_INTRO,
        "appendix_columns": layout.APPENDIX_COLUMNS,
        "appendix": sections,
        "ready": snapshot["readiness"]["ready"],
        "gaps": snapshot["readiness"]["gaps"],
        "site_url": settings.SITE_URL,
    }


def render_html(
    snapshot: dict[str, Any], *, stylesheet_url: str | None = None, back_url: str = ""
) -> str:
    """The document as HTML: with `stylesheet_url`, a page for browsers (the CSP allows
    no inline style there); without, the self-contained HTML the PDF is made from."""
    ctx = context(snapshot)
    ctx["stylesheet_url"] = stylesheet_url
    ctx["back_url"] = back_url
    if stylesheet_url is None:
        ctx["inline_css"] = mark_safe(pdf.stylesheet())  # noqa: S308 - our own file
        ctx["watermark"] = None if ctx["ready"] else watermark.data_uri()
    return render_to_string("documents/submission.html", ctx)


def render(snapshot: dict[str, Any]) -> bytes:
    return pdf.html_to_pdf(render_html(snapshot))
