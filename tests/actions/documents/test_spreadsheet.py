"""Excel and CSV export; importing a tracker in the same layout, all or nothing."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from actions import services as action_services
from actions.documents.snapshot import (
    build_plan_snapshot,
    build_submission_snapshot,
    iter_theme_chunks,
)
from actions.models import Action, DueDateChange, Measure, MeasureReading
from actions.tracker import imports as tracker_import
from actions.tracker import workbook as spreadsheet
from core.errors import DomainError
from core.models import AuditEntry
from tests.factories import InspectionFactory, RecommendationFactory, ThemeFactory

from .conftest import REPORT


def export(plan) -> bytes:
    return spreadsheet.to_xlsx(build_plan_snapshot(plan.plan))


def edit(
    data: bytes,
    changes: dict[str, dict[tuple[int, str], object]],
    blank: dict[str, list[str]] | None = None,
) -> bytes:
    """Change cells by sheet, (row, column name); blank whole columns."""
    book = load_workbook(io.BytesIO(data))
    for sheet_name, cells in changes.items():
        sheet = book[sheet_name]
        columns = {cell.value: cell.column for cell in sheet[1]}
        for (row, column), value in cells.items():
            sheet.cell(row=row, column=columns[column], value=value)
    for sheet_name, names in (blank or {}).items():
        sheet = book[sheet_name]
        columns = {cell.value: cell.column for cell in sheet[1]}
        for name in names:
            for row in range(2, sheet.max_row + 1):
                sheet.cell(row=row, column=columns[name]).value = None
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def content(plan) -> list:
    """What the spreadsheet carries, without database identities."""
    snapshot = build_plan_snapshot(plan)
    return [
        (
            theme["name"],
            [
                (
                    [(item["ref"], item["text"]) for item in a["answers"]],
                    a["wider_area"]["text"] if a["wider_area"] else None,
                    a["title"],
                    a["description"],
                    a["owner"]["email"] if a["owner"] else None,
                    a["organisation"],
                    a["due_date"],
                    a["expected_outcome"],
                    a["resources"],
                    a["risks"],
                    [
                        (
                            m["name"],
                            m["unit"],
                            m["baseline"],
                            m["baseline_date"],
                            m["target"],
                            m["direction"],
                            [(r["date"], r["value"], r["note"]) for r in m["readings"]],
                        )
                        for m in a["measures"]
                    ],
                )
                for a in theme["actions"]
            ],
        )
        for theme in snapshot["themes"]
    ]


def test_the_export_has_one_row_per_action_and_sheets_for_measures_and_readings(plan):
    book = load_workbook(io.BytesIO(export(plan)))
    assert book.sheetnames == ["Actions", "Measures", "Readings", "Items", "About"]
    actions = list(book["Actions"].iter_rows(values_only=True))
    assert list(actions[0]) == [name for name, _ in spreadsheet.ACTION_COLUMNS]
    assert len(actions) == 1 + 5
    first = dict(zip(actions[0], actions[1], strict=True))
    assert first["Items answered"] == "S1.1"
    assert first["What the items say"].endswith(REPORT[0][3])
    assert first["Action ID"] == plan.actions[0].pk
    assert first["Responsible officer e-mail"] == "alice@example.org"
    assert first["Due date"] == dt.datetime(2024, 4, 15)
    assert book["Measures"].max_row == 1 + 5
    assert book["Readings"].max_row == 1 + 9
    items = list(book["Items"].iter_rows(values_only=True))
    assert [row[0] for row in items[1:]] == ["S1.1", "S1.2", "S1.3", "S1.4"]
    assert items[1][3] == REPORT[0][3]


def _checks(sheet) -> dict[str, object]:
    """Each validated column's header, with the data validation Excel will apply to it."""
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    found = {}
    for check in sheet.data_validations.dataValidation:
        for cells in check.sqref.ranges:
            found[headers[cells.coord.split(":")[0].rstrip("0123456789")]] = check
    return found


def test_the_workbook_offers_drop_down_lists_for_the_words_a_typo_could_break(plan):
    book = load_workbook(io.BytesIO(export(plan)))
    actions = _checks(book["Actions"])
    assert actions["Status"].type == "list"
    assert (
        actions["Status"].formula1 == '"Not started,In progress,Complete,Impact evidenced,Closed"'
    )
    assert actions["RAG"].formula1 == '"Red,Amber,Green,Blue (closed)"'
    assert actions["Due date"].type == "date"
    assert all(check.showErrorMessage for check in actions.values())
    measures = _checks(book["Measures"])
    assert measures["Higher or lower is better"].formula1 == '"Higher is better,Lower is better"'
    assert measures["Baseline"].type == "decimal"
    readings = _checks(book["Readings"])
    assert readings["Date"].type == "date" and readings["Value"].type == "decimal"
    # Every value the export writes is one its own list accepts.
    rows = list(book["Actions"].iter_rows(min_row=2, values_only=True))
    headers = [name for name, _ in spreadsheet.ACTION_COLUMNS]
    for row in rows:
        values = dict(zip(headers, row, strict=True))
        for column in ("Status", "RAG"):
            assert values[column] in actions[column].formula1.strip('"').split(",")


def test_the_workbook_says_which_plan_it_is(plan):
    about = load_workbook(io.BytesIO(export(plan)))["About"]
    assert about["A1"].value.startswith(f"{plan.plan.title} (Test Council), as at ")
    assert about["A2"].value == "How to use this workbook"


def test_text_that_looks_like_a_formula_stays_text(plan):
    plan.actions[0].title = '=HYPERLINK("http://evil.example","click")'
    plan.actions[0].save()
    sheet = load_workbook(io.BytesIO(export(plan)))["Actions"]
    cell = sheet.cell(row=2, column=8)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    lines = list(spreadsheet.csv_lines(iter_theme_chunks(plan.plan)))
    assert "'=HYPERLINK" in lines[1]


def test_the_csv_has_a_header_and_one_line_per_action_by_theme(plan):
    first, second = ThemeFactory(plan=plan.plan, order=1), ThemeFactory(plan=plan.plan, order=2)
    Action.objects.filter(pk=plan.actions[3].pk).update(theme=first)
    Action.objects.filter(pk=plan.actions[1].pk).update(theme=second)
    lines = list(spreadsheet.csv_lines(iter_theme_chunks(plan.plan)))
    assert lines[0].startswith("\ufeffTheme,Items answered,")
    assert len(lines) == 1 + 5
    rows = list(csv.reader(io.StringIO("".join(lines[1:]))))
    assert [(row[0], row[1], row[5]) for row in rows] == [
        (first.name, "S1.3", "1.1"),
        (second.name, "S1.1", "2.1"),
        ("", "S1.1", "3.1"),
        ("", "S1.2", "3.2"),
        ("", "S1.4", "3.3"),
    ]
    (audit,) = [row for row in rows if row[5] == "3.1"]
    assert "Measure for Audit every child in (baseline 60%, target 90%)" in audit


def test_importing_the_export_into_the_same_plan_changes_nothing(plan, lead):
    before = content(plan.plan)
    result = tracker_import.validate(export(plan), plan=plan.plan, by=lead)
    assert result.ok, result.errors
    assert not result.has_changes and result.unchanged == 5
    tracker_import.apply(result, by=lead)
    assert content(plan.plan) == before


def test_a_tracker_round_trip_reproduces_the_plan_exactly(plan, lead):
    """Export a plan, import it as a new council's tracker (no database ids)."""
    copy = InspectionFactory(local_authority=plan.inspection.local_authority)
    for rec in plan.recommendations:
        RecommendationFactory(
            inspection=copy,
            section=rec.section,
            timescale=rec.timescale,
            text=rec.text,
            order=rec.order,
        )
    tracker = edit(export(plan), {}, blank={"Actions": ["Action ID"], "Measures": ["Measure ID"]})

    result = tracker_import.validate(tracker, plan=copy.plan, by=lead)
    assert result.ok, result.errors
    assert (len(result.creates), len(result.measures), len(result.readings)) == (5, 5, 9)
    assert tracker_import.apply(result, by=lead) == {
        "created": 5,
        "updated": 0,
        "measures": 5,
        "readings": 9,
    }

    assert content(copy.plan) == content(plan.plan)
    # Through the services: audited, as any change on the pages.
    assert AuditEntry.objects.filter(verb="draft").count() == 5


def test_changes_to_existing_actions_go_through_the_services(plan, lead):
    tracker = edit(
        export(plan),
        {
            "Actions": {
                (2, "What will be done"): "Audit every plan twice",
                (2, "Due date"): dt.date(2024, 5, 31),
                (2, "Reason for new due date"): "Audit team short-staffed",
                (3, "Responsible officer e-mail"): "bob@example.org",
            }
        },
    )
    result = tracker_import.validate(tracker, plan=plan.plan, by=lead)
    assert result.ok and len(result.updates) == 2
    tracker_import.apply(result, by=lead)
    first, second = (Action.objects.get(pk=a.pk) for a in plan.actions[:2])
    assert first.title == "Audit every plan twice" and first.due_date == dt.date(2024, 5, 31)
    assert DueDateChange.objects.get(action=first).reason == "Audit team short-staffed"
    assert second.owner.username == "bob" and second.assigned_by == lead


def test_a_spreadsheet_with_errors_is_rejected_cell_by_cell_and_nothing_is_saved(plan, lead):
    audit_before, actions_before = AuditEntry.objects.count(), Action.objects.count()
    tracker = edit(
        export(plan),
        {
            "Actions": {
                (2, "Items answered"): "S1.9",
                (3, "What will be done"): "",
                (4, "Responsible officer e-mail"): "nobody@example.org",
                (5, "Due date"): "next Tuesday",
                (6, "Organisation"): "Ministry of Magic",
                (7, "What will be done"): "A fine new action",
                (7, "Wider area ref"): "W7",
                (7, "Theme"): "Not a theme",
                (2, "Due date"): dt.date(2025, 1, 1),
            },
            "Measures": {
                (2, "Higher or lower is better"): "sideways",
                (7, "Action ref"): "9.9",
                (7, "How will we know (measure)"): "Orphan",
                (7, "Baseline"): 1,
                (7, "Target"): 2,
                (7, "Higher or lower is better"): "Higher is better",
            },
            "Readings": {
                (2, "Value"): "lots",
                (11, "Measure ref"): "1.4.1",
                (11, "Date"): dt.date.today() + dt.timedelta(days=30),
                (11, "Value"): 5,
            },
        },
    )
    result = tracker_import.validate(tracker, plan=plan.plan, by=lead)
    found = {(e.sheet, e.cell): e.message for e in result.errors}
    assert found == {
        ("Actions", "B2"): "The plan has no item S1.9: the Items sheet lists them.",
        ("Actions", "H3"): "Enter what will be done.",
        ("Actions", "K4"): "nobody@example.org: no action owner of the council or its "
        "partners has this e-mail address.",
        ("Actions", "M5"): "Enter a date like 31/03/2025.",
        ("Actions", "L6"): "Neither the council nor its partners are called “Ministry of Magic”.",
        ("Actions", "D7"): "The plan has no wider area W7: the Items sheet lists them.",
        ("Actions", "A7"): "The plan has no theme called “Not a theme”.",
        ("Measures", "I2"): "Enter “Higher is better” or “Lower is better”.",
        ("Measures", "A7"): "No row of the Actions sheet has the action ref “9.9”.",
        ("Readings", "C2"): "Enter a number, like 75 or 72.5.",
        ("Readings", "B11"): "A reading cannot be dated in the future.",
    }
    with pytest.raises(DomainError):
        tracker_import.apply(result, by=lead)
    assert (AuditEntry.objects.count(), Action.objects.count()) == (audit_before, actions_before)


def test_a_new_due_date_needs_a_reason(plan, lead):
    tracker = edit(export(plan), {"Actions": {(2, "Due date"): dt.date(2024, 6, 1)}})
    result = tracker_import.validate(tracker, plan=plan.plan, by=lead)
    assert [(e.cell, e.message) for e in result.errors] == [("N2", "Enter why the due date moved.")]


def test_an_officer_who_is_not_a_director_cannot_assign_owners_by_import(plan, officer):
    tracker = edit(
        export(plan), {"Actions": {(3, "Responsible officer e-mail"): "bob@example.org"}}
    )
    result = tracker_import.validate(tracker, plan=plan.plan, by=officer)
    assert [(e.cell, e.message) for e in result.errors] == [
        ("K3", "Only a director can assign owners.")
    ]


def test_measures_and_readings_already_in_the_plan_cannot_be_changed(plan, lead):
    tracker = edit(export(plan), {"Measures": {(2, "Target"): 95}})
    result = tracker_import.validate(tracker, plan=plan.plan, by=lead)
    assert [(e.sheet, e.cell) for e in result.errors] == [("Measures", "H2")]
    assert "cannot be changed here" in result.errors[0].message
    tracker = edit(export(plan), {"Readings": {(2, "Value"): 66}})
    result = tracker_import.validate(tracker, plan=plan.plan, by=lead)
    assert [(e.sheet, e.cell) for e in result.errors] == [("Readings", "C2")]


def test_a_refusal_half_way_through_rolls_the_whole_import_back(plan, lead, monkeypatch):
    copy = InspectionFactory(local_authority=plan.inspection.local_authority)
    for rec in plan.recommendations:
        RecommendationFactory(inspection=copy, text=rec.text, order=rec.order)
    tracker = edit(export(plan), {}, blank={"Actions": ["Action ID"], "Measures": ["Measure ID"]})
    result = tracker_import.validate(tracker, plan=copy.plan, by=lead)
    calls = []

    def refuse_the_fifth(**kwargs):
        calls.append(kwargs)
        if len(calls) == 5:
            raise DomainError("There is already a reading for that day.", field="date")
        return original(**kwargs)

    original = action_services.record_reading
    monkeypatch.setattr(action_services, "record_reading", refuse_the_fifth)
    with pytest.raises(tracker_import.ImportFailed) as failure:
        tracker_import.apply(result, by=lead)
    assert failure.value.error.sheet == "Readings" and failure.value.error.cell == "C6"
    assert not Action.objects.filter(plan=copy.plan).exists()
    assert not Measure.objects.filter(action__plan=copy.plan).exists()
    assert MeasureReading.objects.count() == 9


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Recommendation no.,Action ID\n1,\n", "must be an Excel workbook"),
        (b"", "empty"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(plan, lead, data, message):
    with pytest.raises(DomainError, match=message):
        tracker_import.validate(data, plan=plan.plan, by=lead)


def test_a_word_document_renamed_xlsx_is_refused(plan, lead):
    from actions.documents import submission_docx

    docx = submission_docx.render(build_submission_snapshot(plan.plan, plan.inspection))
    with pytest.raises(DomainError, match="must be an Excel workbook"):
        tracker_import.validate(docx, plan=plan.plan, by=lead)


def test_too_large_a_file_is_refused_before_it_is_opened(plan, lead, settings):
    settings.DOCUMENTS_IMPORT_MAX_BYTES = 1000
    with pytest.raises(DomainError, match="smaller than"):
        tracker_import.validate(export(plan), plan=plan.plan, by=lead)


def test_too_many_rows_are_refused(plan, lead, settings):
    settings.DOCUMENTS_IMPORT_MAX_ROWS = 3
    with pytest.raises(DomainError, match="more than 3 rows"):
        tracker_import.validate(export(plan), plan=plan.plan, by=lead)


def test_numbers_read_back_as_decimals(plan, lead):
    tracker = edit(export(plan), {"Readings": {(2, "Value"): "65.00"}})
    result = tracker_import.validate(tracker, plan=plan.plan, by=lead)
    assert result.ok and not result.readings
    assert MeasureReading.objects.filter(value=Decimal("65")).exists()
