"""The checks of an imported tracker, row by row and cell by cell.

Each function turns a sheet's rows into operations and appends a CellError for every
cell it cannot accept; tracker_import decides and applies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils import timezone

from actions.models import Action, Measure
from actions.permissions import can
from core.models import Organisation, User
from core.roles import Role, roles_of
from inspections.models import Inspection, Recommendation

from . import tracker_cells as cells
from .tracker_cells import CellError, Sheet

ACTION_REQUIRED = ["Recommendation no.", "Action ID", "What will be done"]
MEASURE_REQUIRED = [
    "Action ref",
    "How will we know (measure)",
    "Baseline",
    "Target",
    "Higher or lower is better",
]
READING_REQUIRED = ["Measure ref", "Date", "Value"]
EDITED = {
    "Description": "description",
    "What difference will it make": "expected_outcome",
    "Resources required": "resources",
    "Risks": "risks",
}
DIRECTIONS = {
    "higher is better": "higher",
    "higher": "higher",
    "lower is better": "lower",
    "lower": "lower",
}


@dataclasses.dataclass
class Op:
    sheet: Sheet
    row: int

    def cell(self, column: str, message: str = "") -> CellError:
        return CellError(self.sheet.name, self.row, column, self.sheet.letter(column), message)


@dataclasses.dataclass
class ActionOp(Op):
    ref: str = ""
    recommendation: Recommendation | None = None
    action: Action | None = None
    fields: dict[str, Any] = dataclasses.field(default_factory=dict)
    field_changes: dict[str, Any] = dataclasses.field(default_factory=dict)
    owner: User | None = None
    due_date: dt.date | None = None
    reason: str = ""
    changes: list[str] = dataclasses.field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)


@dataclasses.dataclass
class MeasureOp(Op):
    ref: str = ""
    action_ref: str = ""
    existing_action: Action | None = None
    values: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ReadingOp(Op):
    measure_ref: str = ""
    measure: Measure | None = None
    date: dt.date | None = None
    value: Decimal | None = None
    note: str = ""


@dataclasses.dataclass
class Context:
    inspection: Inspection
    by: User
    recommendations: list[Recommendation]
    existing: dict[int, Action]
    organisations: dict[str, Organisation]
    may: dict[str, bool]
    ops: dict[str, ActionOp | None] = dataclasses.field(default_factory=dict)
    measures: dict[str, Measure | MeasureOp | None] = dataclasses.field(default_factory=dict)
    owners: dict[str, list[User]] = dataclasses.field(default_factory=dict)
    recorders: dict[int, bool] = dataclasses.field(default_factory=dict)

    @classmethod
    def load(cls, inspection: Inspection, by: User) -> Context:
        existing = (
            Action.objects.filter(recommendation__inspection=inspection)
            .select_related("owner", "organisation")
            .prefetch_related(
                Prefetch("measures", queryset=Measure.objects.prefetch_related("readings"))
            )
        )
        perms = ["draft_action", "edit_action", "assign_owner", "move_due_date", "record_reading"]
        return cls(
            inspection=inspection,
            by=by,
            recommendations=list(inspection.recommendations.order_by("order", "id")),
            existing={a.pk: a for a in existing},
            organisations={o.name.lower(): o for o in Organisation.objects.all()},
            # Director and officer rights hold plan-wide: ask once, not once per row.
            may={p: can(by, f"actions.{p}", inspection) for p in perms},
        )

    def may_record(self, action: Action) -> bool:
        """Owners record readings of their own actions only: asked once per action."""
        if action.pk not in self.recorders:
            self.recorders[action.pk] = can(self.by, "actions.record_reading", action)
        return self.recorders[action.pk]

    def owner(self, email: str) -> list[User]:
        key = email.lower()
        if key not in self.owners:
            self.owners[key] = list(
                User.objects.annotate(email_lower=Lower("email")).filter(
                    email_lower=key, is_active=True
                )
            )
        return self.owners[key]


def _parse(op: Op, row: dict[str, Any], column: str, parser, errors: list[CellError]):
    try:
        return parser(row.get(column))
    except ValueError as exc:
        errors.append(op.cell(column, str(exc)))
        return None


def _owner(op: ActionOp, email: str, ctx: Context, errors: list[CellError]) -> User | None:
    column = "Responsible officer e-mail"
    people = [p for p in ctx.owner(email) if Role.ACTION_OWNER in roles_of(p)]
    if len(people) != 1:
        problem = "more than one person has" if people else "nobody with the action owner role has"
        errors.append(op.cell(column, f"{email}: {problem} this e-mail address."))
        return None
    return people[0]


def action_ops(sheet: Sheet, ctx: Context, errors: list[CellError]) -> list[ActionOp]:
    ops = []
    seen_ids: set[int] = set()
    for number, row in sheet.rows:
        before = len(errors)
        op = ActionOp(sheet, number, ref=cells.text(row.get("Action ref")))
        if op.ref and op.ref in ctx.ops:
            errors.append(op.cell("Action ref", f"The action ref {op.ref} is used twice."))
        position = _parse(op, row, "Recommendation no.", cells.whole_number, errors)
        if position is not None and not 1 <= position <= len(ctx.recommendations):
            errors.append(
                op.cell(
                    "Recommendation no.",
                    f"The report has no recommendation "
                    f"{position}: use 1 to {len(ctx.recommendations)}.",
                )
            )
        elif position is not None:
            op.recommendation = ctx.recommendations[position - 1]
            given = cells.text(row.get("Recommendation"))
            if given and not cells.same_text(given, op.recommendation.text):
                errors.append(
                    op.cell(
                        "Recommendation",
                        f"This is not the text of recommendation {position} in the report.",
                    )
                )
        elif "Recommendation no." in sheet.headers:
            errors.append(op.cell("Recommendation no.", "Enter the recommendation's number."))
        action_id = _parse(op, row, "Action ID", cells.whole_number, errors)
        if action_id is not None:
            op.action = ctx.existing.get(action_id)
            if op.action is None:
                errors.append(op.cell("Action ID", f"Action {action_id} is not in this plan."))
            elif action_id in seen_ids:
                errors.append(op.cell("Action ID", f"Action {action_id} appears twice."))
            seen_ids.add(action_id)
        title = cells.text(row.get("What will be done"))
        if not title:
            errors.append(op.cell("What will be done", "Enter what will be done."))
        op.fields = {"title": title, **{f: cells.text(row.get(c)) for c, f in EDITED.items()}}
        org_name = cells.text(row.get("Organisation"))
        op.fields["organisation"] = ctx.organisations.get(org_name.lower()) if org_name else None
        if org_name and op.fields["organisation"] is None:
            errors.append(op.cell("Organisation", f"No organisation is called “{org_name}”."))
        email = cells.text(row.get("Responsible officer e-mail"))
        op.owner = _owner(op, email, ctx, errors) if email else None
        op.due_date = _parse(op, row, "Due date", cells.date, errors)
        op.reason = cells.text(row.get("Reason for new due date"))
        if len(errors) == before:
            _changes(op, ctx, errors)
        ctx.ops[op.ref or f"row-{number}"] = op if len(errors) == before else None
        if len(errors) == before:
            ops.append(op)
    return ops


def _changes(op: ActionOp, ctx: Context, errors: list[CellError]) -> None:
    """What the row changes, refused where the importing person may not change it."""
    may, action = ctx.may, op.action
    if action is None:
        if not may["draft_action"]:
            errors.append(op.cell("What will be done", "Only a policy officer can add actions."))
        if op.owner and not may["assign_owner"]:
            errors.append(
                op.cell("Responsible officer e-mail", "Only a director can assign owners.")
            )
        op.changes = ["New action"]
        return
    if action.recommendation_id != op.recommendation.pk:
        errors.append(
            op.cell(
                "Recommendation no.",
                "An action cannot move to another recommendation: add a new action instead.",
            )
        )
    for name, value in op.fields.items():
        current = getattr(action, name)
        differs = current != value if name == "organisation" else (current or "") != (value or "")
        if differs:
            op.field_changes[name] = value
            op.changes.append(
                f"{name.replace('_', ' ').capitalize()}: “{current or ''}” → “{value or ''}”"
            )
    if op.field_changes and not may["edit_action"]:
        errors.append(op.cell("What will be done", "Only a policy officer can change actions."))
    if op.owner and op.owner.pk != action.owner_id:
        op.changes.append(f"Responsible officer: {action.owner or 'nobody'} → {op.owner}")
        if not may["assign_owner"]:
            errors.append(
                op.cell("Responsible officer e-mail", "Only a director can assign owners.")
            )
    if op.due_date and op.due_date != action.due_date:
        op.changes.append(f"Due date: {action.due_date:%-d %b %Y} → {op.due_date:%-d %b %Y}")
        if not may["move_due_date"]:
            errors.append(op.cell("Due date", "Only a director can move a due date."))
        elif not op.reason:
            errors.append(op.cell("Reason for new due date", "Enter why the due date moved."))


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
        "baseline": _parse(op, row, "Baseline", cells.decimal, errors),
        "baseline_date": _parse(op, row, "Baseline date", cells.date, errors),
        "target": _parse(op, row, "Target", cells.decimal, errors),
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
        measure_id = _parse(op, row, "Measure ID", cells.whole_number, errors)
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
        op.date = _parse(op, row, "Date", cells.date, errors)
        op.value = _parse(op, row, "Value", cells.decimal, errors)
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
