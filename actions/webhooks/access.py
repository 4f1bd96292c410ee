"""Who receives which events, and who manages which subscriptions.

Receiving: a subscription sees exactly what its owner sees on the pages and through the
API (actions.permissions), narrowed to one local authority when it is limited to one, as
an API token is. Managing: people with a role manage their own subscriptions;
administrators (superusers) manage everyone's. Both rules live in actions.permissions.
"""

from __future__ import annotations

from django.db.models import QuerySet

from actions.models import Action
from actions.permissions import can
from core.models import User

from .models import Subscription


def sees(subscription: Subscription, action: Action) -> bool:
    """May this subscription be told about this action now?"""
    owner = subscription.owner
    if not owner.is_active:
        return False
    authority_id = action.recommendation.inspection.local_authority_id
    if subscription.organisation_id is not None and subscription.organisation_id != authority_id:
        return False
    return can(owner, "actions.view_action", action)


def subscriptions_for(user: User, organisation_limit: int | None = None) -> QuerySet[Subscription]:
    """The subscriptions a person may manage; with a limit (a token's), only those limited
    to the same local authority."""
    if not (user.is_authenticated and user.is_active):
        return Subscription.objects.none()
    found = Subscription.objects.all() if user.is_superuser else user.webhook_subscriptions.all()
    if organisation_limit is not None:
        found = found.filter(organisation_id=organisation_limit)
    return found
