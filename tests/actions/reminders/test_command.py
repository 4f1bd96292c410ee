"""send_due_reminders: one sweep and delivery in the foreground, for cron."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.reminders.models import Reminder, ReminderStatus, SweepRun
from core.deadlines import add_working_days, is_working_day

from .helpers import action_due, person

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("send_due_reminders", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def working_today(time_machine):
    """The command reads today's date: make today a working day."""
    day = timezone.localdate()
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    time_machine.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False)
    return day


def test_it_sends_what_is_due_and_says_how_many(working_today, mailoutbox):
    owner = person("Action owners", "owner")
    director = person("Directors", "director")
    action_due(add_working_days(working_today, 1), owner=owner)
    action_due(add_working_days(working_today, 5), owner=owner)
    action_due(add_working_days(working_today, -10), owner=owner, assigned_by=director)

    assert run().startswith("Sent 4 reminders (4 newly due;")
    assert sorted(m.to[0] for m in mailoutbox) == [
        "director@example.org",
        *["owner@example.org"] * 3,
    ]
    assert SweepRun.objects.get().source == "command"


def test_running_it_again_sends_nothing_more(working_today, mailoutbox):
    action_due(add_working_days(working_today, 1), owner=person("Action owners", "owner"))
    run()
    assert run().startswith("Sent 0 reminders (0 newly due;")
    assert len(mailoutbox) == 1


def test_a_mail_failure_is_left_for_the_next_run(working_today, mailoutbox, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    action_due(add_working_days(working_today, 1), owner=person("Action owners", "owner"))
    calls = {"n": 0}
    original = EmailBackend.send_messages

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("no mail server")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    assert "1 to retry" in run()
    assert Reminder.objects.get().status == ReminderStatus.PENDING
    assert run().startswith("Sent 1 reminder (0 newly due;")
    assert len(mailoutbox) == 1
