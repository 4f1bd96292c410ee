"""What a receiver gets: the event, and the action as GET /api/v1/actions/{id}/ shows it.

    {"id": "…", "type": "action.progress_recorded", "timestamp": "2026-11-22T10:15:00.123456Z",
     "data": {"action": {…}, "actor": 12, "progress_update": {…}}}

Built here from the models, in plain Python, and not from the API's serializers: an event
is the domain's, and must not change because a page of the API does. The shapes are the
ones docs/webhooks.md documents, the same as the API's reads (tests/actions/webhooks/
test_payloads.py holds them equal), so a receiver can use the same code for both.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from actions.models import Action, Evidence, Measure, MeasureReading, ProgressUpdate
from core.models import User

Payload = dict[str, Any]


def timestamp(at: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC with a "Z", to the microsecond ("2026-11-22T10:15:00.123456Z")."""
    if at is None:
        return None
    text = at.astimezone(dt.UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _amount(value: Decimal) -> str:
    """A measure's number as text with its two decimal places ("12.50"), exact in JSON."""
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def _name(user: User | None) -> str | None:
    return str(user) if user is not None else None


def answers(action: Action) -> list[int]:
    """The ids of the items an action answers, in report order (of the source, then as
    the report prints them), as the API gives them."""
    items = action.recommendations.order_by("inspection_id", "order", "id")
    return list(items.values_list("pk", flat=True))


def action(action: Action) -> Payload:
    return {
        "id": action.pk,
        "plan": action.plan_id,
        "recommendations": answers(action),
        "wider_area": action.wider_area_id,
        "theme": action.theme_id,
        "title": action.title,
        "description": action.description,
        "owner": action.owner_id,
        "owner_name": _name(action.owner),
        "organisation": action.organisation_id,
        "assigned_by": action.assigned_by_id,
        "assigned_at": timestamp(action.assigned_at),
        "due_date": _date(action.due_date),
        "overdue": action.is_overdue(timezone.localdate()),
        "status": str(action.status),
        "rag": str(action.shown_rag),
        "rag_derived": str(action.rag),
        "rag_reason": action.rag_reason,
        "rag_override": str(action.rag_override),
        "rag_override_reason": action.rag_override_reason,
        "expected_outcome": action.expected_outcome,
        "resources": action.resources,
        "risks": action.risks,
        "completed_at": timestamp(action.completed_at),
        "closure_justification": action.closure_justification,
        "signed_off_by": action.signed_off_by_id,
        "signed_off_at": timestamp(action.signed_off_at),
        "version": action.version,
        "created_at": timestamp(action.created_at),
        "updated_at": timestamp(action.updated_at),
    }


def progress_update(update: ProgressUpdate) -> Payload:
    return {
        "id": update.pk,
        "action": update.action_id,
        "author": update.author_id,
        "author_name": _name(update.author),
        "created_at": timestamp(update.created_at),
        "text": update.text,
        "returned_by": update.returned_by_id,
        "returned_at": timestamp(update.returned_at),
        "return_comment": update.return_comment,
    }


def evidence(evidence: Evidence) -> Payload:
    return {
        "id": evidence.pk,
        "action": evidence.action_id,
        "description": evidence.description,
        "link": evidence.link,
        "has_file": bool(evidence.file),
        "original_filename": evidence.original_filename,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "added_by": evidence.added_by_id,
        "added_at": timestamp(evidence.added_at),
        "returned_by": evidence.returned_by_id,
        "returned_at": timestamp(evidence.returned_at),
        "return_comment": evidence.return_comment,
    }


def reading(reading: MeasureReading) -> Payload:
    return {
        "id": reading.pk,
        "measure": reading.measure_id,
        "date": _date(reading.date),
        "value": _amount(reading.value),
        "note": reading.note,
        "recorded_by": reading.recorded_by_id,
        "recorded_at": timestamp(reading.recorded_at),
    }


def measure(measure: Measure) -> Payload:
    return {
        "id": measure.pk,
        "action": measure.action_id,
        "name": measure.name,
        "unit": measure.unit,
        "baseline": _amount(measure.baseline),
        "baseline_date": _date(measure.baseline_date),
        "target": _amount(measure.target),
        "direction": str(measure.direction),
        "readings": [reading(each) for each in measure.readings.all()],
    }


# What an event is about besides the action: its key in `data`, and its representation.
ITEMS: dict[type[models.Model], tuple[str, Any]] = {
    ProgressUpdate: ("progress_update", progress_update),
    Evidence: ("evidence", evidence),
    Measure: ("measure", measure),
    MeasureReading: ("reading", reading),
}


def item(item: models.Model) -> tuple[str, Payload]:
    """The key and representation of what an event is about besides the action."""
    key, represent = ITEMS[type(item)]
    return key, represent(item)


def body(*, event_id: uuid.UUID, event_type: str, at: dt.datetime, data: Payload) -> str:
    """The JSON text posted (and stored: every attempt signs and sends the same bytes)."""
    event = {"id": str(event_id), "type": event_type, "timestamp": timestamp(at), "data": data}
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))
