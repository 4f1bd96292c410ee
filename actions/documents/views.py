"""The documents page of a plan, generation, versions, printable pages and comparison.

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

from actions.permissions import can, readable_documents
from core.errors import DomainError

from . import access, compare, conf, progress_pdf, services, submission_pdf
from .forms import PeriodForm, ProgressForm, SubmissionForm, default_period
from .models import DocumentKind, DocumentVersion, GenerationStatus
from .progress_report import build_progress_snapshot
from .snapshot import build_plan_snapshot

CURRENT = "current"


def _page(request: HttpRequest, inspection, status: int = 200, **forms) -> HttpResponse:
    start, end = default_period()
    context = {
        "inspection": inspection,
        "readiness": build_plan_snapshot(inspection)["readiness"],
        "submission_form": SubmissionForm(inspection=inspection),
        "progress_form": ProgressForm(initial={"start": start, "end": end}),
        "versions": inspection.document_versions.select_related("generated_by", "submitted_by"),
        "default_period": (start, end),
        **forms,
    }
    return render(request, "documents/inspection.html", context, status=status)


@login_required
@require_GET
def inspection_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """Those who produce the plan's documents get the page that makes them; everyone
    else who sees the plan, its published documents to read."""
    inspection = access.inspection_for(request, pk, access.READ)
    if can(request.user, access.PRODUCE, inspection):
        return _page(request, inspection)
    start, end = default_period()
    context = {
        "inspection": inspection,
        "versions": readable_documents(request.user, inspection).select_related(
            "generated_by", "submitted_by"
        ),
        "default_period": (start, end),
    }
    return render(request, "documents/published.html", context)


def _after_request(request: HttpRequest, version: DocumentVersion) -> HttpResponse:
    if version.status == GenerationStatus.READY:
        messages.success(request, f"{version.download_name} is ready.")
    elif version.status == GenerationStatus.FAILED:
        messages.error(request, version.message or "The document could not be generated.")
    return redirect(version)


@login_required
@require_POST
def generate_submission(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.inspection_for(request, pk)
    form = SubmissionForm(request.POST, inspection=inspection)
    if not form.is_valid():
        return _page(request, inspection, 400, submission_form=form)
    try:
        version = services.request_document(
            inspection=inspection, by=request.user, kind=DocumentKind.SUBMISSION,
            fmt=form.cleaned_data["format"], signed_by=form.cleaned_data["signed_by"],
            signed_on=form.cleaned_data["signed_on"],
        )  # fmt: skip
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _page(request, inspection, 400, submission_form=form)
    return _after_request(request, version)


@login_required
@require_POST
def generate_progress(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.inspection_for(request, pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _page(request, inspection, 400, progress_form=form)
    version = services.request_document(
        inspection=inspection, by=request.user, kind=DocumentKind.PROGRESS,
        fmt=form.cleaned_data["format"], period_start=form.cleaned_data["start"],
        period_end=form.cleaned_data["end"],
    )  # fmt: skip
    return _after_request(request, version)


@login_required
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = access.version_for(request, pk, access.READ_VERSION)
    response = render(
        request,
        "documents/version.html",
        {"version": version, "inspection": version.inspection,
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
def submission_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan today as a printable page, from the same snapshot as Word and PDF."""
    inspection = access.inspection_for(request, pk)
    html = submission_pdf.render_html(
        build_plan_snapshot(inspection),
        stylesheet_url=reverse("documents-stylesheet"),
        back_url=reverse("documents-inspection", args=[pk]),
    )
    return HttpResponse(html)


@login_required
@require_GET
def progress_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A progress report for any period as a page: read by everyone who sees the plan."""
    inspection = access.inspection_for(request, pk, access.READ)
    start, end = default_period()
    form = PeriodForm(request.GET if request.GET else None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    elif form.is_bound:
        return render(request, "documents/progress_period.html",
                      {"inspection": inspection, "form": form}, status=400)  # fmt: skip
    report = build_progress_snapshot(inspection, start=start, end=end)
    html = progress_pdf.render_html(
        report,
        stylesheet_url=reverse("documents-stylesheet"),
        back_url=reverse("documents-inspection", args=[pk]),
    )
    return HttpResponse(html)


@login_required
@require_GET
def compare_versions(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.inspection_for(request, pk)
    versions = list(
        inspection.document_versions.filter(kind=DocumentKind.SUBMISSION).select_related(
            "generated_by"
        )
    )
    by_id = {str(v.pk): v for v in versions}
    old_key, new_key = request.GET.get("old", ""), request.GET.get("new", CURRENT)
    context = {"inspection": inspection, "versions": versions, "old": old_key, "new": new_key}
    if old_key:
        if old_key not in by_id or (new_key != CURRENT and new_key not in by_id):
            raise Http404("No such version of this plan.")
        old = by_id[old_key]
        new = None if new_key == CURRENT else by_id[new_key]
        new_snapshot = new.snapshot if new else build_plan_snapshot(inspection)
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
