"""Who an action of a plan may name: which organisations, and which people may own it.

Who may do what is plans.permissions (the one permission layer, `can`).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.models import Organisation, User
from core.roles import Role


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
