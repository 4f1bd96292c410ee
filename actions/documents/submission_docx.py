"""The DfE/Ofsted submission as an editable Word document, from a plan snapshot.

Councils edit it before sending, so it is plain Word: heading styles, real tables,
no text boxes. The order and content are the snapshot's, exactly as in the PDF.
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_BREAK
from docx.shared import Cm

from . import docx_helpers as w
from .formatting import long_date, number, short_date, travel
from .snapshot import groups

PLAN_COLUMNS = (
    ("Ref", 1.2),
    ("Action", 5.2),
    ("Responsible officer", 3.4),
    ("Due", 2.2),
    ("What difference will it make", 5.0),
    ("How will we know", 4.6),
    ("Resources and risks", 5.1),
)


def cover_rows(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    """The cover's facts, in the order both documents print them."""
    facts = snapshot["inspection"]
    dates = " to ".join(
        long_date(d) for d in (facts["inspection_start"], facts["inspection_end"]) if d
    )
    deadline = long_date(facts["plan_due_date"], "Not known")
    if facts["plan_due_basis_label"] and facts["plan_due_date"]:
        deadline += f" ({facts['plan_due_basis_label'].lower()}"
        if facts["plan_due_override_reason"]:
            deadline += f": {facts['plan_due_override_reason']}"
        deadline += ")"
    sign_off = snapshot.get("sign_off")
    signed = "Not yet signed"
    if sign_off:
        who = ", ".join(p for p in (sign_off["name"], sign_off["job_title"]) if p)
        signed = f"{who}, {long_date(sign_off['date'])}"
    rows = [
        ("Local authority", facts["authority"]),
        ("Inspection", facts["type_label"]),
        ("Inspection dates", dates or "Not recorded"),
        ("Report published", long_date(facts["publication_date"], "Not recorded")),
    ]
    if facts["received_date"]:
        rows.append(("Report received", long_date(facts["received_date"])))
    if facts["lead_inspector"]:
        rows.append(("Lead inspector", facts["lead_inspector"]))
    rows += [("Plan submission deadline", deadline), ("Signed off by", signed)]
    return rows


def owner_lines(action: dict[str, Any]) -> list[str]:
    owner = action["owner"]
    lines = [owner["name"] if owner else "Not assigned"]
    if owner and owner["job_title"]:
        lines.append(owner["job_title"])
    if action["organisation"]:
        lines.append(action["organisation"])
    return lines


def measure_lines(action: dict[str, Any]) -> list[str]:
    if not action["measures"]:
        return ["No measure yet"]
    lines = []
    for m in action["measures"]:
        unit = m["unit"]
        lines.append(
            f"{m['name']}: baseline {number(m['baseline'], unit)}, "
            f"target {number(m['target'], unit)} ({m['direction_label'].lower()})"
        )
    return lines


def resource_lines(action: dict[str, Any]) -> list[str]:
    return [
        f"Resources: {action['resources'] or 'None recorded'}",
        f"Risks: {action['risks'] or 'None recorded'}",
    ]


def group_heading(group: dict[str, Any]) -> str:
    section = group["section"] or "Recommendations"
    if group["timescale"] == "none":
        return section
    return f"{section}: {group['timescale_label'].lower()}"


def recommendation_heading(rec: dict[str, Any]) -> str:
    heading = f"Recommendation {rec['ref']}"
    if rec["number"]:
        heading += f" (report paragraph {rec['number']})"
    if rec["priority"]:
        heading += " — area for priority action"
    return heading


def render(snapshot: dict[str, Any]) -> bytes:
    facts = snapshot["inspection"]
    ready = snapshot["readiness"]["ready"]
    doc = w.new_document(
        title=f"{facts['authority']}: improvement plan",
        subject=f"Response to the {facts['type_label']}",
        author=facts["authority"],
    )
    w.header_and_footer(doc, footer_text=f"{facts['authority']} improvement plan", draft=not ready)
    doc.add_heading(f"{facts['authority']}: improvement plan", level=0)
    doc.add_paragraph(f"Our response to the {facts['type_label']}.")
    if not ready:
        w.draft_notice(doc, len(snapshot["readiness"]["gaps"]))
    w.key_value_table(doc, cover_rows(snapshot))
    doc.add_heading("Judgements", level=2)
    if snapshot["judgements"]:
        judgements = w.table(doc, ["Area", "Judgement"], [9.0, 8.0], caption="Judgements")
        for j in snapshot["judgements"]:
            w.add_row(judgements, [j["area"], j["grade_text"]])
    else:
        doc.add_paragraph("This report gives no graded judgements.")

    w.landscape_section(doc)
    doc.add_heading("Recommendations and actions", level=1)
    for group in groups(snapshot):
        doc.add_heading(group_heading(group), level=2)
        for rec in group["recommendations"]:
            _recommendation(doc, rec)

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _appendix(doc, snapshot)
    if not ready:
        _gaps(doc, snapshot)
    return w.to_bytes(doc)


def _recommendation(doc, rec: dict[str, Any]) -> None:
    doc.add_heading(recommendation_heading(rec), level=3)
    quote = doc.add_paragraph(rec["text"], style="Quote")
    quote.paragraph_format.left_indent = Cm(0.5)
    if rec["addressee"]:
        doc.add_paragraph(f"Addressed to: {rec['addressee']}")
    if not rec["actions"]:
        doc.add_paragraph("No action has been drafted for this recommendation yet.")
        return
    headers, widths = zip(*PLAN_COLUMNS, strict=True)
    plan = w.table(doc, headers, widths, caption=f"Actions for recommendation {rec['ref']}")
    for action in rec["actions"]:
        what = [action["title"]] + ([action["description"]] if action["description"] else [])
        w.add_row(
            plan,
            [
                action["ref"],
                what,
                owner_lines(action),
                short_date(action["due_date"], "Not set"),
                action["expected_outcome"] or "Not yet stated",
                measure_lines(action),
                resource_lines(action),
            ],
        )
    doc.add_paragraph()


def reading_text(measure: dict[str, Any]) -> str:
    latest = measure["latest"]
    if not latest:
        return "No reading yet"
    return f"{number(latest['value'], measure['unit'])} on {short_date(latest['date'])}"


def evidence_text(item: dict[str, Any]) -> str:
    where = item["file_name"] or item["link"]
    return f"{item['description']} ({where})" if where else item["description"]


def _appendix(doc, snapshot: dict[str, Any]) -> None:
    doc.add_heading("Appendix: closing the loop", level=1)
    doc.add_paragraph(
        "For each action, how we will know it has made a difference: the measure, its "
        "baseline and target, the latest reading and the direction of travel, and the "
        "evidence recorded so far."
    )
    measures = w.table(
        doc,
        [
            "Ref",
            "Action",
            "Measure",
            "Baseline",
            "Target",
            "Latest reading",
            "Since previous",
            "Since baseline",
            "Evidence",
        ],
        [1.4, 4.4, 4.2, 2.0, 2.0, 3.0, 2.3, 2.3, 5.1],
        caption="Measures and evidence",
    )
    for rec in snapshot["recommendations"]:
        for action in rec["actions"]:
            for row in appendix_rows(action):
                w.add_row(measures, row)


def appendix_rows(action: dict[str, Any]) -> list[list[Any]]:
    """One row per measure (one row when there is none); evidence on the action's first row."""
    evidence = [evidence_text(e) for e in action["evidence"]] or ["None yet"]
    if not action["measures"]:
        return [[action["ref"], action["title"], "No measure yet", "", "", "", "", "", evidence]]
    rows = []
    for i, m in enumerate(action["measures"]):
        rows.append(
            [
                m["ref"],
                action["title"] if i == 0 else "",
                m["name"],
                number(m["baseline"], m["unit"]),
                number(m["target"], m["unit"]),
                reading_text(m),
                travel(m["travel_vs_previous"]) if m["latest"] else "No reading yet",
                travel(m["travel_vs_baseline"]) if m["latest"] else "No reading yet",
                evidence if i == 0 else "",
            ]
        )
    return rows


def _gaps(doc, snapshot: dict[str, Any]) -> None:
    doc.add_heading("Still to answer before submission", level=1)
    for gap in snapshot["readiness"]["gaps"]:
        label = f"{gap['kind'].capitalize()} {gap['ref']}".strip()
        doc.add_paragraph(
            f"{label} (needs {', '.join(gap['missing'])}): {gap['label']}", style="List Bullet"
        )
