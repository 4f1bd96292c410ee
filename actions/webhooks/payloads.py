"""What a receiver gets: the event, and the action as GET /api/v1/actions/{id}/ shows it.

    {"id": "…", "type": "action.progress_recorded", "timestamp": "2026-11-22T10:15:00.123456Z",
     "data": {"action": {…}, "actor": 12, "progress_update": {…}}}

The representations come from the API's own serializers, so a receiver can use the same
code for a webhook and for a read.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from actions.models import Action, Evidence, Measure, MeasureReading, ProgressUpdate
from core.api.fields import UtcDateTimeField


def action_representation(action: Action) -> dict[str, Any]:
    from actions.api.serializers import ActionSerializer

    return dict(ActionSerializer(action).data)


def item_representation(item: models.Model) -> tuple[str, dict[str, Any]]:
    """The key and API representation of what an event is about besides the action."""
    from actions.api import serializers as s

    kinds: dict[type, tuple[str, type]] = {
        ProgressUpdate: ("progress_update", s.ProgressUpdateSerializer),
        Evidence: ("evidence", s.EvidenceSerializer),
        Measure: ("measure", s.MeasureSerializer),
        MeasureReading: ("reading", s.ReadingSerializer),
    }
    key, serializer = kinds[type(item)]
    return key, dict(serializer(item).data)


def timestamp(at: dt.datetime) -> str:
    return UtcDateTimeField().to_representation(at)


def body(*, event_id: uuid.UUID, event_type: str, at: dt.datetime, data: dict[str, Any]) -> str:
    """The JSON text posted (and stored: every attempt signs and sends the same bytes)."""
    event = {"id": str(event_id), "type": event_type, "timestamp": timestamp(at), "data": data}
    return json.dumps(event, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
