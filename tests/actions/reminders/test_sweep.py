"""What a sweep records, and for whom."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from actions.reminders.models import Reminder, ReminderStatus, SweepRun
from actions.reminders.sweep import record_due_reminders
from core.models import Organisation
from tests.factories import OrganisationFactory

from .helpers import D, action_due, morning, person, submitted_inspection

pytestmark = pytest.mark.django_db

WEDNESDAY = D(2024, 6, 12)


def covered_until(day):
    """As if sweeps had run every day up to `day`."""
    SweepRun.objects.create(started_at=timezone.now(), finished_at=timezone.now(), window_end=day)


def sweep(day=WEDNESDAY):
    with time_machine.travel(morning(day), tick=False):
        return record_due_reminders(today=day)


def test_readers_get_none_even_when_they_own_the_action():
    reader = person("Readers", "reader")
    action_due(D(2024, 6, 13), owner=reader)  # 1 working day away
    sweep()
    assert not Reminder.objects.exists()


def test_people_without_an_address_or_inactive_get_none():
    action_due(D(2024, 6, 13), owner=person("Action owners", "noaddress", email=""))
    action_due(D(2024, 6, 13), owner=person("Action owners", "left", is_active=False))
    sweep()
    assert not Reminder.objects.exists()


def test_closed_and_complete_actions_get_none():
    owner = person("Action owners", "owner")
    action_due(D(2024, 6, 13), owner=owner, status="complete")
    action_due(D(2024, 6, 13), owner=owner, status="closed")
    sweep()
    assert not Reminder.objects.exists()


def test_running_the_sweep_twice_records_each_reminder_once():
    owner = person("Action owners", "owner")
    action_due(D(2024, 6, 13), owner=owner)
    first, second = sweep(), sweep()
    assert (first.created, second.created) == (1, 0)
    assert Reminder.objects.count() == 1


def test_the_escalation_goes_to_the_director_who_assigned_the_action():
    owner = person("Action owners", "owner")
    assigner = person("Directors", "assigner")
    person("Directors", "other-director")
    action_due(D(2024, 5, 29), owner=owner, assigned_by=assigner)  # 10 working days before
    sweep()
    escalations = Reminder.objects.filter(kind="escalation")
    assert [r.recipient.username for r in escalations] == ["assigner"]


def test_without_an_assigning_director_every_director_who_can_see_it_is_told():
    council = OrganisationFactory(name="Test Council")
    partner = OrganisationFactory(name="NHS Trust", kind=Organisation.Kind.NHS)
    partner.partner_of.add(council)
    elsewhere = OrganisationFactory(name="Another Council")
    person("Directors", "council-director", organisation=council)
    person("Directors", "nhs-director", organisation=partner)
    person("Directors", "elsewhere-director", organisation=elsewhere)
    person("Readers", "council-reader", organisation=council)
    gone = person("Action owners", "gone")  # assigned_by is not a director
    action_due(D(2024, 5, 29), owner=gone, assigned_by=gone)
    sweep()
    escalated_to = sorted(
        Reminder.objects.filter(kind="escalation").values_list("recipient__username", flat=True)
    )
    assert escalated_to == ["council-director", "nhs-director"]


def test_plan_reminders_go_to_the_councils_officers_and_directors_only():
    council = OrganisationFactory(name="Test Council")
    partner = OrganisationFactory(name="Police", kind=Organisation.Kind.POLICE)
    partner.partner_of.add(council)
    person("Policy officers", "officer", organisation=council)
    person("Directors", "director", organisation=council)
    person("Action owners", "owner", organisation=council)
    person("Readers", "reader", organisation=council)
    person("Directors", "police-director", organisation=partner)
    inspection = submitted_inspection(local_authority=council)
    inspection.plan_submitted_at = None
    inspection.plan_due_override = D(2024, 6, 13)
    inspection.plan_due_override_reason = "Letter."
    inspection.refresh_deadlines()
    inspection.save()
    sweep()
    assert sorted(Reminder.objects.values_list("kind", "recipient__username")) == [
        ("plan_due", "director"),
        ("plan_due", "officer"),
    ]


def test_a_sweep_after_days_without_one_sends_the_latest_missed_occasion_once():
    owner = person("Action owners", "owner")
    due = D(2024, 6, 20)  # 10 before: 6 June; 5 before: 13 June
    action = action_due(due, owner=owner)
    covered_until(D(2024, 6, 5))
    sweep(D(2024, 6, 17))  # the scheduler was down from 6 to 14 June
    sweep(D(2024, 6, 17))
    assert list(Reminder.objects.values_list("occasion", "scheduled_for")) == [
        (f"action:{action.pk}:due:2024-06-20:before:5", D(2024, 6, 13))
    ]


def test_catch_up_is_bounded_so_an_old_outage_does_not_escalate_history():
    owner = person("Action owners", "owner")
    director = person("Directors", "director")
    action_due(D(2023, 1, 10), owner=owner, assigned_by=director)
    covered_until(D(2023, 1, 1))
    result = sweep()
    assert result.window.start == D(2024, 5, 29)  # 10 working days back
    # The overdue series goes on (latest repeat only); the 2023 escalation is history.
    assert list(Reminder.objects.values_list("kind", flat=True)) == ["overdue"]


def test_digest_people_are_held_and_gathered_once_a_week():
    owner = person("Action owners", "owner", reminder_delivery="digest")
    action_due(D(2024, 6, 13), owner=owner)  # 1 before: Wednesday 12 June
    action_due(D(2024, 6, 12), owner=owner)  # due today
    covered_until(D(2024, 6, 11))
    sweep(D(2024, 6, 12))
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.HELD}

    for day in [D(2024, 6, 13), D(2024, 6, 14), D(2024, 6, 17), D(2024, 6, 17)]:
        sweep(day)
    digests = Reminder.objects.filter(kind="digest")
    assert digests.count() == 1
    digest = digests.get()
    assert digest.occasion == "week:2024-06-17"
    assert digest.status == ReminderStatus.PENDING
    assert digest.items.count() == Reminder.objects.exclude(kind="digest").count() >= 2


def test_a_digest_day_missed_or_on_a_bank_holiday_is_built_next_working_day():
    owner = person("Action owners", "owner", reminder_delivery="digest")
    action_due(D(2024, 5, 24), owner=owner)
    covered_until(D(2024, 5, 22))
    sweep(D(2024, 5, 23))  # 1 before, held
    sweep(D(2024, 5, 27))  # Spring bank holiday (a Monday): nothing runs
    assert not Reminder.objects.filter(kind="digest").exists()
    sweep(D(2024, 5, 28))
    assert Reminder.objects.filter(kind="digest", occasion="week:2024-05-27").count() == 1


def test_moving_the_due_date_starts_a_new_series():
    owner = person("Action owners", "owner")
    action = action_due(D(2024, 6, 13), owner=owner)
    sweep()
    action.due_date = D(2024, 6, 19)  # 5 working days from 12 June
    action.save()
    sweep()
    assert Reminder.objects.count() == 2
    assert set(Reminder.objects.values_list("due_date", flat=True)) == {
        D(2024, 6, 13),
        D(2024, 6, 19),
    }


@pytest.mark.parametrize("day", [D(2024, 6, 15), D(2024, 12, 25)])
def test_sweeps_on_days_off_record_a_run_but_no_reminders(day):
    owner = person("Action owners", "owner")
    action_due(day + dt.timedelta(days=1), owner=owner)
    result = sweep(day)
    assert result.window is None and not Reminder.objects.exists()
    assert SweepRun.objects.filter(window_end__isnull=True).count() == 1
