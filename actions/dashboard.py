"""What the dashboard shows, in a fixed number of queries whatever the size of the database.

Plans are listed a page at a time (PLANS_PER_PAGE, what needs attention first), each with
counts read from its PlanSummary row (kept exact by actions.plan_summaries) rather than
counted from its actions. A council's director sees one page, as before. Someone who
sees every plan in a national service pages through them, reading the summaries and RAG
history of one page and totals summed over one summary row a plan, so the cost no longer
follows the number of actions. One count still does: the overdue actions, read from the
index on status and due date, one entry per overdue action the person can see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from core.deadlines import add_working_days, working_days_between
from core.models import User
from inspections.models import Inspection, Recommendation
from plans.visibility import plans_seen_by

from . import charts
from .models import OPEN_STATUSES, PlanSummary, Rag, RagSnapshot, Status
from .selectors import actions_seen_by

DUE_SOON_WORKING_DAYS = 10
LIST_LENGTH = 10
PLANS_PER_PAGE = 10
SNAPSHOT_WEEKS = 12
# A plan whose submission is overdue by up to this long is still work in hand; older
# unsubmitted deadlines belong to reports held as history.
IN_HAND_AFTER_DEADLINE = dt.timedelta(days=90)
MEASURE_KEYS = ["on_target", "off_target", "no_reading"]
TOTAL_KEYS = ["actions", "red", "amber"]


def rag_history(inspection_ids: list[int], today: dt.date) -> dict[int, list[RagSnapshot]]:
    since = today - dt.timedelta(weeks=SNAPSHOT_WEEKS)
    history: dict[int, list[RagSnapshot]] = {}
    snapshots = RagSnapshot.objects.filter(inspection__in=inspection_ids, date__gte=since)
    for snapshot in snapshots.order_by("inspection_id", "date"):
        history.setdefault(snapshot.inspection_id, []).append(snapshot)
    return history


def plans_page(user: User, page_number: str | int | None, today: dt.date) -> Page:
    """One page of the plans the user sees, what needs attention first, with summaries.

    First the plans in hand — not yet submitted, with the deadline ahead, just passed or
    not yet known (the officer must enter the date the report was received) — nearest
    deadline first, unknown ones at the top. Then every other plan, newest report first.
    """
    recommendations = (
        Recommendation.objects.filter(inspection=OuterRef("pk"))
        .order_by()
        .values("inspection")
        .annotate(count=Count("pk"))
        .values("count")
    )
    in_hand = Q(plan_submitted_at__isnull=True) & (
        Q(plan_due_date__isnull=True) | Q(plan_due_date__gte=today - IN_HAND_AFTER_DEADLINE)
    )
    plans = (
        plans_seen_by(user)
        .select_related("local_authority", "summary")
        .annotate(
            recommendation_count=Coalesce(Subquery(recommendations), Value(0)),
            later=Case(When(in_hand, then=Value(0)), default=Value(1)),
            deadline_in_hand=Case(When(in_hand, then=F("plan_due_date")), default=None),
            reported=Coalesce("received_date", "publication_date", "inspection_end"),
        )
        .order_by(
            "later",
            F("deadline_in_hand").asc(nulls_first=True),
            F("reported").desc(nulls_last=True),
            "-pk",
        )
    )
    return Paginator(plans, PLANS_PER_PAGE).get_page(page_number)


def plan_totals(user: User) -> dict[str, int]:
    """Recommendations, actions, red and amber over every plan the user sees, summed over
    one summary row a plan (and the recommendations, a dozen or so a plan)."""
    plans = plans_seen_by(user)
    totals = PlanSummary.objects.filter(inspection__in=plans).aggregate(
        **{key: Coalesce(Sum(key), Value(0)) for key in TOTAL_KEYS}
    )
    totals["recommendations"] = Recommendation.objects.filter(inspection__in=plans).count()
    return totals


def _describe(inspection: Inspection, history: list[RagSnapshot], today: dt.date) -> None:
    """Attach what the template shows for one plan."""
    # A plan has no summary row until its first action: nothing to count yet.
    summary = getattr(inspection, "summary", None) or PlanSummary(inspection=inspection)
    inspection.action_count = summary.actions
    inspection.rag_red, inspection.rag_amber = summary.red, summary.amber
    inspection.rag_summary = [(rag, label, getattr(summary, rag)) for rag, label in Rag.choices]
    inspection.status_summary = [
        (label, getattr(summary, status)) for status, label in Status.choices
    ]
    measures = {key: getattr(summary, key) for key in MEASURE_KEYS}
    inspection.measure_counts = [(key.replace("_", " "), measures[key]) for key in MEASURE_KEYS]
    inspection.measure_chart = (
        charts.stacked_row(measures, MEASURE_KEYS) if any(measures.values()) else None
    )
    inspection.rag_history = history
    inspection.rag_chart = (
        charts.stacked_columns(
            [(f"{s.date:%-d %b}", {r: getattr(s, r) for r in Rag.values}) for s in history],
            list(Rag.values),
        )
        if history
        else None
    )
    due = inspection.plan_due_date
    inspection.plan_working_days_left = (
        working_days_between(today, due) if due and not inspection.plan_submitted_at else None
    )


def dashboard_context(user: User, today: dt.date, page_number: str | None = None) -> dict[str, Any]:
    """Plans and actions the user can see (see actions.permissions)."""
    page = plans_page(user, page_number, today)
    inspections = list(page.object_list)
    history = rag_history([inspection.pk for inspection in inspections], today)
    for inspection in inspections:
        _describe(inspection, history.get(inspection.pk, []), today)
    # The open statuses listed, not the others excluded: the count can then use the
    # index on status and due date.
    actions = actions_seen_by(user)
    overdue = actions.overdue(today)
    soon_limit = add_working_days(today, DUE_SOON_WORKING_DAYS)
    due_soon = actions.filter(
        status__in=OPEN_STATUSES, due_date__gte=today, due_date__lte=soon_limit
    )
    return {
        "today": today,
        "inspections": inspections,
        "plans_page": page,
        "totals": plan_totals(user) if page.paginator.count > 1 else None,
        "overdue": list(overdue.for_listing().order_by("due_date", "id")[:LIST_LENGTH]),
        "overdue_total": overdue.count(),
        "due_soon": list(due_soon.for_listing().order_by("due_date", "id")[:LIST_LENGTH]),
        "due_soon_limit": soon_limit,
    }
