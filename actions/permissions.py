"""Who may do what, in one place: pages and API both ask these rules.

Visibility: people see the plans of their own local authority and of the authorities
their organisation is a partner of, plus any plan in which they own an action. (Importing
a report grants nothing: a plan is imported only for a council one may act for, see
inspections.authorities.) Within
what they see: readers read; action owners update their own actions; policy officers
update every action and draft new ones; directors assign, move dates, return items and
sign off (never their own action: four eyes). Directors and policy officers produce a
plan's documents; everyone who sees the plan reads its published ones (progress reports
and the plan as submitted). Anyone with a role may subscribe a system to webhooks about
what they see, and manages their own subscriptions.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import rules
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.expressions import RawSQL

from core.models import Organisation, User
from core.roles import Role, holds_a_role, roles_of
from core.statements import Statement, Value, compile_statement
from inspections.models import Inspection, Recommendation

from .documents.models import DocumentKind, DocumentVersion, GenerationStatus
from .models import Action


def visible_inspection_ids(user: User) -> frozenset[int] | None:
    """Ids of the plans a user may see (None: all of them), read once per request.

    A short list of ids keeps every later query a plain indexed filter, whatever the
    size of the database.
    """
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return None
    cached = getattr(user, "_visible_inspection_ids", None)
    if cached is not None:
        return cached
    if not roles_of(user):
        ids: frozenset[int] = frozenset()
    else:
        ids = frozenset(
            Inspection.objects.filter(_visibility(user)).values_list("pk", flat=True).distinct()
        )
    user._visible_inspection_ids = ids
    return ids


def visible_inspection_query(user: User) -> RawSQL | QuerySet[Inspection] | None:
    """The ids of the plans a user may see as a subquery (None: all of them), unevaluated.

    The same rule as visible_inspection_ids, roles included, for a list to filter on in
    its own query (`inspection_id__in_ids=…`, see core/lookups.py, or `__in`): one round
    trip instead of three (roles, plan ids, rows), and the rule applies as it stands
    when the rows are read.
    """
    if not user.is_authenticated:
        return Inspection.objects.none().values("pk")
    if user.is_superuser:
        return None
    statement = _compiled_visibility(connection.vendor, bool(user.organisation_id))
    params = statement.bind({"person": user.pk, "organisation": user.organisation_id})
    return RawSQL(statement.sql, params)  # noqa: S611 - SQL the ORM wrote, values as parameters


@functools.cache
def _compiled_visibility(vendor: str, with_organisation: bool) -> Statement:
    """The visibility subquery, compiled once per shape (core/statements.py).

    Building and compiling it through the ORM took longer than PostgreSQL took to run
    the whole page; only the ids change from one person to the next.
    """
    values = {"person": Value(-1_000_000_001)}
    if with_organisation:
        values["organisation"] = Value(-1_000_000_002)
    stand_in = User(
        pk=values["person"].stand_in,
        organisation_id=values["organisation"].stand_in if with_organisation else None,
    )
    query = Inspection.objects.filter(holds_a_role(stand_in), _visibility(stand_in))
    return compile_statement(query.order_by().values("pk"), values)


def _visibility(user: User) -> Q:
    """Which plans a person with a role sees: see the module docstring."""
    owned = Action.objects.filter(owner=user).values("recommendation__inspection_id")
    scope = Q(pk__in=owned)
    if user.organisation_id:
        partner_of = Organisation.partner_of.through.objects.filter(
            from_organisation_id=user.organisation_id
        )
        scope |= Q(local_authority_id=user.organisation_id)
        scope |= Q(local_authority_id__in=partner_of.values("to_organisation_id"))
    return scope


def who_sees(users: Iterable[User], inspection_id: int) -> set[int]:
    """The ids of those of `users` who may see this plan: the rule of
    visible_inspection_query for each of them, asked in one query whatever their number
    (a change is told to every webhook subscription whose owner sees it)."""
    seeing, checks = set(), {}
    for user in users:
        query = visible_inspection_query(user)
        if query is None:
            seeing.add(user.pk)
        else:
            checks[f"sees_{user.pk}"] = ExpressionWrapper(
                Q(pk__in_ids=query), output_field=BooleanField()
            )
    if checks:
        row = Inspection.objects.filter(pk=inspection_id).values(**checks).first() or {}
        seeing |= {int(name.removeprefix("sees_")) for name, sees in row.items() if sees}
    return seeing


def visible_inspections(user: User) -> QuerySet[Inspection]:
    ids = visible_inspection_ids(user)
    return Inspection.objects.all() if ids is None else Inspection.objects.filter(pk__in=ids)


def visible_actions(user: User) -> QuerySet[Action]:
    ids = visible_inspection_ids(user)
    if ids is None:
        return Action.objects.all()
    return Action.objects.filter(recommendation__inspection_id__in=ids)


def plan_organisations(authority_id: int) -> QuerySet[Organisation]:
    """The organisations an action of this authority's plan may name: the council itself
    and its partner organisations (nobody else's staff are reachable through a plan)."""
    return Organisation.objects.filter(
        Q(pk=authority_id) | Q(partner_of__id=authority_id)
    ).distinct()


def possible_owners(authority_id: int) -> QuerySet[User]:
    """People who may own an action of this authority's plan: active action owners of the
    plan's organisations (plan_organisations)."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.ACTION_OWNER.value)
        .filter(organisation__in=plan_organisations(authority_id))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _inspection_of(obj) -> Inspection | None:
    if isinstance(obj, Inspection):
        return obj
    if isinstance(obj, Recommendation):
        return obj.inspection
    if isinstance(obj, Action):
        return obj.recommendation.inspection
    if isinstance(obj, DocumentVersion):
        return obj.inspection
    return None


@rules.predicate
def can_see(user: User, obj) -> bool:
    inspection = _inspection_of(obj)
    if inspection is None or not user.is_authenticated:
        return False
    ids = visible_inspection_ids(user)
    return ids is None or inspection.pk in ids


@rules.predicate
def is_action_owner(user: User, action: Action) -> bool:
    return isinstance(action, Action) and action.owner_id is not None and action.owner_id == user.pk


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


def _published_documents() -> Q:
    """The documents a plan publishes to everyone who sees it: progress reports, written
    for cabinet and scrutiny, once ready, and the plan as submitted to DfE and Ofsted.
    Drafts, versions being made and failed ones stay with those who produce them."""
    return Q(kind=DocumentKind.PROGRESS, status=GenerationStatus.READY) | Q(
        submitted_at__isnull=False
    )


@rules.predicate
def is_published_document(user: User, version: DocumentVersion) -> bool:
    return (
        isinstance(version, DocumentVersion)
        and DocumentVersion.objects.filter(_published_documents(), pk=version.pk).exists()
    )


@rules.predicate
def has_a_role(user: User) -> bool:
    return user.is_authenticated and bool(roles_of(user))


@rules.predicate
def owns_subscription(user: User, subscription) -> bool:
    return getattr(subscription, "owner_id", None) == user.pk


is_administrator = rules.is_superuser

PERMISSIONS = {
    "inspections.view_inspection": can_see,
    "inspections.import_report": is_policy_officer,
    "inspections.change_deadline": can_see & is_policy_officer,
    "inspections.correct_report": can_see & is_policy_officer,
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


def readable_documents(user: User, inspection: Inspection) -> QuerySet[DocumentVersion]:
    """The versions of a plan's documents this person may open, newest first: all of
    them for those who produce them, the published ones for everyone else who sees it."""
    versions = inspection.document_versions.all()
    if can(user, "actions.generate_documents", inspection):
        return versions
    if can(user, "actions.read_documents", inspection):
        return versions.filter(_published_documents())
    return versions.none()


def can(user: User, permission: str, obj=None) -> bool:
    """The one question pages and the API ask, e.g. can(user, "actions.sign_off", action)."""
    if permission not in PERMISSIONS:
        raise KeyError(f"Unknown permission {permission!r}")
    return user.is_active and rules.has_perm(permission, user, obj)
