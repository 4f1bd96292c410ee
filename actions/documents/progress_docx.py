"""The progress report as a Word document: the PDF's content, charts given as tables."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import pluralize

from . import docx_helpers as w
from .formatting import long_date, number, short_date, travel
from .progress_pdf import facts as facts_of
from .progress_pdf import raised_again, submissions


def _owner(item: dict[str, Any]) -> list[str]:
    return [item["owner"]] + ([item["organisation"]] if item["organisation"] else [])


def render(report: dict[str, Any]) -> bytes:
    facts, period = facts_of(report), report["period"]
    span = f"{long_date(period['start'])} to {long_date(period['end'])}"
    doc = w.new_document(
        title=f"{facts['authority']}: improvement plan progress report",
        subject=f"Progress report, {span}",
        author=facts["authority"],
    )
    w.header_and_footer(doc, footer_text=f"{facts['authority']} progress report", draft=False)
    doc.add_heading(f"{facts['authority']}: improvement plan progress report", level=0)
    doc.add_paragraph(f"For cabinet, scrutiny and the improvement board: {span}.")
    totals = report["totals"]
    if "plan" in report:
        _plan_intro(doc, report)
    else:  # a report kept from before plans
        doc.add_paragraph(
            f"Our response to the {facts['type_label']}, published "
            f"{long_date(facts['publication_date'], 'on a date not recorded')}: "
            f"{totals['recommendations']} recommendation{pluralize(totals['recommendations'])} "
            f"and {totals['actions']} action{pluralize(totals['actions'])}. "
            f"Figures as at {long_date(report['data_as_at'])}."
        )

    _submissions(doc, report)
    _raised_again(doc, report)
    if "plan" in report:
        _plan_by_theme(doc, report)

    doc.add_heading("What changed in the period", level=1)
    doc.add_heading(f"Actions completed ({len(report['completed'])})", level=2)
    _rows(
        doc,
        report["completed"],
        "No action was completed in the period.",
        ["Ref", "Action", "Responsible officer", "Due", "Completed"],
        [1.2, 7, 4.5, 2.3, 2.3],
        lambda a: [
            a["ref"],
            a["title"],
            _owner(a),
            short_date(a["due_date"]),
            short_date(a["completed_on"]),
        ],
    )
    doc.add_heading(f"Actions that slipped ({len(report['slipped'])})", level=2)
    doc.add_paragraph("Actions that became overdue in the period: due, and not complete by then.")
    _rows(
        doc,
        report["slipped"],
        "No action slipped in the period.",
        ["Ref", "Action", "Responsible officer", "Due", "Status now"],
        [1.2, 7, 4.5, 2.3, 2.3],
        lambda a: [a["ref"], a["title"], _owner(a), short_date(a["due_date"]), a["status_label"]],
    )
    doc.add_heading(f"Due dates moved ({len(report['moved'])})", level=2)
    _rows(
        doc,
        report["moved"],
        "No due date was moved in the period.",
        ["Ref", "Action", "From", "To", "Reason", "Moved by, on"],
        [1.2, 4.5, 2.2, 2.2, 4.2, 3],
        lambda m: [
            m["ref"],
            m["title"],
            short_date(m["old_date"]),
            short_date(m["new_date"]),
            m["reason"],
            f"{m['changed_by'] or 'Not recorded'}, {short_date(m['changed_on'])}",
        ],
    )

    doc.add_heading("RAG summary", level=1)
    rag = w.table(doc, ["RAG", "Actions"], [6, 3], caption="Actions by RAG status")
    for row in report["rag_summary"]:
        w.add_row(rag, [row["label"], str(row["count"])])

    doc.add_heading("Measures against targets", level=1)
    if not report["measures"]:
        doc.add_paragraph("No measure has been set yet.")
    for m in report["measures"]:
        _measure(doc, m)

    doc.add_heading(f"Overdue at {long_date(period['as_at'])} ({len(report['overdue'])})", level=1)
    _rows(
        doc,
        report["overdue"],
        "No action was overdue.",
        ["Ref", "Action", "Responsible officer", "Due", "Working days overdue", "Status"],
        [1.2, 5.5, 4, 2.2, 2.2, 2.2],
        lambda a: [
            a["ref"],
            a["title"],
            _owner(a),
            short_date(a["due_date"]),
            str(a["working_days_overdue"]),
            a["status_label"],
        ],
    )
    return w.to_bytes(doc)


def _plan_intro(doc, report: dict[str, Any]) -> None:
    totals, theme = report["totals"], report.get("theme")
    only = f", theme “{theme['name']}” only" if theme else ""
    areas = totals["wider_areas"]
    wider = f" and {areas} wider area{pluralize(areas)} for improvement" if areas else ""
    doc.add_paragraph(
        f"{report['plan']['title']}{only}: {totals['actions']} action"
        f"{pluralize(totals['actions'])} answering {totals['recommendations']} item"
        f"{pluralize(totals['recommendations'])} of {totals['sources']} report"
        f"{pluralize(totals['sources'])} and letter{pluralize(totals['sources'])}{wider}. "
        f"Figures as at {long_date(report['data_as_at'])}."
    )
    if report["sources"]:
        listed = "; ".join(f"{s['ref']} {s['label']}" for s in report["sources"])
        doc.add_paragraph(f"Sources: {listed}.")


def _submissions(doc, report: dict[str, Any]) -> None:
    found = submissions(report)
    if found is None:
        return
    doc.add_heading("Submissions to Ofsted", level=1)
    doc.add_paragraph(
        f"Each report's plan submission as at {long_date(report['period']['as_at'])}, "
        "in working days."
    )
    _rows(
        doc,
        found,
        "No report of this plan asks for a plan to be submitted.",
        ["Report", "Plan due", "Where it stands"],
        [6, 4, 7],
        lambda s: [s["report"], s["due"], s["stands"]],
    )


def _raised_again(doc, report: dict[str, Any]) -> None:
    found = raised_again(report)
    if found is None:
        return
    doc.add_heading(f"Raised again by Ofsted ({len(found)})", level=1)
    _rows(
        doc,
        found,
        "No item has been confirmed as raising again what an earlier report asked.",
        ["Raised again", "Raised before", "Its actions then"],
        [6, 6, 5],
        lambda r: [r["later_words"], r["earlier_words"], r["then"]],
    )


def _plan_by_theme(doc, report: dict[str, Any]) -> None:
    doc.add_heading("The plan by theme", level=1)
    for group in report["themes"]:
        doc.add_heading(f"{group['ref']} {group['name']}", level=2)
        _rows(
            doc,
            group["actions"],
            "No action is filed under this theme yet.",
            ["Ref", "Action", "Answers", "Responsible officer", "Due", "RAG"],
            [1.2, 4.5, 5.5, 3.2, 2.0, 1.6],
            lambda a: [
                a["ref"],
                a["title"],
                answer_lines(a),
                _owner(a),
                short_date(a["due_date"]),
                a["rag_label"],
            ],
        )


def answer_lines(action: dict[str, Any]) -> list[str]:
    lines = [f"{i['ref']} ({i['source']}): {i['text']}" for i in action["answers"]]
    area = action.get("wider_area")
    if area:
        lines.append(f"Wider area {area['ref']} ({area['origin_label'].lower()}): {area['text']}")
    return lines


def _rows(doc, items, empty: str, headers, widths, values) -> None:
    if not items:
        doc.add_paragraph(empty)
        return
    result = w.table(doc, headers, widths)
    for item in items:
        w.add_row(result, values(item))


def _measure(doc, m: dict[str, Any]) -> None:
    unit = m["unit"]
    doc.add_heading(f"{m['ref']} {m['name']}", level=2)
    doc.add_paragraph(f"Action {m['action_ref']}: {m['action_title']}. {m['direction_label']}.")
    latest = m["latest"]
    w.key_value_table(
        doc,
        [
            ("Baseline", number(m["baseline"], unit)),
            ("Target", number(m["target"], unit)),
            (
                "Latest reading",
                f"{number(latest['value'], unit)} on {short_date(latest['date'])}"
                if latest
                else "No reading yet",
            ),
            (
                "Change in period",
                travel(m["change_in_period"])
                if m["change_in_period"]
                else "No reading in the period",
            ),
            ("Since baseline", travel(m["travel_vs_baseline"]) if latest else "No reading yet"),
            ("Target met", "Yes" if m["target_met"] else "No"),
        ],
    )
    if m["readings"]:
        readings = w.table(doc, ["Date", "Value", "Note"], [3, 3, 11], caption=m["name"])
        for r in m["readings"]:
            w.add_row(readings, [short_date(r["date"]), number(r["value"], unit), r["note"]])
    doc.add_paragraph()
