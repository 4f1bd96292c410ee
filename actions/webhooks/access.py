"""Who receives which events, and who manages which subscriptions.

Receiving: a subscription sees exactly what its owner sees on the pages and through the
API (plans.permissions), narrowed to one local authority when it is limited to one, as
an API token is. Managing: people with a role manage their own subscriptions;
administrators (superusers) manage everyone's. Both rules live in plans.permissions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from actions.models import Action
from core.models import Organisation, User
from inspections.authorities import authorities_for
from plans.visibility import plans_seen_by, who_sees

from .models import Subscription


def receivers(subscriptions: Iterable[Subscription], action: Action) -> list[Subscription]:
    """Those of the subscriptions that may be told about this action now: the owner sees
    the action's plan (plans.visibility.who_sees), and a subscription limited to one
    local authority is limited to that authority's plans. Decided for all of them in one
    query (however many subscriptions, however many owners)."""
    plan = action.plan
    candidates = [
        subscription
        for subscription in subscriptions
        if subscription.owner.is_active
        and subscription.organisation_id in (None, plan.local_authority_id)
    ]
    owners = {subscription.owner_id: subscription.owner for subscription in candidates}
    seeing = who_sees(owners.values(), plan.pk) if owners else set()
    return [subscription for subscription in candidates if subscription.owner_id in seeing]


NOT_AN_ORGANISATION_SEEN = (
    "Choose a local authority whose plans you can see, or leave the organisation out to "
    "receive events about every plan you can see."
)


def may_limit_to(owner: User, organisation: Organisation) -> bool:
    """May a subscription of `owner` be limited to this organisation's plans?

    Only to a local authority whose plans the owner sees, now or once it has any: their
    own council, one their organisation is a partner of, or the council of a plan they
    see through an action they own (administrators: any council). Any other limit would
    let the subscription receive nothing, and accepting it would tell that the
    organisation exists; callers answer both the same way (NOT_AN_ORGANISATION_SEEN).
    """
    if authorities_for(owner).filter(pk=organisation.pk).exists():
        return True
    plans = plans_seen_by(owner, authority_id=organisation.pk)
    return organisation.kind == Organisation.Kind.LOCAL_AUTHORITY and plans.exists()


def sees(subscription: Subscription, action: Action) -> bool:
    """May this subscription be told about this action now?"""
    return bool(receivers([subscription], action))


def subscriptions_for(user: User, organisation_limit: int | None = None) -> QuerySet[Subscription]:
    """The subscriptions a person may manage; with a limit (a token's), only those limited
    to the same local authority."""
    if not (user.is_authenticated and user.is_active):
        return Subscription.objects.none()
    found = Subscription.objects.all() if user.is_superuser else user.webhook_subscriptions.all()
    if organisation_limit is not None:
        found = found.filter(organisation_id=organisation_limit)
    return found
