"""Reading an uploaded report, holding it for review, and confirming it.

The upload page, `manage.py import_report` and the API all come through here, so a bad
file gets the same clear message and nothing is saved, whichever way it arrived.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.errors import DomainError, TooLarge
from core.models import Organisation, User
from plans.models import Plan

from . import services
from .importing import ReportParseError, parse_report
from .importing.result import ParsedReport
from .models import Inspection, PendingImport


def read_upload(upload: UploadedFile | None) -> bytes:
    """The uploaded bytes, refusing a missing or oversized file before reading it."""
    if upload is None:
        raise DomainError("Choose the report file to upload.", field="report")
    limit = settings.REPORT_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise TooLarge(f"The file must be smaller than {limit // (1024 * 1024)} MB.")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"The file must be smaller than {limit // (1024 * 1024)} MB.")
    return data


def parse(data: bytes, filename: str) -> ParsedReport:
    """Parse a report, turning the parser's error into a message for the person."""
    if len(data) > settings.REPORT_UPLOAD_MAX_BYTES:
        limit = settings.REPORT_UPLOAD_MAX_BYTES // (1024 * 1024)
        raise TooLarge(f"The file must be smaller than {limit} MB.")
    try:
        return parse_report(data, filename)
    except ReportParseError as error:
        raise DomainError(str(error)) from None


def _refuse_duplicate(data: bytes) -> None:
    existing = services.find_duplicate(data)
    if existing is not None:
        raise services.DuplicateReport(existing)


PASTED_FILENAME = "pasted-report.txt"


def read_pasted(text: str) -> bytes:
    """Text copied from a report, as the parser reads a text file (UTF-8)."""
    data = text.replace("\r\n", "\n").encode("utf-8")
    limit = settings.REPORT_UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise TooLarge(f"The text must be shorter than {limit // (1024 * 1024)} MB.")
    return data


def start_review(
    *, upload: UploadedFile | None = None, text: str = "", user: User
) -> PendingImport:
    """Read a report (a file, or text copied from one) and hold what was found for review.

    Exactly one of the two: both or neither is refused with a message saying so.
    """
    if upload is not None and text.strip():
        raise DomainError("Upload the report or paste its text, not both.", field="report")
    if upload is None and not text.strip():
        raise DomainError(
            "Choose the report file, or paste the text of the report.", field="report"
        )
    if upload is not None:
        data = read_upload(upload)
        filename = upload.name or "report"
    else:
        data = read_pasted(text)
        filename = PASTED_FILENAME
    _refuse_duplicate(data)
    report = parse(data, filename)
    pending = PendingImport(uploaded_by=user, filename=filename[:255], result=report.to_dict())
    pending.file.save(filename, ContentFile(data), save=False)
    pending.save()
    return pending


def confirm(
    *,
    pending: PendingImport,
    report: ParsedReport,
    user: User,
    authority: Organisation,
    received_date: dt.date | None = None,
    plan: Plan | None = None,
    hold_as_history: bool = False,
) -> Inspection:
    """Import the reviewed report into `plan` (else a new plan, or none if it is held as
    history, see services.import_report) and forget the pending upload."""
    with pending.file.open("rb") as handle:
        data = handle.read()
    with transaction.atomic():
        inspection = services.import_report(
            parsed=report,
            data=data,
            filename=pending.filename,
            imported_by=user,
            authority=authority,
            received_date=received_date,
            plan=plan,
            hold_as_history=hold_as_history,
        )
        abandon(pending)
    return inspection


def abandon(pending: PendingImport) -> None:
    pending.file.delete(save=False)
    pending.delete()


def import_bytes(
    *,
    data: bytes,
    filename: str,
    user: User | None,
    authority: Organisation,
    received_date: dt.date | None = None,
    parsed: ParsedReport | None = None,
    plan: Plan | None = None,
    hold_as_history: bool = False,
) -> Inspection:
    """Parse and import in one step, without review (command line, demo data).

    `parsed` is the report as already read from these very bytes (the command reads a
    file once to report on it): it is not read a second time.
    """
    _refuse_duplicate(data)
    report = parsed if parsed is not None else parse(data, filename)
    return services.import_report(
        parsed=report,
        data=data,
        filename=filename,
        imported_by=user,
        authority=authority,
        received_date=received_date,
        plan=plan,
        hold_as_history=hold_as_history,
    )
