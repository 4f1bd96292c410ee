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
from .snapshot import groups
from .submission_docx import appendix_rows, cover_rows, group_heading, recommendation_heading


def context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Everything the template shows, derived from the snapshot alone."""
    group_list = []
    for group in groups(snapshot):
        group_list.append(
            {
                "heading": group_heading(group),
                "recommendations": [
                    {**rec, "heading": recommendation_heading(rec)}
                    for rec in group["recommendations"]
                ],
            }
        )
    appendix = [
        [cell if isinstance(cell, list) else [cell] for cell in row]
        for rec in snapshot["recommendations"]
        for action in rec["actions"]
        for row in appendix_rows(action)
    ]
    return {
        "snap": snapshot,
        "facts": snapshot["inspection"],
        "cover": cover_rows(snapshot),
        "groups": group_list,
        "appendix": appendix,
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
