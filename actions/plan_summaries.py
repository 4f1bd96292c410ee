"""Per-plan counts for the dashboard, kept exact in the transaction of every change.

Why stored and not counted per view: someone who sees every plan (a hosted service's
administrator) would otherwise count every action, measure and latest reading in the
database on each view, which grows with the country, not with the page.

Why recomputed and not incremented: `refresh` counts one plan again from its rows. That
costs a few queries over the plan's own rows (milliseconds for a plan of a hundred
actions, about a tenth of a second for one of ten thousand), but it cannot drift:
whatever happened before, the row is right after any refresh. And it is safe under
concurrency: it locks the plan's row first, then counts in a new statement, so under
PostgreSQL's READ COMMITTED it sees every change committed by a writer that refreshed
before it; a writer still in flight refreshes after it, because it must wait for the
same lock. (Under REPEATABLE READ the count would use the
transaction's first snapshot: keep Django's default isolation level.)

Who calls it, in the same transaction as the change: every service that changes an
action, a measure or a reading (actions.services), the RAG refresh of one action
(actions.tasks) and bulk generation; the admin only reads plan data. The nightly RAG
refresh recounts every plan, which also repairs a change made behind the application's
back (a database console).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery

from plans.models import Plan

from .models import Action, Measure, MeasureReading, PlanSummary, Status
from .rag import shown_rag_counts


def counts_for(plan_id: int) -> dict[str, int]:
    """The counts of one plan, from its rows (see PlanSummary): every action of the plan,
    whichever of its sources (or wider areas) it answers."""
    actions = Action.objects.in_plans([plan_id])
    counts = actions.aggregate(
        actions=Count("pk"),
        **shown_rag_counts(),
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
    )
    # One reading a measure a day, so the latest date picks the latest reading. Plain
    # values, not model instances: a plan of thousands of actions is counted on every
    # change to it.
    latest = MeasureReading.objects.filter(measure=OuterRef("pk")).order_by("-date")
    measures = (
        Measure.objects.filter(action__in=actions.values("pk"))
        .order_by()
        .annotate(latest=Subquery(latest.values("value")[:1]))
        .values_list("direction", "target", "latest")
    )
    counts.update(on_target=0, off_target=0, no_reading=0)
    for direction, target, value in measures:
        if value is None:
            counts["no_reading"] += 1
        elif Measure.target_met(direction, target, value):
            counts["on_target"] += 1
        else:
            counts["off_target"] += 1
    return counts


@transaction.atomic
def refresh(plan_id: int) -> PlanSummary:
    """Count one plan again and store it; call in the transaction of the change."""
    summary, _ = PlanSummary.objects.select_for_update().get_or_create(plan_id=plan_id)
    for name, value in counts_for(plan_id).items():
        setattr(summary, name, value)
    summary.save()
    return summary


def refresh_for(action: Action) -> PlanSummary:
    """Refresh the plan the action belongs to."""
    return refresh(action.plan_id)


def refresh_all() -> int:
    """Count every plan again, each in its own short transaction; returns how many."""
    plan_ids = list(Plan.objects.order_by("pk").values_list("pk", flat=True))
    for plan_id in plan_ids:
        refresh(plan_id)
    return len(plan_ids)
