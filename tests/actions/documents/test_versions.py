"""Generated versions: stored, checksummed, generated once, and locked once submitted."""

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from actions.documents import services, tasks
from actions.documents.models import DocumentVersion, SubmittedVersionLocked
from core.errors import DomainError

from .conftest import person


def request(plan, by, fmt="docx", **kwargs):
    return services.request_document(
        inspection=plan.inspection, by=by, kind="submission", fmt=fmt, **kwargs
    )


@pytest.fixture
def submitted(plan, lead):
    version = request(plan, lead, signed_by=lead, signed_on=dt.date(2024, 5, 20))
    return services.mark_submitted(version=version, by=lead)


def test_a_small_plan_is_generated_at_once_and_stored_under_a_random_name(
    plan, officer, media_root
):
    version = request(plan, officer)
    assert version.status == "ready"
    assert version.file.name.startswith("documents/") and version.file.name.endswith(".docx")
    assert "test-council" not in version.file.name
    data = (media_root / version.file.name).read_bytes()
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.size == len(data)
    assert version.download_name == (
        "test-council-improvement-plan-safeguarding-and-looked-after-children-2009-12-2024-"
        f"{timezone.localdate()}.docx"
    )
    assert version.generated_by == officer and version.generated_at is not None
    assert version.snapshot["readiness"]["ready"] is True and version.is_draft is False


def test_a_draft_is_recorded_as_draft(incomplete_plan, officer):
    version = request(incomplete_plan, officer, fmt="pdf")
    assert version.is_draft and version.download_name.endswith("-draft-incomplete.pdf")


def test_the_stored_snapshot_is_what_the_document_says_even_after_the_plan_changes(plan, officer):
    version = request(plan, officer)
    plan.actions[0].title = "Something else entirely"
    plan.actions[0].save()
    assert version.snapshot["recommendations"][0]["actions"][0]["title"].startswith("Audit every")


def test_readers_and_outsiders_cannot_generate(plan, reader, outsider):
    for person_ in (reader, outsider):
        with pytest.raises(PermissionDenied):
            request(plan, person_)
    assert not DocumentVersion.objects.exists()


def test_the_signatory_must_be_a_director(plan, officer):
    with pytest.raises(DomainError) as error:
        request(plan, officer, signed_by=officer)
    assert error.value.field == "signed_by"


def test_a_large_plan_is_queued_after_commit(
    plan, officer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_INLINE_MAX_ACTIONS = 2
    queued = []
    monkeypatch.setattr(
        tasks.generate_document, "apply_async", lambda args, **kw: queued.append(args[0])
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = request(plan, officer)
    assert version.status == "pending" and version.notify_when_ready
    assert queued == []  # nothing published before the transaction commits
    for callback in callbacks:
        callback()
    assert queued == [version.pk]


def test_an_unreachable_broker_leaves_the_version_pending_with_a_message(
    plan, officer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_INLINE_MAX_ACTIONS = 2

    def down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.generate_document, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        version = request(plan, officer)
    version.refresh_from_db()
    assert version.status == "pending"
    assert "could not be reached" in version.message


def test_the_task_generates_once_and_emails_once_however_often_it_runs(
    plan, officer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_INLINE_MAX_ACTIONS = 2
    monkeypatch.setattr(tasks.generate_document, "apply_async", lambda args, **kw: None)
    version = request(plan, officer, fmt="pdf")
    assert tasks.generate_document(version.pk) == "ready"
    first = DocumentVersion.objects.get(pk=version.pk)
    assert tasks.generate_document(version.pk) == "ready"
    again = DocumentVersion.objects.get(pk=version.pk)
    assert (again.file.name, again.sha256, again.generated_at) == (
        first.file.name,
        first.sha256,
        first.generated_at,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    assert f"/documents/versions/{version.pk}/" in mail.outbox[0].body


def test_the_task_does_nothing_when_the_version_is_gone(db):
    assert tasks.generate_document(999_999) == "gone"


def test_a_run_that_died_is_taken_over_only_once_stale(plan, officer, settings, monkeypatch):
    settings.DOCUMENTS_INLINE_MAX_ACTIONS = 2
    monkeypatch.setattr(tasks.generate_document, "apply_async", lambda args, **kw: None)
    version = request(plan, officer)
    DocumentVersion.objects.filter(pk=version.pk).update(
        status="generating", started_at=timezone.now(), claimed_at=timezone.now()
    )
    assert tasks.generate_document(version.pk) == "generating"
    DocumentVersion.objects.filter(pk=version.pk).update(
        claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert tasks.generate_document(version.pk) == "ready"


def test_a_rendering_error_marks_the_version_failed(plan, officer, monkeypatch):
    def broken(snapshot):
        raise ValueError("no fonts")

    monkeypatch.setitem(services.RENDERERS, ("submission", "docx"), broken)
    version = request(plan, officer)
    assert version.status == "failed" and "no fonts" in version.message


def test_marking_submitted_locks_the_version_and_marks_the_plan_submitted(plan, submitted, lead):
    assert submitted.submitted_at is not None and submitted.submitted_by == lead
    plan.inspection.refresh_from_db()
    assert plan.inspection.plan_submitted_at == submitted.submitted_at
    assert submitted.snapshot["sign_off"]["name"] == str(lead)


def test_a_submitted_version_cannot_be_saved_again(submitted):
    submitted.download_name = "changed.docx"
    with pytest.raises(SubmittedVersionLocked):
        submitted.save()
    assert DocumentVersion.objects.get(pk=submitted.pk).download_name != "changed.docx"


def test_a_submitted_version_cannot_be_updated_or_deleted_in_bulk(submitted):
    with pytest.raises(SubmittedVersionLocked):
        DocumentVersion.objects.filter(pk=submitted.pk).update(sha256="0" * 64)
    with pytest.raises(SubmittedVersionLocked), transaction.atomic():
        DocumentVersion.objects.bulk_update([submitted], ["sha256"])
    with pytest.raises(SubmittedVersionLocked):
        DocumentVersion.objects.all().delete()
    with pytest.raises(SubmittedVersionLocked):
        submitted.delete()
    assert DocumentVersion.objects.filter(pk=submitted.pk).exists()


def test_the_database_itself_refuses_to_change_a_submitted_version(submitted):
    table = DocumentVersion._meta.db_table
    for sql in (
        f"UPDATE {table} SET sha256 = 'x' WHERE id = %s",  # noqa: S608 - our own table name
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [submitted.pk])
    assert DocumentVersion.objects.get(pk=submitted.pk).sha256 == submitted.sha256


def test_a_version_cannot_be_marked_submitted_twice(submitted, lead):
    with pytest.raises(DomainError, match="already marked submitted"):
        services.mark_submitted(version=submitted, by=lead)


def test_the_first_submission_stays_the_plans_submission_date(plan, submitted, lead):
    later = services.mark_submitted(version=request(plan, lead), by=lead)
    plan.inspection.refresh_from_db()
    assert later.submitted_at > submitted.submitted_at
    assert plan.inspection.plan_submitted_at == submitted.submitted_at


def test_a_draft_cannot_be_marked_submitted(incomplete_plan, lead):
    version = request(incomplete_plan, lead)
    with pytest.raises(DomainError, match="incomplete draft"):
        services.mark_submitted(version=version, by=lead)
    incomplete_plan.inspection.refresh_from_db()
    assert incomplete_plan.inspection.plan_submitted_at is None


def test_a_progress_report_cannot_be_marked_submitted(plan, lead):
    version = services.request_document(
        inspection=plan.inspection,
        by=lead,
        kind="progress",
        fmt="docx",
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2024, 6, 30),
    )
    with pytest.raises(DomainError, match="Only a plan submission"):
        services.mark_submitted(version=version, by=lead)


def test_a_reader_cannot_mark_a_version_submitted(plan, officer, reader):
    version = request(plan, officer)
    with pytest.raises(PermissionDenied):
        services.mark_submitted(version=version, by=reader)


def test_a_version_cannot_be_created_already_submitted(plan, officer):
    version = request(plan, officer)
    copy = DocumentVersion(
        inspection=plan.inspection,
        kind="submission",
        format="docx",
        snapshot={},
        download_name="x.docx",
        submitted_at=timezone.now(),
        submitted_by=officer,
    )
    with pytest.raises(DomainError):
        copy.save()
    assert DocumentVersion.objects.count() == 1 and version.pk


def test_an_owner_in_another_role_still_cannot_generate(plan):
    owner = person("someowner", "Action owners")
    with pytest.raises(PermissionDenied):
        request(plan, owner)
