"""Nothing is lost on the way to plans (issue #18, point 7).

From the state before plans (inspections 0003, actions 0004, documents 0004, no plans
app), rows are written with the historical models; the migrations then make one plan per
inspection, and every row is still there and points at the right plan.

On PostgreSQL (as in production; skipped locally without it, required on CI). The
large version writes 100,000 actions and runs only when asked:
`MIGRATION_SCALE=100000 DATABASE_URL=postgres://… pytest tests/plans/test_migration.py`;
it prints how long the migration took (docs/benchmarks.md records it).
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

BEFORE_PLANS = [
    ("inspections", "0003_recommendation_national_framework"),
    ("actions", "0004_single_line_titles"),
    ("documents", "0004_beat_schedule"),
    ("plans", None),
]
SCALE = int(os.environ.get("MIGRATION_SCALE", "0") or 0)
UTC = dt.UTC
# Rows that belong to an action or an inspection and must all survive, by model.
KEPT = [
    ("inspections", "Inspection"),
    ("inspections", "Recommendation"),
    ("actions", "Action"),
    ("actions", "Measure"),
    ("actions", "MeasureReading"),
    ("actions", "Evidence"),
    ("actions", "ProgressUpdate"),
    ("actions", "DueDateChange"),
    ("actions", "RagSnapshot"),
    ("actions", "PlanSummary"),
    ("documents", "DocumentVersion"),
    ("reminders", "Reminder"),
    ("webhooks", "Subscription"),
    ("webhooks", "Delivery"),
    ("webhooks", "DeliveryAttempt"),
    ("core", "AuditEntry"),
]


def applied_state():
    """The models as the database stands now (every applied migration)."""
    applied = MigrationRecorder(connection).applied_migrations()
    return MigrationExecutor(connection).loader.project_state(list(applied)).apps


def migrate(targets) -> float:
    executor = MigrationExecutor(connection)
    started = time.perf_counter()
    executor.migrate(targets)
    return time.perf_counter() - started


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def counts(apps) -> dict[str, int]:
    return {f"{app}.{name}": apps.get_model(app, name).objects.count() for app, name in KEPT}


@pytest.fixture
def before_plans(postgres, transactional_db):
    """The database as it stood before plans, its historical models; migrated to the
    latest state again afterwards whatever happens."""
    migrate(BEFORE_PLANS)
    try:
        yield applied_state()
    finally:
        migrate(latest())


def old_records(apps) -> dict:
    """A council's two inspections with everything that hangs off their actions."""
    Organisation = apps.get_model("core", "Organisation")
    User = apps.get_model("core", "User")
    Inspection = apps.get_model("inspections", "Inspection")
    Recommendation = apps.get_model("inspections", "Recommendation")
    get = lambda name: apps.get_model("actions", name)  # noqa: E731
    council = Organisation.objects.create(name="Old Council", kind="local_authority")
    other = Organisation.objects.create(name="Other Council", kind="local_authority")
    director = User.objects.create(username="old-director", organisation=council)
    owner = User.objects.create(username="old-owner", organisation=council)
    ilacs = Inspection.objects.create(
        local_authority=council,
        inspection_type="ilacs",
        publication_date=dt.date(2024, 3, 1),
        plan_due_date=dt.date(2024, 6, 7),
        plan_submitted_at=dt.datetime(2024, 6, 1, 9, tzinfo=UTC),
    )
    visit = Inspection.objects.create(
        local_authority=council, inspection_type="focused_visit", publication_date=None
    )
    elsewhere = Inspection.objects.create(local_authority=other, inspection_type="jtai")
    items = {
        key: Recommendation.objects.create(
            inspection=inspection, text=f"Improve {key}.", timescale="none", order=order
        )
        for key, inspection, order in [
            ("supervision", ilacs, 2),
            ("recording", ilacs, 1),
            ("care leavers", ilacs, 3),
            ("letters", visit, 1),
            ("partners", elsewhere, 1),
        ]
    }
    Action = get("Action")

    def action(item: str, order: int, **fields):
        return Action.objects.create(
            recommendation=items[item],
            title=f"Act on {item} ({order})",
            due_date=dt.date(2024, 9, 2),
            order=order,
            owner=owner,
            organisation=council,
            **fields,
        )

    # Made out of order: the plan's order follows the item's order, then the action's.
    actions = {
        "supervision": action("supervision", 1, status="in_progress", version=3),
        "supervision again": action("supervision", 2, rag_override="red", rag_override_reason="x"),
        "recording": action("recording", 5, status="closed", signed_off_by=director),
        "letters": action("letters", 1),
        "partners": action("partners", 1),
    }
    first = actions["supervision"]
    measure = get("Measure").objects.create(
        action=first, name="Visits on time", baseline=50, target=80, direction="higher"
    )
    for month, value in ((4, 55), (5, 61)):
        get("MeasureReading").objects.create(
            measure=measure, date=dt.date(2024, month, 1), value=value, recorded_by=owner
        )
    get("Evidence").objects.create(
        action=first, added_by=owner, description="Audit", link="https://example.org/audit"
    )
    get("ProgressUpdate").objects.create(action=first, author=owner, text="Training booked.")
    get("DueDateChange").objects.create(
        action=first,
        changed_by=director,
        old_date=dt.date(2024, 8, 1),
        new_date=dt.date(2024, 9, 2),
        reason="Recruitment",
    )
    apps.get_model("core", "AuditEntry").objects.create(
        actor=director, verb="move_due_date", object_type="actions.action", object_id=str(first.pk)
    )
    Reminder = apps.get_model("reminders", "Reminder")
    Reminder.objects.create(
        recipient=owner, kind="action", occasion="due in 7 days", action=first,
        scheduled_for=dt.date(2024, 8, 26),
    )  # fmt: skip
    Reminder.objects.create(
        recipient=director, kind="plan", occasion="plan due in 10 days", inspection=ilacs,
        scheduled_for=dt.date(2024, 5, 28),
    )  # fmt: skip
    subscription = apps.get_model("webhooks", "Subscription").objects.create(
        name="Board tracker", url="https://example.org/hook", secret="s", event_types=[],
        owner=director, organisation=council,
    )  # fmt: skip
    delivery = apps.get_model("webhooks", "Delivery").objects.create(
        subscription=subscription, action=first, event_id=uuid.uuid4(),
        event_type="action.updated", payload="{}", status="delivered", attempts=1,
        delivered_at=dt.datetime(2024, 5, 1, tzinfo=UTC),
    )  # fmt: skip
    apps.get_model("webhooks", "DeliveryAttempt").objects.create(
        delivery=delivery, number=1, started_at=dt.datetime(2024, 5, 1, tzinfo=UTC),
        duration_ms=12, response_status=200,
    )  # fmt: skip
    get("RagSnapshot").objects.create(inspection=ilacs, date=dt.date(2024, 5, 1), red=1, green=2)
    get("PlanSummary").objects.create(inspection=ilacs, actions=3, red=1, closed=1)
    Version = apps.get_model("documents", "DocumentVersion")
    submitted = Version.objects.create(
        inspection=ilacs, kind="submission", format="docx", status="ready", snapshot={"a": 1},
        download_name="plan.docx", submitted_by=director,
        submitted_at=dt.datetime(2024, 6, 1, 9, tzinfo=UTC),
    )  # fmt: skip
    draft = Version.objects.create(
        inspection=visit, kind="progress", format="pdf", status="ready", snapshot={},
        download_name="progress.pdf",
    )  # fmt: skip
    return {
        "inspections": {"ilacs": ilacs.pk, "visit": visit.pk, "elsewhere": elsewhere.pk},
        "items": {key: item.pk for key, item in items.items()},
        "actions": {key: a.pk for key, a in actions.items()},
        "answers": {key: a.recommendation_id for key, a in actions.items()},
        "children": {
            "measure": (measure.pk, first.pk),
            "reminder_action": first.pk,
            "delivery": (delivery.pk, first.pk),
        },
        "versions": {"submitted": submitted.pk, "draft": draft.pk},
    }


def test_every_record_is_kept_and_points_at_its_plan(before_plans):
    old = before_plans
    made = old_records(old)
    # And a small generated database, written as the large run writes it (below).
    bulk_old_records(old, actions=500, per_plan=50)
    before = counts(old)

    migrate(latest())

    new = applied_state()
    assert counts(new) == before
    Plan = new.get_model("plans", "Plan")
    Inspection = new.get_model("inspections", "Inspection")
    Action = new.get_model("actions", "Action")
    # One plan per inspection, of the inspection's council, submitted if it was.
    plans = {key: Inspection.objects.get(pk=pk).plan for key, pk in made["inspections"].items()}
    assert len({plan.pk for plan in plans.values()}) == 3
    assert Plan.objects.count() == 3 + 10
    check_bulk(new)
    for key, pk in made["inspections"].items():
        assert plans[key].local_authority_id == Inspection.objects.get(pk=pk).local_authority_id
    assert plans["ilacs"].status == "submitted"
    assert plans["visit"].status == "draft"
    assert Inspection.objects.get(pk=made["inspections"]["ilacs"]).plan_due_date == dt.date(
        2024, 6, 7
    )
    # Each action belongs to the plan of its inspection and answers its old recommendation.
    for key, pk in made["actions"].items():
        action = Action.objects.get(pk=pk)
        answered = list(action.recommendations.values_list("pk", flat=True))
        assert answered == [made["answers"][key]], key
        item_inspection = (
            new.get_model("inspections", "Recommendation").objects.get(pk=answered[0]).inspection
        )
        assert action.plan_id == item_inspection.plan_id, key
    ids = made["actions"]
    supervision = Action.objects.get(pk=ids["supervision"])
    assert (supervision.status, supervision.version, supervision.owner.username) == (
        "in_progress",
        3,
        "old-owner",
    )
    in_order = list(
        Action.objects.filter(plan=plans["ilacs"]).order_by("order").values_list("pk", flat=True)
    )
    assert in_order == [ids["recording"], ids["supervision"], ids["supervision again"]]
    # What hangs off an action still hangs off the same action.
    measure_pk, action_pk = made["children"]["measure"]
    Measure = new.get_model("actions", "Measure")
    assert Measure.objects.get(pk=measure_pk).action_id == action_pk
    assert (
        new.get_model("actions", "MeasureReading").objects.filter(measure_id=measure_pk).count()
        == 2
    )
    for name in ("Evidence", "ProgressUpdate", "DueDateChange"):
        assert new.get_model("actions", name).objects.filter(action_id=action_pk).count() == 1
    delivery_pk, delivery_action = made["children"]["delivery"]
    assert (
        new.get_model("webhooks", "Delivery").objects.get(pk=delivery_pk).action_id
        == delivery_action
    )
    Reminder = new.get_model("reminders", "Reminder")
    assert Reminder.objects.get(action_id=action_pk).inspection_id is None
    assert Reminder.objects.get(inspection_id=made["inspections"]["ilacs"]).action_id is None
    audit = new.get_model("core", "AuditEntry").objects.get(verb="move_due_date")
    assert (audit.object_type, audit.object_id) == ("actions.action", str(action_pk))
    # The plan's counts and history moved to the plan.
    snapshot = new.get_model("actions", "RagSnapshot").objects.get()
    assert (snapshot.plan_id, snapshot.red, snapshot.green) == (plans["ilacs"].pk, 1, 2)
    summary = new.get_model("actions", "PlanSummary").objects.get(plan=plans["ilacs"])
    assert (summary.actions, summary.closed) == (3, 1)
    # Documents keep their plan and the source they answer; a submitted one stays locked.
    Version = new.get_model("documents", "DocumentVersion")
    submitted = Version.objects.get(pk=made["versions"]["submitted"])
    assert (submitted.plan_id, submitted.inspection_id) == (
        plans["ilacs"].pk,
        made["inspections"]["ilacs"],
    )
    assert submitted.submitted_at == dt.datetime(2024, 6, 1, 9, tzinfo=UTC)
    assert submitted.snapshot == {"a": 1}
    draft = Version.objects.get(pk=made["versions"]["draft"])
    assert (draft.plan_id, draft.inspection_id) == (plans["visit"].pk, made["inspections"]["visit"])
    with pytest.raises(DatabaseError, match="submitted document version"), transaction.atomic():
        models.QuerySet(Version).filter(pk=submitted.pk).update(download_name="changed.docx")
    with pytest.raises(DatabaseError, match="submitted document version"), transaction.atomic():
        models.QuerySet(Version).filter(pk=submitted.pk).delete()


def bulk_old_records(apps, *, actions: int, per_plan: int = 100, batch: int = 5000) -> None:
    """`actions` actions at the old state, written in bulk: one inspection of ten
    recommendations per `per_plan` actions, each action with a measure, two readings, a
    progress update and an audit entry, and one in ten with evidence."""
    Organisation = apps.get_model("core", "Organisation")
    Inspection = apps.get_model("inspections", "Inspection")
    Recommendation = apps.get_model("inspections", "Recommendation")
    get = lambda name: apps.get_model("actions", name)  # noqa: E731
    n_inspections = max(1, actions // per_plan)
    councils = Organisation.objects.bulk_create(
        Organisation(name=f"Scale council {n}", kind="local_authority")
        for n in range(max(1, n_inspections // 5))
    )
    inspections = Inspection.objects.bulk_create(
        (
            Inspection(local_authority=councils[n % len(councils)], inspection_type="ilacs")
            for n in range(n_inspections)
        ),
        batch_size=batch,
    )
    items = Recommendation.objects.bulk_create(
        (
            Recommendation(inspection=inspection, text=f"Improve {n}.", timescale="none", order=n)
            for inspection in inspections
            for n in range(10)
        ),
        batch_size=batch,
    )
    created = get("Action").objects.bulk_create(
        (
            get("Action")(
                recommendation=items[(n // per_plan) * 10 + n % 10],
                title=f"Action {n}",
                due_date=dt.date(2025, 1, 1),
                order=n,
            )
            for n in range(actions)
        ),
        batch_size=batch,
    )
    measures = get("Measure").objects.bulk_create(
        (
            get("Measure")(action=a, name="Visits", baseline=50, target=80, direction="higher")
            for a in created
        ),
        batch_size=batch,
    )
    get("MeasureReading").objects.bulk_create(
        (
            get("MeasureReading")(measure=m, date=dt.date(2024, month, 1), value=60)
            for m in measures
            for month in (1, 2)
        ),
        batch_size=batch,
    )
    get("ProgressUpdate").objects.bulk_create(
        (get("ProgressUpdate")(action=a, text="Under way.") for a in created), batch_size=batch
    )
    get("Evidence").objects.bulk_create(
        (get("Evidence")(action=a, link="https://example.org/e") for a in created[::10]),
        batch_size=batch,
    )
    apps.get_model("core", "AuditEntry").objects.bulk_create(
        (
            apps.get_model("core", "AuditEntry")(
                verb="draft", object_type="actions.action", object_id=str(a.pk)
            )
            for a in created
        ),
        batch_size=batch,
    )
    get("PlanSummary").objects.bulk_create(
        (get("PlanSummary")(inspection=i, actions=per_plan) for i in inspections),
        batch_size=batch,
    )


def check_bulk(apps) -> None:
    """Every action answers its old recommendation and belongs to its inspection's plan."""
    Action = apps.get_model("actions", "Action")
    Answers = Action.recommendations.through
    assert Answers.objects.count() == Action.objects.count()
    wrong_plan = Answers.objects.exclude(
        action__plan_id=models.F("recommendation__inspection__plan_id")
    )
    assert not wrong_plan.exists()
    assert not Action.objects.filter(plan__isnull=True).exists()


@pytest.mark.skipif(SCALE < 1000, reason="set MIGRATION_SCALE=100000 to run the large migration")
def test_a_database_of_100000_actions_migrates_whole(before_plans, capsys):
    started = time.perf_counter()
    bulk_old_records(before_plans, actions=SCALE)
    written = time.perf_counter() - started
    before = counts(before_plans)

    seconds = migrate(latest())

    new = applied_state()
    assert counts(new) == before
    assert new.get_model("actions", "Action").objects.count() == SCALE
    check_bulk(new)
    with capsys.disabled():
        print(
            f"\nmigration_s[{SCALE} actions]: {seconds:.1f} "
            f"(writing the old rows: {written:.1f} s; rows: {before})"
        )
