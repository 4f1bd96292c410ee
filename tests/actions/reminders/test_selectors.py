"""The action page's reminders: what was sent and what is to come."""

import datetime as dt

import pytest
import time_machine
from django.template.loader import render_to_string

from actions.reminders.delivery import deliver
from actions.reminders.models import Reminder
from actions.reminders.selectors import reminders_for_action
from actions.reminders.sweep import record_due_reminders

from .helpers import D, action_due, morning, person

pytestmark = pytest.mark.django_db


def test_sent_and_upcoming_reminders_are_listed_in_date_order():
    owner = person("Action owners", "owner", first_name="Ada", last_name="Owner")
    director = person("Directors", "director", first_name="Dee", last_name="Rector")
    action = action_due(D(2024, 4, 2), owner=owner, assigned_by=director)
    with time_machine.travel(morning(D(2024, 3, 22)), tick=False):
        record_due_reminders(today=D(2024, 3, 22))
        deliver(reminder_id=Reminder.objects.get().pk)
        lines = reminders_for_action(action, today=D(2024, 3, 22))

    assert [(line.date, line.description, line.recipient, line.status) for line in lines] == [
        (D(2024, 3, 22), "5 working days before the due date", "Ada Owner", "sent"),
        (D(2024, 3, 28), "1 working day before the due date", "Ada Owner", "upcoming"),
        (D(2024, 4, 2), "On the due date", "Ada Owner", "upcoming"),
        (D(2024, 4, 3), "Overdue", "Ada Owner", "upcoming"),
        (D(2024, 4, 16), "Escalation after 10 working days overdue", "Dee Rector", "upcoming"),
    ]


def test_a_closed_action_has_nothing_upcoming():
    action = action_due(D(2024, 4, 2), owner=person("Action owners", "owner"), status="closed")
    assert reminders_for_action(action, today=D(2024, 3, 22)) == []


def test_the_partial_renders_a_govuk_table():
    owner = person("Action owners", "owner", first_name="Ada", last_name="Owner")
    action = action_due(D(2024, 4, 2), owner=owner)
    html = render_to_string(
        "reminders/_action_reminders.html",
        {"reminders": reminders_for_action(action, today=D(2024, 3, 22)), "action": action},
    )
    assert '<table class="govuk-table app-table--stacked">' in html  # rows stack on a phone
    assert '<td class="govuk-table__cell" data-label="To">Ada Owner</td>' in html
    assert "1 working day before the due date" in html
    assert 'govuk-tag--grey">Upcoming' in html
    assert "Ada Owner" in html


def test_the_partial_says_when_there_are_none():
    html = render_to_string("reminders/_action_reminders.html", {"reminders": []})
    assert "No reminders have been sent for this action" in html


def test_the_selector_runs_few_queries(django_assert_max_num_queries):
    action = action_due(D(2024, 4, 2), owner=person("Action owners", "owner"))
    for n in range(5):
        Reminder.objects.create(
            recipient=action.owner,
            kind="overdue",
            occasion=f"action:{action.pk}:due:2024-04-02:overdue:{n}",
            action=action,
            due_date=action.due_date,
            scheduled_for=D(2024, 4, 3) + dt.timedelta(days=7 * n),
        )
    with django_assert_max_num_queries(3):
        reminders_for_action(action, today=D(2024, 5, 10))
