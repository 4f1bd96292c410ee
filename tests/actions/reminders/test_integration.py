"""A real Celery worker process on a real Redis and PostgreSQL: the shape production runs.

Dates are built around the last working day (not frozen: the worker runs on the real
clock), so the reminders are still relevant when the worker checks them.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.utils import timezone

from actions.reminders.enqueue import enqueue_pending
from actions.reminders.models import Reminder, ReminderStatus, SweepRun
from actions.reminders.policy import last_working_day_on_or_before
from actions.reminders.services import retry_failed
from actions.reminders.sweep import record_due_reminders
from core.deadlines import add_working_days
from tests.brokers import broker
from tests.concurrency import at_once, raised
from tests.waiting import wait_for

from .helpers import action_due, person
from .mailbox import DIE_AFTER_SEND, FAIL_NEXT

pytestmark = pytest.mark.services


@pytest.fixture
def day():
    return last_working_day_on_or_before(timezone.localdate())


def covered_until(day):
    SweepRun.objects.create(started_at=timezone.now(), finished_at=timezone.now(), window_end=day)


def plan_of_three(day):
    """Three reminders due on `day`: 5 days before, overdue, and an escalation."""
    owner = person("Action owners", "owner")
    director = person("Directors", "director")
    action_due(add_working_days(day, 5), owner=owner, title="Five days to go")
    action_due(add_working_days(day, -1), owner=owner, title="Overdue since yesterday")
    action_due(add_working_days(day, -10), assigned_by=director, title="Ten days late")
    covered_until(add_working_days(day, -1))


def all_sent() -> bool:
    rows = list(Reminder.objects.values_list("status", flat=True))
    return bool(rows) and all(status == ReminderStatus.SENT for status in rows)


def sweep(day) -> None:
    record_due_reminders(today=day)
    enqueue_pending()


def test_due_reminders_are_sent_once_by_a_real_worker(reminder_worker, day):
    plan_of_three(day)

    sweep(day)
    wait_for(all_sent, message="the worker did not send the reminders")
    sweep(day)  # a second sweep the same day, e.g. the next hourly run
    time.sleep(1.5)

    messages = reminder_worker.messages()
    assert sorted(m["To"] for m in messages) == [
        "director@example.org",
        "owner@example.org",
        "owner@example.org",
    ]
    assert len({m["Message-ID"] for m in messages}) == 3
    assert Reminder.objects.count() == 3


def test_two_sweeps_at_once_send_each_reminder_once(reminder_worker, day):
    plan_of_three(day)
    outcomes = at_once(lambda: sweep(day), lambda: sweep(day), timeout=30)

    assert raised(outcomes) == []
    wait_for(all_sent)
    time.sleep(1.5)
    assert len(reminder_worker.messages()) == Reminder.objects.count() == 3
    assert SweepRun.objects.filter(window_end=day).count() == 2


def test_a_task_retried_after_a_mail_error_sends_once(reminder_worker, day):
    (reminder_worker.maildir / FAIL_NEXT).write_text("1")
    owner = person("Action owners", "owner")
    action_due(add_working_days(day, 1), owner=owner)
    covered_until(add_working_days(day, -1))

    sweep(day)
    wait_for(all_sent, timeout=30, message="the retry did not send the reminder")

    reminder = Reminder.objects.get()
    assert reminder.attempts == 2 and reminder.last_error == ""
    assert len(reminder_worker.messages()) == 1


def test_a_worker_killed_after_sending_loses_nothing_and_repeats_at_most_once(reminder_worker, day):
    (reminder_worker.maildir / DIE_AFTER_SEND).touch()
    owner = person("Action owners", "owner")
    action_due(add_working_days(day, 1), owner=owner)
    covered_until(add_working_days(day, -1))

    sweep(day)
    wait_for(lambda: reminder_worker.proc.poll() is not None, message="the worker did not die")
    reminder = Reminder.objects.get()
    assert reminder.status == ReminderStatus.PENDING and reminder.claimed_at is not None
    assert len(reminder_worker.messages()) == 1

    reminder_worker.start()
    sweep(day)  # the claim is still live: nobody may send
    time.sleep(1.5)
    assert len(reminder_worker.messages()) == 1

    # Time passes beyond the claim timeout; the next sweep hands the row out again.
    stale = timezone.now() - timezone.timedelta(hours=1)
    Reminder.objects.update(claimed_at=stale, enqueued_at=stale)
    sweep(day)
    wait_for(all_sent)

    messages = reminder_worker.messages()
    # SMTP cannot be asked what it accepted: exactly one repeat, with the same Message-ID.
    assert len(messages) == 2 and messages[0]["Message-ID"] == messages[1]["Message-ID"]
    assert Reminder.objects.get().attempts == 2


def test_reminders_recorded_while_the_broker_is_down_are_sent_when_it_returns(
    reminder_worker, throwaway_redis, day
):
    owner = person("Action owners", "owner")
    action_due(add_working_days(day, 1), owner=owner)
    covered_until(add_working_days(day, -1))

    with broker(throwaway_redis.url):  # nothing listens there: Redis is down
        started = time.monotonic()
        sweep(day)  # what the beat-driven task does, on `day`
        assert time.monotonic() - started < 6
    reminder = Reminder.objects.get()
    assert reminder.status == ReminderStatus.PENDING and reminder.enqueued_at is None

    sweep(day)  # the broker is back: the next sweep hands it out
    wait_for(all_sent)
    assert len(reminder_worker.messages()) == 1


def test_occasions_missed_while_no_sweep_ran_are_sent_once_afterwards(reminder_worker, day):
    owner = person("Action owners", "owner")
    action_due(add_working_days(day, 3), owner=owner)  # its 10- and 5-days-before fell
    covered_until(add_working_days(day, -8))  # in the outage

    sweep(day)
    wait_for(all_sent)
    sweep(day)
    time.sleep(1.5)

    [message] = reminder_worker.messages()
    assert "due in 3 working days" in message["Subject"]
    assert Reminder.objects.get().occasion.endswith(":before:5")


@pytest.mark.parametrize("outage", ["down", "hung"])
def test_a_dead_or_hung_redis_does_not_hang_saving_or_the_readiness_check(
    throwaway_redis, transactional_db, outage, day
):
    throwaway_redis.start()
    if outage == "hung":
        throwaway_redis.pause()
    else:
        throwaway_redis.stop()
    owner = person("Action owners", "owner")
    action = action_due(add_working_days(day, 1), owner=owner)
    failed = Reminder.objects.create(
        recipient=owner,
        kind="before_due",
        occasion=f"action:{action.pk}:due:{action.due_date}:before:1",
        action=action,
        due_date=action.due_date,
        scheduled_for=day,
        status=ReminderStatus.FAILED,
    )

    with broker(throwaway_redis.url):
        started = time.monotonic()
        assert retry_failed(reminder_ids=[failed.pk], actor=None) == 1  # publishes on commit
        saved = time.monotonic() - started

        started = time.monotonic()
        response = Client().get("/readyz")
        ready = time.monotonic() - started

    assert saved < 6 and ready < 6
    failed.refresh_from_db()
    assert failed.status == ReminderStatus.PENDING and failed.enqueued_at is None
    body = response.json()
    assert response.status_code == 200 and body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error")
