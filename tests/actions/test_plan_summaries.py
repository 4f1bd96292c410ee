"""Plan counts stay exact whatever changes an action: services, RAG refresh, bulk."""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine

from actions import plan_summaries, services, tasks
from actions.models import Action, Measure, PlanSummary, Rag, Status
from bench import generator
from inspections.models import Inspection
from tests.concurrency import at_once, raised
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
)

COUNTED = [
    "actions",
    *Rag.values,
    *Status.values,
    "on_target",
    "off_target",
    "no_reading",
]


def counted_in_python(inspection: Inspection) -> dict[str, int]:
    """The plan's counts from its rows, one by one: the answer the summary must give."""
    counts = Counter({name: 0 for name in COUNTED})
    actions = list(Action.objects.filter(recommendation__inspection=inspection))
    for action in actions:
        counts["actions"] += 1
        counts[action.shown_rag] += 1
        counts[action.status] += 1
    for measure in Measure.objects.filter(action__in=actions).prefetch_related("readings"):
        readings = sorted(measure.readings.all(), key=lambda reading: reading.date)
        if not readings:
            counts["no_reading"] += 1
        elif measure.meets_target(readings[-1].value):
            counts["on_target"] += 1
        else:
            counts["off_target"] += 1
    return dict(counts)


def stored(inspection: Inspection) -> dict[str, int]:
    summary = PlanSummary.objects.filter(inspection=inspection).first()
    if summary is None:
        return {name: 0 for name in COUNTED}
    return {name: getattr(summary, name) for name in COUNTED}


def test_every_service_keeps_its_plans_counts_exact(db):
    officer = UserFactory(role="Policy officers")
    director = UserFactory(role="Directors")
    owner = UserFactory(role="Action owners")
    plan = InspectionFactory()
    other_plan = InspectionFactory(local_authority=OrganisationFactory(name="Other Council"))
    recommendation = RecommendationFactory(inspection=plan)
    services.draft_action(
        recommendation=RecommendationFactory(inspection=other_plan),
        by=UserFactory(role="Policy officers", organisation__name="Other Council"),
        title="Elsewhere",
    )

    def check(step: str) -> None:
        assert stored(plan) == counted_in_python(plan), step
        assert stored(other_plan) == counted_in_python(other_plan), step

    with time_machine.travel(dt.datetime(2024, 7, 1, 9, 0), tick=False):
        action = services.draft_action(recommendation=recommendation, by=officer, title="Audit")
        check("draft")
        second = services.draft_action(recommendation=recommendation, by=officer, title="Train")
        check("second draft")
        measure = services.add_measure(
            action=action,
            by=officer,
            name="Visits",
            baseline=Decimal(60),
            target=Decimal(90),
            direction="higher",
        )
        check("measure")
        services.record_reading(
            measure=measure, by=officer, date=dt.date(2024, 6, 1), value=Decimal(95)
        )
        check("reading on target")
        services.record_reading(
            measure=measure, by=officer, date=dt.date(2024, 5, 1), value=Decimal(20)
        )
        check("an older reading does not change the standing")
        services.record_reading(
            measure=measure, by=officer, date=dt.date(2024, 6, 20), value=Decimal(70)
        )
        check("latest reading off target")
        action = services.assign_owner(action=action, by=director, owner=owner)
        check("assign")
        progress = services.record_progress(action=action, by=owner, text="Started")
        check("progress")
        action.refresh_from_db()
        action = services.override_rag(
            action=action, by=director, rag_value=Rag.RED, reason="Board concern"
        )
        check("override")
        action = services.move_due_date(
            action=action, by=director, new_date=dt.date(2024, 6, 1), reason="Brought forward"
        )
        check("move date")
        second = services.update_details(
            action=second, by=officer, expected_version=None, title="Train every team"
        )
        check("edit")
        services.return_item(item=progress, by=director, comment="Say which teams")
        check("return")
        action.refresh_from_db()
        action = services.mark_complete(action=action, by=owner, note="Every team trained")
        check("complete")
        action = services.submit_impact(action=action, by=owner, summary="Visits on time")
        check("impact")
        action = services.sign_off(action=action, by=director, justification="Agreed by board")
        check("sign off")
        action = services.reopen(action=action, by=director, reason="Slipped again")
        check("reopen")

    summary = PlanSummary.objects.get(inspection=plan)
    assert (summary.actions, summary.red, summary.in_progress, summary.off_target) == (2, 1, 1, 1)
    assert stored(other_plan)["actions"] == 1


def test_the_nightly_refresh_counts_what_time_alone_changed(db):
    action = ActionFactory(due_date=dt.date(2024, 9, 2), rag=Rag.GREEN)
    plan = action.recommendation.inspection
    plan_summaries.refresh(plan.pk)
    assert stored(plan)["green"] == 1
    with time_machine.travel(dt.datetime(2024, 9, 10, 2, 0), tick=False):
        tasks.refresh_all_rags()
    assert stored(plan)["red"] == 1
    assert stored(plan) == counted_in_python(plan)


def test_the_nightly_refresh_repairs_counts_changed_behind_the_applications_back(db):
    action = ActionFactory()
    plan = action.recommendation.inspection
    plan_summaries.refresh(plan.pk)
    PlanSummary.objects.filter(inspection=plan).update(actions=7, red=3)
    Action.objects.filter(pk=action.pk).update(status=Status.CLOSED)  # not a service
    tasks.refresh_all_rags()
    assert stored(plan) == counted_in_python(plan)
    assert stored(plan)["closed"] == 1


def test_refreshing_one_actions_rag_refreshes_its_plans_counts(db):
    action = ActionFactory(due_date=dt.date(2020, 1, 1), rag=Rag.GREEN)
    plan = action.recommendation.inspection
    plan_summaries.refresh(plan.pk)
    assert tasks.refresh_rag(action.pk) is True
    assert stored(plan)["red"] == 1


def test_generated_plans_are_counted(db):
    generator.generate(councils=2, actions=40, seed=3, today=dt.date(2024, 7, 1))
    plans = Inspection.objects.all()
    assert plans.count() == 2
    for plan in plans:
        assert stored(plan) == counted_in_python(plan)
        assert stored(plan)["actions"] == 20


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_in_one_plan_all_count(postgres):
    """Each writer counts after locking the plan's row, so none counts a stale plan."""
    owner = UserFactory(role="Action owners")
    recommendation = RecommendationFactory()
    actions = [
        ActionFactory(recommendation=recommendation, owner=owner, status=Status.IN_PROGRESS)
        for _ in range(6)
    ]
    plan = recommendation.inspection
    plan_summaries.refresh(plan.pk)

    def complete(action: Action) -> Callable[[], Action]:
        return lambda: services.mark_complete(
            action=Action.objects.get(pk=action.pk), by=owner, note="Every team trained"
        )

    outcomes = at_once(*(complete(action) for action in actions))
    assert raised(outcomes) == []
    assert stored(plan)["complete"] == len(actions)
    assert stored(plan) == counted_in_python(plan)


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_plans_that_already_exist():
    from django.core.management import call_command

    call_command("migrate", "actions", "0002", verbosity=0)
    try:
        recommendation = RecommendationFactory()
        ActionFactory(recommendation=recommendation, rag_override=Rag.RED, rag_override_reason="x")
        ActionFactory(recommendation=recommendation, status=Status.CLOSED, rag=Rag.BLUE)
        measure = MeasureFactory(action=ActionFactory(recommendation=recommendation))
        MeasureReadingFactory(measure=measure, date=dt.date(2024, 5, 1), value=95)
        MeasureReadingFactory(measure=measure, date=dt.date(2024, 6, 1), value=65)
        MeasureFactory(action=ActionFactory(recommendation=recommendation))
        InspectionFactory(local_authority=OrganisationFactory(name="No actions yet"))
    finally:
        call_command("migrate", "actions", verbosity=0)
    plan = recommendation.inspection
    assert stored(plan) == counted_in_python(plan)
    assert (stored(plan)["actions"], stored(plan)["red"], stored(plan)["off_target"]) == (4, 1, 1)
