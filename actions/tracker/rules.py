"""The checks of an imported tracker's Actions sheet, row by row and cell by cell.

Each function turns a sheet's rows into operations and appends a CellError for every
cell it cannot accept; imports decides and applies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.db.models.functions import Lower

from actions.models import Action, Measure
from actions.permissions import can, plan_organisations, possible_owners
from core.models import Organisation, User
from inspections.models import Inspection, Recommendation

from . import cells
from .cells import CellError, Sheet

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
            # Only what the plan may name and whom it may assign: the answer for a name
            # or e-mail address of another council is the same as for one nobody has.
            organisations={
                o.name.lower(): o for o in plan_organisations(inspection.local_authority_id)
            },
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
                possible_owners(self.inspection.local_authority_id)
                .annotate(email_lower=Lower("email"))
                .filter(email_lower=key)
            )
        return self.owners[key]


def parse(
    op: Op, row: dict[str, Any], column: str, parser: Callable[[Any], Any], errors: list[CellError]
) -> Any:
    try:
        return parser(row.get(column))
    except ValueError as exc:
        errors.append(op.cell(column, str(exc)))
        return None


def _owner(op: ActionOp, email: str, ctx: Context, errors: list[CellError]) -> User | None:
    column = "Responsible officer e-mail"
    people = ctx.owner(email)
    if len(people) != 1:
        problem = (
            "more than one action owner of the council or its partners has"
            if people
            else "no action owner of the council or its partners has"
        )
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
        position = parse(op, row, "Recommendation no.", cells.whole_number, errors)
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
        action_id = parse(op, row, "Action ID", cells.whole_number, errors)
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
            errors.append(
                op.cell(
                    "Organisation",
                    f"Neither the council nor its partners are called “{org_name}”.",
                )
            )
        email = cells.text(row.get("Responsible officer e-mail"))
        op.owner = _owner(op, email, ctx, errors) if email else None
        op.due_date = parse(op, row, "Due date", cells.date, errors)
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
