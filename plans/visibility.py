"""Who sees which plans: the one rule every page, API list, search, export, document,
calendar feed and webhook applies.

People see the plans of their own local authority and of the authorities their
organisation is a partner of, plus any plan in which they own an action; someone with no
role sees nothing, an administrator sees everything. (Importing a report grants nothing:
a plan is imported only for a council one may act for, see inspections.authorities.)

Everything else a person sees follows from the plans: their sources, recommendations,
actions, documents and reminders. A report held as history (a source of no plan) is seen
by those who see its authority's plans. The rule lives here, below the apps that use it,
so that none of them imports another to ask it.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from core.models import Organisation, User
from core.roles import holds_a_role, roles_of
from inspections.models import Inspection, Recommendation

from .models import Plan


def plans_seen_by(user: User, *, authority_id: int | None = None) -> QuerySet[Plan]:
    """The plans this person may see (of one local authority's, if given), unevaluated:
    lists filter on it in their own query, so the rule costs no round trip of its own and
    applies as it stands when the rows are read."""
    if not user.is_authenticated:
        return Plan.objects.none()
    plans = Plan.objects.all()
    if authority_id is not None:
        plans = plans.filter(local_authority_id=authority_id)
    if user.is_superuser:
        return plans
    owned = Plan.objects.filter(actions__owner=user).values("pk")
    return plans.filter(holds_a_role(user), _authorities(user) | Q(pk__in=owned))


def reports_seen_by(user: User, *, authority_id: int | None = None) -> QuerySet[Inspection]:
    """The reports and letters this person may see: the sources of the plans they see,
    and the reports their authorities hold as history."""
    if not user.is_authenticated:
        return Inspection.objects.none()
    reports = Inspection.objects.all()
    if authority_id is not None:
        reports = reports.filter(local_authority_id=authority_id)
    if user.is_superuser:
        return reports
    seen_plans = plans_seen_by(user).values("pk")
    return reports.filter(holds_a_role(user), _authorities(user) | Q(plan__in=seen_plans))


def _authorities(user: User) -> Q:
    """The local authorities whose plans and reports a person's organisation sees."""
    if not user.organisation_id:
        return Q(pk__in=[])
    partner_of = Organisation.partner_of.through.objects.filter(
        from_organisation_id=user.organisation_id
    )
    return Q(local_authority_id=user.organisation_id) | Q(
        local_authority_id__in=partner_of.values("to_organisation_id")
    )


def plan_ids_seen_by(user: User) -> frozenset[int] | None:
    """The ids of plans_seen_by(user) (None: every plan), read once per request and kept
    on the user: the pages ask about one object after another."""
    return _ids_kept(user, "_plan_ids_seen", plans_seen_by, Plan)


def report_ids_seen_by(user: User) -> frozenset[int] | None:
    """The ids of reports_seen_by(user) (None: every report), kept like plan_ids_seen_by."""
    return _ids_kept(user, "_report_ids_seen", reports_seen_by, Inspection)


def _ids_kept(user: User, key: str, seen_by, model) -> frozenset[int] | None:
    if user.is_authenticated and user.is_superuser:
        return None
    cached = getattr(user, key, None)
    if cached is None:
        seen = seen_by(user) if roles_of(user) else model.objects.none()
        cached = frozenset(seen.values_list("pk", flat=True))
        setattr(user, key, cached)
    return cached


def plan_id_of(obj: object) -> int | None:
    """The plan an object belongs to: a plan, or anything with a plan of its own (an
    action, a theme, a wider area, a document, a report that is a source)."""
    if isinstance(obj, Plan):
        return obj.pk
    return getattr(obj, "plan_id", None)


def _report_id_of(obj: object) -> int | None:
    if isinstance(obj, Inspection):
        return obj.pk
    if isinstance(obj, Recommendation):
        return obj.inspection_id
    return None


@rules.predicate
def can_see(user: User, obj: object) -> bool:
    """The permission predicate: the person may see the plan `obj` belongs to (for a
    report or one of its items: the report)."""
    if not user.is_authenticated:
        return False
    report_id = _report_id_of(obj)
    if report_id is not None:
        ids = report_ids_seen_by(user)
        return ids is None or report_id in ids
    plan_id = plan_id_of(obj)
    if plan_id is None:
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
        row = Plan.objects.filter(pk=plan_id).values(**checks).first() or {}
        seeing |= {int(name.removeprefix("sees_")) for name, sees in row.items() if sees}
    return seeing
