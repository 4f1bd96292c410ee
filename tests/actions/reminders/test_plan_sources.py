"""Reminders follow the plan: each source of a plan keeps its own submission deadlines
(the plan's and, for a focused visit with areas for priority action, the draft's), and
the reminders of every one of them name the plan and link to it."""

import datetime as dt

import pytest
import time_machine

from actions.reminders.delivery import Outcome, deliver
from actions.reminders.models import Reminder, ReminderStatus
from actions.reminders.sweep import record_due_reminders
from core.errors import DomainError
from inspections.services import record_draft_sent
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    OrganisationFactory,
    PlanFactory,
    RecommendationFactory,
)

from .helpers import D, morning, person

pytestmark = pytest.mark.django_db

SITE = "https://plans.example.gov.uk"
WEDNESDAY = D(2024, 6, 12)


def sweep(day=WEDNESDAY):
    with time_machine.travel(morning(day), tick=False):
        return record_due_reminders(today=day)


def send_all(day=WEDNESDAY) -> dict[int, str]:
    with time_machine.travel(morning(day), tick=False):
        return {r.pk: deliver(reminder_id=r.pk) for r in Reminder.objects.order_by("pk")}


def source(plan, *, due=None, draft_due=None, submitted=False, **kwargs):
    """A report feeding `plan` (None: held as history), with deadlines set by override."""
    report = InspectionFactory(
        plan=plan,
        local_authority=plan.local_authority if plan else kwargs.pop("local_authority"),
        plan_submitted_at=dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC) if submitted else None,
        **kwargs,
    )
    if due:
        report.plan_due_override, report.plan_due_override_reason = due, "Letter."
    if draft_due:
        report.draft_plan_due_override = draft_due
        report.draft_plan_due_override_reason = "Letter."
    report.refresh_deadlines()
    report.save()
    return report


@pytest.fixture
def council():
    return OrganisationFactory(name="Derbyshire County Council")


@pytest.fixture
def officer(council):
    return person("Policy officers", "officer", organisation=council)


@pytest.fixture
def plan(council):
    return PlanFactory(local_authority=council, title="Derbyshire improvement plan 2024-26")


def test_a_second_sources_deadline_is_reminded_in_the_words_of_the_plan(plan, officer, mailoutbox):
    source(plan, due=D(2024, 4, 1), submitted=True)  # the ILACS: its plan went in
    focused = source(plan, due=D(2024, 6, 13), inspection_type="focused_visit")

    sweep()
    [reminder] = Reminder.objects.all()
    assert (reminder.kind, reminder.inspection, reminder.recipient) == (
        "plan_due",
        focused,
        officer,
    )
    assert reminder.occasion == f"inspection:{focused.pk}:plan:2024-06-13:before:1"

    assert send_all() == {reminder.pk: Outcome.SENT}
    [mail] = mailoutbox
    assert mail.subject == (
        f"DfE submission due in 1 working day: Derbyshire improvement plan 2024-26 "
        f"for the {focused}"
    )
    assert (
        f"The DfE submission of Derbyshire improvement plan 2024-26 for the {focused} is due "
        "on Thursday 13 June 2024 (due in 1 working day)" in mail.body
    )
    assert f"Open it: {SITE}/plans/{plan.pk}/" in mail.body
    html = mail.alternatives[0][0]
    assert f'href="{SITE}/plans/{plan.pk}/"' in html
    assert "Open the plan" in html


def test_each_source_keeps_its_own_deadline_and_series(plan, officer):
    ilacs = source(plan, due=D(2024, 6, 13))
    focused = source(plan, due=D(2024, 6, 19), inspection_type="focused_visit")
    other_plan = PlanFactory(local_authority=plan.local_authority, title="SEND plan")
    send = source(other_plan, due=D(2024, 6, 26), inspection_type="send_area")

    sweep()

    assert sorted(Reminder.objects.values_list("inspection", "occasion")) == sorted(
        [
            (ilacs.pk, f"inspection:{ilacs.pk}:plan:2024-06-13:before:1"),
            (focused.pk, f"inspection:{focused.pk}:plan:2024-06-19:before:5"),
            (send.pk, f"inspection:{send.pk}:plan:2024-06-26:before:10"),
        ]
    )


def test_a_report_held_as_history_has_no_submission_to_remind_of(council, officer):
    source(None, due=D(2024, 6, 13), local_authority=council)
    sweep()
    assert not Reminder.objects.exists()


def test_a_focused_visits_draft_deadline_has_reminders_of_its_own(plan, officer, mailoutbox):
    focused = source(
        plan, due=D(2024, 7, 31), draft_due=D(2024, 6, 13), inspection_type="focused_visit"
    )

    sweep()
    [reminder] = Reminder.objects.all()
    assert reminder.occasion == f"inspection:{focused.pk}:draft_plan:2024-06-13:before:1"
    assert reminder.due_date == D(2024, 6, 13)

    assert send_all() == {reminder.pk: Outcome.SENT}
    [mail] = mailoutbox
    assert mail.subject.startswith("Draft DfE submission due in 1 working day: ")
    assert f"The draft of the DfE submission of {plan} for the {focused}" in mail.body
    assert "its draft submission for the" in mail.body


def test_a_moved_draft_deadline_cancels_the_reminder_of_the_old_date(plan, officer, mailoutbox):
    focused = source(
        plan, due=D(2024, 7, 31), draft_due=D(2024, 6, 13), inspection_type="focused_visit"
    )
    sweep()
    focused.draft_plan_due_override = D(2024, 6, 20)
    focused.refresh_deadlines()
    focused.save()

    assert list(send_all().values()) == [Outcome.CANCELLED]
    assert mailoutbox == []


def test_a_draft_recorded_as_sent_is_reminded_no_more(plan, officer, mailoutbox):
    focused = source(
        plan, due=D(2024, 7, 31), draft_due=D(2024, 6, 13), inspection_type="focused_visit"
    )
    sweep()  # the draft's reminder is due
    record_draft_sent(inspection=focused, by=officer)

    assert list(send_all().values()) == [Outcome.CANCELLED]  # sent before it went out
    assert mailoutbox == []
    Reminder.objects.all().delete()
    sweep()  # and no new one is made
    assert not Reminder.objects.filter(occasion__contains="draft_plan").exists()
    with pytest.raises(DomainError, match="recorded as sent"):
        record_draft_sent(inspection=focused, by=officer)


def test_someone_who_no_longer_sees_the_plan_is_not_reminded_of_it(plan, officer, mailoutbox):
    source(plan, due=D(2024, 6, 13))
    sweep()
    officer.organisation = OrganisationFactory(name="Another Council")
    officer.save()

    assert list(send_all().values()) == [Outcome.CANCELLED]
    assert mailoutbox == []
    assert Reminder.objects.get().status == ReminderStatus.CANCELLED


def test_a_source_taken_out_of_its_plan_is_no_longer_reminded(plan, officer, mailoutbox):
    report = source(plan, due=D(2024, 6, 13))
    sweep()
    report.plan = None  # held as history after all
    report.save()

    assert list(send_all().values()) == [Outcome.CANCELLED]
    assert mailoutbox == []


def test_an_action_reminder_names_its_plan_and_every_item_it_answers(plan, mailoutbox):
    owner = person("Action owners", "owner", organisation=plan.local_authority)
    ilacs = source(plan, submitted=True)
    focused = source(plan, submitted=True, inspection_type="focused_visit")
    items = [
        RecommendationFactory(inspection=ilacs, text="Improve management oversight."),
        RecommendationFactory(inspection=focused, text="Improve consistency of case recording."),
    ]
    ActionFactory(
        recommendation=None, answers=items, plan=plan, owner=owner, due_date=D(2024, 6, 13)
    )

    sweep()
    assert list(send_all().values()) == [Outcome.SENT]
    [mail] = mailoutbox
    assert "Answers: Improve management oversight." in mail.body
    assert "Answers: Improve consistency of case recording." in mail.body
    assert f"Plan: {plan}" in mail.body


def test_the_new_owners_email_names_the_plan_and_the_items_of_each_source(plan, mailoutbox):
    from actions.notifications import send_owner_assigned

    owner = person("Action owners", "owner", organisation=plan.local_authority)
    ilacs = source(plan, submitted=True)
    focused = source(plan, submitted=True, inspection_type="focused_visit")
    items = [
        RecommendationFactory(inspection=ilacs, text="Improve management oversight."),
        RecommendationFactory(inspection=focused, text="Improve consistency of case recording."),
    ]
    action = ActionFactory(recommendation=None, answers=items, plan=plan, owner=owner)

    assert send_owner_assigned(action.pk) == 1
    [mail] = mailoutbox
    assert f'in the improvement plan "{plan}"' in mail.body
    assert "It answers these recommendations:" in mail.body
    assert f"- Improve management oversight. ({ilacs})" in mail.body
    assert f"- Improve consistency of case recording. ({focused})" in mail.body


def test_the_new_owners_email_names_the_wider_area_an_action_answers(plan, mailoutbox):
    from actions.notifications import send_owner_assigned
    from tests.factories import WiderAreaFactory

    owner = person("Action owners", "owner", organisation=plan.local_authority)
    area = WiderAreaFactory(plan=plan, text="Audits are not followed up.")
    action = ActionFactory(recommendation=None, plan=plan, wider_area=area, owner=owner)

    assert send_owner_assigned(action.pk) == 1
    [mail] = mailoutbox
    assert "It answers this wider area for improvement:\nAudits are not followed up." in mail.body
    assert "recommendation" not in mail.body
