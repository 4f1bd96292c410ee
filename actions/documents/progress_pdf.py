"""The progress report as HTML (printable page) and tagged PDF, with inline SVG charts."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.words import counted
from plans.selectors import IMPACT_DID_NOT_LAST

from . import charts, pdf
from .formatting import long_date

OPENING_CHARACTERS = 160  # how much of an item's words a table gives


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
        "submissions": submissions(report),
        "repeats": raised_again(report),
    }


def submissions(report: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The plan's submissions to Ofsted in words, the same in Word and on the page. None
    when the report has none to give: a theme's report (a submission answers a report,
    not a theme) or one kept from before they were given."""
    found = report.get("submissions")
    if found is None:
        return None
    return [
        {
            **s,
            "report": f"{s['ref']} {s['label']}".strip(),
            "due": long_date(s["plan_due_date"], s.get("no_plan_due_words") or "Not known"),
            "stands": _stands(s),
        }
        for s in found
    ]


def _stands(submission: dict[str, Any]) -> str:
    if submission.get("submitted_on"):
        return f"Submitted on {long_date(submission['submitted_on'])}"
    left = submission.get("working_days_left")
    if left is None:
        return "Not submitted: the due date is not known yet"
    if left < 0:
        return f"Not submitted: overdue by {counted(-left, 'working day')}"
    if left == 0:
        return "Not submitted: due today"
    return f"Not submitted: due in {counted(left, 'working day')}"


def raised_again(report: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The items an officer confirmed Ofsted raised again, in words: the later item, the
    earlier one and what came of the actions that answered it. None for a report kept
    from before they were given."""
    found = report.get("repeats")
    if found is None:
        return None
    return [
        {
            **r,
            "later_words": item_words(r["item"]),
            "earlier_words": item_words(r["earlier"]),
            "then": _then(r),
        }
        for r in found
    ]


def item_words(item: dict[str, Any]) -> str:
    """ "S2.1 (Focused visit (2025)): Improve the…", the way the plan's tables name an item
    it answers; an item of a report outside the plan by its report (and paragraph)."""
    opening = Truncator(item["text"]).chars(OPENING_CHARACTERS)
    if item.get("ref"):
        return f"{item['ref']} ({item['source']}): {opening}"
    paragraph = f", paragraph {item['paragraph']}" if item.get("paragraph") else ""
    return f"{item['source']}{paragraph}: {opening}"


def _then(repeat: dict[str, Any]) -> str:
    count = repeat.get("earlier_actions", 0)
    if not repeat.get("impact_lasted", True):
        return f"All closed ({counted(count, 'action')}). {IMPACT_DID_NOT_LAST}"
    if not count:
        return "No action in this service answered it."
    return f"Answered by {counted(count, 'action')}, not all closed."


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
