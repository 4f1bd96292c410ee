"""Who sees which plans: the one rule every page, API list, search, export, document,
calendar feed and webhook applies.

People see the plans of their own local authority and of the authorities their
organisation is a partner of, plus any plan in which they own an action; someone with no
role sees nothing, an administrator sees everything. (Importing a report grants nothing:
a plan is imported only for a council one may act for, see inspections.authorities.)

Everything else a person sees follows from the plans: their recommendations, actions,
documents and reminders. The rule lives here, below the apps that use it, so that none
of them imports another to ask it.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from core.models import Organisation, User
from core.roles import holds_a_role, roles_of

from .models import Inspection, Recommendation


def plans_seen_by(user: User, *, authority_id: int | None = None) -> QuerySet[Inspection]:
    """The plans this person may see (of one local authority's, if given), unevaluated:
    lists filter on it in their own query, so the rule costs no round trip of its own and
    applies as it stands when the rows are read."""
    if not user.is_authenticated:
        return Inspection.objects.none()
    plans = Inspection.objects.all()
    if authority_id is not None:
        plans = plans.filter(local_authority_id=authority_id)
    if user.is_superuser:
        return plans
    return plans.filter(holds_a_role(user), _rule(user))


def _rule(user: User) -> Q:
    """Which plans a person with a role sees: see the module docstring."""
    owned = Recommendation.objects.filter(actions__owner=user).values("inspection_id")
    scope = Q(pk__in=owned)
    if user.organisation_id:
        partner_of = Organisation.partner_of.through.objects.filter(
            from_organisation_id=user.organisation_id
        )
        scope |= Q(local_authority_id=user.organisation_id)
        scope |= Q(local_authority_id__in=partner_of.values("to_organisation_id"))
    return scope


def plan_ids_seen_by(user: User) -> frozenset[int] | None:
    """The ids of plans_seen_by(user) (None: every plan), read once per request and kept
    on the user: the pages ask about one object after another."""
    if user.is_authenticated and user.is_superuser:
        return None
    cached = getattr(user, "_plan_ids_seen", None)
    if cached is None:
        seen = plans_seen_by(user) if roles_of(user) else Inspection.objects.none()
        cached = frozenset(seen.values_list("pk", flat=True))
        user._plan_ids_seen = cached
    return cached


def plan_id_of(obj: object) -> int | None:
    """The plan an object belongs to: a plan, a recommendation, or anything with a
    recommendation (an action) or a plan (a document) of its own."""
    if isinstance(obj, Inspection):
        return obj.pk
    if isinstance(obj, Recommendation):
        return obj.inspection_id
    recommendation = getattr(obj, "recommendation", None)
    if isinstance(recommendation, Recommendation):
        return recommendation.inspection_id
    return getattr(obj, "inspection_id", None)


@rules.predicate
def can_see(user: User, obj: object) -> bool:
    """The permission predicate: the person may see the plan `obj` belongs to."""
    plan_id = plan_id_of(obj)
    if plan_id is None or not user.is_authenticated:
        return False
    ids = plan_ids_seen_by(user)
    return ids is None or plan_id in ids


def who_sees(users: Iterable[User], plan_id: int) -> set[int]:
    """The ids of those of `users` who may see this plan, asked in one query whatever
    their number (a change is told to every webhook subscription whose owner sees it)."""
    seeing, checks = set(), {}
    for user in users:
        if user.is_authenticated and user.is_superuser:
            seeing.add(user.pk)
        else:
            checks[f"sees_{user.pk}"] = ExpressionWrapper(
                Q(pk__in=plans_seen_by(user).values("pk")), output_field=BooleanField()
            )
    if checks:
        row = Inspection.objects.filter(pk=plan_id).values(**checks).first() or {}
        seeing |= {int(name.removeprefix("sees_")) for name, sees in row.items() if sees}
    return seeing
