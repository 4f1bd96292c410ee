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
from plans.models import Plan
from tests.concurrency import at_once, raised
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    OrganisationFactory,
    PlanFactory,
    RecommendationFactory,
    UserFactory,
    WiderAreaFactory,
)

COUNTED = [
    "actions",
    *Rag.values,
    *Status.values,
    "on_target",
    "off_target",
    "no_reading",
]


def counted_in_python(plan: Plan) -> dict[str, int]:
    """The plan's counts from its rows, one by one: the answer the summary must give."""
    counts = Counter({name: 0 for name in COUNTED})
    actions = list(Action.objects.filter(plan=plan))
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


def stored(plan: Plan) -> dict[str, int]:
    summary = PlanSummary.objects.filter(plan=plan).first()
    if summary is None:
        return {name: 0 for name in COUNTED}
    return {name: getattr(summary, name) for name in COUNTED}


def test_every_service_keeps_its_plans_counts_exact(db):
    officer = UserFactory(role="Policy officers")
    director = UserFactory(role="Directors")
    owner = UserFactory(role="Action owners")
    first = InspectionFactory()
    plan = first.plan
    later = InspectionFactory(plan=plan, local_authority=plan.local_authority)
    other = InspectionFactory(local_authority=OrganisationFactory(name="Other Council"))
    recommendation = RecommendationFactory(inspection=first)
    repeated = RecommendationFactory(inspection=later)
    services.draft_action(
        plan=other.plan,
        recommendations=[RecommendationFactory(inspection=other)],
        by=UserFactory(role="Policy officers", organisation__name="Other Council"),
        title="Elsewhere",
    )

    def check(step: str) -> None:
        assert stored(plan) == counted_in_python(plan), step
        assert stored(other.plan) == counted_in_python(other.plan), step

    with time_machine.travel(dt.datetime(2024, 7, 1, 9, 0), tick=False):
        action = services.draft_action(
            plan=plan, recommendations=[recommendation], by=officer, title="Audit"
        )
        check("draft")
        second = services.draft_action(
            plan=plan, recommendations=[recommendation, repeated], by=officer, title="Train"
        )
        check("second draft, answering items of both sources")
        services.draft_action(
            plan=plan,
            wider_area=WiderAreaFactory(plan=plan),
            by=officer,
            title="Follow up audits",
            due_date=dt.date(2024, 12, 2),
        )
        check("third draft, answering a wider area only")
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

    summary = PlanSummary.objects.get(plan=plan)
    assert (summary.actions, summary.red, summary.in_progress, summary.off_target) == (3, 1, 1, 1)
    assert stored(other.plan)["actions"] == 1
    assert PlanSummary.objects.count() == 2, "one summary a plan, whatever its sources"


def test_a_plan_fed_by_two_sources_counts_each_action_once(db):
    ilacs = InspectionFactory()
    plan = ilacs.plan
    focused = InspectionFactory(
        plan=plan, local_authority=plan.local_authority, inspection_type="focused_visit"
    )
    held = InspectionFactory(plan=None, local_authority=plan.local_authority)
    first, second = (
        RecommendationFactory(inspection=ilacs),
        RecommendationFactory(inspection=focused),
    )
    ActionFactory(recommendation=None, answers=[first], plan=plan, status=Status.IN_PROGRESS)
    ActionFactory(recommendation=None, answers=[second], plan=plan, rag=Rag.RED)
    ActionFactory(recommendation=None, answers=[first, second], plan=plan, status=Status.COMPLETE)
    ActionFactory(recommendation=None, plan=plan, wider_area=WiderAreaFactory(plan=plan))
    ActionFactory(plan=PlanFactory(local_authority=plan.local_authority), recommendation=None)
    RecommendationFactory(inspection=held)

    summary = plan_summaries.refresh(plan.pk)

    assert summary.plan == plan
    assert (summary.actions, summary.in_progress, summary.complete, summary.red) == (4, 1, 1, 1)
    assert stored(plan) == counted_in_python(plan)
    assert plan_summaries.refresh_all() == Plan.objects.count() == 2


def test_the_nightly_refresh_counts_what_time_alone_changed(db):
    action = ActionFactory(due_date=dt.date(2024, 9, 2), rag=Rag.GREEN)
    plan = action.plan
    plan_summaries.refresh(plan.pk)
    assert stored(plan)["green"] == 1
    with time_machine.travel(dt.datetime(2024, 9, 10, 2, 0), tick=False):
        tasks.refresh_all_rags()
    assert stored(plan)["red"] == 1
    assert stored(plan) == counted_in_python(plan)


def test_the_nightly_refresh_repairs_counts_changed_behind_the_applications_back(db):
    action = ActionFactory()
    plan = action.plan
    plan_summaries.refresh(plan.pk)
    PlanSummary.objects.filter(plan=plan).update(actions=7, red=3)
    Action.objects.filter(pk=action.pk).update(status=Status.CLOSED)  # not a service
    tasks.refresh_all_rags()
    assert stored(plan) == counted_in_python(plan)
    assert stored(plan)["closed"] == 1


def test_refreshing_one_actions_rag_refreshes_its_plans_counts(db):
    action = ActionFactory(due_date=dt.date(2020, 1, 1), rag=Rag.GREEN)
    plan = action.plan
    plan_summaries.refresh(plan.pk)
    assert tasks.refresh_rag(action.pk) is True
    assert stored(plan)["red"] == 1


def test_generated_plans_are_counted(db):
    generator.generate(councils=2, actions=40, seed=3, today=dt.date(2024, 7, 1))
    plans = Plan.objects.all()
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
    plan = recommendation.inspection.plan
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
def test_the_migrations_count_the_plans_that_already_exist():
    """From before summaries (actions 0002) to plans: each inspection with actions became
    a plan, and its counts moved with it."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("actions", "0002_rag_snapshots"), ("inspections", "0002_pending_import")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps
        council = old.get_model("core", "Organisation").objects.create(
            name="Old Council", kind="local_authority"
        )
        inspection = old.get_model("inspections", "Inspection").objects.create(
            local_authority=council, inspection_type="ilacs"
        )
        old.get_model("inspections", "Inspection").objects.create(
            local_authority=council, inspection_type="focused_visit"
        )
        recommendation = old.get_model("inspections", "Recommendation").objects.create(
            inspection=inspection, text="Improve supervision.", timescale="none", order=1
        )
        Old = old.get_model("actions", "Action")

        def action(**fields):
            return Old.objects.create(
                recommendation=recommendation, title="Act", due_date=dt.date(2024, 9, 2), **fields
            )

        action(rag_override=Rag.RED, rag_override_reason="x")
        action(status=Status.CLOSED, rag=Rag.BLUE)
        measure = old.get_model("actions", "Measure").objects.create(
            action=action(), name="Visits", baseline=60, target=90, direction="higher"
        )
        Reading = old.get_model("actions", "MeasureReading")
        Reading.objects.create(measure=measure, date=dt.date(2024, 5, 1), value=95)
        Reading.objects.create(measure=measure, date=dt.date(2024, 6, 1), value=65)
        old.get_model("actions", "Measure").objects.create(
            action=action(), name="Audits", baseline=1, target=2, direction="higher"
        )
    finally:
        MigrationExecutor(connection).migrate(latest)
    plan = Plan.objects.get(sources__pk=inspection.pk)
    assert stored(plan) == counted_in_python(plan)
    assert (stored(plan)["actions"], stored(plan)["red"], stored(plan)["off_target"]) == (4, 1, 1)
    assert plan_summaries.refresh_all() == 2
    assert stored(plan) == counted_in_python(plan)
