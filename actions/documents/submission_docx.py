"""The DfE/Ofsted submission as an editable Word document, from a plan snapshot.

Councils edit it before sending, so it is plain Word: heading styles, real tables,
no text boxes. The order and content are the snapshot's, exactly as in the PDF.
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_BREAK
from docx.shared import Cm

from . import docx_helpers as w
from . import submission_layout as layout
from .formatting import short_date

PLAN_COLUMNS = (
    ("Ref", 1.2),
    ("Action", 5.2),
    ("Responsible officer", 3.4),
    ("Due", 2.2),
    ("What difference will it make", 5.0),
    ("How will we know", 4.6),
    ("Resources and risks", 5.1),
)


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
    doc.add_paragraph(f"Our response to the {facts.get('label') or facts['type_label']}.")
    if not ready:
        w.draft_notice(doc, len(snapshot["readiness"]["gaps"]))
    w.key_value_table(doc, layout.cover_rows(snapshot))
    doc.add_heading("Judgements", level=2)
    if snapshot["judgements"]:
        judgements = w.table(doc, ["Area", "Judgement"], [9.0, 8.0], caption="Judgements")
        for j in snapshot["judgements"]:
            w.add_row(judgements, [j["area"], j["grade_text"]])
    else:
        doc.add_paragraph("This report gives no graded judgements.")

    w.landscape_section(doc)
    doc.add_heading("Recommendations and actions", level=1)
    for group in layout.plan_groups(snapshot):
        doc.add_heading(group["heading"], level=2)
        for rec in group["recommendations"]:
            _recommendation(doc, rec)

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _appendix(doc, snapshot)
    if not ready:
        _gaps(doc, snapshot)
    return w.to_bytes(doc)


def _recommendation(doc, rec: dict[str, Any]) -> None:
    doc.add_heading(rec["heading"], level=3)
    quote = doc.add_paragraph(rec["text"], style="Quote")
    quote.paragraph_format.left_indent = Cm(0.5)
    quote.paragraph_format.keep_with_next = True
    if rec["addressee"]:
        addressee = doc.add_paragraph(f"Addressed to: {rec['addressee']}")
        addressee.paragraph_format.keep_with_next = True
    if not rec["actions"]:
        doc.add_paragraph("No action has been drafted for this recommendation yet.")
        return
    headers, widths = zip(*PLAN_COLUMNS, strict=True)
    plan = w.table(doc, headers, widths, caption=f"Actions for recommendation {rec['ref']}")
    for action in rec["actions"]:
        what = [action["title"]] + ([action["description"]] if action["description"] else [])
        what += action.get("also", [])
        w.add_row(
            plan,
            [
                action["ref"],
                what,
                layout.owner_lines(action),
                short_date(action["due_date"], "Not set"),
                action["expected_outcome"] or "Not yet stated",
                layout.measure_lines(action),
                layout.resource_lines(action),
            ],
        )
    doc.add_paragraph()


def _appendix(doc, snapshot: dict[str, Any]) -> None:
    doc.add_heading("Appendix: closing the loop", level=1)
    doc.add_paragraph(layout.APPENDIX_INTRO)
    for section in layout.appendix_sections(snapshot):
        doc.add_heading(section["heading"], level=2)
        measures = w.table(
            doc,
            layout.APPENDIX_COLUMNS,
            [1.4, 4.4, 4.2, 2.0, 2.0, 3.0, 2.3, 2.3, 5.1],
            caption=f"Measures and evidence for recommendation {section['ref']}",
        )
        for row in section["rows"]:
            w.add_row(measures, row)


def _gaps(doc, snapshot: dict[str, Any]) -> None:
    doc.add_heading("Still to answer before submission", level=1)
    for gap in snapshot["readiness"]["gaps"]:
        label = f"{gap['kind'].capitalize()} {gap['ref']}".strip()
        doc.add_paragraph(
            f"{label} (needs {', '.join(gap['missing'])}): {gap['label']}", style="List Bullet"
        )
