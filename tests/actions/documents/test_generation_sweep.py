"""A generation whose worker was killed does not stay "being generated": its claim
expires, the sweep hands it out again (the claim rule of reminders and webhooks) and it
completes; its page offers to generate it again meanwhile, as for a failed one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from actions.documents import services, tasks
from actions.documents.models import DocumentVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def killed(plan, officer, settings):
    """A large plan's version whose worker was killed mid-way: claimed, never finished,
    and the redelivered task already ran and found it "being generated"."""
    settings.DOCUMENTS_INLINE_MAX_ACTIONS = 2
    settings.DOCUMENTS_STALE_GENERATION_SECONDS = 600
    # Published after commit, which a test's transaction never reaches: nothing is sent.
    version = services.request_document(
        inspection=plan.inspection, by=officer, kind="submission", fmt="docx"
    )
    assert services._claim(version.pk) is not None  # the worker that is killed
    assert tasks.generate_document(version.pk) == "generating"  # the redelivery
    return version


def _later(version: DocumentVersion, seconds: int) -> None:
    """Move the version's history back in time, as if `seconds` had passed."""
    past = timezone.now() - dt.timedelta(seconds=seconds)
    DocumentVersion.objects.filter(pk=version.pk).update(
        requested_at=past, enqueued_at=past, claimed_at=past, started_at=past
    )


def test_the_sweep_takes_a_stale_generation_over_and_it_completes(killed, eager_tasks):
    mail.outbox.clear()
    _later(killed, 601)
    assert tasks.sweep_documents() == 1
    version = DocumentVersion.objects.get(pk=killed.pk)
    assert version.status == "ready" and version.file and version.attempts == 2
    assert len(mail.outbox) == 1  # the person who asked is told, once
    assert tasks.sweep_documents() == 0


def test_the_sweep_leaves_a_live_generation_alone(killed, eager_tasks):
    _later(killed, 599)
    assert tasks.sweep_documents() == 0
    assert DocumentVersion.objects.get(pk=killed.pk).status == "generating"


def test_the_page_offers_a_stale_generation_again_and_generates_it(client, killed, officer):
    client.force_login(officer)
    page = client.get(killed.get_absolute_url()).content.decode()
    assert "Generate again" not in page
    _later(killed, 601)
    page = client.get(killed.get_absolute_url()).content.decode()
    assert "Generate again" in page
    response = client.post(f"/documents/versions/{killed.pk}/generate/")
    assert response.status_code == 302
    assert DocumentVersion.objects.get(pk=killed.pk).status == "ready"


def test_the_page_offers_a_failed_generation_again(client, killed, officer):
    DocumentVersion.objects.filter(pk=killed.pk).update(
        status="failed", message="Generation failed: no fonts"
    )
    client.force_login(officer)
    assert "Generate again" in client.get(killed.get_absolute_url()).content.decode()
    client.post(f"/documents/versions/{killed.pk}/generate/")
    assert DocumentVersion.objects.get(pk=killed.pk).status == "ready"


def test_the_migration_schedules_the_sweep_every_minute():
    task = PeriodicTask.objects.select_related("crontab").get(task="documents.sweep")
    assert task.enabled and task.crontab.minute == "*" and task.crontab.hour == "*"
