"""A title saved with a line break (before titles were checked) cannot break the e-mail
subjects made from it: the reminder is sent, with the title on one line."""

import pytest
from django.utils import timezone

from actions.models import Action
from actions.reminders.delivery import Outcome, deliver
from actions.reminders.models import Reminder, ReminderStatus

from .helpers import action_due, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]


def test_a_legacy_title_with_a_line_break_still_gets_its_reminder_with_a_clean_subject(
    mailoutbox,
):
    owner = person("Action owners", "owner")
    action = action_due(timezone.localdate(), owner=owner)
    Action.objects.filter(pk=action.pk).update(title="Audit case files\r\nBcc: everyone")
    reminder = Reminder.objects.create(
        recipient=owner,
        kind="due_today",
        occasion=f"action:{action.pk}:due",
        action=action,
        due_date=action.due_date,
        scheduled_for=action.due_date,
    )

    assert deliver(reminder_id=reminder.pk) == Outcome.SENT
    [message] = mailoutbox
    assert message.subject == "Action due today: Audit case files Bcc: everyone"
    assert message.message()["Bcc"] is None
    assert Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.SENT
