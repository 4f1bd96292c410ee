"""The admin's views of reminders and the beat schedule the migration creates."""

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from actions.reminders.models import Reminder, ReminderPolicy, ReminderStatus
from config.celery import app
from core.models import AuditEntry

from .helpers import D, action_due, person

pytestmark = pytest.mark.django_db


def failed_reminder():
    owner = person("Action owners", "owner")
    action = action_due(D(2024, 4, 2), owner=owner)
    return Reminder.objects.create(
        recipient=owner,
        kind="due_today",
        occasion=f"action:{action.pk}:due:2024-04-02",
        action=action,
        due_date=action.due_date,
        scheduled_for=action.due_date,
        status=ReminderStatus.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected: gone",
    )


def test_the_migration_schedules_the_sweep_and_the_nightly_rag_refresh():
    tasks = {t.task: t for t in PeriodicTask.objects.select_related("crontab")}
    sweep, rags = tasks["reminders.sweep"], tasks["actions.refresh_all_rags"]
    assert sweep.enabled and rags.enabled
    assert (sweep.crontab.minute, sweep.crontab.hour) == ("5", "7-19")
    assert (rags.crontab.minute, rags.crontab.hour) == ("30", "1")
    assert str(sweep.crontab.timezone) == "Europe/London"
    app.loader.import_default_modules()
    assert {"reminders.sweep", "reminders.send_reminder", "actions.refresh_all_rags"} <= set(
        app.tasks
    )


def test_the_policy_page_opens_the_single_policy_with_the_settings_defaults(admin_client):
    response = admin_client.get("/admin/reminders/reminderpolicy/", follow=True)
    assert response.status_code == 200
    policy = ReminderPolicy.objects.get()
    assert (policy.pk, policy.days_before, policy.plan_days_before) == (
        1,
        "10, 5, 1",
        "20, 10, 5, 1",
    )


def test_an_edited_policy_is_the_one_the_sweep_uses(admin_client):
    from actions.reminders.policy import current_policy

    ReminderPolicy.objects.create(days_before="3, 15", overdue_every=2)
    assert current_policy().days_before == (15, 3)
    assert current_policy().overdue_every == 2


def test_the_failed_view_lists_failures_with_their_error(admin_client):
    reminder = failed_reminder()
    page = admin_client.get("/admin/reminders/failedreminder/").content.decode()
    assert "SMTPServerDisconnected: gone" in page
    listing = admin_client.get("/admin/reminders/reminder/?status__exact=failed")
    assert listing.status_code == 200
    assert admin_client.get(f"/admin/reminders/reminder/{reminder.pk}/change/").status_code == 200


def test_sending_failed_reminders_again_requeues_them_and_is_audited(
    admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    from actions.reminders import tasks

    published = []
    monkeypatch.setattr(
        tasks.send_reminder, "apply_async", lambda args, **kw: published.append(args)
    )
    reminder = failed_reminder()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/reminders/failedreminder/",
            {"action": "send_again", "_selected_action": [reminder.pk]},
        )
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.PENDING, 0)
    assert published == [(reminder.pk,)]
    assert AuditEntry.objects.filter(verb="reminder.retry", object_id=str(reminder.pk)).exists()


def test_the_readiness_check_reports_the_broker_and_the_last_sweep(client, db):
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["last_sweep"] == "never"
    assert body["checks"]["broker"].startswith(("ok", "error"))

    from actions.reminders.models import SweepRun

    run = SweepRun.objects.create(started_at=timezone.now(), finished_at=timezone.now())
    assert client.get("/readyz").json()["checks"]["last_sweep"] == run.finished_at.isoformat()
