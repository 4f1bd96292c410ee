"""The documents page of a plan and of each source's submission, generation, versions,
printable pages and comparison.

Views are thin: they check access (access.py), parse forms and call services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from core.forms import show_refusal
from inspections.services import record_draft_sent
from plans.permissions import can

from . import access, compare, conf, progress_pdf, services, submission_pdf
from .forms import PeriodForm, ProgressForm, SubmissionForm, default_period
from .models import DocumentKind, DocumentVersion, GenerationStatus
from .progress_report import build_progress_snapshot
from .snapshot import build_submission_snapshot, plan_sources

CURRENT = "current"


def _sources(plan) -> list[dict]:
    """Each source with its submission's readiness and its versions' count."""
    return [
        {"source": source, "readiness": build_submission_snapshot(plan, source)["readiness"]}
        for source in plan_sources(plan)
    ]


def _page(request: HttpRequest, plan, status: int = 200, **forms) -> HttpResponse:
    start, end = default_period()
    context = {
        "plan": plan,
        "sources": _sources(plan),
        "progress_form": ProgressForm(plan=plan, initial={"start": start, "end": end}),
        "versions": access.readable_versions(request.user, plan).select_related(
            "inspection", "generated_by", "submitted_by"
        ),
        "default_period": (start, end),
        **forms,
    }
    return render(request, "documents/plan.html", context, status=status)


@login_required
@require_GET
def plan_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """Those who produce the plan's documents get the page that makes them; everyone
    else who sees the plan, its published documents to read."""
    plan = access.plan_for(request, pk, access.READ)
    if can(request.user, access.PRODUCE, plan):
        return _page(request, plan)
    start, end = default_period()
    context = {
        "plan": plan,
        "versions": access.readable_versions(request.user, plan).select_related(
            "inspection", "generated_by", "submitted_by"
        ),
        "default_period": (start, end),
    }
    return render(request, "documents/published.html", context)


def _source_page(request: HttpRequest, plan, source, status: int = 200, form=None) -> HttpResponse:
    context = {
        "plan": plan,
        "source": source,
        "readiness": build_submission_snapshot(plan, source)["readiness"],
        "submission_form": form or SubmissionForm(plan=plan),
        "versions": access.readable_versions(request.user, plan)
        .filter(inspection=source)
        .select_related("generated_by", "submitted_by"),
    }
    return render(request, "documents/source.html", context, status=status)


@login_required
@require_GET
def source_documents(request: HttpRequest, pk: int, source: int) -> HttpResponse:
    """One source's submission: is it ready, generate it, its versions."""
    plan = access.plan_for(request, pk)
    return _source_page(request, plan, access.source_for(plan, source))


@login_required
@require_POST
def draft_sent(request: HttpRequest, pk: int, source: int) -> HttpResponse:
    """Record that the draft plan a focused visit asked for has been sent."""
    plan = access.plan_for(request, pk)
    report = access.source_for(plan, source)
    try:
        record_draft_sent(inspection=report, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The draft plan is recorded as sent: its reminders stop.")
    return redirect("documents-source", plan.pk, report.pk)


def _after_request(request: HttpRequest, version: DocumentVersion) -> HttpResponse:
    if version.status == GenerationStatus.READY:
        messages.success(request, f"{version.download_name} is ready.")
    elif version.status == GenerationStatus.FAILED:
        messages.error(request, version.message or "The document could not be generated.")
    return redirect(version)


@login_required
@require_POST
def generate_submission(request: HttpRequest, pk: int, source: int) -> HttpResponse:
    plan = access.plan_for(request, pk)
    report = access.source_for(plan, source)
    form = SubmissionForm(request.POST, plan=plan)
    if not form.is_valid():
        return _source_page(request, plan, report, 400, form)
    try:
        version = services.request_document(
            plan=plan, inspection=report, by=request.user, kind=DocumentKind.SUBMISSION,
            fmt=form.cleaned_data["format"], signed_by=form.cleaned_data["signed_by"],
            signed_on=form.cleaned_data["signed_on"],
        )  # fmt: skip
    except DomainError as error:
        show_refusal(form, error)
        return _source_page(request, plan, report, 400, form)
    return _after_request(request, version)


@login_required
@require_POST
def generate_progress(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.plan_for(request, pk)
    form = ProgressForm(request.POST, plan=plan)
    if not form.is_valid():
        return _page(request, plan, 400, progress_form=form)
    version = services.request_document(
        plan=plan, by=request.user, kind=DocumentKind.PROGRESS,
        fmt=form.cleaned_data["format"], theme=form.cleaned_data["theme"],
        period_start=form.cleaned_data["start"], period_end=form.cleaned_data["end"],
    )  # fmt: skip
    return _after_request(request, version)


@login_required
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = access.version_for(request, pk, access.READ_VERSION)
    response = render(
        request,
        "documents/version.html",
        {"version": version, "plan": version.plan, "source": version.inspection,
         "refresh": conf.status_refresh_seconds()},
    )  # fmt: skip
    if not version.is_finished:
        # Reloads itself without JavaScript (the CSP allows no inline script anyway).
        response["Refresh"] = str(conf.status_refresh_seconds())
    return response


@login_required
@require_GET
def version_download(request: HttpRequest, pk: int) -> FileResponse:
    version = access.version_for(request, pk, access.READ_VERSION)
    if version.status != GenerationStatus.READY or not version.file:
        raise Http404("This document is not ready.")
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.download_name,
        content_type=version.content_type,
    )


@login_required
@require_POST
def version_generate_now(request: HttpRequest, pk: int) -> HttpResponse:
    """When no worker picks the version up, or its generation failed or went stale (its
    worker died), its page can generate it there and then."""
    version = access.version_for(request, pk)
    services.generate_again(version.pk)
    version.refresh_from_db()
    return _after_request(request, version)


@login_required
@require_POST
def version_submit(request: HttpRequest, pk: int) -> HttpResponse:
    version = access.version_for(request, pk)
    try:
        services.mark_submitted(version=version, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Marked as submitted to DfE and Ofsted. This version is kept "
                         "as it is and can no longer change.")  # fmt: skip
    return redirect(version)


@login_required
@require_GET
def version_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A version's stored snapshot as a page: exactly what that version says."""
    version = access.version_for(request, pk, access.READ_VERSION)
    back = reverse("documents-version", args=[version.pk])
    css = reverse("documents-stylesheet")
    if version.kind == DocumentKind.PROGRESS:
        html = progress_pdf.render_html(version.snapshot, stylesheet_url=css, back_url=back)
    else:
        html = submission_pdf.render_html(version.snapshot, stylesheet_url=css, back_url=back)
    return HttpResponse(html)


@login_required
@require_GET
def submission_print(request: HttpRequest, pk: int, source: int) -> HttpResponse:
    """A source's submission today as a printable page, from the same snapshot as Word
    and PDF."""
    plan = access.plan_for(request, pk)
    report = access.source_for(plan, source)
    html = submission_pdf.render_html(
        build_submission_snapshot(plan, report),
        stylesheet_url=reverse("documents-stylesheet"),
        back_url=reverse("documents-source", args=[plan.pk, report.pk]),
    )
    return HttpResponse(html)


@login_required
@require_GET
def progress_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A progress report of the plan (or one theme) for any period as a page: read by
    everyone who sees the plan."""
    plan = access.plan_for(request, pk, access.READ)
    start, end = default_period()
    data = request.GET if request.GET else None
    form = PeriodForm(data, plan=plan, initial={"start": start, "end": end})
    theme = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        theme = form.cleaned_data["theme"]
    elif form.is_bound:
        return render(request, "documents/progress_period.html",
                      {"plan": plan, "form": form}, status=400)  # fmt: skip
    report = build_progress_snapshot(plan, start=start, end=end, theme=theme)
    html = progress_pdf.render_html(
        report,
        stylesheet_url=reverse("documents-stylesheet"),
        back_url=reverse("documents-plan", args=[pk]),
    )
    return HttpResponse(html)


@login_required
@require_GET
def compare_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions of one source's submission, or a version and that submission today."""
    plan = access.plan_for(request, pk)
    versions = list(
        DocumentVersion.objects.filter(plan=plan, kind=DocumentKind.SUBMISSION).select_related(
            "generated_by", "inspection"
        )
    )
    by_id = {str(v.pk): v for v in versions}
    old_key, new_key = request.GET.get("old", ""), request.GET.get("new", CURRENT)
    context = {"plan": plan, "versions": versions, "old": old_key, "new": new_key}
    if old_key:
        if old_key not in by_id or (new_key != CURRENT and new_key not in by_id):
            raise Http404("No such version of this plan.")
        old = by_id[old_key]
        new = None if new_key == CURRENT else by_id[new_key]
        if new is not None and new.inspection_id != old.inspection_id:
            context["different_sources"] = True
            return render(request, "documents/compare.html", context, status=400)
        new_snapshot = new.snapshot if new else build_submission_snapshot(plan, old.inspection)
        context.update(
            diff=compare.compare(old.snapshot, new_snapshot),
            old_version=old,
            new_version=new,
            today=timezone.localdate(),
        )
    return render(request, "documents/compare.html", context)


@require_GET
def stylesheet(request: HttpRequest) -> HttpResponse:
    """The documents' CSS for printable pages (the same rules the PDFs embed)."""
    response = HttpResponse(render_to_string("documents/document.css"), content_type="text/css")
    response["Cache-Control"] = "private, max-age=3600"
    return response
