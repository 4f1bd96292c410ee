"""What one API request may see: the pages' visibility rules, narrowed by the token.

The permission layer (actions.permissions) decides what a person sees and may do; a token
acts as its owner and can only narrow that: to reads, and to one local authority's plans.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from rest_framework.request import Request

from actions.models import Action
from actions.permissions import visible_inspection_query
from core.models import Organisation, User
from core.tokens.models import ApiToken
from inspections.models import Inspection


def token_of(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def organisation_limit(request: Request) -> int | None:
    """The id of the one local authority a token is limited to, if it is."""
    token = token_of(request)
    return token.organisation_id if token else None


def inspection_scope(request: Request) -> RawSQL | QuerySet | None:
    """The ids of the plans the request may see, as a subquery (None: every plan).

    Nothing is read here: each list filters on this in its own query, so visibility costs
    no round trip of its own and applies as it stands when the rows are read.
    """
    query = visible_inspection_query(request.user)
    limit = organisation_limit(request)
    if limit is None:
        return query
    limited = Inspection.objects.filter(local_authority_id=limit)
    return (limited if query is None else limited.filter(pk__in_ids=query)).values("pk")


def inspections_for(request: Request) -> QuerySet[Inspection]:
    query = inspection_scope(request)
    if query is None:
        return Inspection.objects.all()
    return Inspection.objects.filter(pk__in_ids=query)


def actions_for(request: Request, among: QuerySet | None = None) -> QuerySet[Action]:
    """The actions the request may see, of `among` (default: all actions)."""
    actions = Action.objects.all() if among is None else among
    query = inspection_scope(request)
    if query is None:
        return actions
    return actions.filter(recommendation__inspection_id__in_ids=query)  # core/lookups.py


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
