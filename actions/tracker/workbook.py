"""The plan as a spreadsheet: Excel (one workbook per plan) and CSV (one row per action).

The Excel layout is also the import layout (see imports): a council can keep its
tracker in it, send it back, and the plan is updated through the usual services.

- "Actions": one row per action of the plan, by theme, with the items it answers (by
  reference: "S2.3" is the second source's third recommendation) and its wider area
  ("W1");
- "Measures": one row per measure ("how we will know"), tied to its action by "Action ref";
- "Readings": one row per dated reading, tied to its measure by "Measure ref";
- "Items": the plan's sources, their items and its wider areas with their references,
  to read (not imported).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from actions.documents.snapshot import all_actions
from actions.models import Measure, Rag, Status

ACTION_COLUMNS = [
    ("Theme", 24),
    ("Items answered", 12),
    ("What the items say", 50),
    ("Wider area ref", 8),
    ("Wider area", 30),
    ("Action ref", 8),
    ("Action ID", 8),
    ("What will be done", 40),
    ("Description", 30),
    ("Responsible officer", 20),
    ("Responsible officer e-mail", 28),
    ("Organisation", 20),
    ("Due date", 12),
    ("Reason for new due date", 24),
    ("What difference will it make", 40),
    ("Resources required", 24),
    ("Risks", 24),
    ("Status", 14),
    ("RAG", 8),
]
MEASURE_COLUMNS = [
    ("Action ref", 8),
    ("Measure ref", 8),
    ("Measure ID", 8),
    ("How will we know (measure)", 40),
    ("Unit", 8),
    ("Baseline", 10),
    ("Baseline date", 12),
    ("Target", 10),
    ("Higher or lower is better", 16),
]
READING_COLUMNS = [("Measure ref", 8), ("Date", 12), ("Value", 10), ("Note", 40)]
ITEM_COLUMNS = [
    ("Ref", 8),
    ("Source", 30),
    ("Report paragraph", 10),
    ("Item", 70),
    ("Submission due", 14),
]
# Drop-down lists and checks on the columns a typo could break: the words the plan uses
# (the models' own labels), dates and numbers. Excel refuses other values as they are typed.
CHOICES = {
    "Status": Status.labels,
    "RAG": Rag.labels,
    "Higher or lower is better": Measure.Direction.labels,
}
DATES = {"Due date", "Baseline date", "Date"}
NUMBERS = {"Baseline", "Target", "Value"}
NOT_IMPORTED = {"What the items say", "Wider area", "Responsible officer", "Status", "RAG"}
CSV_EXTRA = ["Measures", "Latest readings"]

ABOUT = [
    "How to use this workbook",
    "One row per action on the Actions sheet; its measures on Measures; their readings on "
    "Readings.",
    "To add an action, add a row with a blank Action ID and the references of the items it "
    "answers (Items answered, e.g. S1.2; S2.1: the Items sheet lists them) or of the wider "
    "area it answers (Wider area ref, e.g. W1).",
    "Give a new action an Action ref (any text, e.g. N1) to attach measures to it.",
    "Theme, Items answered and Wider area ref change what an action answers and where it is filed.",
    "What the items say, Wider area, Responsible officer, Status and RAG are for reading "
    "only: they are not imported.",
    "A new due date on an existing action needs a reason. Measures and readings already "
    "in the plan cannot be changed here: add new ones.",
    "Nothing is ever deleted by an import: rows you remove are left as they are.",
]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def items_cell(action: dict[str, Any]) -> str:
    return "; ".join(item["ref"] for item in action["answers"])


def _items_text(action: dict[str, Any]) -> str:
    return "\n".join(
        f"{item['ref']} ({item['source']}): {item['text']}" for item in action["answers"]
    )


def action_rows(snapshot: dict[str, Any]) -> Iterator[list[Any]]:
    for theme in snapshot["themes"]:
        for a in theme["actions"]:
            owner = a["owner"]
            area = a["wider_area"]
            yield [
                a["theme"],
                items_cell(a),
                _items_text(a),
                area["ref"] if area else "",
                area["text"] if area else "",
                a["ref"],
                a["id"],
                a["title"],
                a["description"],
                owner["name"] if owner else "",
                owner["email"] if owner else "",
                a["organisation"],
                _date(a["due_date"]),
                "",
                a["expected_outcome"],
                a["resources"],
                a["risks"],
                a["status_label"],
                a["rag_label"],
            ]


def measure_rows(snapshot: dict[str, Any]) -> Iterator[list[Any]]:
    for a in all_actions(snapshot):
        for m in a["measures"]:
            yield [
                a["ref"],
                m["ref"],
                m["id"],
                m["name"],
                m["unit"],
                _dec(m["baseline"]),
                _date(m["baseline_date"]),
                _dec(m["target"]),
                m["direction_label"],
            ]


def reading_rows(snapshot: dict[str, Any]) -> Iterator[list[Any]]:
    for a in all_actions(snapshot):
        for m in a["measures"]:
            for r in m["readings"]:
                yield [m["ref"], _date(r["date"]), _dec(r["value"]), r["note"]]


def item_rows(snapshot: dict[str, Any]) -> Iterator[list[Any]]:
    for source in snapshot["sources"]:
        due = _date(source["plan_due_date"])
        for item in source["items"]:
            yield [item["ref"], source["label"], item["paragraph"], item["text"], due]
    for area in snapshot["wider_areas"]:
        origin = area["origin_label"] + (
            f": {area['origin_detail']}" if area["origin_detail"] else ""
        )
        yield [area["ref"], f"Wider area ({origin})", "", area["text"], None]


def _sheet(book: Workbook, title: str, columns, rows: Iterable[list[Any]], first: bool = False):
    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    sheet.append([name for name, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, (_, width) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    _validate(sheet, columns)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Text is text: "=SUM(…)" typed in a plan must never become a formula.
                cell.data_type = "s"
                cell.alignment = wrap
            elif isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    return sheet


def _validate(sheet, columns) -> None:
    """Attach the drop-down lists and the date and number checks to their columns."""
    for i, (name, _) in enumerate(columns, 1):
        cells = f"{get_column_letter(i)}2:{get_column_letter(i)}1048576"
        if name in CHOICES:
            options = ",".join(CHOICES[name])
            check = DataValidation(
                type="list",
                formula1=f'"{options}"',
                error=f"Choose one of: {options.replace(',', ', ')}.",
            )
        elif name in DATES:
            check = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="1",
                error="Enter a date, for example 17/05/2026.",
            )
        elif name in NUMBERS:
            check = DataValidation(
                type="decimal",
                operator="between",
                formula1="-1E+15",
                formula2="1E+15",
                error="Enter a number, for example 75.",
            )
        else:
            continue
        check.allow_blank = True
        check.showErrorMessage = True
        check.errorTitle = name
        check.add(cells)
        sheet.add_data_validation(check)


def to_xlsx(snapshot: dict[str, Any]) -> bytes:
    book = Workbook()
    _sheet(book, "Actions", ACTION_COLUMNS, action_rows(snapshot), first=True)
    _sheet(book, "Measures", MEASURE_COLUMNS, measure_rows(snapshot))
    _sheet(book, "Readings", READING_COLUMNS, reading_rows(snapshot))
    _sheet(book, "Items", ITEM_COLUMNS, item_rows(snapshot))
    about = book.create_sheet("About")
    plan = snapshot["plan"]
    about.append([f"{plan['title']} ({plan['authority']}), as at {snapshot['data_as_at']}"])
    book.properties.title = f"{plan['title']}: tracker"
    for line in ABOUT:
        about.append([line])
    about.cell(row=about.max_row - len(ABOUT) + 1, column=1).font = Font(bold=True)
    about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_safe(value: Any) -> str:
    """Cells starting like a formula are prefixed with ' so spreadsheets show, not run, them."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _measure_summary(action: dict[str, Any]) -> tuple[str, str]:
    from actions.documents.formatting import number, short_date

    measures = "; ".join(
        f"{m['name']} (baseline {number(m['baseline'], m['unit'])}, "
        f"target {number(m['target'], m['unit'])})"
        for m in action["measures"]
    )
    latest = "; ".join(
        f"{m['name']}: {number(m['latest']['value'], m['unit'])} on "
        f"{short_date(m['latest']['date'])}"
        for m in action["measures"]
        if m["latest"]
    )
    return measures, latest


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(snapshots: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV text line by line, for a streamed response: header, then one row per action.

    Takes an iterable of plan snapshots (a theme each, snapshot.iter_theme_chunks) so a
    large plan is never held whole.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([name for name, _ in ACTION_COLUMNS] + CSV_EXTRA)
    for snapshot in snapshots:
        actions = list(all_actions(snapshot))
        for row, action in zip(action_rows(snapshot), actions, strict=True):
            yield writer.writerow([_csv_safe(v) for v in row + list(_measure_summary(action))])
