"""What one API request may see: the pages' visibility rules, narrowed by the token.

The permission layer (actions.permissions) decides what a person sees and may do; a token
acts as its owner and can only narrow that: to reads, and to one local authority's plans.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from rest_framework.request import Request

from actions.models import Action
from actions.permissions import visible_inspection_query
from core.models import Organisation, User
from core.statements import Value
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


@dataclasses.dataclass(frozen=True)
class ScopeShape:
    """What the SQL of a request's scope depends on, beside the ids it takes as
    parameters (see actions.permissions.visible_inspection_query): requests of the same
    shape differ only in those ids. Used to compile a list's query once per shape
    (core/statements.py)."""

    superuser: bool
    with_organisation: bool
    limited: bool  # the token is limited to one local authority

    @classmethod
    def of(cls, request: Request) -> ScopeShape | None:
        """None for a request without a person: nothing to compile for."""
        user = request.user
        if not user.is_authenticated:
            return None
        limited = organisation_limit(request) is not None
        return cls(user.is_superuser, bool(user.organisation_id), limited)

    def values(self) -> dict[str, Value]:
        """The ids the scope's SQL takes, with stand-ins no row has."""
        values = {}
        if not self.superuser:
            values["person"] = Value(-1_000_000_101)
            if self.with_organisation:
                values["person's organisation"] = Value(-1_000_000_102)
        if self.limited:
            values["token's organisation"] = Value(-1_000_000_103)
        return values

    def stand_in_request(self) -> Any:
        """A request of this shape whose ids are the stand-ins of `values`."""
        values = {name: value.stand_in for name, value in self.values().items()}
        user = User(
            pk=values.get("person", -1_000_000_100),
            is_superuser=self.superuser,
            organisation_id=values.get("person's organisation"),
        )
        token = ApiToken(organisation_id=values.get("token's organisation"))
        return _StandInRequest(user=user, auth=token)

    @staticmethod
    def ids(request: Request) -> dict[str, Any]:
        """The request's own values for `values`."""
        return {
            "person": request.user.pk,
            "person's organisation": request.user.organisation_id,
            "token's organisation": organisation_limit(request),
        }


@dataclasses.dataclass(frozen=True)
class _StandInRequest:
    user: User
    auth: ApiToken


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
    """Their own organisation, the authorities whose plans they see and those
    authorities' partners: the organisations a visible plan may name
    (actions.permissions.plan_organisations). Not whatever an action names: an action
    written before that rule could name another council, whose people would follow."""
    if not request.user.is_authenticated:
        return Organisation.objects.none()
    inspections = inspections_for(request)
    authorities = inspections.values("local_authority_id")
    scope = Q(pk__in=authorities) | Q(partner_of__in=authorities)
    if organisation_limit(request) is None and request.user.organisation_id:
        scope |= Q(pk=request.user.organisation_id)
    ids = Organisation.objects.filter(scope).values("pk")
    return Organisation.objects.filter(pk__in=ids)


def users_for(request: Request) -> QuerySet[User]:
    """People of the organisations they see (organisations_for: those a director may
    assign), and everyone named on a visible action."""
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
