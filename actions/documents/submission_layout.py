"""What the submission says, in words, for every format: Word, PDF and the printable page
take their cover, headings, cells and appendix rows from here, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.templatetags.dates import until

from .formatting import long_date, number, short_date, travel
from .snapshot import groups

APPENDIX_COLUMNS = [
    "Ref", "Action", "Measure", "Baseline", "Target", "Latest reading", "Since previous",
    "Since baseline", "Evidence",
]  # fmt: skip
APPENDIX_INTRO = (
    "For each action, how we will know it has made a difference: the measure, its "
    "baseline and target, the latest reading and the direction of travel, and the "
    "evidence recorded so far."
)


def _day(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso[:10]) if iso else None


def cover_rows(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    """The cover's facts, in the order both documents print them."""
    facts = snapshot["inspection"]
    dates = until(*(_day(facts[name]) for name in ("inspection_start", "inspection_end")))
    deadline = long_date(facts["plan_due_date"], facts.get("no_plan_due_words", "Not known"))
    if facts["plan_due_basis_label"] and facts["plan_due_date"]:
        label = facts["plan_due_basis_label"]
        reason = facts.get("plan_due_override_reason")
        if facts.get("plan_due_basis") == "override" and reason and reason not in label:
            label = f"{label}: {reason}"  # a snapshot taken before the label held the reason
        deadline += f" ({label})"
    sign_off = snapshot.get("sign_off")
    signed = "Not yet signed"
    if sign_off:
        who = ", ".join(p for p in (sign_off["name"], sign_off["job_title"]) if p)
        signed = f"{who}, {long_date(sign_off['date'])}"
    rows = [("Local authority", facts["authority"])]
    if snapshot.get("plan"):
        rows.append(("Improvement plan", snapshot["plan"]["title"]))
    rows += [
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


def also_answers(action: dict[str, Any], snapshot: dict[str, Any]) -> list[str]:
    """What else in the plan the action answers: items of the plan's other sources, and
    its wider area (an action answering items of two sources appears in both submissions)."""
    source_id = snapshot["inspection"]["id"]
    lines = [
        f"Also answers {item['ref']} of the {item['source']}"
        for item in action.get("answers", [])
        if item["source_id"] != source_id
    ]
    area = action.get("wider_area")
    if area:
        lines.append(f"Also answers the wider area for improvement: {area['text']}")
    return lines


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


def reading_text(measure: dict[str, Any]) -> str:
    latest = measure["latest"]
    if not latest:
        return "No reading yet"
    return f"{number(latest['value'], measure['unit'])} on {short_date(latest['date'])}"


def evidence_text(item: dict[str, Any]) -> str:
    where = item["file_name"] or item["link"]
    return f"{item['description']} ({where})" if where else item["description"]


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


def plan_groups(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Groups of recommendations with their headings, in report order; each action with
    what else in the plan it answers."""
    return [
        {
            "heading": group_heading(group),
            "recommendations": [
                {
                    **rec,
                    "heading": recommendation_heading(rec),
                    "actions": [{**a, "also": also_answers(a, snapshot)} for a in rec["actions"]],
                }
                for rec in group["recommendations"]
            ],
        }
        for group in groups(snapshot)
    ]


def appendix_sections(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """One appendix table per recommendation that has actions: short tables paginate in
    linear time, and readers find a recommendation's measures under its number."""
    return [
        {
            "ref": rec["ref"],
            "heading": f"Recommendation {rec['ref']}",
            "rows": [row for action in rec["actions"] for row in appendix_rows(action)],
        }
        for rec in snapshot["recommendations"]
        if rec["actions"]
    ]
