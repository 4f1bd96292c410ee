"""Importing a council's tracker in the export layout: a preview, every error with its
cell, then all of it or nothing.

Every change goes through actions.services (draft_action, update_details, assign_owner,
move_due_date, add_measure, record_reading), so permissions, audit entries, RAG and
e-mails to new owners are exactly those of the pages. Nothing is deleted, and what
the services cannot change (a measure's target, a past reading) is refused, not skipped.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.db import transaction

from actions import services as action_services
from actions.models import Action, Measure
from core.errors import DomainError
from core.models import User
from plans.models import Plan
from plans.permissions import can

from . import measures, rules
from .cells import CellError, read_workbook


class ImportFailed(DomainError):
    def __init__(self, error: CellError):
        super().__init__(f"{error.sheet} {error.cell}: {error.message} Nothing was saved.")
        self.error = error


@dataclasses.dataclass
class ImportPlan:
    errors: list[CellError] = dataclasses.field(default_factory=list)
    creates: list[rules.ActionOp] = dataclasses.field(default_factory=list)
    updates: list[rules.ActionOp] = dataclasses.field(default_factory=list)
    unchanged: int = 0
    measures: list[rules.MeasureOp] = dataclasses.field(default_factory=list)
    readings: list[rules.ReadingOp] = dataclasses.field(default_factory=list)
    untouched: list[str] = dataclasses.field(default_factory=list)
    plan: Plan | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.creates or self.updates or self.measures or self.readings)


def validate(data: bytes, *, plan: Plan, by: User) -> ImportPlan:
    """Read and check the whole workbook against `plan`: rows are matched to the plan's
    actions by Action ID. Collects every error rather than stop at one."""
    sheets = read_workbook(data, ["Actions", "Measures", "Readings"])
    result = ImportPlan(plan=plan)
    if "Actions" not in sheets:
        result.errors.append(CellError("Actions", 0, "", "", "The workbook has no Actions sheet."))
        return result
    context = rules.Context.load(plan, by)
    for sheet, required in (
        ("Actions", rules.ACTION_REQUIRED),
        ("Measures", rules.MEASURE_REQUIRED),
        ("Readings", rules.READING_REQUIRED),
    ):
        if sheet in sheets:
            missing = [c for c in required if c not in sheets[sheet].headers]
            for column in missing:
                result.errors.append(
                    CellError(sheet, 1, column, "", f"The column “{column}” is missing.")
                )
    if result.errors:
        return result
    for op in rules.action_ops(sheets["Actions"], context, result.errors):
        if op.action is None:
            result.creates.append(op)
        elif op.has_changes:
            result.updates.append(op)
        else:
            result.unchanged += 1
    if "Measures" in sheets:
        result.measures = measures.measure_ops(sheets["Measures"], context, result.errors)
    if "Readings" in sheets:
        result.readings = measures.reading_ops(sheets["Readings"], context, result.errors)
    seen = {op.action.pk for op in context.ops.values() if op and op.action}
    result.untouched = [f"{a.pk}: {a.title}" for a in context.existing.values() if a.pk not in seen]
    return result


@transaction.atomic
def apply(changes: ImportPlan, *, by: User) -> dict[str, int]:
    """Make every change of a valid import, or none: any refusal rolls the whole import
    back."""
    if not changes.ok:
        raise DomainError("Correct the errors in the spreadsheet before importing it.")
    actions: dict[str, Action] = {}
    for op in changes.creates + changes.updates:
        with _cell(op.cell("What will be done")):
            actions[op.ref or f"row-{op.row}"] = _apply_action(op, changes.plan, by)
    measures: dict[str, Measure] = {}
    for op in changes.measures:
        action = actions.get(op.action_ref) or op.existing_action
        with _cell(op.cell("How will we know (measure)")):
            measures[op.ref] = action_services.add_measure(action=action, by=by, **op.values)
    for op in changes.readings:
        with _cell(op.cell("Value")):
            action_services.record_reading(
                measure=op.measure or measures[op.measure_ref],
                by=by,
                date=op.date,
                value=op.value,
                note=op.note,
            )
    return {
        "created": len(changes.creates),
        "updated": len(changes.updates),
        "measures": len(changes.measures),
        "readings": len(changes.readings),
    }


@contextlib.contextmanager
def _cell(cell: CellError) -> Iterator[None]:
    """A service's refusal, reported against the cell that asked for the change."""
    try:
        yield
    except (DomainError, PermissionDenied) as exc:
        message = getattr(exc, "message", None) or str(exc)
        raise ImportFailed(dataclasses.replace(cell, message=message)) from exc


def _apply_action(op: rules.ActionOp, plan: Plan, by: User) -> Action:
    if op.action is None:
        action = action_services.draft_action(
            plan=plan,
            by=by,
            recommendations=op.recommendations,
            wider_area=op.wider_area,
            theme=op.theme,
            due_date=op.due_date,
            **op.fields,
        )
        if op.owner is not None:
            action = action_services.assign_owner(
                action=action, by=by, owner=op.owner, organisation=op.fields["organisation"]
            )
        return action
    action = op.action
    if op.answers_change:
        action = action_services.change_answers(
            action=action,
            by=by,
            recommendations=op.recommendations,
            wider_area=op.wider_area,
            theme=op.theme,
            expected_version=action.version,
        )
    if op.field_changes:
        action = action_services.update_details(
            action=action, by=by, expected_version=action.version, **op.field_changes
        )
    if op.owner is not None and op.owner.pk != action.owner_id:
        action = action_services.assign_owner(
            action=action,
            by=by,
            owner=op.owner,
            organisation=op.fields["organisation"],
            expected_version=action.version,
        )
    if op.due_date is not None and op.due_date != action.due_date:
        action = action_services.move_due_date(
            action=action,
            by=by,
            new_date=op.due_date,
            reason=op.reason,
            expected_version=action.version,
        )
    return action


def can_import(user: User, plan: Plan) -> bool:
    return can(user, "actions.generate_documents", plan)
