"""The progress report as HTML (printable page) and tagged PDF, with inline SVG charts."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import charts, pdf


def facts(report: dict[str, Any]) -> dict[str, Any]:
    """Who the report is of: the plan (a report kept from before plans, its inspection)."""
    return report.get("plan") or report["inspection"]


def context(report: dict[str, Any]) -> dict[str, Any]:
    measures = [
        {**m, "chart": charts.measure_line_chart(f"measure-{i}", m)}
        for i, m in enumerate(report["measures"], 1)
    ]
    return {
        "report": report,
        "facts": facts(report),
        "rag_chart": charts.rag_bar_chart("rag-chart", report["rag_summary"]),
        "measures": measures,
    }


def render_html(
    report: dict[str, Any], *, stylesheet_url: str | None = None, back_url: str = ""
) -> str:
    ctx = context(report)
    ctx.update(stylesheet_url=stylesheet_url, back_url=back_url)
    if stylesheet_url is None:
        ctx["inline_css"] = mark_safe(pdf.stylesheet())  # noqa: S308 - our own file
    return render_to_string("documents/progress.html", ctx)


def render(report: dict[str, Any]) -> bytes:
    return pdf.html_to_pdf(render_html(report))
