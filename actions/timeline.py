"""The history of one action, newest first: progress, evidence, readings, date moves and
every transition recorded in the audit log."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from core.models import AuditEntry

from .models import Action, DueDateChange, Evidence, MeasureReading, ProgressUpdate

VERBS = {
    "draft": "Drafted",
    "update": "Details changed",
    "assign": "Owner assigned",
    "move_due_date": "Due date moved",
    "override_rag": "RAG set by hand",
    "complete": "Marked complete",
    "submit_impact": "Impact submitted",
    "sign_off": "Signed off",
    "reopen": "Reopened",
    "return_impact": "Impact returned",
}


@dataclasses.dataclass
class Entry:
    at: dt.datetime
    kind: str
    title: str
    who: Any
    text: str = ""
    item: Any = None


def timeline_for(action: Action) -> list[Entry]:
    entries: list[Entry] = []
    for update in ProgressUpdate.objects.filter(action=action).select_related(
        "author", "returned_by"
    ):
        entries.append(
            Entry(update.created_at, "progress", "Progress", update.author, update.text, update)
        )
    for evidence in Evidence.objects.filter(action=action).select_related(
        "added_by", "returned_by"
    ):
        entries.append(
            Entry(
                evidence.added_at,
                "evidence",
                "Evidence added",
                evidence.added_by,
                evidence.description,
                evidence,
            )
        )
    for reading in MeasureReading.objects.filter(measure__action=action).select_related(
        "measure", "recorded_by"
    ):
        unit = reading.measure.unit
        value = format(reading.value.normalize(), "f")
        entries.append(
            Entry(
                reading.recorded_at,
                "reading",
                f"Reading: {reading.measure.name}",
                reading.recorded_by,
                f"{value}{unit} on {reading.date:%-d %B %Y}"
                + (f" — {reading.note}" if reading.note else ""),
            )
        )
    for change in DueDateChange.objects.filter(action=action).select_related("changed_by"):
        entries.append(
            Entry(
                change.changed_at,
                "date",
                "Due date moved",
                change.changed_by,
                f"From {change.old_date:%-d %B %Y} to {change.new_date:%-d %B %Y}: {change.reason}",
            )
        )
    audits = (
        AuditEntry.objects.filter(object_type="actions.action", object_id=str(action.pk))
        .exclude(verb__in=["move_due_date", "progress"])
        .select_related("actor")
    )
    for entry in audits:
        entries.append(
            Entry(entry.at, "event", VERBS.get(entry.verb, entry.verb), entry.actor, entry.summary)
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
