"""The transitions a person can make on the action page: form, service and message.

Which status allows each and who may make it come from actions.lifecycle, the table the
services and the API also follow: the page offers exactly what that table allows. Views
look transitions up here by name, so adding one means one entry, not a new view.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django import forms

from core.models import User

from . import forms as f
from . import lifecycle, services
from .models import Action


@dataclasses.dataclass(frozen=True)
class Transition:
    name: str
    title: str
    form: type[forms.Form]
    run: Callable[[Action, User, dict[str, Any], dict[str, Any]], Any]
    success: str
    versioned: bool = True
    # The entry of actions.lifecycle this form makes (its own name unless given).
    change: str = ""
    # Clearing the RAG set by hand makes sense only while there is one.
    needs_override: bool = False

    @property
    def rule(self) -> lifecycle.Transition:
        return lifecycle.TRANSITIONS[self.change or self.name]

    @property
    def permission(self) -> str:
        return self.rule.permission

    def applies(self, action: Action) -> bool:
        """Whether the form is offered for `action` (the services refuse the others)."""
        if self.needs_override and not action.rag_override:
            return False
        return self.rule.allows(action)


def _v(data: dict[str, Any]) -> int | None:
    return data.get("version")


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "assign",
            "Assign the responsible officer",
            f.AssignOwnerForm,
            lambda a, by, d, files: services.assign_owner(
                action=a, by=by, owner=d["owner"], expected_version=_v(d)
            ),
            "Owner assigned; they have been sent an e-mail.",
        ),
        Transition(
            "move-date",
            "Move the due date",
            f.MoveDueDateForm,
            lambda a, by, d, files: services.move_due_date(
                action=a, by=by, new_date=d["new_date"], reason=d["reason"], expected_version=_v(d)
            ),
            "Due date moved.",
        ),
        Transition(
            "edit",
            "Change the action",
            f.EditActionForm,
            lambda a, by, d, files: services.update_details(
                action=a, by=by, expected_version=_v(d), **{k: d[k] for k in services.EDITABLE}
            ),
            "Action updated.",
        ),
        Transition(
            "progress",
            "Record progress",
            f.ProgressForm,
            lambda a, by, d, files: services.record_progress(
                action=a, by=by, text=d["text"], expected_version=_v(d)
            ),
            "Progress recorded.",
        ),
        Transition(
            "evidence",
            "Add evidence",
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
            f.CompleteForm,
            lambda a, by, d, files: services.mark_complete(
                action=a, by=by, note=d["note"], expected_version=_v(d)
            ),
            "Action marked as complete.",
        ),
        Transition(
            "impact",
            "Submit evidence of impact",
            f.ImpactForm,
            lambda a, by, d, files: services.submit_impact(
                action=a, by=by, summary=d["summary"], expected_version=_v(d)
            ),
            "Impact submitted for sign-off.",
        ),
        Transition(
            "sign-off",
            "Sign off: the loop is closed",
            f.SignOffForm,
            lambda a, by, d, files: services.sign_off(
                action=a, by=by, justification=d["justification"], expected_version=_v(d)
            ),
            "Signed off: the action is closed.",
        ),
        Transition(
            "reopen",
            "Reopen the action",
            f.ReopenForm,
            lambda a, by, d, files: services.reopen(
                action=a, by=by, reason=d["reason"], expected_version=_v(d)
            ),
            "Action reopened.",
        ),
        Transition(
            "rag",
            "Set the RAG by hand",
            f.RagOverrideForm,
            lambda a, by, d, files: services.override_rag(
                action=a, by=by, rag_value=d["rag"], reason=d["reason"], expected_version=_v(d)
            ),
            "RAG updated.",
        ),
        Transition(
            "clear-rag",
            "Show the derived RAG again",
            f.ClearRagForm,
            lambda a, by, d, files: services.override_rag(
                action=a, by=by, rag_value="", reason="", expected_version=_v(d)
            ),
            "The RAG set by hand is cleared: the derived RAG shows again.",
            change="rag",
            needs_override=True,
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
