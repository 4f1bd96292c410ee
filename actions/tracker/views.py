"""A plan's tracker: export (Excel, streamed CSV) and import (upload, preview, commit)."""

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
from actions.documents.services import slug
from actions.documents.snapshot import build_plan_snapshot, iter_theme_chunks
from core.errors import DomainError

from . import imports, workbook
from .cells import check_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(plan, suffix: str) -> str:
    name = slug(plan.local_authority.name)
    return f"{name}-improvement-plan-{plan.pk}-{timezone.localdate().isoformat()}.{suffix}"


@login_required
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.plan_for(request, pk)
    response = HttpResponse(workbook.to_xlsx(build_plan_snapshot(plan)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "xlsx")}"'
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Streamed a theme at a time: large plans never sit in memory whole."""
    plan = access.plan_for(request, pk)
    response = StreamingHttpResponse(
        workbook.csv_lines(iter_theme_chunks(plan)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "csv")}"'
    return response


def _session_key(plan) -> str:
    return f"documents-import-plan-{plan.pk}"


def _forget_upload(request: HttpRequest, plan) -> None:
    name = request.session.pop(_session_key(plan), None)
    if name and default_storage.exists(name):
        default_storage.delete(name)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a tracker; it is kept under a random name until it is imported or replaced."""
    plan = access.plan_for(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(conf.import_max_bytes() + 1)
        try:
            check_upload(data)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            _forget_upload(request, plan)
            name = default_storage.save(f"imports/{uuid.uuid4().hex}.xlsx", ContentFile(data))
            request.session[_session_key(plan)] = name
            return redirect("documents-import-preview", pk=plan.pk)
    status = 400 if form.errors else 200
    return render(request, "documents/import.html", {"plan": plan, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows what the import would change and every error; POST makes the changes,
    all or nothing, after checking the file again against the plan as it is now."""
    plan = access.plan_for(request, pk)
    name = request.session.get(_session_key(plan))
    if not name or not default_storage.exists(name):
        messages.error(request, "Upload the tracker again: the previous upload has expired.")
        return redirect("documents-import", pk=plan.pk)
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    failure = None
    try:
        changes = imports.validate(data, plan=plan, by=request.user)
        if request.method == "POST" and changes.ok:
            counts = imports.apply(changes, by=request.user)
            _forget_upload(request, plan)
            messages.success(
                request,
                f"Imported: {counts['created']} action{pluralize(counts['created'])} added, "
                f"{counts['updated']} changed, {counts['measures']} "
                f"measure{pluralize(counts['measures'])} and {counts['readings']} "
                f"reading{pluralize(counts['readings'])} added.",
            )
            return redirect("documents-plan", pk=plan.pk)
    except imports.ImportFailed as error:
        failure = error
    except DomainError as error:
        _forget_upload(request, plan)
        messages.error(request, error.message)
        return redirect("documents-import", pk=plan.pk)
    errors = [failure.error] if failure else changes.errors
    return render(
        request,
        "documents/import_preview.html",
        {"plan": plan, "changes": changes, "errors": errors, "failure": failure},
        status=400 if errors else 200,
    )
