"""The progress report of a plan for cabinet, scrutiny and the improvement board over a
period, as plain data: the whole plan or one theme.

Derived from a plan snapshot, so references ("2.1": theme 2, its first action) match the
tracker's. The plan by theme: each theme's actions, the items (of which source) each
answers and the wider areas; what changed in the period: actions completed, actions that
slipped (became overdue), due dates moved and why; then the RAG summary, measures
against targets and what is overdue at the end of the period.

Read from the plan itself, beside the snapshot: each report's plan submission to Ofsted
(plans.selectors.with_submissions, in the plan-wide report only: a submission answers a
report, not a theme) and the items an officer confirmed Ofsted raised again, with whether
the actions that answered them before were closed (repeat_links.closed_answers).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from actions.models import Action, Rag, Status
from core.deadlines import working_days_between
from inspections import repeat_links
from inspections.models import Recommendation, RecommendationRepeat, RepeatStatus
from plans.models import Plan, Theme
from plans.selectors import oldest_report_first, sources_of, with_submissions

from .snapshot import _iso, all_actions, build_plan_snapshot, travel

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
    snapshot = build_plan_snapshot(plan, theme=theme, today=today)
    report = progress_from_plan(snapshot, start=start, end=end, today=today)
    as_at = _d(report["period"]["as_at"])
    report["submissions"] = None if theme is not None else submissions(plan, snapshot, as_at)
    report["repeats"] = raised_again(plan, snapshot)
    return report


def submissions(plan: Plan, snapshot: dict[str, Any], as_at: dt.date) -> list[dict[str, Any]]:
    """Each source's plan submission at `as_at`, in the plan's order of sources: one in
    hand (plans.selectors.submission_in_hand), with its working days left (below 0:
    overdue), or one made. A report that asks for no plan and states no date is left out."""
    refs = {source["id"]: source["ref"] for source in snapshot["sources"]}
    return [
        {
            "source_id": source.pk,
            "ref": refs.get(source.pk, ""),
            "label": source.kind_and_year,
            "plan_due_date": _iso(source.plan_due_date),
            "no_plan_due_words": source.no_plan_due_words,
            "submitted_on": _iso(source.plan_submitted_at),
            "working_days_left": source.working_days_left,
        }
        for source in with_submissions(sources_of(plan), as_at)
        # submitted or in hand, a report owes a submission when it asks for a plan or
        # has a date (plans.selectors.submission_in_hand, whatever its submitted date)
        if source.plan_due_date is not None or source.asks_for_a_plan
    ]


def raised_again(plan: Plan, snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The confirmed repeats among the plan's items (of a theme's report: the items its
    actions answer), the later item first in the plan's order, each with the earlier
    item and whether the actions that answered it were all closed: then the impact did
    not last (plans.selectors.IMPACT_DID_NOT_LAST)."""
    items = {item["id"]: item for source in snapshot["sources"] for item in source["items"]}
    if snapshot.get("theme"):
        wanted = {i["id"] for t in snapshot["themes"] for a in t["actions"] for i in a["answers"]}
    else:
        wanted = set(items)
    links = (
        RecommendationRepeat.objects.filter(
            recommendation__inspection__plan=plan, status=RepeatStatus.CONFIRMED
        )
        .select_related("recommendation__inspection", "earlier__inspection")
        .prefetch_related(
            Prefetch("earlier__actions", queryset=Action.objects.only("pk", "status"))
        )
        .order_by(
            *oldest_report_first("recommendation__inspection__"),
            "recommendation__order",
            *oldest_report_first("earlier__inspection__"),
            "earlier__order",
            "pk",
        )
    )
    return [
        {
            "id": link.pk,
            "item": _item(link.recommendation, items),
            "earlier": _item(link.earlier, items),
            "earlier_actions": len(link.earlier.actions.all()),
            "impact_lasted": not repeat_links.closed_answers(link.earlier),
        }
        for link in links
        if link.recommendation_id in wanted
    ]


def _item(rec: Recommendation, items: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """An item as the report names it: its reference when it is one of the plan's
    ("S2.1"), its report by kind and year, its paragraph number and its words."""
    return {
        "id": rec.pk,
        "ref": items[rec.pk]["ref"] if rec.pk in items else "",
        "source": rec.inspection.kind_and_year,
        "paragraph": rec.number,
        "text": rec.text,
    }
