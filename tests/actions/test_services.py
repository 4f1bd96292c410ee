import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from actions import services
from actions.models import Action, DueDateChange, Status
from core.errors import Conflict, DomainError
from core.models import AuditEntry
from tests.concurrency import at_once
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    RecommendationFactory,
    UserFactory,
)


@time_machine.travel(dt.datetime(2024, 3, 1, 12), tick=False)
def test_drafting_defaults_the_due_date_from_the_timescale(officer):
    recommendation = RecommendationFactory(timescale="three_months")
    action = services.draft_action(
        plan=recommendation.inspection.plan,
        recommendations=[recommendation],
        by=officer,
        title="Audit",
    )
    assert action.due_date == dt.date(2024, 6, 3)  # published 1 March 2024; 1 June a Saturday
    assert AuditEntry.objects.filter(verb="draft", object_id=str(action.pk)).exists()


def test_assigning_an_owner_emails_them_with_a_link(
    director, owner, eager_tasks, django_capture_on_commit_callbacks
):
    action = ActionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_owner(action=action, by=director, owner=owner)
    action.refresh_from_db()
    assert (action.owner, action.assigned_by) == (owner, director)
    assert action.organisation == owner.organisation
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert f"/actions/{action.pk}/" in message.body
    assert "because you were assigned this action" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_only_people_with_the_owner_role_can_own_actions(director, reader):
    with pytest.raises(DomainError, match="Choose an action owner of the council"):
        services.assign_owner(action=ActionFactory(), by=director, owner=reader)


def test_moving_a_date_needs_a_reason_and_keeps_history(director):
    action = ActionFactory(due_date=dt.date(2024, 9, 1))
    with pytest.raises(DomainError, match="why the date is moving"):
        services.move_due_date(
            action=action, by=director, new_date=dt.date(2024, 10, 1), reason=" "
        )
    services.move_due_date(
        action=action, by=director, new_date=dt.date(2024, 10, 1), reason="Board agreed"
    )
    change = DueDateChange.objects.get(action=action)
    assert (change.old_date, change.new_date, change.reason) == (
        dt.date(2024, 9, 1),
        dt.date(2024, 10, 1),
        "Board agreed",
    )
    entry = AuditEntry.objects.get(verb="move_due_date")
    assert entry.before["due_date"] == "2024-09-01"
    assert entry.after["due_date"] == "2024-10-01"


def test_a_stale_version_is_refused_with_the_current_values(officer):
    action = ActionFactory()
    services.update_details(action=action, by=officer, expected_version=1, title="First")
    with pytest.raises(Conflict) as conflict:
        services.update_details(action=action, by=officer, expected_version=1, title="Second")
    assert conflict.value.current.title == "First"
    assert Action.objects.get(pk=action.pk).title == "First"


def test_first_progress_starts_the_action_and_is_kept(owner):
    action = ActionFactory(owner=owner)
    services.record_progress(action=action, by=owner, text="Kick-off held")
    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS
    assert action.progress_updates.get().text == "Kick-off held"


def test_the_closing_sequence_needs_impact_and_four_eyes(owner, director):
    action = ActionFactory(owner=owner, status=Status.IN_PROGRESS)
    measure = MeasureFactory(action=action, baseline=60, target=90)
    services.mark_complete(action=action, by=owner, note="Every team trained")
    with pytest.raises(DomainError, match="Record a measure reading or add evidence"):
        services.submit_impact(action=action, by=owner, summary="Done")
    MeasureReadingFactory(measure=measure, value=Decimal(80), date=dt.date(2024, 5, 1))
    services.submit_impact(action=action, by=owner, summary="Visits on time are up")
    with pytest.raises(DomainError, match="record why you are signing off"):
        services.sign_off(action=action, by=director)
    services.sign_off(action=action, by=director, justification="80% is sustained; board agreed")
    action.refresh_from_db()
    assert action.status == Status.CLOSED
    assert action.signed_off_by == director
    assert action.rag == "blue"


def test_a_director_cannot_sign_off_their_own_action(db):
    director = UserFactory(role="Directors")
    action = ActionFactory(owner=director, status=Status.IMPACT_EVIDENCED)
    with pytest.raises(PermissionDenied):
        services.sign_off(action=action, by=director, justification="mine")


def test_sign_off_without_justification_when_every_measure_meets_target(owner, director):
    action = ActionFactory(owner=owner, status=Status.IMPACT_EVIDENCED)
    MeasureReadingFactory(measure=MeasureFactory(action=action), value=91, date=dt.date(2024, 5, 1))
    services.sign_off(action=action, by=director)
    assert Action.objects.get(pk=action.pk).status == Status.CLOSED


def test_reopening_needs_a_reason_and_clears_the_sign_off(director):
    action = ActionFactory(status=Status.CLOSED, signed_off_by=director)
    services.reopen(action=action, by=director, reason="Re-referrals rose again")
    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS
    assert action.signed_off_by is None


def test_returned_evidence_stays_in_history_and_sends_impact_back(owner, director):
    action = ActionFactory(owner=owner, status=Status.IMPACT_EVIDENCED)
    evidence = services.add_evidence(
        action=action, by=owner, description="Audit", link="https://intranet.example/audit"
    )
    services.return_item(item=evidence, by=director, comment="This audit is from last year")
    evidence.refresh_from_db()
    assert evidence.returned_by == director
    assert evidence.return_comment == "This audit is from last year"
    assert Action.objects.get(pk=action.pk).status == Status.COMPLETE
    assert action.evidence.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 an executable", "must be a PDF, Word"),
        ("empty.pdf", b"", "The file is empty"),
        ("fake.docx", b"PK\x03\x04not really a zip", "must be a PDF, Word"),
    ],
)
def test_evidence_files_are_checked_by_content(owner, name, content, message):
    action = ActionFactory(owner=owner)
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(DomainError, match=message):
        services.add_evidence(action=action, by=owner, description="x", file=upload)
    assert not action.evidence.exists()


def test_evidence_is_stored_under_a_random_name(owner):
    action = ActionFactory(owner=owner)
    evidence = services.add_evidence(
        action=action,
        by=owner,
        description="Photo",
        file=SimpleUploadedFile("../../etc/passwd.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10),
    )
    assert evidence.content_type == "image/png"
    assert evidence.file.name.startswith("evidence/")
    assert "passwd" not in evidence.file.name
    evidence.file.storage.delete(evidence.file.name)


def test_a_reading_per_measure_and_day(officer):
    measure = MeasureFactory()
    services.record_reading(
        measure=measure, by=officer, date=dt.date(2024, 5, 1), value=Decimal(70)
    )
    with pytest.raises(DomainError, match="already a reading for 1 May 2024"):
        services.record_reading(
            measure=measure, by=officer, date=dt.date(2024, 5, 1), value=Decimal(71)
        )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_one_wins_one_conflicts_nothing_lost(postgres):
    officer = UserFactory(role="Policy officers")
    action = ActionFactory()

    def edit(title: str) -> Callable[[], str]:
        def save() -> str:
            try:
                services.update_details(
                    action=Action.objects.get(pk=action.pk),
                    by=officer,
                    expected_version=1,
                    title=title,
                )
            except Conflict:
                return "conflict"
            return f"saved {title}"

        return save

    outcomes = at_once(edit("From Ann"), edit("From Bob"))
    assert sorted(o.split()[0] for o in outcomes) == ["conflict", "saved"]
    saved = next(o for o in outcomes if o.startswith("saved"))[len("saved ") :]
    action.refresh_from_db()
    assert action.title == saved
    assert action.version == 2
    assert AuditEntry.objects.filter(verb="update", object_id=str(action.pk)).count() == 1


def test_an_owner_must_work_for_the_council_or_a_partner(director):
    from tests.factories import OrganisationFactory

    action = ActionFactory()
    stranger = UserFactory(role="Action owners", organisation=OrganisationFactory(name="Far away"))
    with pytest.raises(DomainError, match="council or of one of its partner"):
        services.assign_owner(action=action, by=director, owner=stranger)
    stranger.organisation.partner_of.add(action.plan.local_authority)
    services.assign_owner(action=action, by=director, owner=stranger)
    assert Action.objects.get(pk=action.pk).owner == stranger
