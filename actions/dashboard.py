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
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from core.deadlines import add_working_days
from core.models import User
from inspections.models import Inspection, Recommendation, report_date
from plans.models import Plan
from plans.selectors import (
    answered_items,
    next_submissions,
    oldest_report_first,
    with_submissions,
)
from plans.visibility import plans_seen_by

from . import charts
from .models import Action, ActionQuerySet, PlanSummary, Rag, RagSnapshot, Status
from .selectors import actions_seen_by

DUE_SOON_WORKING_DAYS = 10
LIST_LENGTH = 10
PLANS_PER_PAGE = 10
SNAPSHOT_WEEKS = 12
MEASURE_KEYS = ["on_target", "off_target", "no_reading"]
TOTAL_KEYS = ["actions", "red", "amber"]


def rag_history(plan_ids: list[int], today: dt.date) -> dict[int, list[RagSnapshot]]:
    since = today - dt.timedelta(weeks=SNAPSHOT_WEEKS)
    history: dict[int, list[RagSnapshot]] = {}
    snapshots = RagSnapshot.objects.filter(plan__in=plan_ids, date__gte=since)
    for snapshot in snapshots.order_by("plan_id", "date"):
        history.setdefault(snapshot.plan_id, []).append(snapshot)
    return history


def plans_page(user: User, page_number: str | int | None, today: dt.date) -> Page:
    """One page of the plans the user sees, what needs attention first, with summaries.

    First the plans with a submission in hand (plans.selectors.submission_in_hand), by
    their next one (next_submissions): the earliest deadline first, overdue ones at the
    top, then those whose date is not yet known. Then every other plan, newest report
    first. Each plan carries `next_submission_id`, the source the page shows as its next.
    """
    recommendations = (
        Recommendation.objects.filter(inspection__plan=OuterRef("pk"))
        .order_by()
        .values("inspection__plan")
        .annotate(count=Count("pk"))
        .values("count")
    )
    sources = Inspection.objects.filter(plan=OuterRef("pk"))
    next_one = next_submissions(sources)
    newest = (
        sources.annotate(reported=report_date())
        .order_by(F("reported").desc(nulls_last=True))
        .values("reported")
    )
    plans = (
        plans_seen_by(user)
        .select_related("local_authority", "summary")
        .annotate(
            recommendation_count=Coalesce(Subquery(recommendations), Value(0)),
            next_submission_id=Subquery(next_one.values("pk")[:1]),
            next_deadline=Subquery(next_one.values("plan_due_date")[:1]),
            reported=Subquery(newest[:1]),
        )
        .annotate(
            later=Case(When(next_submission_id__isnull=True, then=Value(1)), default=Value(0))
        )
        .order_by(
            "later",
            F("next_deadline").asc(nulls_last=True),
            F("reported").desc(nulls_last=True),
            "-pk",
        )
    )
    return Paginator(plans, PLANS_PER_PAGE).get_page(page_number)


def plan_totals(user: User) -> dict[str, int]:
    """Recommendations, actions, red and amber over every plan the user sees, summed over
    one summary row a plan (and the recommendations, a dozen or so a source)."""
    plans = plans_seen_by(user)
    totals = PlanSummary.objects.filter(plan__in=plans).aggregate(
        **{key: Coalesce(Sum(key), Value(0)) for key in TOTAL_KEYS}
    )
    totals["recommendations"] = Recommendation.objects.filter(inspection__plan__in=plans).count()
    return totals


def sources_by_plan(plan_ids: list[int], today: dt.date) -> dict[int, list[Inspection]]:
    """The sources of these plans, oldest first, each with its submission
    (plans.selectors.with_submissions), read in one query."""
    found: dict[int, list[Inspection]] = {}
    sources = Inspection.objects.filter(plan__in=plan_ids).order_by(*oldest_report_first())
    for source in with_submissions(sources, today):
        found.setdefault(source.plan_id, []).append(source)
    return found


def _describe(plan: Plan, sources: list[Inspection], history: list[RagSnapshot]) -> None:
    """Attach what the template shows for one plan."""
    # A plan has no summary row until its first action: nothing to count yet.
    summary = getattr(plan, "summary", None) or PlanSummary(plan=plan)
    plan.action_count = summary.actions
    plan.rag_red, plan.rag_amber = summary.red, summary.amber
    plan.rag_summary = [(rag, label, getattr(summary, rag)) for rag, label in Rag.choices]
    plan.status_summary = [(label, getattr(summary, status)) for status, label in Status.choices]
    measures = {key: getattr(summary, key) for key in MEASURE_KEYS}
    plan.measure_counts = [(key.replace("_", " "), measures[key]) for key in MEASURE_KEYS]
    plan.measure_chart = (
        charts.stacked_row(measures, MEASURE_KEYS) if any(measures.values()) else None
    )
    plan.rag_history = history
    plan.rag_chart = (
        charts.stacked_columns(
            [(f"{s.date:%-d %b}", {r: getattr(s, r) for r in Rag.values}) for s in history],
            list(Rag.values),
        )
        if history
        else None
    )
    plan.source_list = sources
    # The source the plans' order put first (None: no submission in hand), and any other
    # overdue: an unsubmitted deadline stays in view until the plan is submitted.
    plan.next_submission = next((s for s in sources if s.pk == plan.next_submission_id), None)
    plan.also_overdue = [
        s for s in sources if s is not plan.next_submission and (s.working_days_left or 0) < 0
    ]


def _listed(actions: ActionQuerySet) -> list[Action]:
    """The first of these actions, soonest due first, with their plans."""
    return list(actions.for_listing().order_by("due_date", "id")[:LIST_LENGTH])


def dashboard_context(user: User, today: dt.date, page_number: str | None = None) -> dict[str, Any]:
    """Plans and actions the user can see (see plans.visibility)."""
    page = plans_page(user, page_number, today)
    plans = list(page.object_list)
    plan_ids = [plan.pk for plan in plans]
    history = rag_history(plan_ids, today)
    sources = sources_by_plan(plan_ids, today)
    for plan in plans:
        _describe(plan, sources.get(plan.pk, []), history.get(plan.pk, []))
    # The open statuses listed, not the others excluded: the count can then use the
    # index on status and due date.
    actions = actions_seen_by(user)
    overdue = actions.overdue(today)
    soon_limit = add_working_days(today, DUE_SOON_WORKING_DAYS)
    due_soon = actions.open().filter(due_date__gte=today, due_date__lte=soon_limit)
    overdue_list, due_soon_list = _listed(overdue), _listed(due_soon)
    # The items both lists answer, read at once.
    prefetch_related_objects(overdue_list + due_soon_list, answered_items())
    return {
        "today": today,
        "plans": plans,
        "plans_page": page,
        "totals": plan_totals(user) if page.paginator.count > 1 else None,
        "overdue": overdue_list,
        "overdue_total": overdue.count(),
        "due_soon": due_soon_list,
        "due_soon_limit": soon_limit,
    }
