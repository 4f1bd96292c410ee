"""Who may open a documents page: the one place views ask.

Outsiders get 404 (a plan they cannot see does not exist for them), people who can see
the plan but not produce its documents get 403, anonymous people are sent to sign in
(by login_required on each view).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from actions.permissions import can, visible_inspections
from inspections.models import Inspection

from .models import DocumentVersion

PRODUCE = "actions.generate_documents"
VIEW = "inspections.view_inspection"


def inspection_for(request: HttpRequest, pk: int, permission: str = PRODUCE) -> Inspection:
    inspection = get_object_or_404(
        visible_inspections(request.user).select_related("local_authority"), pk=pk
    )
    if not can(request.user, permission, inspection):
        raise PermissionDenied
    return inspection


def version_for(request: HttpRequest, pk: int) -> DocumentVersion:
    version = (
        DocumentVersion.objects.select_related(
            "inspection__local_authority", "generated_by", "submitted_by"
        )
        .filter(pk=pk)
        .first()
    )
    if (
        version is None
        or not visible_inspections(request.user).filter(pk=version.inspection_id).exists()
    ):
        raise Http404
    if not can(request.user, PRODUCE, version.inspection):
        raise PermissionDenied
    return version
