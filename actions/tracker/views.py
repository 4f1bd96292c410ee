"""Spreadsheet export (Excel, streamed CSV) and tracker import (upload, preview, commit)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from actions.documents import access, conf
from actions.documents.forms import ImportForm
from actions.documents.snapshot import build_plan_snapshot, iter_recommendation_chunks
from core.errors import DomainError

from . import imports, workbook
from .cells import check_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(inspection, suffix: str) -> str:
    name = "-".join(filter(None, "".join(
        c if c.isalnum() else "-" for c in inspection.local_authority.name.lower()
    ).split("-")))  # fmt: skip
    return f"{name}-improvement-plan-{timezone.localdate().isoformat()}.{suffix}"


@login_required
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.inspection_for(request, pk)
    response = HttpResponse(workbook.to_xlsx(build_plan_snapshot(inspection)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(inspection, "xlsx")}"'
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Streamed a batch of recommendations at a time: large plans never sit in memory."""
    inspection = access.inspection_for(request, pk)
    response = StreamingHttpResponse(
        workbook.csv_lines(iter_recommendation_chunks(inspection)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(inspection, "csv")}"'
    return response


def _session_key(inspection) -> str:
    return f"documents-import-{inspection.pk}"


def _forget_upload(request: HttpRequest, inspection) -> None:
    name = request.session.pop(_session_key(inspection), None)
    if name and default_storage.exists(name):
        default_storage.delete(name)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a tracker; it is kept under a random name until it is imported or replaced."""
    inspection = access.inspection_for(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(conf.import_max_bytes() + 1)
        try:
            check_upload(data)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            _forget_upload(request, inspection)
            name = default_storage.save(f"imports/{uuid.uuid4().hex}.xlsx", ContentFile(data))
            request.session[_session_key(inspection)] = name
            return redirect("documents-import-preview", pk=inspection.pk)
    status = 400 if form.errors else 200
    return render(
        request, "documents/import.html", {"inspection": inspection, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows what the import would change and every error; POST makes the changes,
    all or nothing, after checking the file again against the plan as it is now."""
    inspection = access.inspection_for(request, pk)
    name = request.session.get(_session_key(inspection))
    if not name or not default_storage.exists(name):
        messages.error(request, "Upload the tracker again: the previous upload has expired.")
        return redirect("documents-import", pk=inspection.pk)
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    failure = None
    try:
        plan = imports.validate(data, inspection=inspection, by=request.user)
        if request.method == "POST" and plan.ok:
            counts = imports.apply(plan, by=request.user)
            _forget_upload(request, inspection)
            messages.success(
                request,
                f"Imported: {counts['created']} action{pluralize(counts['created'])} added, "
                f"{counts['updated']} changed, {counts['measures']} "
                f"measure{pluralize(counts['measures'])} and {counts['readings']} "
                f"reading{pluralize(counts['readings'])} added.",
            )
            return redirect("documents-inspection", pk=inspection.pk)
    except imports.ImportFailed as error:
        failure = error
    except DomainError as error:
        _forget_upload(request, inspection)
        messages.error(request, error.message)
        return redirect("documents-import", pk=inspection.pk)
    errors = [failure.error] if failure else plan.errors
    return render(
        request,
        "documents/import_preview.html",
        {"inspection": inspection, "plan": plan, "errors": errors, "failure": failure},
        status=400 if errors else 200,
    )
