"""Who may open a documents page: the one place views ask.

Outsiders get 404 (a plan they cannot see does not exist for them); people who see the
plan read its published documents and get 403 on the rest, which only directors and
policy officers produce; anonymous people are sent to sign in (by login_required on
each view). What people see is plans.visibility's rule; what they may do with it,
plans.permissions' `can`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import User
from inspections.models import Inspection
from plans.models import Plan
from plans.permissions import can
from plans.selectors import with_submissions
from plans.visibility import plans_seen_by

from .models import DocumentVersion

PRODUCE = "actions.generate_documents"
READ = "actions.read_documents"
READ_VERSION = "actions.read_document_version"


def plan_for(request: HttpRequest, pk: int, permission: str = PRODUCE) -> Plan:
    plan = get_object_or_404(plans_seen_by(request.user).select_related("local_authority"), pk=pk)
    if not can(request.user, permission, plan):
        raise PermissionDenied
    return plan


def source_for(plan: Plan, pk: int) -> Inspection:
    """One of the plan's sources (a report of another plan, or held as history, is not),
    with where its submission stands as the plan page shows it (`with_submissions`)."""
    found = with_submissions(
        plan.sources.select_related("local_authority").filter(pk=pk), timezone.localdate()
    )
    if not found:
        raise Http404
    return found[0]


def version_for(request: HttpRequest, pk: int, permission: str = PRODUCE) -> DocumentVersion:
    version = (
        DocumentVersion.objects.select_related(
            "plan__local_authority", "inspection__local_authority", "generated_by", "submitted_by"
        )
        .filter(pk=pk)
        .first()
    )
    if version is None or not plans_seen_by(request.user).filter(pk=version.plan_id).exists():
        raise Http404
    if not can(request.user, permission, version):
        raise PermissionDenied
    return version


def readable_versions(user: User, plan: Plan) -> QuerySet[DocumentVersion]:
    """The versions of a plan's documents this person may open, newest first: all of
    them for those who produce them, the published ones for everyone else who sees it."""
    versions = DocumentVersion.objects.filter(plan=plan)
    if can(user, PRODUCE, plan):
        return versions
    if can(user, READ, plan):
        return versions.published()
    return versions.none()
