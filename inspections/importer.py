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

from core.errors import DomainError
from core.models import User

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
        raise DomainError(f"The file must be smaller than {limit // (1024 * 1024)} MB.")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise DomainError(f"The file must be smaller than {limit // (1024 * 1024)} MB.")
    return data


def parse(data: bytes, filename: str) -> ParsedReport:
    """Parse a report, turning the parser's error into a message for the person."""
    if len(data) > settings.REPORT_UPLOAD_MAX_BYTES:
        limit = settings.REPORT_UPLOAD_MAX_BYTES // (1024 * 1024)
        raise DomainError(f"The file must be smaller than {limit} MB.")
    try:
        return parse_report(data, filename)
    except ReportParseError as error:
        raise DomainError(str(error)) from None


def _refuse_duplicate(data: bytes) -> None:
    existing = services.find_duplicate(data)
    if existing is not None:
        raise services.DuplicateReport(existing)


def start_review(*, upload: UploadedFile | None, user: User) -> PendingImport:
    data = read_upload(upload)
    filename = (upload.name if upload else "") or "report"
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
    received_date: dt.date | None = None,
) -> Inspection:
    with pending.file.open("rb") as handle:
        data = handle.read()
    with transaction.atomic():
        inspection = services.import_report(
            parsed=report,
            data=data,
            filename=pending.filename,
            imported_by=user,
            received_date=received_date,
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
    received_date: dt.date | None = None,
) -> Inspection:
    """Parse and import in one step, without review (command line, demo data)."""
    _refuse_duplicate(data)
    report = parse(data, filename)
    return services.import_report(
        parsed=report, data=data, filename=filename, imported_by=user, received_date=received_date
    )
