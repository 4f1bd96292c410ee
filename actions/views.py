"""Pages for actions. Thin: permissions in plans.permissions, rules in actions.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import Conflict, DomainError
from core.forms import show_refusal
from core.models import Organisation, User
from inspections.models import Recommendation
from plans.models import Plan, Theme
from plans.permissions import can
from plans.selectors import answered_items, oldest_report_first
from plans.visibility import plans_seen_by

from . import services
from .filters import ActionFilter
from .forms import AnswersForm, DraftActionForm, ReturnForm
from .models import Action, Evidence, ProgressUpdate
from .reminders.selectors import reminders_for_action
from .selectors import actions_seen_by
from .timeline import timeline_for
from .transitions import TRANSITIONS, make_form

PAGE_SIZE = 50


def _visible_action(request: HttpRequest, pk: int) -> Action:
    queryset = Action.objects.seen_by(request.user).select_related(
        "owner",
        "organisation",
        "assigned_by",
        "signed_off_by",
        "plan__local_authority",
        "wider_area",
        "theme",
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    actions = actions_seen_by(request.user)
    queryset = actions.for_listing().prefetch_related(answered_items()).order_by("due_date", "id")
    action_filter = ActionFilter(request.GET or None, queryset=queryset)
    # The choices offered are those within the plans this person can see.
    fields = action_filter.form.fields
    plans = plans_seen_by(request.user)
    fields["plan"].queryset = plans.select_related("local_authority")
    fields["theme"].queryset = Theme.objects.filter(plan__in=plans).select_related("plan")
    fields["theme"].label_from_instance = lambda theme: f"{theme.name} ({theme.plan})"
    fields["owner"].queryset = User.objects.filter(pk__in=actions.values("owner_id"))
    fields["organisation"].queryset = Organisation.objects.filter(
        pk__in=actions.values("organisation_id")
    )
    page = Paginator(action_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/list.html",
        {"filter": action_filter, "page": page, "query": query.urlencode()},
    )


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    actions = Action.objects.seen_by(request.user).filter(owner=request.user).for_listing()
    open_actions = list(actions.open().order_by("due_date", "id"))
    done_actions = list(actions.done().order_by("-updated_at")[:50])
    # The items both lists answer, read at once.
    prefetch_related_objects(open_actions + done_actions, answered_items())
    return render(
        request,
        "actions/mine.html",
        {"open_actions": open_actions, "done_actions": done_actions},
    )


def _detail_context(request: HttpRequest, action: Action, bound: dict | None = None) -> dict:
    bound = bound or {}
    forms = []
    for transition in TRANSITIONS.values():
        if not can(request.user, transition.permission, action):
            continue
        if transition.name not in bound and not transition.applies(action):
            continue
        form = bound.get(transition.name) or make_form(transition, action)
        forms.append((transition, form))
    measures = action.measures.prefetch_related("readings")
    can_change_answers = can(request.user, "actions.edit_action", action)
    return {
        "action": action,
        "plan": action.plan,
        "answers": action.recommendations.select_related("inspection").order_by(
            *oldest_report_first("inspection__"), "order"
        ),
        "answers_form": (bound.get("answers") or AnswersForm(action=action))
        if can_change_answers
        else None,
        "timeline": timeline_for(action),
        "measures": measures,
        "transition_forms": forms,
        "can_return": can(request.user, "actions.return_item", action),
        "return_form": ReturnForm(),
        "reminders": reminders_for_action(action),
    }


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _visible_action(request, pk)
    return render(request, "actions/detail.html", _detail_context(request, action))


@login_required
@require_POST
def action_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    action = _visible_action(request, pk)
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise Http404("No such change")
    if not can(request.user, transition.permission, action):
        raise PermissionDenied
    form = make_form(transition, action, request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            transition.run(action, request.user, form.cleaned_data, request.FILES)
        except Conflict as conflict:
            action = _visible_action(request, pk)
            data = request.POST.copy()
            data[f"{form.prefix}-version"] = conflict.current.version
            form = make_form(transition, action, data, request.FILES)
            form.is_valid()
            form.add_error(None, conflict.message)
            status = 409
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, transition.success)
            return redirect(action)
    context = _detail_context(request, action, bound={transition.name: form})
    context["failed_form"] = form
    return render(request, "actions/detail.html", context, status=status)


def _draft(
    request: HttpRequest, plan: Plan, preticked: Recommendation | None, data=None
) -> HttpResponse:
    if not can(request.user, "actions.draft_action", plan):
        raise PermissionDenied
    form = DraftActionForm(data, plan=plan, preticked=preticked)
    if data is not None and form.is_valid():
        try:
            action = services.draft_action(plan=plan, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Action drafted. Now assign an owner and add a measure.")
            return redirect(action)
    context = {
        "plan": plan,
        "form": form,
        "sources": form.items_by_source(),
    }
    return render(request, "actions/draft.html", context)


@login_required
def draft_action(request: HttpRequest, pk: int) -> HttpResponse:
    """A new action of a plan: it answers items of any of the plan's sources, ticked on
    the page (`?recommendation=<id>` ticks one to start with), or a wider area."""
    plan = get_object_or_404(plans_seen_by(request.user).select_related("local_authority"), pk=pk)
    preticked = None
    wanted = request.GET.get("recommendation", "")
    if wanted.isdigit():
        preticked = Recommendation.objects.filter(inspection__plan=plan, pk=wanted).first()
    return _draft(request, plan, preticked, request.POST if request.method == "POST" else None)


@login_required
def draft_action_for_recommendation(request: HttpRequest, recommendation_pk: int) -> HttpResponse:
    """The draft page opened from one item ("Draft an action" beside it): that item is
    ticked. A post here that ticks nothing at all (a form from before actions could
    answer several items) answers that item."""
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("inspection__plan__local_authority").filter(
            inspection__plan__in=plans_seen_by(request.user)
        ),
        pk=recommendation_pk,
    )
    plan = recommendation.inspection.plan
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if "recommendations" not in data and not data.get("wider_area"):
            data.setlist("recommendations", [str(recommendation.pk)])
    return _draft(request, plan, recommendation, data)


@login_required
@require_POST
def change_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """A policy officer changes what the action answers and the theme it is filed under."""
    action = _visible_action(request, pk)
    if not can(request.user, "actions.edit_action", action):
        raise PermissionDenied
    form = AnswersForm(request.POST, action=action)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_answers(
                action=action,
                by=request.user,
                recommendations=data["recommendations"],
                wider_area=data["wider_area"],
                theme=data["theme"],
                expected_version=data["version"],
            )
        except Conflict as conflict:
            action = _visible_action(request, pk)
            data = request.POST.copy()
            data[f"{form.prefix}-version"] = conflict.current.version
            form = AnswersForm(data, action=action)
            form.is_valid()
            form.add_error(None, conflict.message)
            status = 409
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "What the action answers is changed.")
            return redirect(action)
    context = _detail_context(request, action, bound={"answers": form})
    context["failed_form"] = form
    return render(request, "actions/detail.html", context, status=status)


@login_required
@require_POST
def return_item(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = {"progress": ProgressUpdate, "evidence": Evidence}.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(
        model.objects.select_related("action").filter(
            action__in=Action.objects.seen_by(request.user)
        ),
        pk=pk,
    )
    if not can(request.user, "actions.return_item", item.action):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_item(item=item, by=request.user, comment=form.cleaned_data["comment"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Returned to its author with your comment.")
    else:
        messages.error(request, "Enter what needs to change.")
    return redirect(item.action)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files are only ever served here, after the permission check."""
    evidence = get_object_or_404(
        Evidence.objects.filter(action__in=Action.objects.seen_by(request.user)), pk=pk
    )
    if not evidence.file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_filename or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
