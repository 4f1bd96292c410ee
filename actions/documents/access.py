"""Who may open a documents page: the one place views ask.

Outsiders get 404 (a plan they cannot see does not exist for them); people who see the
plan read its published documents (actions.permissions) and get 403 on the rest, which
only directors and policy officers produce; anonymous people are sent to sign in (by
login_required on each view).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from actions.permissions import can
from inspections.models import Inspection
from plans.visibility import plans_seen_by

from .models import DocumentVersion

PRODUCE = "actions.generate_documents"
READ = "actions.read_documents"
READ_VERSION = "actions.read_document_version"


def inspection_for(request: HttpRequest, pk: int, permission: str = PRODUCE) -> Inspection:
    inspection = get_object_or_404(
        plans_seen_by(request.user).select_related("local_authority"), pk=pk
    )
    if not can(request.user, permission, inspection):
        raise PermissionDenied
    return inspection


def version_for(request: HttpRequest, pk: int, permission: str = PRODUCE) -> DocumentVersion:
    version = (
        DocumentVersion.objects.select_related(
            "inspection__local_authority", "generated_by", "submitted_by"
        )
        .filter(pk=pk)
        .first()
    )
    if version is None or not plans_seen_by(request.user).filter(pk=version.inspection_id).exists():
        raise Http404
    if not can(request.user, permission, version):
        raise PermissionDenied
    return version
