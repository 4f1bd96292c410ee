"""Realistic volumes of plan data for benchmarks (bench/, `manage.py generate_demo_data`).

One improvement plan per council, fed by its main report and often a later letter (each
a source with its own submission), sometimes with an older report held as history; three
standard themes and two wider areas for improvement per plan. Actions belong to the plan
and answer one item, two items (from two sources where it has them) or a wider area only.
Distributions follow what councils' trackers look like: a few owners carry many
actions, most actions are on time but a tail is overdue, measures have monthly readings
going back up to three years. Everything is written with bulk inserts.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from actions import plan_summaries
from actions.models import Action, Evidence, Measure, MeasureReading, ProgressUpdate, Status
from actions.rag import MeasureSignal, derive_rag
from core.models import Organisation, User
from core.roles import Role
from inspections.models import Inspection, InspectionType, Recommendation, Timescale
from plans.models import AreaOrigin, Plan, PlanStatus, Theme, WiderArea
from plans.themes import standard_themes

BATCH = 5000
TYPES = [
    InspectionType.ILACS,
    InspectionType.SIF,
    InspectionType.FOCUSED_VISIT,
    InspectionType.JTAI,
    InspectionType.SEND_AREA,
]
# The letters that feed a plan after its main report.
LATER_TYPES = [InspectionType.FOCUSED_VISIT, InspectionType.MONITORING_VISIT]
PLAN_STATUSES = [
    PlanStatus.DRAFT,
    PlanStatus.SUBMITTED,
    PlanStatus.IN_DELIVERY,
    PlanStatus.CLOSED,
]
# What actions answer: a wider area only (one in ten), two items (one in five), else one.
WIDER_AREA_ONLY = 0.1
TWO_ITEMS = 0.2
STATUS_WEIGHTS = [
    (Status.NOT_STARTED, 15),
    (Status.IN_PROGRESS, 50),
    (Status.COMPLETE, 15),
    (Status.IMPACT_EVIDENCED, 8),
    (Status.CLOSED, 12),
]


def _owner_weights(n: int) -> list[float]:
    """Zipf-like: the first owners of a council carry most of its actions."""
    return [1 / (rank + 1) for rank in range(n)]


@transaction.atomic
def generate(*, councils: int, actions: int, seed: int = 1, today: dt.date | None = None) -> dict:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    password = make_password(None)  # unusable: generated people cannot sign in
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    run = f"{timezone.now():%Y%m%d%H%M%S}-{seed}"

    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Generated council {run}-{i}", kind=Organisation.Kind.LOCAL_AUTHORITY)
        for i in range(councils)
    )
    per_council = max(1, actions // councils)
    owners_per_council = max(3, min(60, per_council // 20))
    users = User.objects.bulk_create(
        User(
            username=f"gen-{run}-{c}-{u}",
            first_name="Officer",
            last_name=f"{c}-{u}",
            email=f"gen-{c}-{u}@example.org",
            organisation=org,
            password=password,
        )
        for c, org in enumerate(orgs)
        for u in range(owners_per_council + 2)
    )
    memberships = []
    for index, user in enumerate(users):
        slot = index % (owners_per_council + 2)
        role = (
            Role.DIRECTOR if slot == 0 else Role.POLICY_OFFICER if slot == 1 else Role.ACTION_OWNER
        )
        memberships.append(User.groups.through(user_id=user.pk, group_id=groups[role].pk))
    User.groups.through.objects.bulk_create(memberships, batch_size=BATCH)

    directors = {
        u.organisation_id: u for i, u in enumerate(users) if i % (owners_per_council + 2) == 0
    }
    plans = Plan.objects.bulk_create(
        Plan(
            local_authority=org,
            title=f"{org.name} improvement plan",
            status=rng.choices(PLAN_STATUSES, weights=[1, 1, 6, 1])[0],
            lead_director=directors[org.pk],
        )
        for org in orgs
    )
    # Each plan's sources: its main report and, for one plan in two, a later letter with
    # its own submission; one council in three also holds an older report as history.
    inspections, recommendations = [], []
    for plan in plans:
        published = today - dt.timedelta(days=rng.randint(60, 700))
        reports = [(plan, rng.choice(TYPES), published)]
        if rng.random() < 0.5:
            later = published + dt.timedelta(days=rng.randint(20, 50))
            reports.append((plan, rng.choice(LATER_TYPES), later))
        if rng.random() < 1 / 3:
            reports.append((None, InspectionType.SIF, published - dt.timedelta(days=1500)))
        for source_of, kind, date in reports:
            inspection = Inspection(
                local_authority_id=plan.local_authority_id,
                plan=source_of,
                inspection_type=kind,
                inspection_start=date - dt.timedelta(days=40),
                inspection_end=date - dt.timedelta(days=30),
                publication_date=date,
            )
            inspection.refresh_deadlines()
            inspections.append(inspection)
    Inspection.objects.bulk_create(inspections, batch_size=BATCH)
    for inspection in inspections:
        for order in range(rng.randint(6, 14) if inspection.plan_id else rng.randint(3, 8)):
            recommendations.append(
                Recommendation(
                    inspection=inspection,
                    section="What needs to improve",
                    order=order,
                    timescale=rng.choice(Timescale.values),
                    text=f"Generated recommendation {order + 1}: improve the quality of practice.",
                )
            )
    Recommendation.objects.bulk_create(recommendations, batch_size=BATCH)

    # Three of the national framework's themes per plan, and two wider areas for
    # improvement the council found itself.
    standard = standard_themes()
    themes = Theme.objects.bulk_create(
        Theme(
            plan=plan,
            name=theme.name,
            framework_kind=theme.kind,
            framework_number=theme.number,
            order=order,
        )
        for plan in plans
        for order, theme in enumerate(rng.sample(standard, 3), start=1)
    )
    themes_by_plan: dict[int, list[Theme]] = {}
    for theme in themes:
        themes_by_plan.setdefault(theme.plan_id, []).append(theme)
    areas = WiderArea.objects.bulk_create(
        WiderArea(
            plan=plan,
            text=f"Generated wider area {order}: children see the same social worker.",
            origin=rng.choice(AreaOrigin.values),
            theme=rng.choice(themes_by_plan[plan.pk]),
            order=order,
            created_by=directors[plan.local_authority_id],
        )
        for plan in plans
        for order in (1, 2)
    )
    areas_by_plan: dict[int, list[WiderArea]] = {}
    for area in areas:
        areas_by_plan.setdefault(area.plan_id, []).append(area)

    # The items each plan's actions may answer: those of its sources, by source.
    items_by_plan: dict[int, list[list[Recommendation]]] = {plan.pk: [] for plan in plans}
    by_inspection: dict[int, list[Recommendation]] = {}
    for rec in recommendations:
        by_inspection.setdefault(rec.inspection_id, []).append(rec)
    for inspection in inspections:
        if inspection.plan_id:
            items_by_plan[inspection.plan_id].append(by_inspection[inspection.pk])
    owners_by_org: dict[int, list[User]] = {}
    for index, user in enumerate(users):
        if index % (owners_per_council + 2) >= 2:
            owners_by_org.setdefault(user.organisation_id, []).append(user)

    statuses = [s for s, _ in STATUS_WEIGHTS]
    status_weights = [w for _, w in STATUS_WEIGHTS]
    new_actions: list[Action] = []
    answers: list[list[Recommendation]] = []
    details: list[tuple[Action, list[tuple[int, Decimal]], int, bool]] = []
    for number in range(actions):
        plan = plans[number % councils]
        wider_area, items = None, []
        roll = rng.random()
        if roll < WIDER_AREA_ONLY:
            wider_area = rng.choice(areas_by_plan[plan.pk])
        elif roll < WIDER_AREA_ONLY + TWO_ITEMS:
            # Two items, from two sources where the plan has them.
            sources = items_by_plan[plan.pk]
            first = rng.choice(sources[0])
            second = rng.choice([r for r in sources[-1] if r is not first])
            items = [first, second]
        else:
            items = [rng.choice(rng.choice(items_by_plan[plan.pk]))]
        theme = rng.choice(themes_by_plan[plan.pk]) if rng.random() < 0.6 else None
        owners = owners_by_org[plan.local_authority_id]
        owner = rng.choices(owners, weights=_owner_weights(len(owners)))[0]
        status = rng.choices(statuses, weights=status_weights)[0]
        # Most due dates lie ahead; an overdue tail of about one in eight.
        offset = int(rng.gauss(60, 90)) if rng.random() > 0.12 else -rng.randint(1, 120)
        # Monthly readings going back up to three years (at most a year of them stored).
        value, series = 55.0, []
        for month in range(min(rng.randint(1, 36), 12), 0, -1):
            value = max(0.0, min(100.0, value + rng.gauss(2, 4)))
            series.append((month, Decimal(f"{value:.1f}")))
        progress = rng.choice([0, 1, 1, 2, 3, 5])
        director = directors[plan.local_authority_id]
        action = Action(
            plan=plan,
            wider_area=wider_area,
            theme=theme or (wider_area.theme if wider_area else None),
            title=f"Generated action {number}",
            owner=owner,
            organisation_id=plan.local_authority_id,
            assigned_by=director,
            assigned_at=timezone.now(),
            due_date=today + dt.timedelta(days=offset),
            status=status,
            expected_outcome="Children are seen promptly by the right people.",
            order=number,
            signed_off_by=director if status == Status.CLOSED else None,
        )
        result = derive_rag(
            status=status,
            due_date=action.due_date,
            today=today,
            last_progress_on=today if progress else None,
            measures=[
                MeasureSignal("Visits on time", "higher", Decimal(55), Decimal(85), series[-1][1])
            ],
        )
        action.rag, action.rag_reason = result.rag, result.reason
        new_actions.append(action)
        answers.append(items)
        details.append((action, series, progress, rng.random() < 0.3))
    Action.objects.bulk_create(new_actions, batch_size=BATCH)
    answered = [
        Action.recommendations.through(action_id=action.pk, recommendation_id=item.pk)
        for action, items in zip(new_actions, answers, strict=True)
        for item in items
    ]
    Action.recommendations.through.objects.bulk_create(answered, batch_size=BATCH)

    measures = [
        Measure(
            action=action,
            name="Visits on time",
            unit="%",
            baseline=Decimal(55),
            target=Decimal(85),
            direction=Measure.Direction.HIGHER,
            baseline_date=today - dt.timedelta(days=30 * (len(series) + 1)),
        )
        for action, series, _, _ in details
    ]
    Measure.objects.bulk_create(measures, batch_size=BATCH)
    readings, updates, evidence = [], [], []
    for (action, series, progress, has_evidence), measure in zip(details, measures, strict=True):
        readings += [
            MeasureReading(measure=measure, value=value, date=today - dt.timedelta(days=30 * m))
            for m, value in series
        ]
        updates += [
            ProgressUpdate(action=action, author=action.owner, text=f"Progress note {n + 1}.")
            for n in range(progress)
        ]
        if has_evidence:
            evidence.append(
                Evidence(
                    action=action,
                    added_by=action.owner,
                    description="Audit summary",
                    link="https://intranet.example.org/audit",
                )
            )
    MeasureReading.objects.bulk_create(readings, batch_size=BATCH)
    ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)
    Evidence.objects.bulk_create(evidence, batch_size=BATCH)
    for plan in plans:  # bulk inserts bypass the services that keep these
        plan_summaries.refresh(plan.pk)
    return {
        "councils": councils,
        "users": len(users),
        "plans": len(plans),
        "sources": sum(1 for i in inspections if i.plan_id),
        "held_as_history": sum(1 for i in inspections if not i.plan_id),
        "recommendations": len(recommendations),
        "themes": len(themes),
        "wider_areas": len(areas),
        "actions": len(new_actions),
        "answers": len(answered),
        "measures": len(measures),
        "readings": len(readings),
        "progress": len(updates),
        "evidence": len(evidence),
    }
