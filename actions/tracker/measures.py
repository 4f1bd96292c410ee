"""The checks of an imported tracker's Measures and Readings sheets.

Every row's own cells are checked even when the row it depends on (its action, its
measure) has errors, so one upload shows every problem at once.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from actions.models import Measure

from . import cells
from .cells import CellError, Sheet
from .rules import DIRECTIONS, ActionOp, Context, MeasureOp, ReadingOp, parse

MEASURE_FIELDS = {
    "name": "How will we know (measure)",
    "unit": "Unit",
    "baseline": "Baseline",
    "baseline_date": "Baseline date",
    "target": "Target",
    "direction": "Higher or lower is better",
}
_MISSING = object()


def _measure_values(op: MeasureOp, row: dict[str, Any], errors: list[CellError]) -> None:
    before = len(errors)
    direction = cells.text(row.get("Higher or lower is better"))
    op.values = {
        "name": cells.text(row.get("How will we know (measure)")),
        "unit": cells.text(row.get("Unit")),
        "baseline": parse(op, row, "Baseline", cells.decimal, errors),
        "baseline_date": parse(op, row, "Baseline date", cells.date, errors),
        "target": parse(op, row, "Target", cells.decimal, errors),
        "direction": DIRECTIONS.get(direction.lower()),
    }
    flagged = {e.column for e in errors[before:]}
    for key in ("name", "baseline", "target"):
        if op.values[key] in (None, "") and MEASURE_FIELDS[key] not in flagged:
            errors.append(op.cell(MEASURE_FIELDS[key], "Enter a value."))
    if op.values["direction"] is None:
        errors.append(
            op.cell(MEASURE_FIELDS["direction"], "Enter “Higher is better” or “Lower is better”.")
        )


def measure_ops(sheet: Sheet, ctx: Context, errors: list[CellError]) -> list[MeasureOp]:
    """Every row's own cells are checked even when its action row has errors."""
    ops = []
    for number, row in sheet.rows:
        before = len(errors)
        op = MeasureOp(
            sheet,
            number,
            ref=cells.text(row.get("Measure ref")),
            action_ref=cells.text(row.get("Action ref")),
        )
        parent = ctx.ops.get(op.action_ref, _MISSING)
        if parent is _MISSING:
            errors.append(
                op.cell(
                    "Action ref",
                    f"No row of the Actions sheet has the action ref “{op.action_ref}”.",
                )
            )
        _measure_values(op, row, errors)
        measure_id = parse(op, row, "Measure ID", cells.whole_number, errors)
        if parent in (_MISSING, None) or len(errors) > before:
            ctx.measures[op.ref] = None  # known, but not usable: readings are still checked
            continue
        if measure_id is not None:
            ctx.measures[op.ref] = _existing_measure(op, parent, measure_id, errors)
            continue
        if op.values["baseline"] == op.values["target"]:
            errors.append(op.cell("Target", "The target must differ from the baseline."))
        if not ctx.may["edit_action"]:
            errors.append(
                op.cell(MEASURE_FIELDS["name"], "Only a policy officer can add measures.")
            )
        op.existing_action = parent.action
        ctx.measures[op.ref] = op if len(errors) == before else None
        if len(errors) == before:
            ops.append(op)
    return ops


def _existing_measure(
    op: MeasureOp, parent: ActionOp, measure_id: int, errors: list[CellError]
) -> Measure | None:
    existing = {m.pk: m for m in parent.action.measures.all()} if parent.action else {}
    measure = existing.get(measure_id)
    if measure is None:
        errors.append(
            op.cell("Measure ID", f"Measure {measure_id} is not a measure of this action.")
        )
        return None
    for key, value in op.values.items():
        if getattr(measure, key) != value:
            errors.append(
                op.cell(
                    MEASURE_FIELDS[key],
                    "A measure already in the plan cannot be changed here: change it on the "
                    "action's page, or add a new measure.",
                )
            )
            return None
    return measure


def reading_ops(sheet: Sheet, ctx: Context, errors: list[CellError]) -> list[ReadingOp]:
    """Every row's own cells are checked even when its measure row has errors."""
    ops, seen = [], set()
    today = timezone.localdate()
    for number, row in sheet.rows:
        before = len(errors)
        op = ReadingOp(sheet, number, measure_ref=cells.text(row.get("Measure ref")))
        target = ctx.measures.get(op.measure_ref, _MISSING)
        if target is _MISSING:
            errors.append(
                op.cell(
                    "Measure ref",
                    f"No row of the Measures sheet has the measure ref “{op.measure_ref}”.",
                )
            )
        op.date = parse(op, row, "Date", cells.date, errors)
        op.value = parse(op, row, "Value", cells.decimal, errors)
        op.note = cells.text(row.get("Note"))
        flagged = {e.column for e in errors[before:]}
        if op.date is None and "Date" not in flagged:
            errors.append(op.cell("Date", "Enter the date of the reading."))
        if op.value is None and "Value" not in flagged:
            errors.append(op.cell("Value", "Enter the reading."))
        if op.date is not None and op.date > today:
            errors.append(op.cell("Date", "A reading cannot be dated in the future."))
        if op.date is not None and (op.measure_ref, op.date) in seen:
            errors.append(op.cell("Date", "This measure has two readings on this date."))
        seen.add((op.measure_ref, op.date))
        if target in (_MISSING, None) or len(errors) > before:
            continue
        if isinstance(target, Measure):
            op.measure = target
            same_day = [r for r in target.readings.all() if r.date == op.date]
            if same_day:
                if (same_day[0].value, same_day[0].note) != (op.value, op.note):
                    errors.append(
                        op.cell(
                            "Value",
                            "There is already a different reading on this date; readings "
                            "cannot be changed.",
                        )
                    )
                continue
            if not ctx.may_record(target.action):
                errors.append(op.cell("Value", "You cannot record readings for this action."))
        if len(errors) == before:
            ops.append(op)
    return ops
