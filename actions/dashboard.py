"""What the dashboard shows, read in a fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery

from core.deadlines import add_working_days, working_days_between
from core.models import User

from . import charts
from .models import OPEN_STATUSES, Measure, MeasureReading, Rag, RagSnapshot, Status
from .permissions import visible_inspections
from .selectors import actions_seen_by

DUE_SOON_WORKING_DAYS = 10
LIST_LENGTH = 10
SNAPSHOT_WEEKS = 12
MEASURE_KEYS = ["on_target", "off_target", "no_reading"]


def measure_summary(inspection_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per plan: measures whose latest reading meets the target, misses it, or has none."""
    latest = MeasureReading.objects.filter(measure=OuterRef("pk")).order_by("-date", "-pk")
    met = Q(direction="higher", latest__gte=F("target")) | Q(
        direction="lower", latest__lte=F("target")
    )
    rows = (
        Measure.objects.filter(action__recommendation__inspection__in=inspection_ids)
        .annotate(latest=Subquery(latest.values("value")[:1]))
        .values("action__recommendation__inspection")
        .order_by("action__recommendation__inspection")
        .annotate(
            on_target=Count("pk", filter=met),
            off_target=Count("pk", filter=Q(latest__isnull=False) & ~met),
            no_reading=Count("pk", filter=Q(latest__isnull=True)),
        )
    )
    return {row["action__recommendation__inspection"]: row for row in rows}


def rag_history(inspection_ids: list[int], today: dt.date) -> dict[int, list[RagSnapshot]]:
    since = today - dt.timedelta(weeks=SNAPSHOT_WEEKS)
    history: dict[int, list[RagSnapshot]] = {}
    snapshots = RagSnapshot.objects.filter(inspection__in=inspection_ids, date__gte=since)
    for snapshot in snapshots.order_by("inspection", "date"):
        history.setdefault(snapshot.inspection_id, []).append(snapshot)
    return history


def dashboard_context(user: User, today: dt.date) -> dict[str, Any]:
    """Plans and actions the user can see (see actions.permissions)."""
    rag_counts = {
        f"rag_{rag}": Count(
            "recommendations__actions",
            filter=Q(recommendations__actions__rag=rag, recommendations__actions__rag_override="")
            | Q(recommendations__actions__rag_override=rag),
        )
        for rag in Rag.values
    }
    status_counts = {
        f"status_{status}": Count(
            "recommendations__actions", filter=Q(recommendations__actions__status=status)
        )
        for status in Status.values
    }
    inspections = list(
        visible_inspections(user)
        .select_related("local_authority")
        .annotate(
            action_count=Count("recommendations__actions"),
            recommendation_count=Count("recommendations", distinct=True),
            **rag_counts,
            **status_counts,
        )
        .order_by("plan_due_date", "-publication_date")
    )
    ids = [inspection.pk for inspection in inspections]
    measures = measure_summary(ids)
    history = rag_history(ids, today)
    for inspection in inspections:
        counts = measures.get(inspection.pk, {})
        inspection.measure_counts = [(k.replace("_", " "), counts.get(k, 0)) for k in MEASURE_KEYS]
        inspection.measure_chart = charts.stacked_row(counts, MEASURE_KEYS) if counts else None
        inspection.rag_history = history.get(inspection.pk, [])
        inspection.rag_chart = (
            charts.stacked_columns(
                [
                    (f"{s.date:%-d %b}", {r: getattr(s, r) for r in Rag.values})
                    for s in inspection.rag_history
                ],
                list(Rag.values),
            )
            if inspection.rag_history
            else None
        )
        inspection.rag_summary = [
            (rag, label, getattr(inspection, f"rag_{rag}")) for rag, label in Rag.choices
        ]
        inspection.status_summary = [
            (label, getattr(inspection, f"status_{status}")) for status, label in Status.choices
        ]
        due = inspection.plan_due_date
        inspection.plan_working_days_left = (
            working_days_between(today, due) if due and not inspection.plan_submitted_at else None
        )
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
        "overdue": list(overdue.for_listing().order_by("due_date", "id")[:LIST_LENGTH]),
        "overdue_total": overdue.count(),
        "due_soon": list(due_soon.for_listing().order_by("due_date", "id")[:LIST_LENGTH]),
        "due_soon_limit": soon_limit,
    }
