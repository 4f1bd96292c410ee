import datetime as dt
from decimal import Decimal

import pytest

from actions.rag import MeasureSignal, derive_rag

D = dt.date
TODAY = D(2024, 6, 12)  # a Wednesday


def rag(**kwargs):
    values = {
        "status": "in_progress",
        "due_date": D(2024, 9, 1),
        "today": TODAY,
        "last_progress_on": TODAY,
    }
    values.update(kwargs)
    return derive_rag(**values)


def test_closed_actions_are_blue():
    assert rag(status="closed").rag == "blue"


@pytest.mark.parametrize("status", ["complete", "impact_evidenced"])
def test_delivered_actions_are_green_even_when_past_their_date(status):
    result = rag(status=status, due_date=D(2024, 1, 1))
    assert result.rag == "green"


def test_overdue_actions_are_red_with_working_days_in_words():
    result = rag(due_date=D(2024, 5, 24))  # Friday before the late May bank holiday
    assert result.rag == "red"
    assert result.reason == "12 working days overdue"


def test_one_day_overdue_is_singular():
    assert rag(due_date=D(2024, 6, 11)).reason == "1 working day overdue"


def test_due_soon_without_recent_progress_is_amber():
    result = rag(due_date=D(2024, 6, 19), last_progress_on=None)
    assert result.rag == "amber"
    assert result.reason == "due in 5 working days with no progress recorded"


def test_due_soon_with_stale_progress_is_amber_and_says_since_when():
    result = rag(due_date=D(2024, 6, 19), last_progress_on=D(2024, 5, 1))
    assert result.reason == "due in 5 working days, no progress recorded since 1 May 2024"


def test_due_soon_with_recent_progress_is_green():
    assert rag(due_date=D(2024, 6, 19), last_progress_on=D(2024, 6, 10)).rag == "green"


def test_on_track_is_green_and_says_when_due():
    assert rag(due_date=D(2024, 6, 13)).reason == "on track, due in 1 working day"


def measure(latest, direction="higher"):
    return MeasureSignal(
        name="Visits on time",
        direction=direction,
        baseline=Decimal(60),
        target=Decimal(90),
        latest=None if latest is None else Decimal(latest),
    )


def test_a_measure_that_moves_the_wrong_way_past_the_threshold_is_red():
    result = rag(measures=[measure(50)])
    assert result.rag == "red"
    assert "“Visits on time” has moved away from its target" in result.reason


def test_small_wobbles_below_baseline_stay_green():
    assert rag(measures=[measure(58)]).rag == "green"  # within 10% of the 30-point gap


def test_lower_is_better_measures_slip_upwards():
    signal = MeasureSignal(
        name="Re-referrals",
        direction="lower",
        baseline=Decimal(30),
        target=Decimal(20),
        latest=Decimal(33),
    )
    assert rag(measures=[signal]).rag == "red"


def test_no_reading_yet_is_not_a_slip():
    assert rag(measures=[measure(None)]).rag == "green"


def test_amber_window_is_a_setting(settings):
    settings.RAG_AMBER_WORKING_DAYS = 2
    assert rag(due_date=D(2024, 6, 19), last_progress_on=None).rag == "green"


def test_the_nightly_refresh_turns_late_actions_red_and_marks_them_updated(db):
    from django.utils import timezone

    from actions.models import Action
    from actions.rag import refresh_all
    from tests.factories import ActionFactory

    action = ActionFactory(due_date=D(2024, 5, 24))
    before = Action.objects.get(pk=action.pk).updated_at
    assert refresh_all(TODAY) == 1
    action.refresh_from_db()
    assert (action.rag, action.rag_reason) == ("red", "12 working days overdue")
    assert action.updated_at > before
    assert refresh_all(TODAY) == 0  # idempotent
    assert timezone.now() >= action.updated_at


@pytest.mark.django_db
def test_the_days_snapshot_is_one_row_a_plan_whatever_its_sources():
    from actions.models import RagSnapshot
    from actions.rag import record_snapshots
    from tests.factories import ActionFactory, InspectionFactory, RecommendationFactory

    ilacs = InspectionFactory()
    plan = ilacs.plan
    focused = InspectionFactory(plan=plan, local_authority=plan.local_authority)
    first = RecommendationFactory(inspection=ilacs)
    second = RecommendationFactory(inspection=focused)
    ActionFactory(recommendation=None, answers=[first], plan=plan, rag="red")
    ActionFactory(recommendation=None, answers=[second], plan=plan, rag="green")
    ActionFactory(recommendation=None, answers=[first, second], plan=plan, rag="green")
    ActionFactory(
        recommendation=None, plan=plan, rag="green", rag_override="amber", rag_override_reason="x"
    )
    other = ActionFactory(rag="blue", status="closed").plan
    day = dt.date(2024, 6, 3)

    assert record_snapshots(day) == 2
    assert record_snapshots(day) == 2  # again the same day: the same rows
    rows = {
        s.plan_id: (s.red, s.amber, s.green, s.blue) for s in RagSnapshot.objects.filter(date=day)
    }
    assert rows == {plan.pk: (1, 1, 2, 0), other.pk: (0, 0, 0, 1)}
