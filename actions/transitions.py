"""The transitions a person can make on the action page: form, permission and service.

Views look transitions up here by name, so adding one means one entry, not a new view.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django import forms

from core.models import User

from . import forms as f
from . import services
from .models import OPEN_STATUSES, Action, Status


@dataclasses.dataclass(frozen=True)
class Transition:
    name: str
    title: str
    permission: str
    form: type[forms.Form]
    run: Callable[[Action, User, dict[str, Any], dict[str, Any]], Any]
    success: str
    versioned: bool = True
    # Whether the transition makes sense in the action's current state (forms for the
    # others are not offered; the services refuse them anyway).
    applies: Callable[[Action], bool] = lambda action: action.status != Status.CLOSED


def _v(data: dict[str, Any]) -> int | None:
    return data.get("version")


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "assign",
            "Assign the responsible officer",
            "actions.assign_owner",
            f.AssignOwnerForm,
            lambda a, by, d, files: services.assign_owner(
                action=a, by=by, owner=d["owner"], expected_version=_v(d)
            ),
            "Owner assigned; they have been sent an e-mail.",
        ),
        Transition(
            "move-date",
            "Move the due date",
            "actions.move_due_date",
            f.MoveDueDateForm,
            lambda a, by, d, files: services.move_due_date(
                action=a, by=by, new_date=d["new_date"], reason=d["reason"], expected_version=_v(d)
            ),
            "Due date moved.",
        ),
        Transition(
            "edit",
            "Change the action",
            "actions.edit_action",
            f.EditActionForm,
            lambda a, by, d, files: services.update_details(
                action=a, by=by, expected_version=_v(d), **{k: d[k] for k in services.EDITABLE}
            ),
            "Action updated.",
        ),
        Transition(
            "progress",
            "Record progress",
            "actions.record_progress",
            f.ProgressForm,
            lambda a, by, d, files: services.record_progress(
                action=a, by=by, text=d["text"], expected_version=_v(d)
            ),
            "Progress recorded.",
        ),
        Transition(
            "evidence",
            "Add evidence",
            "actions.add_evidence",
            f.EvidenceForm,
            lambda a, by, d, files: services.add_evidence(
                action=a,
                by=by,
                description=d["description"],
                file=d.get("file"),
                link=d.get("link", ""),
            ),
            "Evidence added.",
            versioned=False,
        ),
        Transition(
            "measure",
            "Add a measure",
            "actions.edit_action",
            f.MeasureForm,
            lambda a, by, d, files: services.add_measure(
                action=a,
                by=by,
                name=d["name"],
                unit=d["unit"],
                baseline=d["baseline"],
                baseline_date=d["baseline_date"],
                target=d["target"],
                direction=d["direction"],
            ),
            "Measure added.",
            versioned=False,
        ),
        Transition(
            "reading",
            "Record a measure reading",
            "actions.record_reading",
            f.ReadingForm,
            lambda a, by, d, files: services.record_reading(
                measure=d["measure"], by=by, date=d["date"], value=d["value"], note=d["note"]
            ),
            "Reading recorded.",
            versioned=False,
        ),
        Transition(
            "complete",
            "Mark as complete",
            "actions.mark_complete",
            f.CompleteForm,
            lambda a, by, d, files: services.mark_complete(
                action=a, by=by, note=d["note"], expected_version=_v(d)
            ),
            "Action marked as complete.",
            applies=lambda action: action.status in OPEN_STATUSES,
        ),
        Transition(
            "impact",
            "Submit evidence of impact",
            "actions.submit_impact",
            f.ImpactForm,
            lambda a, by, d, files: services.submit_impact(
                action=a, by=by, summary=d["summary"], expected_version=_v(d)
            ),
            "Impact submitted for sign-off.",
            applies=lambda action: action.status == Status.COMPLETE,
        ),
        Transition(
            "sign-off",
            "Sign off: the loop is closed",
            "actions.sign_off",
            f.SignOffForm,
            lambda a, by, d, files: services.sign_off(
                action=a, by=by, justification=d["justification"], expected_version=_v(d)
            ),
            "Signed off: the action is closed.",
            applies=lambda action: action.status == Status.IMPACT_EVIDENCED,
        ),
        Transition(
            "reopen",
            "Reopen the action",
            "actions.reopen",
            f.ReopenForm,
            lambda a, by, d, files: services.reopen(
                action=a, by=by, reason=d["reason"], expected_version=_v(d)
            ),
            "Action reopened.",
            applies=lambda action: action.status not in OPEN_STATUSES,
        ),
        Transition(
            "rag",
            "Set the RAG by hand",
            "actions.override_rag",
            f.RagOverrideForm,
            lambda a, by, d, files: services.override_rag(
                action=a, by=by, rag_value=d["rag"], reason=d["reason"], expected_version=_v(d)
            ),
            "RAG updated.",
            applies=lambda action: True,
        ),
        Transition(
            "clear-rag",
            "Show the derived RAG again",
            "actions.override_rag",
            f.ClearRagForm,
            lambda a, by, d, files: services.override_rag(
                action=a, by=by, rag_value="", reason="", expected_version=_v(d)
            ),
            "The RAG set by hand is cleared: the derived RAG shows again.",
            applies=lambda action: bool(action.rag_override),
        ),
    ]
}


def initial_for(transition: Transition, action: Action) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": action.version}
    if transition.name == "edit":
        initial.update({k: getattr(action, k) for k in services.EDITABLE})
    elif transition.name == "assign":
        initial["owner"] = action.owner_id
    elif transition.name == "move-date":
        initial["new_date"] = action.due_date
    elif transition.name == "rag":
        initial.update(rag=action.rag_override, reason=action.rag_override_reason)
    return initial


def make_form(transition: Transition, action: Action, data=None, files=None) -> forms.Form:
    kwargs: dict[str, Any] = {"prefix": transition.name.replace("-", "_")}
    if transition.form in (
        f.ReadingForm,
        f.AssignOwnerForm,
        f.EditActionForm,
        f.CompleteForm,
        f.RagOverrideForm,
    ):
        kwargs["action"] = action
    if data is None:
        return transition.form(initial=initial_for(transition, action), **kwargs)
    return transition.form(data, files, **kwargs)
