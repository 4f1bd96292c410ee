"""Pages for actions. Thin: permissions in actions.permissions, rules in actions.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import Conflict, DomainError
from core.models import Organisation, User
from inspections.models import Recommendation
from plans.visibility import plans_seen_by

from . import services
from .filters import ActionFilter
from .forms import DraftActionForm, ReturnForm
from .models import Action, Evidence, ProgressUpdate
from .permissions import can
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
        "recommendation__inspection__local_authority",
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    actions = actions_seen_by(request.user)
    queryset = actions.for_listing().order_by("due_date", "id")
    action_filter = ActionFilter(request.GET or None, queryset=queryset)
    # The choices offered are those within the plans this person can see.
    fields = action_filter.form.fields
    fields["inspection"].queryset = plans_seen_by(request.user).select_related("local_authority")
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
    return render(
        request,
        "actions/mine.html",
        {
            "open_actions": actions.open().order_by("due_date", "id"),
            "done_actions": actions.done().order_by("-updated_at")[:50],
        },
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
    return {
        "action": action,
        "inspection": action.recommendation.inspection,
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
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            messages.success(request, transition.success)
            return redirect(action)
    context = _detail_context(request, action, bound={transition.name: form})
    context["failed_form"] = form
    return render(request, "actions/detail.html", context, status=status)


@login_required
def draft_action(request: HttpRequest, recommendation_pk: int) -> HttpResponse:
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("inspection__local_authority").filter(
            inspection__in=plans_seen_by(request.user)
        ),
        pk=recommendation_pk,
    )
    if not can(request.user, "actions.draft_action", recommendation):
        raise PermissionDenied
    form = DraftActionForm(request.POST or None, recommendation=recommendation)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.draft_action(
                recommendation=recommendation, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Action drafted. Now assign an owner and add a measure.")
            return redirect(action)
    return render(request, "actions/draft.html", {"recommendation": recommendation, "form": form})


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
