"""Changing plans: making one, its themes and its wider areas for improvement.

Every change is checked against the permission rules (plans.permissions:
plans.change_plan), audited, and made in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from core import audit
from core.errors import DomainError
from core.models import Organisation, User

from .models import AreaOrigin, Plan, PlanStatus, Theme, WiderArea
from .themes import standard_themes

AUDITED = ["title", "status", "lead_director_id"]


def _require(by: User, plan: Plan) -> None:
    if not by.has_perm("plans.change_plan", plan):
        raise PermissionDenied


def default_title(authority: Organisation) -> str:
    return f"{authority.name} improvement plan"


@transaction.atomic
def create_plan(
    *,
    authority: Organisation,
    by: User | None,
    title: str = "",
    lead_director: User | None = None,
) -> Plan:
    """A new draft plan of `authority` (the caller has checked the person may act for it,
    inspections.authorities)."""
    plan = Plan.objects.create(
        local_authority=authority,
        title=(title.strip() or default_title(authority))[:300],
        lead_director=lead_director,
    )
    audit.record(actor=by, verb="create", obj=plan, after=audit.snapshot(plan, AUDITED))
    return plan


def open_plans(authority: Organisation):
    """The plans of an authority a new report may feed: all but closed ones, newest first."""
    return authority.plans.exclude(status=PlanStatus.CLOSED).order_by("-created_at", "-id")


@transaction.atomic
def change_plan(*, plan: Plan, by: User, **fields) -> Plan:
    """Change a plan's title, status or lead director."""
    _require(by, plan)
    unknown = set(fields) - {"title", "status", "lead_director"}
    if unknown:
        raise DomainError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    if "title" in fields and not str(fields["title"]).strip():
        raise DomainError("Enter the plan's title.", field="title")
    if "status" in fields and fields["status"] not in PlanStatus.values:
        raise DomainError("Choose the plan's status.", field="status")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    before = audit.snapshot(plan, AUDITED)
    for name, value in fields.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    plan.save()
    audit.record(
        actor=by, verb="update", obj=plan, before=before, after=audit.snapshot(plan, AUDITED)
    )
    return plan


@transaction.atomic
def add_theme(*, plan: Plan, by: User, name: str) -> Theme:
    """A theme of the council's own, or one of the standard themes by its name."""
    _require(by, plan)
    name = name.strip()
    if not name:
        raise DomainError("Enter the theme's name.", field="name")
    if plan.themes.filter(name__iexact=name).exists():
        raise DomainError("The plan already has a theme with this name.", field="name")
    standard = next((t for t in standard_themes() if t.name.lower() == name.lower()), None)
    order = (plan.themes.aggregate(last=Max("order"))["last"] or 0) + 1
    theme = plan.themes.create(
        name=name[:300],
        framework_kind=standard.kind if standard else "",
        framework_number=standard.number if standard else None,
        order=order,
    )
    audit.record(actor=by, verb="add_theme", obj=plan, after={"theme": theme.name})
    return theme


@transaction.atomic
def add_wider_area(
    *,
    plan: Plan,
    by: User,
    text: str,
    origin: str,
    origin_detail: str = "",
    theme: Theme | None = None,
) -> WiderArea:
    """A wider area for improvement the council found itself, for actions to answer."""
    _require(by, plan)
    if not text.strip():
        raise DomainError("Enter the area for improvement.", field="text")
    if origin not in AreaOrigin.values:
        raise DomainError("Choose where the area for improvement came from.", field="origin")
    if theme is not None and theme.plan_id != plan.pk:
        raise DomainError("Choose one of this plan's themes.", field="theme")
    order = (plan.wider_areas.aggregate(last=Max("order"))["last"] or 0) + 1
    area = plan.wider_areas.create(
        text=text.strip(),
        origin=origin,
        origin_detail=origin_detail.strip()[:300],
        theme=theme,
        order=order,
        created_by=by,
    )
    audit.record(
        actor=by,
        verb="add_wider_area",
        obj=plan,
        after={"wider_area": area.pk, "text": area.text, "origin": origin},
    )
    return area
