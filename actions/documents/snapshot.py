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

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from actions.models import Action, DueDateChange, Evidence, Measure, Rag
from core.models import User
from inspections.models import Inspection, Recommendation
from plans.models import Plan, Theme
from plans.selectors import oldest_report_first

from . import readiness

SCHEMA = 2


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


def _answers(action: Action, items: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """The items (of which source) an action answers, in the plan's order of sources."""
    answered = [items[r.pk] for r in action.recommendations.all() if r.pk in items]
    return sorted(answered, key=lambda item: item["position"])


def _wider_area(action: Action, areas: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
    return areas.get(action.wider_area_id) if action.wider_area_id else None


def _action(
    action: Action, ref: str, items: dict[int, dict[str, Any]], areas: dict[int, dict[str, Any]]
) -> dict[str, Any]:
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
        "theme": action.theme.name if action.theme else "",
        "answers": _answers(action, items),
        "wider_area": _wider_area(action, areas),
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


def _recommendation(
    rec: Recommendation,
    ref: str,
    items: dict[int, dict[str, Any]],
    areas: dict[int, dict[str, Any]],
) -> dict[str, Any]:
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
        "actions": [
            _action(a, f"{ref}.{i}", items, areas) for i, a in enumerate(rec.actions.all(), 1)
        ],
    }


def _action_prefetches(prefix: str = "") -> list[Any]:
    """What every action in a document shows, prefetched under `prefix`."""
    return [
        f"{prefix}measures__readings",
        f"{prefix}recommendations",
        Prefetch(
            f"{prefix}evidence",
            queryset=Evidence.objects.filter(returned_at__isnull=True).select_related("added_by"),
        ),
        Prefetch(
            f"{prefix}due_date_changes",
            queryset=DueDateChange.objects.select_related("changed_by"),
        ),
    ]


def _actions_of(plan_id: int) -> QuerySet[Action]:
    return (
        Action.objects.filter(plan_id=plan_id)
        .select_related("owner", "organisation", "theme")
        .order_by("order", "id")
    )


def plan_queryset(source: Inspection) -> QuerySet[Recommendation]:
    """A source's recommendations in report order with the plan's actions answering each
    and everything a document shows about them, prefetched."""
    return (
        Recommendation.objects.filter(inspection=source)
        .order_by("order", "id")
        .prefetch_related(
            Prefetch("actions", queryset=_actions_of(source.plan_id)),
            *_action_prefetches("actions__"),
        )
    )


def plan_sources(plan: Plan) -> list[Inspection]:
    """A plan's sources in the order they came: the oldest report first."""
    return list(plan.sources.select_related("local_authority").order_by(*oldest_report_first()))


def items_and_areas(
    plan: Plan, sources: list[Inspection]
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """Every item of the plan's sources with its reference ("S2.3": the second source's
    third recommendation), and every wider area ("W1"), keyed by id."""
    refs = {s.pk: (i, f"S{i}", s.kind_and_year) for i, s in enumerate(sources, 1)}
    items: dict[int, dict[str, Any]] = {}
    counters: dict[int, int] = {}
    recs = Recommendation.objects.filter(inspection__plan=plan).order_by("order", "id")
    for rec in recs.only("pk", "inspection_id", "order", "number", "text"):
        position, source_ref, label = refs[rec.inspection_id]
        counters[rec.inspection_id] = counters.get(rec.inspection_id, 0) + 1
        n = counters[rec.inspection_id]
        items[rec.pk] = {
            "id": rec.pk,
            "ref": f"{source_ref}.{n}",
            "position": [position, n],
            "source_id": rec.inspection_id,
            "source": label,
            "number": n,
            "paragraph": rec.number,
            "text": rec.text,
        }
    areas = {
        area.pk: {
            "id": area.pk,
            "ref": f"W{i}",
            "text": area.text,
            "origin": area.origin,
            "origin_label": area.get_origin_display(),
            "origin_detail": area.origin_detail,
        }
        for i, area in enumerate(plan.wider_areas.order_by("order", "id"), 1)
    }
    return items, areas


def plan_facts(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "title": plan.title,
        "authority": plan.local_authority.name,
        "status": plan.status,
        "status_label": plan.get_status_display(),
        "lead_director": person(plan.lead_director),
        "url": plan.get_absolute_url(),
    }


def inspection_facts(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "title": inspection.title or str(inspection),
        "label": inspection.kind_and_year,
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
        "plan_due_basis_label": inspection.plan_due_basis_words,
        "no_plan_due_words": inspection.no_plan_due_words,
        "plan_due_override_reason": inspection.plan_due_override_reason,
        "plan_submitted_on": _iso(inspection.plan_submitted_at),
        "url": inspection.get_absolute_url(),
    }


def _plan(plan: Plan) -> Plan:
    return Plan.objects.select_related("local_authority", "lead_director").get(pk=plan.pk)


def build_submission_snapshot(
    plan: Plan,
    source: Inspection,
    *,
    sign_off: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """One source's submission as plain data: the source's items in report order, each
    with the plan's actions answering it (an action answering items of two sources
    appears in both submissions). `sign_off` is {"name", "job_title", "date"} of the
    director signing it."""
    plan = _plan(plan)
    source = Inspection.objects.select_related("local_authority").get(pk=source.pk)
    if source.plan_id != plan.pk:
        raise ValueError(f"Report {source.pk} is not a source of plan {plan.pk}.")
    items, areas = items_and_areas(plan, plan_sources(plan))
    recommendations = [
        _recommendation(rec, str(i), items, areas) for i, rec in enumerate(plan_queryset(source), 1)
    ]
    snapshot = {
        "schema": SCHEMA,
        "kind": "submission",
        "data_as_at": (today or timezone.localdate()).isoformat(),
        "plan": plan_facts(plan),
        "inspection": inspection_facts(source),
        "judgements": [
            {
                "area": j.area,
                "section": j.section,
                "grade_text": j.grade_text,
                "grade": j.grade,
                "grade_label": j.get_grade_display() if j.grade else "",
            }
            for j in source.judgements.all()
        ],
        "sign_off": sign_off,
        "recommendations": recommendations,
    }
    snapshot["readiness"] = readiness.check(snapshot)
    return snapshot


NO_THEME = "Not filed under a theme"


def build_plan_snapshot(
    plan: Plan, *, theme: Theme | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """The whole plan as plain data, as a board reads it: its themes in order, each with
    its actions (and what each answers: items of which source, or a wider area); actions
    filed under no theme come last. With `theme`, that theme's actions only, numbered as
    in the whole plan. Each action appears once."""
    if theme is not None and theme.plan_id != plan.pk:
        raise ValueError(f"Theme {theme.pk} is not one of plan {plan.pk}'s themes.")
    snapshot = _plan_snapshot(plan, None if theme is None else {theme.pk}, today)
    snapshot["theme"] = {"id": theme.pk, "name": theme.name} if theme is not None else None
    return snapshot


def _plan_snapshot(
    plan: Plan, selected: set[int | None] | None, today: dt.date | None
) -> dict[str, Any]:
    plan = _plan(plan)
    sources = plan_sources(plan)
    items, areas = items_and_areas(plan, sources)
    themes = list(plan.themes.order_by("order", "id"))
    actions = _actions_of(plan.pk)
    if selected is not None:
        ids = [t for t in selected if t is not None]
        wanted = Q(theme_id__in=ids) | (Q(theme__isnull=True) if None in selected else Q())
        actions = actions.filter(wanted) if ids or None in selected else actions.none()
    by_theme: dict[int | None, list[Action]] = {}
    for action in actions.prefetch_related(*_action_prefetches()):
        by_theme.setdefault(action.theme_id, []).append(action)
    groups_ = [(str(i), t.pk, t.name) for i, t in enumerate(themes, 1)]
    groups_.append((str(len(themes) + 1), None, NO_THEME))
    snapshot_themes = []
    for ref, theme_id, name in groups_:
        if selected is not None and theme_id not in selected:
            continue
        theme_actions = by_theme.get(theme_id, [])
        if theme_id is None and not theme_actions:
            continue
        snapshot_themes.append(
            {
                "id": theme_id,
                "ref": ref,
                "name": name,
                "actions": [
                    _action(a, f"{ref}.{i}", items, areas) for i, a in enumerate(theme_actions, 1)
                ],
            }
        )
    return {
        "schema": SCHEMA,
        "kind": "plan",
        "data_as_at": (today or timezone.localdate()).isoformat(),
        "plan": plan_facts(plan),
        "theme": None,
        "sources": [
            {
                **inspection_facts(s),
                "ref": f"S{i}",
                "items": [item for item in items.values() if item["source_id"] == s.pk],
            }
            for i, s in enumerate(sources, 1)
        ],
        "wider_areas": list(areas.values()),
        "themes": snapshot_themes,
    }


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
    """Every action of a snapshot: by item for a submission (an action answering two of
    the source's items comes twice), by theme for the plan."""
    if snapshot.get("kind") == "submission":
        for rec in snapshot["recommendations"]:
            yield from rec["actions"]
    else:
        for theme in snapshot["themes"]:
            yield from theme["actions"]


def action_count(snapshot: dict[str, Any]) -> int:
    return len({a["id"] for a in all_actions(snapshot)})


def iter_theme_chunks(plan: Plan) -> Iterator[dict[str, Any]]:
    """The plan's actions a theme at a time, numbered as in the whole snapshot: for
    streamed exports, so memory follows the largest theme, not the whole plan."""
    theme_ids: list[int | None] = list(
        plan.themes.order_by("order", "id").values_list("pk", flat=True)
    )
    for theme_id in [*theme_ids, None]:
        snapshot = _plan_snapshot(plan, {theme_id}, None)
        if snapshot["themes"] and snapshot["themes"][0]["actions"]:
            yield snapshot
