"""Writes to inspections: importing a report (page, command and API share this path)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import audit
from core.errors import DomainError
from core.models import Organisation, User
from core.words import counted
from plans.models import Plan
from plans.permissions import can  # the one permission layer
from plans.services import create_plan

from . import authorities, repeat_links
from .importing.result import ParsedReport
from .models import (
    Inspection,
    InspectionType,
    Judgement,
    Recommendation,
    draft_plan_required,
    names_priority_actions,
)

NOT_YOURS_DUPLICATE = (
    "This report has already been imported for another council. If it is your council's "
    "report, ask an administrator to move that plan to your council."
)


class DuplicateReport(Exception):
    """The same file was imported before."""

    def __init__(self, existing: Inspection):
        self.existing = existing
        super().__init__(f"This report has already been imported: {existing}.")

    def seen_by(self, user: User) -> Inspection | None:
        """The plan imported before if `user` may see it, else None: whose plan it is,
        its id and its title are not told to someone who may not see it."""
        return self.existing if can(user, "inspections.view_inspection", self.existing) else None


def source_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_duplicate(data: bytes) -> Inspection | None:
    return Inspection.objects.filter(source_sha256=source_hash(data)).first()


def match_organisation(name: str) -> Organisation | None:
    """The organisation a recommendation's printed addressee names, if one is on record.

    Only links to an existing organisation (never creates one): a name printed in a
    report is not a reason to create an organisation.
    """
    name = name.strip()
    if not name:
        return None
    return Organisation.objects.filter(name__iexact=name).first()


class AuthorityRefused(PermissionDenied):
    """The plan's authority is not a council the importing person may act for."""


def check_authority(*, authority: Organisation, imported_by: User | None) -> None:
    """Refuse a plan under anything but an existing council the importer may act for.

    Without a person (the command line, run by an administrator) any existing local
    authority may be named; the caller chose it explicitly or by an exact match.
    """
    if authority.pk is None or authority.kind != Organisation.Kind.LOCAL_AUTHORITY:
        raise DomainError("A plan belongs to an existing local authority.", field="local_authority")
    if imported_by is not None and not authorities.may_act_for(imported_by, authority):
        raise AuthorityRefused(f"You cannot import a plan for {authority}.")


@transaction.atomic
def import_report(
    *,
    parsed: ParsedReport,
    data: bytes,
    filename: str,
    imported_by: User | None,
    authority: Organisation,
    received_date: dt.date | None = None,
    plan: Plan | None = None,
    hold_as_history: bool = False,
) -> Inspection:
    """Create an inspection with its judgements and recommendations from a reviewed result.

    The report becomes a source of `plan` (one of `authority`'s), of a new plan if none
    is given, or of no plan if it is held as history (an old report kept so that later
    items can be compared with it). The authority is an existing council the importer
    may act for (the name the report prints is only compared with it, never used to make
    an organisation). Its items' likely repeats of earlier items are suggested
    (inspections.repeat_links). All or nothing: any failure leaves the database as it
    was. Refuses a file imported before (DuplicateReport).
    """
    check_authority(authority=authority, imported_by=imported_by)
    if plan is not None and plan.local_authority_id != authority.pk:
        raise DomainError("Choose one of the council's own plans.", field="plan")
    duplicate = find_duplicate(data)
    if duplicate is not None:
        raise DuplicateReport(duplicate)
    inspection = unsaved_inspection(parsed, received_date=received_date)
    inspection.check_received_date()
    inspection.local_authority = authority
    if plan is None and not hold_as_history:
        plan = create_plan(
            authority=authority, by=imported_by, title=plan_title(authority, inspection)
        )
    inspection.plan = plan
    inspection.source_filename = filename[:255]
    inspection.source_sha256 = source_hash(data)
    inspection.imported_by = imported_by
    inspection.imported_at = timezone.now()
    inspection.refresh_deadlines()
    inspection.source_file.save(filename, ContentFile(data), save=False)
    # The file is written before the rows: remove it again if the rows are not saved.
    try:
        _save_rows(inspection, parsed, filename, imported_by)
    except Exception:
        inspection.source_file.delete(save=False)
        raise
    repeat_links.suggest_for(inspection)
    return inspection


def plan_title(authority: Organisation, report: Inspection) -> str:
    """The title of a plan started by a report, until someone renames it: which council,
    and which report (a council's plans differ by the report that started them)."""
    year = f", {report.year}" if report.year else ""
    return f"{authority.name}: improvement plan ({report.get_inspection_type_display()}{year})"


def expected_deadlines(
    *, parsed: ParsedReport, received_date: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """The plan and draft plan due dates an import would record, by the model's own rule."""
    inspection = unsaved_inspection(parsed, received_date=received_date)
    inspection.refresh_deadlines()
    return inspection.plan_due_date, inspection.draft_plan_due_date


def unsaved_inspection(parsed: ParsedReport, *, received_date: dt.date | None) -> Inspection:
    """An Inspection holding the report's own facts (no authority, file or rows yet)."""
    return Inspection(
        inspection_type=parsed.inspection_type
        if parsed.inspection_type in InspectionType.values
        else InspectionType.OTHER,
        inspection_start=parsed.inspection_start,
        inspection_end=parsed.inspection_end,
        publication_date=parsed.publication_date,
        received_date=received_date,
        lead_inspector=parsed.lead_inspector,
        stated_plan_due_date=parsed.stated_plan_due_date,
        stated_draft_plan_due_date=parsed.stated_draft_plan_due_date,
        draft_plan_required=draft_plan_required(
            parsed.inspection_type, (r.priority for r in parsed.recommendations)
        ),
        names_priority_actions=names_priority_actions(
            (r.priority for r in parsed.recommendations),
            (j.grade_text for j in parsed.judgements),
        ),
    )


def _save_rows(
    inspection: Inspection, parsed: ParsedReport, filename: str, imported_by: User | None
) -> None:
    inspection.save()
    Judgement.objects.bulk_create(
        Judgement(
            inspection=inspection,
            area=j.area,
            section=j.section,
            grade_text=j.grade_text,
            scale=j.scale,
            grade=j.grade or "",
            order=i,
        )
        for i, j in enumerate(parsed.judgements)
    )
    Recommendation.objects.bulk_create(
        Recommendation(
            inspection=inspection,
            section=r.section,
            timescale=r.timescale,
            addressee=r.addressee,
            addressee_organisation=match_organisation(r.addressee),
            text=r.text,
            number=r.number,
            priority=r.priority,
            framework_kind=r.framework_kind,
            framework_number=r.framework_number,
            framework_name=r.framework_name,
            order=i,
        )
        for i, r in enumerate(parsed.recommendations)
    )
    audit.record(
        actor=imported_by,
        verb="import",
        obj=inspection,
        summary=f"Imported {filename}: {counted(len(parsed.recommendations), 'recommendation')}",
        after={
            "recommendations": len(parsed.recommendations),
            "file": filename,
            "authority_as_printed": parsed.local_authority,
        },
    )


@transaction.atomic
def override_deadline(
    *,
    inspection: Inspection,
    by: User,
    which: str,
    new_date: dt.date | None,
    reason: str,
) -> Inspection:
    """A policy officer sets the plan (or draft plan) due date by hand, with a reason.

    `new_date=None` removes the override and the derived date applies again. A plan
    answers what the inspection found, so it cannot fall due before the inspection's
    last day.
    """
    if not can(by, "inspections.change_deadline", inspection):
        raise PermissionDenied("Only policy officers can change the plan deadline.")
    if which not in ("plan", "draft_plan"):
        raise DomainError("Choose the plan or the draft plan.", field="which")
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why the deadline is changing.", field="reason")
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    last_day = inspection.inspection_end or inspection.inspection_start
    if new_date is not None and last_day is not None and new_date < last_day:
        raise DomainError(
            f"The new due date must be the same as or after {last_day:%-d %B %Y}, "
            "the last day of the inspection",
            field="new_date",
        )
    fields = [f"{which}_due_override", f"{which}_due_override_reason", f"{which}_due_date"]
    before = audit.snapshot(inspection, fields)
    setattr(inspection, f"{which}_due_override", new_date)
    # The reason for going back to the derived date is kept in the audit trail, not
    # shown beside that date as if it were an officer's.
    setattr(inspection, f"{which}_due_override_reason", reason if new_date is not None else "")
    inspection.refresh_deadlines()
    inspection.save()
    audit.record(
        actor=by,
        verb="override_deadline",
        obj=inspection,
        summary=reason[:200],
        before=before,
        after=audit.snapshot(inspection, fields),
    )
    return inspection


@transaction.atomic
def record_draft_sent(*, inspection: Inspection, by: User) -> Inspection:
    """A director or policy officer records that the draft plan a focused visit asked for
    has been sent: its reminders stop (actions.reminders), and the page says when."""
    if not by.has_perm("actions.generate_documents", inspection):
        raise PermissionDenied
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.draft_plan_due_date is None:
        raise DomainError("This report asks for no draft plan.")
    if inspection.draft_plan_sent_at is not None:
        raise DomainError(
            f"The draft plan was recorded as sent on "
            f"{timezone.localtime(inspection.draft_plan_sent_at):%-d %B %Y}."
        )
    inspection.draft_plan_sent_at = timezone.now()
    inspection.save(update_fields=["draft_plan_sent_at", "updated_at"])
    audit.record(
        actor=by,
        verb="draft_plan_sent",
        obj=inspection,
        summary="Draft plan sent",
        after={"draft_plan_sent_at": inspection.draft_plan_sent_at.isoformat()},
    )
    return inspection
