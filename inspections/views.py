"""Inspection pages and the import journey: upload → review → confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from actions.models import Action
from core.errors import DomainError
from core.forms import show_refusal
from core.models import Organisation
from core.words import counted
from plans.models import Plan
from plans.permissions import can
from plans.visibility import reports_seen_by

from . import importer, repeat_links, services
from .authorities import default_authority, mismatch_warning
from .forms import DeadlineOverrideForm
from .models import Inspection, PendingImport, RecommendationRepeat, RepeatStatus
from .review import (
    JudgementFormSet,
    PlanForm,
    RecommendationFormSet,
    ReportDetailsForm,
    Summary,
    default_destination,
    initial_forms,
    report_from_dict,
    report_from_forms,
    summarise,
)


def _visible_report(request: HttpRequest, pk: int) -> Inspection:
    return get_object_or_404(
        reports_seen_by(request.user).select_related("local_authority", "imported_by", "plan"),
        pk=pk,
    )


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The page of one report or letter: its items, judgements, deadlines, the plan it
    feeds, and each item's repeats of earlier items."""
    return _render_detail(request, _visible_report(request, pk))


def _render_detail(
    request: HttpRequest,
    inspection: Inspection,
    deadline_form: DeadlineOverrideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The report's page; `deadline_form` is the deadline change that was refused, shown
    open with its errors and what was typed."""
    shown_repeats = RecommendationRepeat.objects.exclude(status=RepeatStatus.DISMISSED)
    recommendations = inspection.recommendations.select_related(
        "addressee_organisation"
    ).prefetch_related(
        Prefetch(
            "actions",
            queryset=Action.objects.select_related(
                "owner", "organisation", "plan__local_authority"
            ),
        ),
        Prefetch(
            "repeat_links",
            queryset=shown_repeats.select_related(
                "earlier__inspection__local_authority"
            ).prefetch_related("earlier__actions__owner"),
            to_attr="shown_repeats",
        ),
        Prefetch(
            "repeated_by_links",
            queryset=shown_repeats.select_related("recommendation__inspection__local_authority"),
            to_attr="shown_repeated_by",
        ),
    )
    recommendations = list(recommendations)
    for item in recommendations:
        for link in item.shown_repeats:
            link.earlier_closed = repeat_links.closed_answers(link.earlier)
        item.later_reports = _later_reports(item.shown_repeated_by)
    plan = inspection.plan
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": inspection,
            "plan": plan,
            "plan_url": _plan_url(plan),
            "judgements": inspection.judgements.all(),
            "recommendations": recommendations,
            "can_draft": plan is not None and can(request.user, "actions.draft_action", plan),
            "can_change_deadline": can(request.user, "inspections.change_deadline", inspection),
            "can_correct_report": can(request.user, "inspections.correct_report", inspection),
            "can_produce_documents": can(request.user, "actions.generate_documents", inspection),
            "can_read_documents": can(request.user, "actions.read_documents", inspection),
            "deadline_form": deadline_form or DeadlineOverrideForm(),
        },
        status=status,
    )


def _later_reports(links: list[RecommendationRepeat]) -> list[dict]:
    """The later reports whose items say an item again, each report once with its links:
    reports with a confirmed repeat first, and in each report its confirmed items first."""
    reports: dict[int, dict] = {}
    for link in sorted(links, key=lambda link: link.status != RepeatStatus.CONFIRMED):
        later = link.recommendation.inspection
        reports.setdefault(later.pk, {"report": later, "links": []})["links"].append(link)
    return list(reports.values())


def _plan_url(plan: Plan | None) -> str:
    """The plan's page, or "" for a report held as history (it feeds no plan)."""
    return plan.get_absolute_url() if plan is not None else ""


@login_required
@require_POST
def override_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    """A deadline change from the report's page; refused, the page comes back (400) with
    the form open, its errors summarised at the top and what was typed kept."""
    inspection = _visible_report(request, pk)
    if not can(request.user, "inspections.change_deadline", inspection):
        raise PermissionDenied("Only policy officers can change the plan deadline.")
    form = DeadlineOverrideForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, inspection, form, status=400)
    try:
        services.override_deadline(inspection=inspection, by=request.user, **form.cleaned_data)
    except DomainError as error:
        show_refusal(form, error)
        return _render_detail(request, inspection, form, status=400)
    messages.success(request, "Deadline changed; the reason is recorded.")
    return redirect(inspection)


def _require_importer(request: HttpRequest) -> None:
    if not can(request.user, "inspections.import_report"):
        raise PermissionDenied("Only policy officers import reports.")


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    error = None
    text = ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            pending = importer.start_review(
                upload=request.FILES.get("report"), text=text, user=request.user
            )
        except services.DuplicateReport as duplicate:
            existing = duplicate.seen_by(request.user)
            error = (
                format_html(
                    "This report has already been imported: "
                    '<a class="govuk-link" href="{}">{}</a>.',
                    existing.get_absolute_url(),
                    existing,
                )
                if existing
                else services.NOT_YOURS_DUPLICATE
            )
        except DomainError as failure:
            error = failure.message
        else:
            return redirect("import-review", token=pending.token)
    return render(
        request,
        "inspections/import_upload.html",
        {"error": error, "text": text},
        status=400 if error else 200,
    )


@login_required
def import_review(request: HttpRequest, token: str) -> HttpResponse:
    _require_importer(request)
    pending = get_object_or_404(PendingImport, token=token, uploaded_by=request.user)
    report = report_from_dict(pending.result)
    if request.method == "POST" and "abandon" in request.POST:
        importer.abandon(pending)
        messages.success(request, "Import abandoned; nothing was saved.")
        return redirect("import-upload")
    status = 200
    # The council the page starts with; the one sent with the form decides once there is one.
    authority = default_authority(request.user, report.local_authority)
    if request.method == "POST":
        plan = PlanForm(request.POST, prefix="plan", user=request.user, authority=authority)
        details = ReportDetailsForm(request.POST, prefix="details")
        judgements = JudgementFormSet(request.POST, prefix="judgements")
        recommendations = RecommendationFormSet(request.POST, prefix="recommendations")
        valid = all(form.is_valid() for form in (plan, details, judgements, recommendations))
        if valid:
            confirmed = report_from_forms(
                details,
                judgements,
                recommendations,
                printed_authority=report.local_authority,
                warnings=report.warnings,
            )
            if not plan.check_received_date(confirmed):
                status = 400
            elif "confirm" in request.POST:
                try:
                    inspection = importer.confirm(
                        pending=pending,
                        report=confirmed,
                        user=request.user,
                        authority=plan.cleaned_data["local_authority"],
                        received_date=plan.cleaned_data["received_date"],
                        plan=plan.plan,
                        hold_as_history=plan.hold_as_history,
                    )
                except services.DuplicateReport as duplicate:
                    existing = duplicate.seen_by(request.user)
                    if existing is None:
                        messages.error(request, services.NOT_YOURS_DUPLICATE)
                        return redirect("import-upload")
                    messages.error(request, str(duplicate))
                    return redirect(existing)
                except DomainError as failure:
                    show_refusal(plan, failure)
                    status = 400
                else:
                    return _imported(request, inspection, len(confirmed.recommendations))
            report = confirmed
            # The items as they now stand, with an empty row again for one more (a
            # letter's findings are entered one by one).
            recommendations = RecommendationFormSet(
                initial=initial_forms(confirmed)["recommendations"], prefix="recommendations"
            )
        else:
            status = 400
        received = plan.cleaned_data.get("received_date") if plan.is_valid() else None
        # The council whose plans the page offers: the one sent, when it may be chosen.
        authority = plan.authority
    else:
        initial = initial_forms(report)
        received = None
        plan = PlanForm(
            prefix="plan",
            user=request.user,
            authority=authority,
            initial={"local_authority": authority, "destination": default_destination(authority)},
        )
        details = ReportDetailsForm(initial=initial["details"], prefix="details")
        judgements = JudgementFormSet(initial=initial["judgements"], prefix="judgements")
        recommendations = RecommendationFormSet(
            initial=initial["recommendations"], prefix="recommendations"
        )
    summary = summarise(report, received_date=received)
    return render(
        request,
        "inspections/import_review.html",
        {
            "pending": pending,
            "summary": summary,
            "items": _items_with_repeats(summary, authority),
            "warnings": summary.warnings,
            "authority_warning": authority and mismatch_warning(report.local_authority, authority),
            "plan": plan,
            "details": details,
            "judgements": judgements,
            "recommendations": recommendations,
            "action_url": reverse("import-review", args=[token]),
        },
        status=status,
    )


def _items_with_repeats(summary: Summary, authority: Organisation | None) -> list[dict]:
    """Each item read from the report, with its likely repeats among the council's
    earlier items (those of its reports published before this one)."""
    rows = summary.recommendations
    if authority is None:
        found = [[] for _ in rows]
    else:
        report = summary.report
        earlier = repeat_links.items_before(
            authority_id=authority.pk,
            when=report.publication_date or summary.received_date or report.inspection_end,
        )
        found = repeat_links.likely_repeats([r.text for r, _, _ in rows], earlier)
    return [
        {"item": item, "reference": reference, "timescale": timescale, "repeats": repeats}
        for (item, reference, timescale), repeats in zip(rows, found, strict=True)
    ]


def _imported(request: HttpRequest, inspection: Inspection, count: int) -> HttpResponse:
    """After confirming: the plan the report feeds, or the report held as history."""
    plan = inspection.plan
    if plan is None:
        messages.success(
            request,
            f"Imported {counted(count, 'recommendation')} and held the report as history: "
            "later reports' items are compared with its items.",
        )
        return redirect(inspection)
    sources = plan.sources.count()
    messages.success(
        request,
        f"Imported {counted(count, 'recommendation')} into {plan}"
        + (f", which now has {counted(sources, 'source')}" if sources > 1 else "")
        + (". Now draft the actions that answer " + ("it." if count == 1 else "them.")),
    )
    return redirect(reverse("plan-detail", args=[plan.pk]))
