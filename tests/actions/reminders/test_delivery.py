"""Claim, send, record: one reminder, one e-mail, whatever happens around it."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from actions.reminders import delivery
from actions.reminders.channels import PermanentDeliveryError, TransientDeliveryError
from actions.reminders.delivery import Outcome, claim, deliver
from actions.reminders.models import Reminder, ReminderStatus
from actions.reminders.sweep import record_due_reminders
from actions.reminders.tasks import send_reminder

from .helpers import action_due, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]


@pytest.fixture
def today():
    day = timezone.localdate()
    return day


@pytest.fixture
def reminder(today):
    """A 'due today' reminder for an owner, recorded directly (the sweep is tested apart)."""
    owner = person("Action owners", "owner", first_name="Ada", last_name="Owner")
    director = person("Directors", "director")
    action = action_due(today, owner=owner, assigned_by=director, title="Audit case files")
    return Reminder.objects.create(
        recipient=owner,
        kind="due_today",
        occasion=f"action:{action.pk}:due:{today}",
        action=action,
        due_date=today,
        scheduled_for=today,
    )


class FlakyChannel:
    name = "email"

    def __init__(self, failures=1, error=TransientDeliveryError):
        self.failures, self.error, self.sent = failures, error, []

    def send(self, *, to, content, reference):
        if self.failures:
            self.failures -= 1
            raise self.error("mail server said no")
        self.sent.append((to, content.subject, reference))
        return f"<{reference}>"

    def find_sent(self, *, reference):
        return None


def test_a_reminder_is_sent_as_text_and_html_with_a_link_and_the_reason(reminder, mailoutbox):
    assert deliver(reminder_id=reminder.pk) == Outcome.SENT

    [message] = mailoutbox
    assert message.to == ["owner@example.org"]
    assert message.subject == "Action due today: Audit case files"
    link = f"https://plans.example.gov.uk/actions/{reminder.action_id}/"
    assert link in message.body
    assert "Why you are receiving this: you are the responsible officer" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html
    assert message.extra_headers["Message-ID"] == f"<reminder-{reminder.pk}@plans.example.gov.uk>"
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT and reminder.sent_at and reminder.attempts == 1


def test_delivering_twice_sends_once(reminder, mailoutbox):
    assert deliver(reminder_id=reminder.pk) == Outcome.SENT
    assert deliver(reminder_id=reminder.pk) == Outcome.NOT_CLAIMED
    assert len(mailoutbox) == 1


def test_a_deleted_reminder_is_ignored(db):
    assert deliver(reminder_id=987654) == Outcome.NOT_CLAIMED


def test_a_live_claim_is_left_alone_and_an_expired_one_is_taken_over(reminder, mailoutbox):
    assert claim(reminder_id=reminder.pk) is not None  # a worker that then died
    assert deliver(reminder_id=reminder.pk) == Outcome.NOT_CLAIMED
    assert mailoutbox == []

    later = timezone.now() + dt.timedelta(minutes=16)
    with time_machine.travel(later, tick=False):
        assert delivery.pending_now() == [reminder.pk]
        assert deliver(reminder_id=reminder.pk) == Outcome.SENT
    assert len(mailoutbox) == 1


def test_a_mail_error_releases_the_claim_and_the_retry_sends_once(reminder):
    channel = FlakyChannel(failures=1)
    with pytest.raises(TransientDeliveryError):
        deliver(reminder_id=reminder.pk, channel=channel)
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING and reminder.claimed_at is None
    assert "mail server said no" in reminder.last_error

    assert deliver(reminder_id=reminder.pk, channel=channel) == Outcome.SENT
    assert len(channel.sent) == 1
    reminder.refresh_from_db()
    assert (reminder.attempts, reminder.last_error) == (2, "")


def test_after_the_last_attempt_the_reminder_is_marked_failed(reminder, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    channel = FlakyChannel(failures=5)
    with pytest.raises(TransientDeliveryError):
        deliver(reminder_id=reminder.pk, channel=channel)
    assert deliver(reminder_id=reminder.pk, channel=channel) == Outcome.FAILED
    assert Reminder.objects.failed().get().pk == reminder.pk
    assert deliver(reminder_id=reminder.pk, channel=channel) == Outcome.NOT_CLAIMED


def test_a_refused_address_fails_at_once(reminder):
    channel = FlakyChannel(failures=1, error=PermanentDeliveryError)
    assert deliver(reminder_id=reminder.pk, channel=channel) == Outcome.FAILED
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED and reminder.attempts == 1


@pytest.mark.parametrize(
    "change",
    [
        {"status": "complete"},
        {"due_date": dt.date(2031, 1, 6)},
    ],
)
def test_a_reminder_no_longer_needed_is_cancelled_not_sent(reminder, change, mailoutbox):
    for field, value in change.items():
        setattr(reminder.action, field, value)
    reminder.action.save()
    assert deliver(reminder_id=reminder.pk) == Outcome.CANCELLED
    assert mailoutbox == []


def test_an_owner_who_became_a_reader_is_not_reminded(reminder, mailoutbox):
    reminder.recipient.groups.set([])
    assert deliver(reminder_id=reminder.pk) == Outcome.CANCELLED
    assert mailoutbox == []


def test_the_task_retries_mail_errors_and_sends_once(reminder, monkeypatch):
    channel = FlakyChannel(failures=2)
    monkeypatch.setattr(delivery, "get_channel", lambda: channel)
    assert send_reminder.autoretry_for == (TransientDeliveryError,)
    assert send_reminder.retry_backoff and send_reminder.retry_jitter
    assert send_reminder.max_retries == 4

    result = send_reminder.apply(args=(reminder.pk,))  # eager: retries run in turn

    assert result.get() == "sent"
    assert len(channel.sent) == 1
    reminder.refresh_from_db()
    assert reminder.attempts == 3 and reminder.status == ReminderStatus.SENT


def test_an_escalation_says_who_assigned_it(today, mailoutbox):
    owner = person("Action owners", "owner")
    director = person("Directors", "director")
    due = today - dt.timedelta(days=30)
    action = action_due(due, owner=owner, assigned_by=director, title="Review plans")
    reminder = Reminder.objects.create(
        recipient=director,
        kind="escalation",
        occasion=f"action:{action.pk}:due:{due}",
        action=action,
        due_date=due,
        scheduled_for=today,
    )
    assert deliver(reminder_id=reminder.pk) == Outcome.SENT
    [message] = mailoutbox
    assert message.subject.startswith("Escalation: action ")
    assert "overdue" in message.subject
    assert "you assigned this action" in message.body


def test_digest_people_get_one_email_listing_their_reminders(mailoutbox):
    owner = person("Action owners", "owner", reminder_delivery="digest")
    officer = person("Policy officers", "officer", reminder_delivery="digest")
    action_due(dt.date(2024, 6, 13), owner=owner, title="First action")
    action_due(dt.date(2024, 6, 14), owner=owner, title="Second action")
    inspection = action_due(dt.date(2024, 6, 13), owner=officer).recommendations.get().inspection
    inspection.plan_submitted_at = None
    inspection.plan_due_override = dt.date(2024, 6, 18)
    inspection.plan_due_override_reason = "Letter."
    inspection.refresh_deadlines()
    inspection.save()
    with time_machine.travel(dt.datetime(2024, 6, 10, 7, 5, tzinfo=dt.UTC), tick=False):
        record_due_reminders(today=dt.date(2024, 6, 10))  # a Monday: digest day
        digests = list(Reminder.objects.filter(kind="digest").order_by("recipient__username"))
        for digest in digests:
            assert deliver(reminder_id=digest.pk) == Outcome.SENT

    assert [m.to for m in mailoutbox] == [["officer@example.org"], ["owner@example.org"]]
    officer_mail, owner_mail = mailoutbox
    assert owner_mail.subject == "Your weekly reminders: 2 items"
    assert "First action" in owner_mail.body and "Second action" in owner_mail.body
    assert f"DfE submission of {inspection.plan} for the {inspection}" in officer_mail.body
    assert "you chose it" in owner_mail.body
    items = Reminder.objects.exclude(kind="digest")
    assert set(items.values_list("status", flat=True)) == {ReminderStatus.SENT}
