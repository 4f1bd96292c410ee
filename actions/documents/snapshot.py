"""One plain, JSON-safe picture of a plan: every document is rendered from it.

Word, PDF, the printable page, version comparison and the readiness check all read the
same dictionary, so they cannot disagree about order or content. It is stored with each
generated version, which is what lets two versions be compared later. Dates are ISO
strings, numbers decimal strings; `formatting` turns them into words.

The plan is read in a fixed number of queries whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from actions.models import Action, DueDateChange, Evidence, Measure, Rag
from core.models import User
from inspections.models import Inspection, Recommendation

from . import readiness

SCHEMA = 1


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value.isoformat()


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {
        "id": user.pk,
        "name": str(user),
        "email": user.email,
        "job_title": user.job_title,
    }


def travel(direction: str, new: Decimal, old: Decimal) -> str:
    """Improving, worsening or no change, given which way is better for the measure."""
    if new == old:
        return "no change"
    better = new > old if direction == Measure.Direction.HIGHER else new < old
    return "improving" if better else "worsening"


def _measure(measure: Measure, ref: str) -> dict[str, Any]:
    readings = sorted(measure.readings.all(), key=lambda r: (r.date, r.pk))
    latest = readings[-1] if readings else None
    previous = readings[-2] if len(readings) > 1 else None
    return {
        "id": measure.pk,
        "ref": ref,
        "name": measure.name,
        "unit": measure.unit,
        "baseline": _dec(measure.baseline),
        "baseline_date": _iso(measure.baseline_date),
        "target": _dec(measure.target),
        "direction": measure.direction,
        "direction_label": measure.get_direction_display(),
        "readings": [
            {"date": _iso(r.date), "value": _dec(r.value), "note": r.note} for r in readings
        ],
        "latest": {"date": _iso(latest.date), "value": _dec(latest.value)} if latest else None,
        "travel_vs_previous": (
            travel(measure.direction, latest.value, previous.value) if previous else None
        ),
        "travel_vs_baseline": (
            travel(measure.direction, latest.value, measure.baseline) if latest else None
        ),
        "target_met": bool(latest and measure.meets_target(latest.value)),
    }


def _evidence(item: Evidence) -> dict[str, Any]:
    return {
        "id": item.pk,
        "description": item.description,
        "file_name": item.original_filename if item.file else "",
        "link": item.link,
        "added_on": _iso(item.added_at),
        "added_by": str(item.added_by) if item.added_by else "",
    }


def _action(action: Action, ref: str) -> dict[str, Any]:
    measures = list(action.measures.all())
    return {
        "id": action.pk,
        "ref": ref,
        "url": action.get_absolute_url(),
        "title": action.title,
        "description": action.description,
        "owner": person(action.owner),
        "organisation": action.organisation.name if action.organisation else "",
        "due_date": _iso(action.due_date),
        "status": action.status,
        "status_label": action.get_status_display(),
        "rag": action.shown_rag,
        "rag_label": Rag(action.shown_rag).label,
        "rag_reason": action.rag_override_reason or action.rag_reason,
        "expected_outcome": action.expected_outcome,
        "resources": action.resources,
        "risks": action.risks,
        "completed_on": _iso(action.completed_at),
        "signed_off_on": _iso(action.signed_off_at),
        "measures": [_measure(m, f"{ref}.{i}") for i, m in enumerate(measures, 1)],
        "evidence": [_evidence(e) for e in action.evidence.all()],
        "due_date_changes": [
            {
                "old_date": _iso(c.old_date),
                "new_date": _iso(c.new_date),
                "reason": c.reason,
                "changed_on": _iso(c.changed_at),
                "changed_by": str(c.changed_by) if c.changed_by else "",
            }
            for c in action.due_date_changes.all()
        ],
    }


def _recommendation(rec: Recommendation, ref: str) -> dict[str, Any]:
    return {
        "id": rec.pk,
        "ref": ref,
        "url": rec.get_absolute_url(),
        "order": rec.order,
        "number": rec.number,
        "section": rec.section,
        "timescale": rec.timescale,
        "timescale_label": rec.get_timescale_display(),
        "addressee": rec.addressee,
        "priority": rec.priority,
        "text": rec.text,
        "actions": [_action(a, f"{ref}.{i}") for i, a in enumerate(rec.actions.all(), 1)],
    }


def plan_queryset(inspection: Inspection) -> QuerySet[Recommendation]:
    """Recommendations in report order with everything a document shows, prefetched."""
    actions = Action.objects.select_related("owner", "organisation").order_by("order", "id")
    return (
        Recommendation.objects.filter(inspection=inspection)
        .order_by("order", "id")
        .prefetch_related(
            Prefetch("actions", queryset=actions),
            "actions__measures__readings",
            Prefetch(
                "actions__evidence",
                queryset=Evidence.objects.filter(returned_at__isnull=True).select_related(
                    "added_by"
                ),
            ),
            Prefetch(
                "actions__due_date_changes",
                queryset=DueDateChange.objects.select_related("changed_by"),
            ),
        )
    )


def inspection_facts(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "title": inspection.title or str(inspection),
        "authority": inspection.local_authority.name,
        "type": inspection.inspection_type,
        "type_label": inspection.get_inspection_type_display(),
        "inspection_start": _iso(inspection.inspection_start),
        "inspection_end": _iso(inspection.inspection_end),
        "publication_date": _iso(inspection.publication_date),
        "received_date": _iso(inspection.received_date),
        "lead_inspector": inspection.lead_inspector,
        "plan_due_date": _iso(inspection.plan_due_date),
        "plan_due_basis": inspection.plan_due_basis,
        "plan_due_basis_label": inspection.get_plan_due_basis_display(),
        "plan_due_override_reason": inspection.plan_due_override_reason,
        "url": inspection.get_absolute_url(),
    }


def build_plan_snapshot(
    inspection: Inspection,
    *,
    sign_off: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The whole submission as plain data, recommendations in report order.

    `sign_off` is {"name", "job_title", "date"} of the director signing the plan.
    """
    inspection = Inspection.objects.select_related("local_authority").get(pk=inspection.pk)
    recommendations = [
        _recommendation(rec, str(i)) for i, rec in enumerate(plan_queryset(inspection), 1)
    ]
    snapshot = {
        "schema": SCHEMA,
        "kind": "submission",
        "data_as_at": (today or timezone.localdate()).isoformat(),
        "inspection": inspection_facts(inspection),
        "judgements": [
            {
                "area": j.area,
                "section": j.section,
                "grade_text": j.grade_text,
                "grade": j.grade,
                "grade_label": j.get_grade_display() if j.grade else "",
            }
            for j in inspection.judgements.all()
        ],
        "sign_off": sign_off,
        "recommendations": recommendations,
    }
    snapshot["readiness"] = readiness.check(snapshot)
    return snapshot


def sign_off_for(user: User | None, on: dt.date | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {
        "name": str(user),
        "job_title": user.job_title,
        "date": (on or timezone.localdate()).isoformat(),
    }


def groups(snapshot: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Recommendations in report order, grouped where section and timescale run together.

    Report order wins over grouping: a section that comes back later starts a new group.
    """
    current: dict[str, Any] | None = None
    for rec in snapshot["recommendations"]:
        key = (rec["section"], rec["timescale"])
        if current is None or current["key"] != key:
            if current is not None:
                yield current
            current = {
                "key": key,
                "section": rec["section"],
                "timescale": rec["timescale"],
                "timescale_label": rec["timescale_label"],
                "recommendations": [],
            }
        current["recommendations"].append(rec)
    if current is not None:
        yield current


def all_actions(snapshot: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for rec in snapshot["recommendations"]:
        yield from rec["actions"]


def action_count(snapshot: dict[str, Any]) -> int:
    return sum(len(rec["actions"]) for rec in snapshot["recommendations"])


def iter_recommendation_chunks(
    inspection: Inspection, batch_size: int = 50
) -> Iterator[dict[str, Any]]:
    """The plan's recommendations, a batch at a time, numbered as in the whole snapshot.

    For streamed exports: memory stays flat however large the plan.
    """
    ids = list(
        Recommendation.objects.filter(inspection=inspection)
        .order_by("order", "id")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch_size):
        batch = plan_queryset(inspection).filter(pk__in=ids[start : start + batch_size])
        yield {
            "recommendations": [
                _recommendation(rec, str(start + i)) for i, rec in enumerate(batch, 1)
            ]
        }
