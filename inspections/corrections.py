"""Correcting an imported report's facts after the import was confirmed.

A date, the inspection type, a judgement or a recommendation can still be wrong after
review (a date the parser missed, a typing slip), and importing the file again is
refused as a duplicate. A policy officer corrects the plan in place instead, giving a
reason. Everything the deadlines derive from can change here, so they are worked out
again in the same transaction; a recommendation is corrected where it stands, so the
actions that answer it stay attached; and the audit entry says in words what changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core import audit
from core.deadlines import EARLIEST, LATEST
from core.errors import DomainError
from core.models import User
from plans.permissions import can  # the one permission layer

from .models import (
    Grade,
    GradeScale,
    Inspection,
    InspectionType,
    Judgement,
    Recommendation,
    Timescale,
    draft_plan_required,
    names_priority_actions,
)
from .services import match_organisation

PERMISSION = "inspections.correct_report"

# The facts of the inspection itself, in the order the audit summary names them.
DATE_FIELDS = {
    "inspection_start": "Inspection started",
    "inspection_end": "Inspection ended",
    "publication_date": "Publication date",
    "received_date": "Received date",
}
DEADLINE_FIELDS = {"plan_due_date": "Plan due", "draft_plan_due_date": "Draft plan due"}
INSPECTION_FIELDS = [
    "inspection_type",
    *DATE_FIELDS,
    "draft_plan_required",
    "names_priority_actions",
    "plan_due_date",
    "plan_due_basis",
    "draft_plan_due_date",
    "draft_plan_due_basis",
]
JUDGEMENT_FIELDS = ["area", "grade_text", "grade"]
RECOMMENDATION_FIELDS = ["text", "timescale", "addressee", "number", "addressee_organisation"]


@dataclasses.dataclass(frozen=True)
class ReportFacts:
    """The inspection's own facts as they should be."""

    inspection_type: str
    inspection_start: dt.date | None
    inspection_end: dt.date | None
    publication_date: dt.date | None
    received_date: dt.date | None

    @classmethod
    def of(cls, inspection: Inspection) -> ReportFacts:
        return cls(**{f.name: getattr(inspection, f.name) for f in dataclasses.fields(cls)})


@dataclasses.dataclass(frozen=True)
class JudgementFacts:
    """One judgement as it should be; `id=None` adds one the import missed."""

    area: str
    grade_text: str
    grade: str = ""  # one of Grade's values, "" when the judgement is not a grade
    id: int | None = None


@dataclasses.dataclass(frozen=True)
class RecommendationFacts:
    """One existing recommendation as it should be (recommendations are never added or
    removed here: actions answer them)."""

    id: int
    text: str
    timescale: str
    addressee: str = ""
    number: str = ""


@transaction.atomic
def correct_report(
    *,
    inspection: Inspection,
    by: User,
    reason: str,
    facts: ReportFacts,
    judgements: Sequence[JudgementFacts] | None = None,
    recommendations: Sequence[RecommendationFacts] = (),
) -> Inspection:
    """Correct an imported report's facts, with a reason, and work the deadlines out again.

    `judgements`, when given, is the whole list in order: existing ones left out are
    removed, ones without an id are added. `recommendations` lists the recommendations
    to correct; the others stay as they are. Refuses (DomainError) a missing reason, a
    fact that breaks a rule, or a correction that changes nothing; PermissionDenied for
    anyone who may not correct the report.
    """
    if not can(by, PERMISSION, inspection):
        raise PermissionDenied("Only policy officers can correct a report's details.")
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why the report's details are being corrected.", field="reason")
    _check_facts(facts)
    # Read again under a lock: two officers correcting at once are applied one after the
    # other, each on the other's result.
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    changes: list[str] = []
    before: dict[str, Any] = {"inspection": audit.snapshot(inspection, INSPECTION_FIELDS)}
    after: dict[str, Any] = {}

    _apply_facts(inspection, facts, changes)
    inspection.check_received_date()
    if judgements is not None:
        judgement_before, judgement_after = _correct_judgements(inspection, judgements, changes)
        if judgement_before != judgement_after:
            before["judgements"], after["judgements"] = judgement_before, judgement_after
    recommendation_before, recommendation_after = _correct_recommendations(
        inspection, recommendations, changes
    )
    if recommendation_before:
        before["recommendations"] = recommendation_before
        after["recommendations"] = recommendation_after
    if not changes:
        raise DomainError("Nothing was changed: correct at least one detail.")

    # Whether a plan (and a draft) is asked for follows the type and the items' priority.
    priorities = list(inspection.recommendations.values_list("priority", flat=True))
    outcomes = inspection.judgements.values_list("grade_text", flat=True)
    inspection.names_priority_actions = names_priority_actions(priorities, outcomes)
    inspection.draft_plan_required = draft_plan_required(inspection.inspection_type, priorities)
    inspection.refresh_deadlines()
    inspection.save()
    after["inspection"] = audit.snapshot(inspection, INSPECTION_FIELDS)
    for name, label in DEADLINE_FIELDS.items():
        old, new = before["inspection"][name], after["inspection"][name]
        if old != new:
            changes.append(f"{label}: {_date_words(old)} → {_date_words(new)}")
    audit.record(
        actor=by,
        verb="correct_report",
        obj=inspection,
        summary=f"{'; '.join(changes)} ({reason})",
        before=before,
        after={**after, "reason": reason},
    )
    return inspection


def _check_facts(facts: ReportFacts) -> None:
    if facts.inspection_type not in InspectionType.values:
        raise DomainError("Choose the inspection type.", field="inspection_type")
    for name in DATE_FIELDS:
        value = getattr(facts, name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise DomainError(
                f"Enter a date between {EARLIEST.year} and {LATEST.year}.", field=name
            )
    start, end = facts.inspection_start, facts.inspection_end
    if start and end and end < start:
        raise DomainError("The inspection cannot end before it started.", field="inspection_end")


def _apply_facts(inspection: Inspection, facts: ReportFacts, changes: list[str]) -> None:
    if facts.inspection_type != inspection.inspection_type:
        changes.append(
            f"Inspection type: {inspection.get_inspection_type_display()} → "
            f"{InspectionType(facts.inspection_type).label}"
        )
        inspection.inspection_type = facts.inspection_type
    for name, label in DATE_FIELDS.items():
        old, new = getattr(inspection, name), getattr(facts, name)
        if old != new:
            changes.append(f"{label}: {_date_words(old)} → {_date_words(new)}")
            setattr(inspection, name, new)


def _correct_judgements(
    inspection: Inspection, wanted: Sequence[JudgementFacts], changes: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    existing = {j.pk: j for j in inspection.judgements.all()}
    before = [{"id": j.pk, **audit.snapshot(j, JUDGEMENT_FIELDS)} for j in existing.values()]
    for facts in wanted:
        if not facts.area.strip() or not facts.grade_text.strip():
            raise DomainError("Enter each judgement's area and its grade as printed.")
        if facts.grade and facts.grade not in Grade.values:
            raise DomainError("Choose a grade from the list.")
        if facts.id is not None and facts.id not in existing:
            raise DomainError("A judgement to correct is not one of this report's.")
    kept = {facts.id for facts in wanted if facts.id is not None}
    for pk, judgement in existing.items():
        if pk not in kept:
            changes.append(f"Judgement removed: {judgement.area} ({judgement.grade_text})")
            judgement.delete()
    after = []
    for order, facts in enumerate(wanted):
        area, grade_text = facts.area.strip(), facts.grade_text.strip()
        if facts.id is None:
            judgement = Judgement.objects.create(
                inspection=inspection,
                area=area,
                grade_text=grade_text,
                grade=facts.grade,
                # A grade chosen by hand reads on the words scale; without one the
                # judgement is an outcome in words, not a grade.
                scale=GradeScale.WORDS if facts.grade else GradeScale.OUTCOME,
                order=order,
            )
            changes.append(f"Judgement added: {area} ({grade_text})")
        else:
            judgement = existing[facts.id]
            old = audit.snapshot(judgement, JUDGEMENT_FIELDS)
            judgement.area, judgement.grade_text, judgement.grade = area, grade_text, facts.grade
            judgement.order = order
            new = audit.snapshot(judgement, JUDGEMENT_FIELDS)
            if old != new:
                changes.append(
                    f"Judgement: {old['area']} ({old['grade_text']}) → {area} ({grade_text})"
                    if old["grade"] == new["grade"]
                    else f"Judgement: {old['area']} ({old['grade_text']}, "
                    f"{_grade_words(old['grade'])}) → {area} ({grade_text}, "
                    f"{_grade_words(facts.grade)})"
                )
            judgement.save()
        after.append({"id": judgement.pk, **audit.snapshot(judgement, JUDGEMENT_FIELDS)})
    return before, after


def _correct_recommendations(
    inspection: Inspection, wanted: Sequence[RecommendationFacts], changes: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    existing = {r.pk: r for r in inspection.recommendations.filter(pk__in=[w.id for w in wanted])}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for facts in wanted:
        recommendation = existing.get(facts.id)
        if recommendation is None:
            raise DomainError("A recommendation to correct is not one of this report's.")
        if not facts.text.strip():
            raise DomainError("Enter the recommendation's text.", field="text")
        if facts.timescale not in Timescale.values:
            raise DomainError("Choose the recommendation's timescale.", field="timescale")
        old = audit.snapshot(recommendation, RECOMMENDATION_FIELDS)
        label = _recommendation_label(recommendation)
        recommendation.text = facts.text.strip()
        recommendation.timescale = facts.timescale
        recommendation.number = facts.number.strip()
        addressee = facts.addressee.strip()
        if addressee != recommendation.addressee:
            recommendation.addressee = addressee
            recommendation.addressee_organisation = match_organisation(addressee)
        new = audit.snapshot(recommendation, RECOMMENDATION_FIELDS)
        if old == new:
            continue
        changes.extend(_recommendation_changes(label, recommendation, old))
        recommendation.save()
        before[str(recommendation.pk)], after[str(recommendation.pk)] = old, new
    return before, after


def _recommendation_changes(
    label: str, recommendation: Recommendation, old: dict[str, Any]
) -> list[str]:
    said = []
    if old["text"] != recommendation.text:
        said.append(f"{label}: text corrected")
    if old["timescale"] != recommendation.timescale:
        said.append(
            f"{label} timescale: {Timescale(old['timescale']).label} → "
            f"{recommendation.get_timescale_display()}"
        )
    if old["addressee"] != recommendation.addressee:
        said.append(
            f"{label} addressed to: {old['addressee'] or 'not named'} → "
            f"{recommendation.addressee or 'not named'}"
        )
    if old["number"] != recommendation.number:
        said.append(
            f"{label} number: {old['number'] or 'none'} → {recommendation.number or 'none'}"
        )
    return said


def _recommendation_label(recommendation: Recommendation) -> str:
    if recommendation.number:
        return f"Recommendation {recommendation.number}"
    return f"Recommendation {recommendation.order + 1}"


def _date_words(value: dt.date | str | None) -> str:
    if value is None:
        return "not known"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value:%-d %B %Y}"


def _grade_words(value: str) -> str:
    return Grade(value).label.lower() if value else "not a grade"
