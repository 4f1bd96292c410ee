"""The checks of an imported tracker's Actions sheet, row by row and cell by cell.

Each function turns a sheet's rows into operations and appends a CellError for every
cell it cannot accept; imports decides and applies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.db.models.functions import Lower

from actions.documents.snapshot import items_and_areas, plan_sources
from actions.models import Action, Measure
from actions.permissions import plan_organisations, possible_owners
from core.models import Organisation, User
from inspections.models import Recommendation
from plans.models import Plan, Theme, WiderArea
from plans.permissions import can

from . import cells
from .cells import CellError, Sheet

ACTION_REQUIRED = ["Items answered", "Action ID", "What will be done"]
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
    recommendations: list[Recommendation] = dataclasses.field(default_factory=list)
    wider_area: WiderArea | None = None
    theme: Theme | None = None
    answers_change: bool = False
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
    plan: Plan
    by: User
    items: dict[str, Recommendation]  # by reference, "S1.2"
    areas: dict[str, WiderArea]  # by reference, "W1"
    themes: dict[str, Theme]  # by name, lower case
    existing: dict[int, Action]
    organisations: dict[str, Organisation]
    may: dict[str, bool]
    ops: dict[str, ActionOp | None] = dataclasses.field(default_factory=dict)
    measures: dict[str, Measure | MeasureOp | None] = dataclasses.field(default_factory=dict)
    owners: dict[str, list[User]] = dataclasses.field(default_factory=dict)
    recorders: dict[int, bool] = dataclasses.field(default_factory=dict)

    @classmethod
    def load(cls, plan: Plan, by: User) -> Context:
        existing = (
            Action.objects.filter(plan=plan)
            .select_related("owner", "organisation", "theme", "wider_area")
            .prefetch_related(
                "recommendations",
                Prefetch("measures", queryset=Measure.objects.prefetch_related("readings")),
            )
        )
        item_refs, area_refs = items_and_areas(plan, plan_sources(plan))
        recommendations = Recommendation.objects.filter(inspection__plan=plan).select_related(
            "inspection"
        )
        by_id = {r.pk: r for r in recommendations}
        areas = {a.pk: a for a in plan.wider_areas.all()}
        perms = ["draft_action", "edit_action", "assign_owner", "move_due_date", "record_reading"]
        return cls(
            plan=plan,
            by=by,
            items={item["ref"].lower(): by_id[pk] for pk, item in item_refs.items()},
            areas={area["ref"].lower(): areas[pk] for pk, area in area_refs.items()},
            themes={t.name.lower(): t for t in plan.themes.all()},
            existing={a.pk: a for a in existing},
            # Only what the plan may name and whom it may assign: the answer for a name
            # or e-mail address of another council is the same as for one nobody has.
            organisations={o.name.lower(): o for o in plan_organisations(plan.local_authority_id)},
            # Director and officer rights hold plan-wide: ask once, not once per row.
            may={p: can(by, f"actions.{p}", plan) for p in perms},
        )

    def item_ref(self, recommendation: Recommendation) -> str:
        return next(ref.upper() for ref, r in self.items.items() if r.pk == recommendation.pk)

    def may_record(self, action: Action) -> bool:
        """Owners record readings of their own actions only: asked once per action."""
        if action.pk not in self.recorders:
            self.recorders[action.pk] = can(self.by, "actions.record_reading", action)
        return self.recorders[action.pk]

    def owner(self, email: str) -> list[User]:
        key = email.lower()
        if key not in self.owners:
            self.owners[key] = list(
                possible_owners(self.plan.local_authority_id)
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


ITEMS, AREA, THEME = "Items answered", "Wider area ref", "Theme"


def _answers(op: ActionOp, row: dict[str, Any], ctx: Context, errors: list[CellError]) -> None:
    """What the row's action answers: items by reference, a wider area, a theme."""
    for ref in filter(None, re.split(r"[\s;,]+", cells.text(row.get(ITEMS)))):
        item = ctx.items.get(ref.lower())
        if item is None:
            errors.append(
                op.cell(ITEMS, f"The plan has no item {ref}: the Items sheet lists them.")
            )
        elif item not in op.recommendations:
            op.recommendations.append(item)
    area = cells.text(row.get(AREA))
    if area:
        op.wider_area = ctx.areas.get(area.lower())
        if op.wider_area is None:
            errors.append(
                op.cell(AREA, f"The plan has no wider area {area}: the Items sheet lists them.")
            )
    theme = cells.text(row.get(THEME))
    if theme:
        op.theme = ctx.themes.get(theme.lower())
        if op.theme is None:
            errors.append(op.cell(THEME, f"The plan has no theme called “{theme}”."))


def action_ops(sheet: Sheet, ctx: Context, errors: list[CellError]) -> list[ActionOp]:
    ops = []
    seen_ids: set[int] = set()
    for number, row in sheet.rows:
        before = len(errors)
        op = ActionOp(sheet, number, ref=cells.text(row.get("Action ref")))
        if op.ref and op.ref in ctx.ops:
            errors.append(op.cell("Action ref", f"The action ref {op.ref} is used twice."))
        _answers(op, row, ctx, errors)
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
        if not op.recommendations and op.wider_area is None:
            errors.append(
                op.cell(
                    ITEMS,
                    "Enter the items the action answers, or its wider area (Wider area ref).",
                )
            )
        op.changes = ["New action"]
        return
    _answer_changes(op, ctx, errors)
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


def _refs(ctx: Context, recommendations, area: WiderArea | None) -> str:
    refs = sorted(ctx.item_ref(r) for r in recommendations)
    if area is not None:
        refs.append(next(ref.upper() for ref, a in ctx.areas.items() if a.pk == area.pk))
    return "; ".join(refs) or "nothing"


def _answer_changes(op: ActionOp, ctx: Context, errors: list[CellError]) -> None:
    """A different set of items, wider area or theme changes what the action answers."""
    action = op.action
    current = set(action.recommendations.all())
    if current != set(op.recommendations) or action.wider_area_id != (
        op.wider_area.pk if op.wider_area else None
    ):
        op.answers_change = True
        op.changes.append(
            f"Answers: {_refs(ctx, current, action.wider_area)} → "
            f"{_refs(ctx, op.recommendations, op.wider_area)}"
        )
        if not op.recommendations and op.wider_area is None:
            errors.append(
                op.cell(
                    ITEMS,
                    "Enter the items the action answers, or its wider area (Wider area ref).",
                )
            )
    if action.theme_id != (op.theme.pk if op.theme else None):
        op.answers_change = True
        op.changes.append(f"Theme: “{action.theme or ''}” → “{op.theme or ''}”")
    if op.answers_change and not ctx.may["edit_action"]:
        errors.append(op.cell(ITEMS, "Only a policy officer can change what an action answers."))
