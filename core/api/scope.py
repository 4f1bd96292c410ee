"""What one API request may see: the pages' visibility rule, narrowed by the token.

plans.visibility decides which plans (and reports) a person sees; a token acts as its
owner and can only narrow that: to reads, and to one local authority's plans. Everything
a request reads is filtered on `plans_for` or `reports_for` in its own query (actions:
actions.api.common).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from rest_framework.request import Request

from actions.models import Action
from core.models import Organisation, User
from core.tokens.models import ApiToken
from inspections.models import Inspection
from plans.models import Plan
from plans.visibility import plans_seen_by, reports_seen_by


def token_of(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def organisation_limit(request: Request) -> int | None:
    """The id of the one local authority a token is limited to, if it is."""
    token = token_of(request)
    return token.organisation_id if token else None


def plans_for(request: Request) -> QuerySet[Plan]:
    """The plans the request may see: its person's, narrowed by the token."""
    return plans_seen_by(request.user, authority_id=organisation_limit(request))


def reports_for(request: Request) -> QuerySet[Inspection]:
    """The reports (inspections) the request may see: the sources of the plans it sees
    and the reports their councils hold as history, narrowed by the token."""
    return reports_seen_by(request.user, authority_id=organisation_limit(request))


def organisations_for(request: Request) -> QuerySet[Organisation]:
    """Their own organisation, the authorities whose plans they see and those
    authorities' partners: the organisations a visible plan may name
    (actions.permissions.plan_organisations). Not whatever an action names: an action
    written before that rule could name another council, whose people would follow."""
    if not request.user.is_authenticated:
        return Organisation.objects.none()
    authorities = plans_for(request).values("local_authority_id")
    scope = Q(pk__in=authorities) | Q(partner_of__in=authorities)
    if organisation_limit(request) is None and request.user.organisation_id:
        scope |= Q(pk=request.user.organisation_id)
    ids = Organisation.objects.filter(scope).values("pk")
    return Organisation.objects.filter(pk__in=ids)


def users_for(request: Request) -> QuerySet[User]:
    """People of the organisations they see (organisations_for: those a director may
    assign), and everyone named on an action of a visible plan."""
    if not request.user.is_authenticated:
        return User.objects.none()
    actions = Action.objects.filter(plan__in=plans_for(request))
    scope = (
        Q(organisation__in=organisations_for(request))
        | Q(pk__in=actions.values("owner_id"))
        | Q(pk__in=actions.values("assigned_by_id"))
    )
    if organisation_limit(request) is None:
        scope |= Q(pk=request.user.pk)
    ids = User.objects.filter(scope).values("pk")
    return User.objects.filter(pk__in=ids)
