"""Every reminder kind on the working-day calendar: weekends, Good Friday, Easter Monday."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from actions.reminders.models import Reminder
from actions.reminders.sweep import record_due_reminders
from inspections.models import Inspection
from tests.factories import PlanFactory

from .helpers import D, action_due, morning, person

pytestmark = pytest.mark.django_db

EASTER_TUESDAY = D(2024, 4, 2)  # Good Friday 29 March, Easter Monday 1 April


def sweep_every_day(first: dt.date, last: dt.date) -> None:
    day = first
    while day <= last:
        with time_machine.travel(morning(day), tick=False):
            record_due_reminders(today=timezone.localdate())
        day += dt.timedelta(days=1)


def rows():
    return [
        (r.scheduled_for, r.kind, r.recipient.username, r.created_at.date())
        for r in Reminder.objects.order_by("scheduled_for", "kind", "recipient__username")
    ]


def test_an_action_due_the_tuesday_after_easter_gets_every_reminder_on_working_days():
    owner = person("Action owners", "owner")
    director = person("Directors", "director")
    action_due(EASTER_TUESDAY, owner=owner, assigned_by=director)

    sweep_every_day(D(2024, 3, 11), D(2024, 4, 19))

    assert [(day, kind, who) for day, kind, who, _ in rows()] == [
        (D(2024, 3, 15), "before_due", "owner"),  # 10 working days before
        (D(2024, 3, 22), "before_due", "owner"),  # 5
        (D(2024, 3, 28), "before_due", "owner"),  # 1: Thursday, before Good Friday
        (D(2024, 4, 2), "due_today", "owner"),
        (D(2024, 4, 3), "overdue", "owner"),  # first working day after
        (D(2024, 4, 10), "overdue", "owner"),  # every 5 working days
        (D(2024, 4, 16), "escalation", "director"),  # 10 working days overdue
        (D(2024, 4, 17), "overdue", "owner"),
    ]
    # Each was recorded on the day it fell: none early, none late.
    assert all(day == created for day, _, _, created in rows())


def test_nothing_is_recorded_on_weekends_or_bank_holidays():
    owner = person("Action owners", "owner")
    action_due(EASTER_TUESDAY, owner=owner)
    for day in [D(2024, 3, 29), D(2024, 3, 30), D(2024, 3, 31), D(2024, 4, 1)]:
        with time_machine.travel(morning(day), tick=False):
            result = record_due_reminders(today=timezone.localdate())
        assert result.window is None and result.created == 0
    assert not Reminder.objects.exists()


def test_a_due_date_on_a_bank_holiday_has_no_on_the_day_reminder_but_is_overdue_next_day():
    owner = person("Action owners", "owner")
    action_due(D(2024, 4, 1), owner=owner)  # Easter Monday

    sweep_every_day(D(2024, 3, 26), D(2024, 4, 4))

    assert [(day, kind, created) for day, kind, _, created in rows()] == [
        # The very first sweep looks back and sends the latest occasion it missed, once.
        (D(2024, 3, 22), "before_due", D(2024, 3, 26)),  # 5 working days before
        (D(2024, 3, 28), "before_due", D(2024, 3, 28)),  # 1: Maundy Thursday
        (D(2024, 4, 2), "overdue", D(2024, 4, 2)),  # the first working day after
    ]


def test_plan_reminders_fall_20_10_5_and_1_working_days_before_the_deadline():
    officer = person("Policy officers", "officer")
    director = person("Directors", "director")
    person("Readers", "reader")
    inspection = Inspection.objects.create(
        local_authority=officer.organisation,
        plan=PlanFactory(local_authority=officer.organisation),
        inspection_type="ilacs",
        plan_due_override=EASTER_TUESDAY,
        plan_due_override_reason="Stated in the letter.",
    )
    inspection.refresh_deadlines()
    inspection.save()
    assert inspection.plan_due_date == EASTER_TUESDAY
    assert director.organisation == officer.organisation

    sweep_every_day(D(2024, 2, 26), D(2024, 4, 5))

    expected_days = [D(2024, 3, 1), D(2024, 3, 15), D(2024, 3, 22), D(2024, 3, 28)]
    assert [(day, kind, who) for day, kind, who, _ in rows()] == [
        (day, "plan_due", who) for day in expected_days for who in ("director", "officer")
    ]


def test_no_plan_reminders_once_the_plan_is_submitted():
    officer = person("Policy officers", "officer")
    inspection = Inspection.objects.create(
        local_authority=officer.organisation,
        plan=PlanFactory(local_authority=officer.organisation),
        inspection_type="ilacs",
        plan_due_override=EASTER_TUESDAY,
        plan_due_override_reason="Stated in the letter.",
        plan_submitted_at=timezone.now(),
    )
    inspection.refresh_deadlines()
    inspection.save()

    sweep_every_day(D(2024, 2, 26), D(2024, 4, 5))

    assert not Reminder.objects.exists()
