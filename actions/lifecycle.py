"""Which change may be made to an action in which status, who may make it, and the status
it leads to: the one table.

The services refuse a change the table does not allow (`check`), the action page offers
only what it allows (actions.transitions) and the API checks the same permission before
the service decides (actions.api.views). tests/actions/test_lifecycle.py holds all three
to the table.

A closed action is finished: nothing but reopening it or a RAG set by hand changes it,
so that what a director signed off stays as they signed it. One step is no one's choice:
returning the evidence of an action waiting for sign-off sends it back to complete
(services.return_item).
"""

from __future__ import annotations

import dataclasses

from core.errors import DomainError

from .models import OPEN_STATUSES, Action, Status

EVERY = frozenset(Status)
OPEN = frozenset(OPEN_STATUSES)
NOT_CLOSED = EVERY - {Status.CLOSED}
CLOSED_REFUSAL = "This action is closed: reopen it first."


@dataclasses.dataclass(frozen=True)
class Transition:
    """A change people make to an action. `to_status` None: the status stays as it is,
    except that recording progress starts an action not started (`status_after`)."""

    name: str
    permission: str
    from_statuses: frozenset[Status]
    to_status: Status | None = None
    refusal: str = CLOSED_REFUSAL

    def allows(self, action: Action) -> bool:
        return action.status in self.from_statuses

    def status_after(self, status: Status) -> Status:
        if self.to_status is not None:
            return self.to_status
        if self.name == "progress" and status == Status.NOT_STARTED:
            return Status.IN_PROGRESS
        return Status(status)


TRANSITIONS: dict[str, Transition] = {
    transition.name: transition
    for transition in (
        Transition("edit", "actions.edit_action", NOT_CLOSED),
        # A new owner while the impact waits for sign-off would hide who did the work
        # from the page (services.took_part_since_reopened still knows): refused.
        Transition(
            "assign",
            "actions.assign_owner",
            NOT_CLOSED - {Status.IMPACT_EVIDENCED},
            refusal="This action is closed or waiting to be signed off: reopen it, sign it "
            "off or return its evidence before assigning someone else.",
        ),
        Transition("move-date", "actions.move_due_date", NOT_CLOSED),
        Transition("progress", "actions.record_progress", NOT_CLOSED),
        Transition("evidence", "actions.add_evidence", NOT_CLOSED),
        Transition("measure", "actions.edit_action", NOT_CLOSED),
        Transition("reading", "actions.record_reading", NOT_CLOSED),
        Transition(
            "complete",
            "actions.mark_complete",
            OPEN,
            Status.COMPLETE,
            "Only an action not started or in progress can be marked complete.",
        ),
        Transition(
            "impact",
            "actions.submit_impact",
            frozenset({Status.COMPLETE}),
            Status.IMPACT_EVIDENCED,
            "Mark the action complete before submitting its impact.",
        ),
        Transition(
            "sign-off",
            "actions.sign_off",
            frozenset({Status.IMPACT_EVIDENCED}),
            Status.CLOSED,
            "Only an action whose impact is evidenced can be signed off.",
        ),
        Transition(
            "reopen",
            "actions.reopen",
            EVERY - OPEN,
            Status.IN_PROGRESS,
            "The action is already open.",
        ),
        Transition("rag", "actions.override_rag", EVERY),
    )
}


def permission(name: str) -> str:
    """The permission a person needs for the transition `name`."""
    return TRANSITIONS[name].permission


def check(action: Action, name: str) -> Transition:
    """The transition `name`, if `action`'s status allows it; DomainError otherwise."""
    transition = TRANSITIONS[name]
    if not transition.allows(action):
        raise DomainError(transition.refusal)
    return transition
