"""GOV.UK Notify as the channel, with its HTTP API mocked at the boundary."""

import datetime as dt
import json
import uuid

import pytest
import responses
import time_machine
from django.utils import timezone

from actions.reminders.channels import TransientDeliveryError
from actions.reminders.delivery import Outcome, claim, deliver
from actions.reminders.models import Reminder, ReminderStatus

from .helpers import action_due, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]

BASE = "https://api.notifications.service.gov.uk"
SERVICE_ID, SECRET, TEMPLATE = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())


@pytest.fixture(autouse=True)
def notify(settings):
    settings.REMINDER_CHANNEL = "notify"
    settings.NOTIFY_API_KEY = f"test_key-{SERVICE_ID}-{SECRET}"
    settings.NOTIFY_TEMPLATE_ID = TEMPLATE
    settings.NOTIFY_BASE_URL = BASE


@pytest.fixture
def reminder():
    today = timezone.localdate()
    owner = person("Action owners", "owner")
    action = action_due(today, owner=owner, title="Audit case files")
    return Reminder.objects.create(
        recipient=owner,
        kind="due_today",
        occasion=f"action:{action.pk}:due:{today}",
        action=action,
        due_date=today,
        scheduled_for=today,
    )


@responses.activate
def test_a_reminder_is_sent_through_notify_with_a_reference(reminder, mailoutbox):
    notification_id = str(uuid.uuid4())
    responses.post(f"{BASE}/v2/notifications/email", json={"id": notification_id}, status=201)

    assert deliver(reminder_id=reminder.pk) == Outcome.SENT

    [call] = responses.calls
    body = json.loads(call.request.body)
    assert body["email_address"] == "owner@example.org"
    assert body["template_id"] == TEMPLATE
    assert body["reference"] == f"reminder-{reminder.pk}@plans.example.gov.uk"
    assert body["personalisation"]["subject"] == "Action due today: Audit case files"
    assert f"/actions/{reminder.action_id}/" in body["personalisation"]["body"]
    assert call.request.headers["Authorization"].startswith("Bearer ")
    assert mailoutbox == []
    reminder.refresh_from_db()
    assert (reminder.status, reminder.channel) == (ReminderStatus.SENT, "notify")
    assert reminder.provider_reference == notification_id


@responses.activate
def test_a_notify_outage_is_retried(reminder):
    responses.post(f"{BASE}/v2/notifications/email", json={"errors": []}, status=500)
    with pytest.raises(TransientDeliveryError):
        deliver(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING and "Notify 500" in reminder.last_error


@responses.activate
def test_a_rate_limit_is_retried(reminder):
    responses.post(f"{BASE}/v2/notifications/email", json={"errors": []}, status=429)
    with pytest.raises(TransientDeliveryError):
        deliver(reminder_id=reminder.pk)


@responses.activate
def test_a_rejected_request_fails_without_retrying(reminder):
    errors = {"errors": [{"error": "BadRequestError", "message": "Can't send to this recipient"}]}
    responses.post(f"{BASE}/v2/notifications/email", json=errors, status=400)
    assert deliver(reminder_id=reminder.pk) == Outcome.FAILED
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED and "400" in reminder.last_error


@responses.activate
def test_after_a_worker_died_mid_send_notify_is_asked_before_sending_again(reminder):
    """The one place exactly-once holds end to end: Notify can be asked by reference."""
    claim(reminder_id=reminder.pk)  # the worker that sent, then died before recording
    sent_before = str(uuid.uuid4())
    responses.get(
        f"{BASE}/v2/notifications",
        json={"notifications": [{"id": sent_before, "status": "delivered"}], "links": {}},
    )
    post = responses.post(f"{BASE}/v2/notifications/email", json={"id": "x"}, status=201)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16), tick=False):
        assert deliver(reminder_id=reminder.pk) == Outcome.SENT

    assert post.call_count == 0
    reference = f"reminder-{reminder.pk}@plans.example.gov.uk"
    assert responses.calls[0].request.params == {"reference": reference}
    reminder.refresh_from_db()
    assert reminder.provider_reference == sent_before


@responses.activate
def test_after_a_worker_died_before_sending_notify_gets_the_message(reminder):
    claim(reminder_id=reminder.pk)
    responses.get(f"{BASE}/v2/notifications", json={"notifications": [], "links": {}})
    post = responses.post(f"{BASE}/v2/notifications/email", json={"id": "new"}, status=201)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16), tick=False):
        assert deliver(reminder_id=reminder.pk) == Outcome.SENT
    assert post.call_count == 1
