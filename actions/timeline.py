"""The history of one action, newest first: progress, evidence, readings, date moves and
every transition recorded in the audit log, each said in words: what happened, which
fields changed from what to what, why, and by whom (the audit log's before and after)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from core.models import AuditEntry, Organisation, User
from core.words import counted

from .models import Action, DueDateChange, Evidence, MeasureReading, ProgressUpdate, Rag, Status

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
    "answers": "Changed what the action answers",
}


# How each audited field is named in the history, in the order it is listed.
FIELD_NAMES = {
    "title": "What will be done",
    "description": "Description",
    "owner": "Responsible officer",
    "organisation": "Organisation",
    "due_date": "Due date",
    "status": "Status",
    "rag_override": "RAG set by hand",
    "expected_outcome": "What difference it will make",
    "resources": "Resources required",
    "risks": "Risks",
    "signed_off_by": "Signed off by",
    "closure_justification": "Why it can be closed",
}
# Said as "Reason: …" beside the change it explains, not as a change of its own.
REASONS = ("rag_override_reason",)
LONG_TEXT = 200


@dataclasses.dataclass
class Entry:
    at: dt.datetime
    kind: str
    title: str
    who: Any
    text: str = ""
    item: Any = None
    changes: list[str] = dataclasses.field(default_factory=list)


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1].rstrip() + "…"


class _Names:
    """People's and organisations' names for the ids the audit log keeps, read once."""

    def __init__(self, entries: list[AuditEntry]) -> None:
        people: set[int] = set()
        organisations: set[int] = set()
        for entry in entries:
            for values in (entry.before or {}, entry.after or {}):
                people.update(v for k, v in values.items() if k in ("owner", "signed_off_by") and v)
                if values.get("organisation"):
                    organisations.add(values["organisation"])
        self.people = {u.pk: str(u) for u in User.objects.filter(pk__in=people)}
        self.organisations = dict(
            Organisation.objects.filter(pk__in=organisations).values_list("pk", "name")
        )

    def value(self, field: str, value: Any) -> str:
        if value in (None, ""):
            return {"owner": "nobody", "rag_override": "none (worked out)"}.get(field, "empty")
        if field in ("owner", "signed_off_by"):
            return self.people.get(value, "a person no longer listed")
        if field == "organisation":
            return self.organisations.get(value, "an organisation no longer listed")
        if field == "status":
            return Status(value).label if value in Status.values else str(value)
        if field == "rag_override":
            return Rag(value).label if value in Rag.values else str(value)
        if field == "due_date":
            try:
                return f"{dt.date.fromisoformat(value):%-d %B %Y}"
            except (TypeError, ValueError):
                return str(value)
        return f"“{_short(value)}”"


def describe_changes(entry: AuditEntry, names: _Names) -> list[str]:
    """Each field the entry changed, in words: "Status: In progress → Complete"."""
    before, after = entry.before or {}, entry.after or {}
    if not before:  # the action was created: nothing changed from anything
        return []
    changes = [
        f"{label}: {names.value(field, before.get(field))} → {names.value(field, after.get(field))}"
        for field, label in FIELD_NAMES.items()
        if field in after and before.get(field) != after.get(field)
    ]
    for field in REASONS:
        if after.get(field) and after.get(field) != before.get(field):
            changes.append(f"Reason: {_short(after[field])}")
    return changes + _answers_changed(before, after)


def _answers_changed(before: dict, after: dict) -> list[str]:
    """What an action answers, said by how many items, and whether its wider area or
    theme changed (the audit log keeps their ids)."""
    changes = []
    if "recommendations" in after and before.get("recommendations") != after["recommendations"]:
        old, new = len(before.get("recommendations") or []), len(after["recommendations"])
        changes.append(f"Items answered: {counted(old, 'item')} → {counted(new, 'item')}")
    for field, label in (("wider_area_id", "Wider area"), ("theme_id", "Theme")):
        if field in after and before.get(field) != after[field]:
            changes.append(f"{label}: {'changed' if after[field] else 'removed'}")
    return changes


def _said(entry: AuditEntry, title: str) -> str:
    """The entry's own words (a reason, a comment), not the generated "verb: title"."""
    summary = entry.summary or ""
    if summary.startswith(f"{entry.verb}:") or summary == title:
        return ""
    return summary


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
    audits = list(
        AuditEntry.objects.filter(object_type="actions.action", object_id=str(action.pk))
        .exclude(verb__in=["move_due_date", "progress"])
        .select_related("actor")
    )
    names = _Names(audits)
    for entry in audits:
        title = VERBS.get(entry.verb, entry.verb.replace("_", " ").capitalize())
        changes = describe_changes(entry, names)
        text = _said(entry, title)
        if text and any(text in change for change in changes):
            text = ""  # the reason is already said beside its change
        entries.append(Entry(entry.at, "event", title, entry.actor, text, changes=changes))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
