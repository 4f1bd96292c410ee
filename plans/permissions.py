"""Who may do what, in one place: pages, the API and services all ask `can`.

What people see is plans.visibility's rule (can_see). Within what they see: readers
read; action owners update their own actions; policy officers update every action and
draft new ones; directors assign, move dates, return items and sign off (never their own
action: four eyes). Directors and policy officers produce a plan's documents; everyone
who sees the plan reads its published ones (progress reports and the plan as submitted).
Anyone with a role may subscribe a system to webhooks about what they see, and manages
their own subscriptions.

It lives here, beside the visibility rule and below the apps that ask it (reports,
plans, actions), so that none of them imports another to ask. The predicates know the
objects they are given by their model's label, not by importing the models.
"""

from __future__ import annotations

import rules

from core.models import User
from core.roles import Role, roles_of

from .visibility import can_see


def _is(obj: object, label: str) -> bool:
    meta = getattr(obj, "_meta", None)
    return meta is not None and meta.label_lower == label


@rules.predicate
def is_action_owner(user: User, action: object) -> bool:
    owner_id = getattr(action, "owner_id", None)
    return _is(action, "actions.action") and owner_id is not None and owner_id == user.pk


def _role(role: Role):
    @rules.predicate(name=f"has_role_{role.name.lower()}")
    def check(user: User) -> bool:
        return user.is_authenticated and role in roles_of(user)

    return check


is_director = _role(Role.DIRECTOR)
is_policy_officer = _role(Role.POLICY_OFFICER)
is_owner_role = _role(Role.ACTION_OWNER)
is_reader = _role(Role.READER)

updates_action = can_see & ((is_owner_role & is_action_owner) | is_policy_officer)


@rules.predicate
def is_published_document(user: User, version: object) -> bool:
    """A progress report once ready, or a plan as submitted (DocumentVersion.is_published)."""
    return _is(version, "documents.documentversion") and version.is_published


@rules.predicate
def has_a_role(user: User) -> bool:
    return user.is_authenticated and bool(roles_of(user))


@rules.predicate
def owns_subscription(user: User, subscription: object) -> bool:
    return getattr(subscription, "owner_id", None) == user.pk


is_administrator = rules.is_superuser

PERMISSIONS = {
    "inspections.view_inspection": can_see,
    "inspections.import_report": is_policy_officer,
    "inspections.change_deadline": can_see & is_policy_officer,
    "inspections.correct_report": can_see & is_policy_officer,
    "inspections.decide_repeat": can_see & (is_policy_officer | is_director),
    "plans.view_plan": can_see,
    "plans.change_plan": can_see & (is_director | is_policy_officer),
    "actions.view_action": can_see,
    "actions.draft_action": can_see & is_policy_officer,
    "actions.edit_action": can_see & is_policy_officer,
    "actions.assign_owner": can_see & is_director,
    "actions.move_due_date": can_see & is_director,
    "actions.override_rag": can_see & is_director,
    "actions.record_progress": updates_action,
    "actions.add_evidence": updates_action,
    "actions.record_reading": updates_action,
    "actions.mark_complete": updates_action,
    "actions.submit_impact": updates_action,
    "actions.sign_off": can_see & is_director & ~is_action_owner,
    "actions.reopen": can_see & is_director,
    "actions.return_item": can_see & is_director,
    "actions.generate_documents": can_see & (is_director | is_policy_officer),
    "actions.read_documents": can_see,
    "actions.read_document_version": can_see
    & (is_director | is_policy_officer | is_published_document),
    # Webhooks: anyone with a role may subscribe to what they see; a subscription is its
    # owner's to manage (administrators manage all).
    "webhooks.subscribe": has_a_role | is_administrator,
    "webhooks.manage_subscription": (has_a_role & owns_subscription) | is_administrator,
}

for _name, _predicate in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)


def can(user: User, permission: str, obj=None) -> bool:
    """The one question pages and the API ask, e.g. can(user, "actions.sign_off", action)."""
    if permission not in PERMISSIONS:
        raise KeyError(f"Unknown permission {permission!r}")
    return user.is_active and rules.has_perm(permission, user, obj)
