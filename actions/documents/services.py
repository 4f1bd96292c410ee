"""Every write of the documents app: requesting, generating and submitting versions.

A submission answers one source of a plan (each report has its own statutory
submission); a progress report covers the whole plan, or one of its themes. A request
takes the snapshot at once (what the document will say is fixed at the
moment someone asks for it); rendering happens in the request for small plans and in a
worker for large ones. Rendering reads only the stored snapshot, so a retry or a second
run produces the same document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from actions.notifications import send_templated
from core import audit, work_queue
from core.errors import DomainError
from core.models import User
from core.roles import Role
from core.work_queue import Claim, publish_due
from inspections.models import Inspection
from plans.models import Plan, PlanStatus, Theme
from plans.permissions import can

from . import conf, progress_docx, progress_pdf, submission_docx, submission_pdf
from .models import DocumentFormat, DocumentKind, DocumentVersion, GenerationStatus
from .progress_report import build_progress_snapshot
from .snapshot import action_count, build_submission_snapshot, sign_off_for

logger = logging.getLogger(__name__)

# The task that renders a version (tasks.generate_document), published by its name.
GENERATE = "documents.generate_document"

RENDERERS: dict[tuple[str, str], Callable[[dict[str, Any]], bytes]] = {
    (DocumentKind.SUBMISSION, DocumentFormat.DOCX): submission_docx.render,
    (DocumentKind.SUBMISSION, DocumentFormat.PDF): submission_pdf.render,
    (DocumentKind.PROGRESS, DocumentFormat.DOCX): progress_docx.render,
    (DocumentKind.PROGRESS, DocumentFormat.PDF): progress_pdf.render,
}


NOT_A_SOURCE = "This report is not a source of the plan: link it to the plan first."


def plan_of(obj: Plan | Inspection) -> Plan:
    """The plan a document is about: the plan itself, or the plan a report is a source of."""
    if isinstance(obj, Plan):
        return obj
    if obj.plan_id is None:
        raise DomainError(NOT_A_SOURCE, field="inspection")
    return obj.plan


def require_documents(user: User, obj: Plan | Inspection) -> None:
    """Directors and policy officers of a plan produce its documents (asked on the plan;
    a report stands for the plan it is a source of)."""
    if not can(user, "actions.generate_documents", plan_of(obj)):
        raise PermissionDenied("You do not have permission to produce this plan's documents.")


def render_bytes(kind: str, fmt: str, snapshot: dict[str, Any]) -> bytes:
    return RENDERERS[(kind, fmt)](snapshot)


def slug(text: str) -> str:
    words = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(filter(None, words.split("-")))


def download_name(plan: Plan, kind: str, fmt: str, snapshot: dict[str, Any]) -> str:
    authority = slug(plan.local_authority.name)
    if kind == DocumentKind.PROGRESS:
        period = snapshot["period"]
        theme = f"-{slug(snapshot['theme']['name'])[:60]}" if snapshot.get("theme") else ""
        stem = f"{authority}-progress-report{theme}-{period['start']}-to-{period['end']}"
    else:
        draft = "" if snapshot["readiness"]["ready"] else "-draft-incomplete"
        source = slug(snapshot["inspection"]["label"])
        stem = f"{authority}-improvement-plan-{source}-{snapshot['data_as_at']}{draft}"
    return f"{stem}.{fmt}"


NOT_A_SIGNATORY = "Choose a director of the council to sign the plan."


def signatories(plan: Plan | Inspection) -> QuerySet[User]:
    """Who may sign a plan's submission: active directors of its council."""
    return User.objects.filter(
        groups__name=Role.DIRECTOR,
        is_active=True,
        organisation_id=plan.local_authority_id,
    ).order_by("last_name", "first_name", "username")


def signatory(plan: Plan | Inspection, person_id: int | None) -> User | None:
    """The signatory with this id, or DomainError: the same answer for a person who does
    not exist, who is not a director and who is of another council."""
    if person_id is None:
        return None
    found = signatories(plan).filter(pk=person_id).first()
    if found is None:
        raise DomainError(NOT_A_SIGNATORY, field="signed_by")
    return found


def _check_signatory(signed_by: User | None, plan: Plan) -> None:
    if signed_by is not None:
        signatory(plan, signed_by.pk)


def _subject(
    kind: str, plan: Plan | None, inspection: Inspection | None
) -> tuple[Plan, Inspection | None]:
    """The plan and (for a submission) the source a requested document is about."""
    if plan is None and inspection is None:
        raise DomainError("Choose the plan.", field="plan")
    if plan is None:
        plan = plan_of(inspection)
    if kind != DocumentKind.SUBMISSION:
        return plan, None
    if inspection is None:
        sources = list(plan.sources.all()[:2])
        if len(sources) != 1:
            raise DomainError("Choose the report the submission answers.", field="inspection")
        inspection = sources[0]
    if inspection.plan_id != plan.pk:
        raise DomainError(NOT_A_SOURCE, field="inspection")
    return plan, inspection


def request_document(
    *,
    by: User | None,
    kind: str,
    fmt: str,
    plan: Plan | None = None,
    inspection: Inspection | None = None,
    theme: Theme | None = None,
    signed_by: User | None = None,
    signed_on: dt.date | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    background: bool | None = None,
) -> DocumentVersion:
    """Record a version and generate it now (small plans) or in a worker (large ones).

    A submission answers one source of the plan (`inspection`; the plan's only source if
    not given; the plan is the source's if not given). A progress report is the plan's
    (of one `theme`, if given). `by` is None only for the command line. `background`
    forces the choice either way.
    """
    plan, inspection = _subject(kind, plan, inspection)
    if by is not None:
        require_documents(by, plan)
    if theme is not None and (kind != DocumentKind.PROGRESS or theme.plan_id != plan.pk):
        raise DomainError("Choose one of the plan's themes.", field="theme")
    if (kind, fmt) not in RENDERERS:
        raise DomainError("Choose Word or PDF.", field="format")
    if kind == DocumentKind.PROGRESS:
        if not (period_start and period_end):
            raise DomainError("Enter the start and end of the period.", field="period_start")
        if period_start > period_end:
            raise DomainError(
                "The period must end on or after the day it starts.", field="period_end"
            )
        snap = build_progress_snapshot(plan, start=period_start, end=period_end, theme=theme)
        count, is_draft = snap["totals"]["actions"], False
    else:
        _check_signatory(signed_by, plan)
        snap = build_submission_snapshot(
            plan, inspection, sign_off=sign_off_for(signed_by, signed_on)
        )
        count, is_draft = action_count(snap), not snap["readiness"]["ready"]
    if background is None:
        background = count > conf.inline_max_actions()
    with transaction.atomic():
        version = DocumentVersion.objects.create(
            plan=plan,
            inspection=inspection,
            kind=kind,
            format=fmt,
            snapshot=snap,
            is_draft=is_draft,
            action_count=count,
            period_start=period_start,
            period_end=period_end,
            generated_by=by,
            notify_when_ready=background and by is not None,
            download_name=download_name(plan, kind, fmt, snap),
        )
        audit.record(actor=by, verb="request_document", obj=version, summary=str(version))
        if background:
            transaction.on_commit(lambda: enqueue(version.pk))
    if not background:
        generate(version.pk)
        version.refresh_from_db()
    return version


def enqueue(version_id: int) -> bool:
    """Hand the version to a worker; if the broker cannot be reached, say so on the version
    and leave it pending (its page offers to generate it there and then, and the sweep
    hands it out once the broker is back)."""

    def not_handed_out(now: dt.datetime) -> QuerySet[DocumentVersion]:
        return DocumentVersion.objects.filter(
            status=GenerationStatus.PENDING, enqueued_at__isnull=True
        )

    result = publish_due(
        [version_id], waiting=not_handed_out, task=GENERATE, what=f"document version {version_id}"
    )
    if result.broker_failed:  # the request must not fail or hang on it
        DocumentVersion.objects.filter(pk=version_id, status=GenerationStatus.PENDING).update(
            message="The background worker could not be reached. Generate the document "
            "now on this page, or try again later."
        )
    return result.count == 1


UNFINISHED = (GenerationStatus.PENDING, GenerationStatus.GENERATING)
# A version asked for in a request is generated there at once: the sweep leaves it that
# long, so it does not race the request for it.
SWEEP_GRACE_SECONDS = 60


def waiting(now: dt.datetime) -> QuerySet[DocumentVersion]:
    """Versions to hand (again) to a worker: unfinished, and neither handed out nor
    claimed within the stale limit. A generation whose worker was killed is one of them
    once its claim is that old; so is one whose broker was down when it was asked for."""
    cutoff = now - dt.timedelta(seconds=conf.stale_generation_seconds())
    return DocumentVersion.objects.filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=cutoff),
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=cutoff),
        status__in=UNFINISHED,
        requested_at__lt=now - dt.timedelta(seconds=SWEEP_GRACE_SECONDS),
    )


def sweep(now: dt.datetime | None = None, limit: int = 100) -> int:
    """Hand out every version waiting (see `waiting`), once each however many sweeps run
    (core.work_queue, as for reminders and webhooks); returns how many were published."""
    ids = list(waiting(now or timezone.now()).order_by("id").values_list("id", flat=True)[:limit])
    return publish_due(ids, waiting=waiting, task=GENERATE, what="document generations").count


def _claim(version_id: int) -> Claim | None:
    """Take the version for rendering with the claim reminders and webhooks use: one
    worker at a time, and a claim older than the stale limit is taken over (its worker
    died)."""
    now = timezone.now()
    held = work_queue.claim(
        DocumentVersion.objects.filter(pk=version_id, status__in=UNFINISHED),
        now=now,
        timeout_seconds=conf.stale_generation_seconds(),
        what=f"document version {version_id}",
    )
    if held is not None:
        DocumentVersion.objects.filter(pk=version_id, claim_token=held.token).update(
            status=GenerationStatus.GENERATING, started_at=now, message=""
        )
    return held


def generate(version_id: int) -> DocumentVersion | None:
    """Render a pending version from its snapshot and store the file.

    Returns None when the version no longer exists; a version already generated (or
    being generated elsewhere) is returned unchanged.
    """
    held = _claim(version_id)
    if held is None:
        return DocumentVersion.objects.filter(pk=version_id).first()
    mine = DocumentVersion.objects.filter(pk=version_id, claim_token=held.token)
    version = DocumentVersion.objects.select_related("generated_by").get(pk=version_id)
    try:
        data = render_bytes(version.kind, version.format, version.snapshot)
    except Exception as exc:  # a rendering bug must not leave the version "generating"
        logger.exception("Rendering document version %s failed", version_id)
        mine.update(status=GenerationStatus.FAILED, message=f"Generation failed: {exc}"[:500])
        return DocumentVersion.objects.get(pk=version_id)
    storage = version.file.storage
    try:
        name = storage.save(
            version.file.field.generate_filename(version, f"x.{version.format}"), ContentFile(data)
        )
    except OSError:
        # Let the task retry: give the version back first.
        mine.update(status=GenerationStatus.PENDING, claimed_at=None)
        raise
    finished = mine.filter(status=GenerationStatus.GENERATING).update(
        status=GenerationStatus.READY,
        file=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        generated_at=timezone.now(),
    )
    if not finished:  # our claim expired and someone else took it over: keep theirs
        storage.delete(name)
    version.refresh_from_db()
    if finished and version.notify_when_ready and version.generated_by:
        _notify_ready(version)
    return version


def generate_again(version_id: int) -> DocumentVersion | None:
    """The page's "generate again": a failed version is given back and generated now; a
    stale one is taken over (the claim rule); any other is left as it is."""
    DocumentVersion.objects.filter(pk=version_id, status=GenerationStatus.FAILED).update(
        status=GenerationStatus.PENDING, claimed_at=None, message=""
    )
    return generate(version_id)


def _notify_ready(version: DocumentVersion) -> None:
    try:
        send_templated(
            to=version.generated_by,
            subject=f"Your document is ready: {version.download_name}",
            template="document_ready",
            context={
                "version": version,
                "plan": version.plan,
                "inspection": version.inspection or version.plan,
            },
        )
    except OSError:  # the document is there either way; the page shows it
        logger.warning("Could not e-mail that document version %s is ready", version.pk)


@transaction.atomic
def mark_submitted(*, version: DocumentVersion, by: User) -> DocumentVersion:
    """Record that this version of a source's submission was sent to DfE and Ofsted. It
    is locked from then on, and the source's submission is marked made (the first
    submission counts for its deadline)."""
    require_documents(by, version.plan)
    locked = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if locked.submitted_at is not None:
        raise DomainError(
            f"This version was already marked submitted on "
            f"{timezone.localtime(locked.submitted_at):%-d %B %Y}."
        )
    if locked.kind != DocumentKind.SUBMISSION or locked.inspection_id is None:
        raise DomainError("Only a plan submission can be marked as submitted.")
    if locked.status != GenerationStatus.READY:
        raise DomainError("The document has not been generated yet.")
    if locked.is_draft:
        raise DomainError(
            "This is an incomplete draft: answer every item, generate the plan again and "
            "submit that version."
        )
    now = timezone.now()
    DocumentVersion.objects.filter(pk=locked.pk, submitted_at__isnull=True).update(
        submitted_at=now, submitted_by=by
    )
    Inspection.objects.filter(pk=locked.inspection_id, plan_submitted_at__isnull=True).update(
        plan_submitted_at=now, updated_at=now
    )
    # The plan's first submission moves a draft plan on (later sources leave it as it is).
    Plan.objects.filter(pk=locked.plan_id, status=PlanStatus.DRAFT).update(
        status=PlanStatus.SUBMITTED, updated_at=now
    )
    audit.record(
        actor=by,
        verb="submit_plan",
        obj=locked,
        summary=f"Submitted {locked}",
        after={"sha256": locked.sha256, "submitted_at": now.isoformat()},
    )
    locked.refresh_from_db()
    return locked
