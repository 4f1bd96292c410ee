"""Pages of plans: the list of those a person sees, and the plan page with its sources,
themes, wider areas, repeats, and the forms that change them. Thin: who may do what is in
plans.permissions, the rules in plans.services and inspections.repeat_links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.forms import show_refusal
from inspections import repeat_links
from inspections.models import RecommendationRepeat, RepeatStatus
from plans.permissions import can

from . import services
from .forms import OWN_THEME, PlanForm, RepeatDecisionForm, ThemeForm, WiderAreaForm
from .models import Plan
from .selectors import plan_page
from .visibility import plans_seen_by


def visible_plan(request: HttpRequest, pk: int) -> Plan:
    """The plan, if the person sees it: a plan they do not see and one that does not
    exist answer alike (404)."""
    queryset = plans_seen_by(request.user).select_related("local_authority", "lead_director")
    return get_object_or_404(queryset, pk=pk)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        plans_seen_by(request.user)
        .select_related("local_authority", "lead_director")
        .annotate(source_count=Count("sources", distinct=True))
        .annotate(action_count=Count("actions", distinct=True))
    )
    return render(request, "plans/list.html", {"plans": plans})


def _render_plan(
    request: HttpRequest, plan: Plan, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    can_change = can(request.user, "plans.change_plan", plan)
    context = {
        "plan": plan,
        **plan_page(plan, request.user, timezone.localdate()),
        "can_change": can_change,
        "can_draft": can(request.user, "actions.draft_action", plan),
        # The same rule for every source of the plan: the person sees the plan.
        "can_decide_repeats": can(request.user, "inspections.decide_repeat", plan),
        "can_produce_documents": can(request.user, "actions.generate_documents", plan),
        "can_read_documents": can(request.user, "actions.read_documents", plan),
        "failed_form": next(iter(bound.values()), None),
    }
    if can_change:
        context["plan_form"] = bound.get("plan") or PlanForm(plan=plan)
        context["theme_form"] = bound.get("theme") or ThemeForm(plan=plan)
        context["area_form"] = bound.get("area") or WiderAreaForm(plan=plan)
    return render(request, "plans/detail.html", context, status=status)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_plan(request, visible_plan(request, pk))


def _changing(request: HttpRequest, pk: int) -> Plan:
    plan = visible_plan(request, pk)
    if not can(request.user, "plans.change_plan", plan):
        raise PermissionDenied
    return plan


def _failed(request: HttpRequest, plan: Plan, name: str, form, error: DomainError) -> HttpResponse:
    show_refusal(form, error)
    return _render_plan(request, plan, {name: form}, status=400)


@login_required
@require_POST
def plan_change(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _changing(request, pk)
    form = PlanForm(request.POST, plan=plan)
    if not form.is_valid():
        return _render_plan(request, plan, {"plan": form}, status=400)
    try:
        services.change_plan(plan=plan, by=request.user, **form.cleaned_data)
    except DomainError as error:
        return _failed(request, plan, "plan", form, error)
    messages.success(request, "The plan is changed.")
    return redirect(plan)


@login_required
@require_POST
def plan_add_theme(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _changing(request, pk)
    form = ThemeForm(request.POST, plan=plan)
    if not form.is_valid():
        return _render_plan(request, plan, {"theme": form}, status=400)
    try:
        theme = services.add_theme(plan=plan, by=request.user, name=form.cleaned_data["theme_name"])
    except DomainError as error:
        # The service names the theme "name"; the officer may have chosen it as a radio.
        own = form.cleaned_data["standard"] == OWN_THEME
        error.field = ("name" if own else "standard") if error.field == "name" else None
        return _failed(request, plan, "theme", form, error)
    messages.success(request, f"Theme added: {theme.name}")
    return redirect(f"{plan.get_absolute_url()}#themes")


@login_required
@require_POST
def plan_add_wider_area(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _changing(request, pk)
    form = WiderAreaForm(request.POST, plan=plan)
    if not form.is_valid():
        return _render_plan(request, plan, {"area": form}, status=400)
    try:
        services.add_wider_area(plan=plan, by=request.user, **form.cleaned_data)
    except DomainError as error:
        return _failed(request, plan, "area", form, error)
    messages.success(request, "Wider area for improvement added.")
    return redirect(f"{plan.get_absolute_url()}#wider-areas")


@login_required
@require_POST
def repeat_decide(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Confirm or dismiss a suggested repeat of an item of one of the plan's sources."""
    plan = visible_plan(request, pk)
    link = get_object_or_404(
        RecommendationRepeat.objects.select_related("recommendation__inspection"),
        pk=link_pk,
        recommendation__inspection__plan=plan,
    )
    if not can(request.user, "inspections.decide_repeat", link.recommendation.inspection):
        raise PermissionDenied
    form = RepeatDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to confirm or dismiss the repeat.")
        return redirect(f"{plan.get_absolute_url()}#repeats")
    confirmed = form.cleaned_data["decision"] == RepeatStatus.CONFIRMED
    try:
        repeat_links.decide(link=link, by=request.user, confirmed=confirmed)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        said = "Repeat confirmed." if confirmed else "Repeat dismissed: it is no longer shown."
        messages.success(request, said)
    return redirect(f"{plan.get_absolute_url()}#repeats")
