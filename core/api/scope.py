"""What one API request may see: the pages' visibility rules, narrowed by the token.

The permission layer (actions.permissions) decides what a person sees and may do; a token
acts as its owner and can only narrow that: to reads, and to one local authority's plans.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from rest_framework.request import Request

from actions.models import Action
from actions.permissions import visible_inspection_ids
from core.models import Organisation, User
from core.tokens.models import ApiToken
from inspections.models import Inspection


def token_of(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def organisation_limit(request: Request) -> int | None:
    """The id of the one local authority a token is limited to, if it is."""
    token = token_of(request)
    return token.organisation_id if token else None


def inspection_ids(request: Request) -> frozenset[int] | None:
    """Ids of the plans the request may see (None: every plan), worked out once."""
    if hasattr(request, "_api_inspection_ids"):
        return request._api_inspection_ids
    ids = visible_inspection_ids(request.user)
    limit = organisation_limit(request)
    if limit is not None:
        limited = Inspection.objects.filter(local_authority_id=limit)
        if ids is not None:
            limited = limited.filter(pk__in=ids)
        ids = frozenset(limited.values_list("pk", flat=True))
    request._api_inspection_ids = ids
    return ids


def inspections_for(request: Request) -> QuerySet[Inspection]:
    ids = inspection_ids(request)
    return Inspection.objects.all() if ids is None else Inspection.objects.filter(pk__in=ids)


def actions_for(request: Request) -> QuerySet[Action]:
    ids = inspection_ids(request)
    if ids is None:
        return Action.objects.all()
    return Action.objects.filter(recommendation__inspection_id__in=ids)


def organisations_for(request: Request) -> QuerySet[Organisation]:
    """Their own organisation, the authorities whose plans they see, those authorities'
    partners and the organisations named on their actions."""
    if not request.user.is_authenticated:
        return Organisation.objects.none()
    inspections = inspections_for(request)
    authorities = inspections.values("local_authority_id")
    scope = (
        Q(pk__in=authorities)
        | Q(partner_of__in=authorities)
        | Q(pk__in=actions_for(request).values("organisation_id"))
    )
    if organisation_limit(request) is None and request.user.organisation_id:
        scope |= Q(pk=request.user.organisation_id)
    ids = Organisation.objects.filter(scope).values("pk")
    return Organisation.objects.filter(pk__in=ids)


def users_for(request: Request) -> QuerySet[User]:
    """People of the organisations they see, and everyone named on a visible action."""
    if not request.user.is_authenticated:
        return User.objects.none()
    actions = actions_for(request)
    scope = (
        Q(organisation__in=organisations_for(request))
        | Q(pk__in=actions.values("owner_id"))
        | Q(pk__in=actions.values("assigned_by_id"))
    )
    if organisation_limit(request) is None:
        scope |= Q(pk=request.user.pk)
    ids = User.objects.filter(scope).values("pk")
    return User.objects.filter(pk__in=ids)
