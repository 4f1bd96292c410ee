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
from actions.permissions import can
from core.errors import DomainError
from core.words import counted
from plans.visibility import plans_seen_by

from . import importer, services
from .authorities import default_authority, mismatch_warning
from .forms import DeadlineOverrideForm
from .models import PendingImport
from .review import (
    JudgementFormSet,
    PlanForm,
    RecommendationFormSet,
    ReportDetailsForm,
    initial_forms,
    report_from_dict,
    report_from_forms,
    summarise,
)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(
        plans_seen_by(request.user).select_related("local_authority", "imported_by"), pk=pk
    )
    recommendations = inspection.recommendations.select_related(
        "addressee_organisation"
    ).prefetch_related(
        Prefetch(
            "actions",
            queryset=Action.objects.select_related(
                "owner", "organisation", "recommendation__inspection__local_authority"
            ),
        )
    )
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": inspection,
            "judgements": inspection.judgements.all(),
            "recommendations": recommendations,
            "can_draft": can(request.user, "actions.draft_action", inspection),
            "can_change_deadline": can(request.user, "inspections.change_deadline", inspection),
            "can_correct_report": can(request.user, "inspections.correct_report", inspection),
            "can_produce_documents": can(request.user, "actions.generate_documents", inspection),
            "can_read_documents": can(request.user, "actions.read_documents", inspection),
            "deadline_form": DeadlineOverrideForm(),
        },
    )


@login_required
@require_POST
def override_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(plans_seen_by(request.user), pk=pk)
    form = DeadlineOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_deadline(inspection=inspection, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Deadline changed; the reason is recorded.")
    else:
        # The form sits in a panel of the plan page: its errors come back as a message.
        messages.error(
            request, " ".join(error for field in form.errors.values() for error in field)
        )
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
    if request.method == "POST":
        plan = PlanForm(request.POST, prefix="plan", user=request.user)
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
            if "confirm" in request.POST:
                try:
                    inspection = importer.confirm(
                        pending=pending,
                        report=confirmed,
                        user=request.user,
                        authority=plan.cleaned_data["local_authority"],
                        received_date=plan.cleaned_data["received_date"],
                    )
                except services.DuplicateReport as duplicate:
                    existing = duplicate.seen_by(request.user)
                    if existing is None:
                        messages.error(request, services.NOT_YOURS_DUPLICATE)
                        return redirect("import-upload")
                    messages.error(request, str(duplicate))
                    return redirect(existing)
                except DomainError as failure:
                    plan.add_error(None, failure.message)
                    status = 400
                else:
                    count = len(confirmed.recommendations)
                    messages.success(
                        request,
                        f"Imported {counted(count, 'recommendation')}. "
                        "Now draft the actions that answer them.",
                    )
                    return redirect(inspection)
            report = confirmed
        else:
            status = 400
        received = plan.cleaned_data.get("received_date") if plan.is_valid() else None
        authority = plan.cleaned_data.get("local_authority") if plan.is_valid() else None
    else:
        initial = initial_forms(report)
        authority = default_authority(request.user, report.local_authority)
        received = None
        plan = PlanForm(prefix="plan", user=request.user, initial={"local_authority": authority})
        details = ReportDetailsForm(initial=initial["details"], prefix="details")
        judgements = JudgementFormSet(initial=initial["judgements"], prefix="judgements")
        recommendations = RecommendationFormSet(
            initial=initial["recommendations"], prefix="recommendations"
        )
    return render(
        request,
        "inspections/import_review.html",
        {
            "pending": pending,
            "summary": summarise(report, received_date=received),
            "warnings": report.warnings,
            "authority_warning": authority and mismatch_warning(report.local_authority, authority),
            "plan": plan,
            "details": details,
            "judgements": judgements,
            "recommendations": recommendations,
            "action_url": reverse("import-review", args=[token]),
        },
        status=status,
    )
