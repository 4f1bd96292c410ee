"""The progress report of a plan for cabinet, scrutiny and the improvement board over a
period, as plain data: the whole plan or one theme.

Derived from a plan snapshot, so references ("2.1": theme 2, its first action) match the
tracker's. The plan by theme: each theme's actions, the items (of which source) each
answers and the wider areas; what changed in the period: actions completed, actions that
slipped (became overdue), due dates moved and why; then the RAG summary, measures
against targets and what is overdue at the end of the period.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils import timezone

from actions.models import Rag, Status
from core.deadlines import working_days_between
from plans.models import Plan, Theme

from .snapshot import all_actions, build_plan_snapshot, travel

OPEN = {Status.NOT_STARTED.value, Status.IN_PROGRESS.value}


def _d(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _brief(action: dict[str, Any]) -> dict[str, Any]:
    owner = action["owner"]
    return {
        "ref": action["ref"],
        "title": action["title"],
        "owner": owner["name"] if owner else "Not assigned",
        "organisation": action["organisation"],
        "due_date": action["due_date"],
        "status_label": action["status_label"],
        "rag": action["rag"],
        "rag_label": action["rag_label"],
    }


def _slipped(action: dict[str, Any], start: dt.date, end: dt.date) -> bool:
    """Became overdue in the period: the day after its due date fell inside it and it was
    not completed by its due date."""
    due = _d(action["due_date"])
    if due is None or not (start <= due + dt.timedelta(days=1) <= end):
        return False
    completed = _d(action["completed_on"])
    return completed is None or completed > due


def _measure(measure: dict[str, Any], action: dict[str, Any], start: dt.date, end: dt.date):
    readings = [r for r in measure["readings"] if _d(r["date"]) <= end]
    latest = readings[-1] if readings else None
    before = [r for r in readings if _d(r["date"]) < start]
    in_period = [r for r in readings if _d(r["date"]) >= start]
    direction = measure["direction"]
    change = None
    if latest and in_period:
        reference = Decimal(before[-1]["value"]) if before else Decimal(measure["baseline"])
        change = travel(direction, Decimal(latest["value"]), reference)
    met = False
    if latest:
        value, target = Decimal(latest["value"]), Decimal(measure["target"])
        met = value >= target if direction == "higher" else value <= target
    return {
        "ref": measure["ref"],
        "name": measure["name"],
        "action_ref": action["ref"],
        "action_title": action["title"],
        "unit": measure["unit"],
        "baseline": measure["baseline"],
        "target": measure["target"],
        "direction": direction,
        "direction_label": measure["direction_label"],
        "readings": readings,
        "readings_in_period": len(in_period),
        "latest": latest,
        "change_in_period": change,
        "travel_vs_baseline": (
            travel(direction, Decimal(latest["value"]), Decimal(measure["baseline"]))
            if latest
            else None
        ),
        "target_met": met,
    }


def progress_from_plan(
    plan: dict[str, Any], *, start: dt.date, end: dt.date, today: dt.date
) -> dict[str, Any]:
    """The report for [start, end] (both included) from a plan snapshot taken `today`."""
    as_at = min(end, today)
    actions = list(all_actions(plan))
    completed = [
        {**_brief(a), "completed_on": a["completed_on"]}
        for a in actions
        if a["completed_on"] and start <= _d(a["completed_on"]) <= end
    ]
    slipped = [_brief(a) for a in actions if _slipped(a, start, end)]
    moved = [
        {**_brief(a), **change}
        for a in actions
        for change in a["due_date_changes"]
        if start <= _d(change["changed_on"]) <= end
    ]
    overdue = sorted(
        (
            {**_brief(a), "working_days_overdue": working_days_between(_d(a["due_date"]), as_at)}
            for a in actions
            if a["status"] in OPEN and _d(a["due_date"]) < as_at
        ),
        key=lambda item: (item["due_date"], item["ref"]),
    )
    rag_counts = Counter(a["rag"] for a in actions)
    status_counts = Counter(a["status"] for a in actions)
    return {
        "schema": plan["schema"],
        "kind": "progress",
        "data_as_at": plan["data_as_at"],
        "period": {"start": start.isoformat(), "end": end.isoformat(), "as_at": as_at.isoformat()},
        "plan": plan["plan"],
        "theme": plan["theme"],
        "sources": [{k: v for k, v in s.items() if k != "items"} for s in plan["sources"]],
        "totals": {
            "recommendations": sum(len(s["items"]) for s in plan["sources"]),
            "sources": len(plan["sources"]),
            "wider_areas": len(plan["wider_areas"]),
            "actions": len(actions),
        },
        "themes": [
            {
                "ref": theme["ref"],
                "name": theme["name"],
                "actions": [
                    {
                        **_brief(a),
                        "answers": a["answers"],
                        "wider_area": a["wider_area"],
                        "rag_reason": a["rag_reason"],
                    }
                    for a in theme["actions"]
                ],
            }
            for theme in plan["themes"]
        ],
        "rag_summary": [
            {"rag": rag, "label": label, "count": rag_counts.get(rag, 0)}
            for rag, label in Rag.choices
        ],
        "status_summary": [
            {"status": status, "label": label, "count": status_counts.get(status, 0)}
            for status, label in Status.choices
        ],
        "completed": completed,
        "slipped": slipped,
        "moved": moved,
        "measures": [_measure(m, a, start, end) for a in actions for m in a["measures"]],
        "overdue": overdue,
    }


def build_progress_snapshot(
    plan: Plan,
    *,
    start: dt.date,
    end: dt.date,
    theme: Theme | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The plan's progress report (of one theme's actions, if given)."""
    today = today or timezone.localdate()
    plan = build_plan_snapshot(plan, theme=theme, today=today)
    return progress_from_plan(plan, start=start, end=end, today=today)
