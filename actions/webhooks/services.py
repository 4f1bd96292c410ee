"""Managing subscriptions: every change checks permission, is audited and is one transaction.

The API and the admin call these. A new secret is returned once (on creation and on
rotation) and never shown again.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from core import audit
from core.errors import DomainError
from core.models import Organisation, User
from plans.permissions import can

from . import access, dispatch, payloads, signing, targets
from .models import (
    ACTION_EVENTS,
    ALL_EVENTS,
    FINISHED,
    Delivery,
    EventType,
    Subscription,
)

logger = logging.getLogger(__name__)

AUDITED = ["name", "url", "event_types", "organisation", "active", "paused_reason"]


def _require(user: User, permission: str, obj: Any = None) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")


def clean_event_types(event_types: Iterable[str]) -> list[str]:
    """Known action event types, without repeats; ["*"] stands for all of them."""
    chosen = list(dict.fromkeys(event_types))
    if not chosen:
        raise DomainError("Choose at least one event type.", field="events")
    unknown = [name for name in chosen if name != ALL_EVENTS and name not in ACTION_EVENTS]
    if unknown:
        raise DomainError(f"Unknown event types: {', '.join(unknown)}.", field="events")
    return [ALL_EVENTS] if ALL_EVENTS in chosen else chosen


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    try:
        targets.check_url(url)
    except targets.RefusedTarget as exc:
        raise DomainError(str(exc), field="url") from None
    return url


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter the name of the system that receives the events.", field="name")
    return name[:100]


class TooManySubscriptions(DomainError):
    """The owner holds WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON subscriptions already."""


def check_subscription_limit(owner: User) -> None:
    """Each subscription is work for the webhooks queue at every change its owner sees:
    one person may hold WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON of them."""
    limit = settings.WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON
    # Counted under a lock on the owner's row, so two requests at once cannot both pass.
    type(owner).objects.select_for_update().filter(pk=owner.pk).first()
    if Subscription.objects.filter(owner=owner).count() >= limit:
        raise TooManySubscriptions(
            f"You already have {limit} webhook subscriptions, the most one person may "
            "have: delete one you no longer use first."
        )


@transaction.atomic
def create_subscription(
    *,
    by: User,
    name: str,
    url: str,
    event_types: Iterable[str] = (ALL_EVENTS,),
    owner: User | None = None,
    organisation: Organisation | None = None,
    active: bool = True,
) -> tuple[Subscription, str]:
    """A new subscription and its signing secret (shown now, never again).

    It belongs to `by` unless an administrator names another owner; it sees what its owner
    sees, optionally limited to one local authority.
    """
    owner = owner or by
    _require(by, "webhooks.subscribe")
    if owner.pk != by.pk and not by.is_superuser:
        raise PermissionDenied("Only administrators create subscriptions for someone else.")
    if not owner.is_active:
        raise DomainError("The subscription's owner must be an active person.", field="owner")
    if organisation is not None and not access.may_limit_to(owner, organisation):
        raise DomainError(access.NOT_AN_ORGANISATION_SEEN, field="organisation")
    check_subscription_limit(owner)
    secret = signing.new_secret()
    subscription = Subscription.objects.create(
        name=_clean_name(name),
        owner=owner,
        url=_clean_url(url),
        secret=secret,
        event_types=clean_event_types(event_types),
        organisation=organisation,
        active=active,
        created_by=by,
    )
    audit.record(
        actor=by,
        verb="create_webhook",
        obj=subscription,
        summary=f"Webhook {subscription.name} to {subscription.url}",
        after={**audit.snapshot(subscription, AUDITED), "owner": owner.pk},
    )
    return subscription, secret


@transaction.atomic
def update_subscription(*, subscription: Subscription, by: User, **changes: Any) -> Subscription:
    """Change the name, URL, event types or active state. Resuming a paused subscription
    clears its failure count and note; its waiting deliveries are tried again."""
    _require(by, "webhooks.manage_subscription", subscription)
    unknown = set(changes) - {"name", "url", "event_types", "active"}
    if unknown:
        raise DomainError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    before = audit.snapshot(subscription, AUDITED)
    if "name" in changes:
        subscription.name = _clean_name(changes["name"])
    if "url" in changes:
        subscription.url = _clean_url(changes["url"])
    if "event_types" in changes:
        subscription.event_types = clean_event_types(changes["event_types"])
    if "active" in changes and changes["active"] != subscription.active:
        subscription.active = bool(changes["active"])
        if subscription.active:
            subscription.paused_at, subscription.paused_reason = None, ""
            subscription.consecutive_failures = 0
        else:
            subscription.paused_at = timezone.now()
            subscription.paused_reason = f"Paused by {by}."
    subscription.save()
    after = audit.snapshot(subscription, AUDITED)
    if after != before:
        audit.record(
            actor=by,
            verb="update_webhook",
            obj=subscription,
            summary=f"Webhook {subscription.name} changed",
            before=before,
            after=after,
        )
    return subscription


@transaction.atomic
def delete_subscription(*, subscription: Subscription, by: User) -> None:
    """Nothing more is sent; its delivery log goes with it."""
    _require(by, "webhooks.manage_subscription", subscription)
    audit.record(
        actor=by,
        verb="delete_webhook",
        obj=subscription,
        summary=f"Webhook {subscription.name} to {subscription.url} deleted",
        before=audit.snapshot(subscription, AUDITED),
    )
    subscription.delete()


@transaction.atomic
def rotate_secret(*, subscription: Subscription, by: User) -> tuple[Subscription, str]:
    """A new signing secret, returned once. For WEBHOOK_SECRET_GRACE_HOURS deliveries are
    signed with the old one too, so the receiver can switch without refusing anything."""
    _require(by, "webhooks.manage_subscription", subscription)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    secret = signing.new_secret()
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = timezone.now() + dt.timedelta(
        hours=settings.WEBHOOK_SECRET_GRACE_HOURS
    )
    subscription.secret = secret
    subscription.save()
    audit.record(
        actor=by,
        verb="rotate_webhook_secret",
        obj=subscription,
        summary=f"Webhook {subscription.name}: signing secret rotated",
    )
    return subscription, secret


@transaction.atomic
def send_ping(*, subscription: Subscription, by: User) -> Delivery:
    """A test event, sent at once even while the subscription is paused (so a receiver
    can be checked before resuming). Its result is in the delivery log."""
    _require(by, "webhooks.manage_subscription", subscription)
    now = timezone.now()
    event_id = uuid.uuid4()
    data = {
        "subscription": subscription.pk,
        "message": "A test event: the receiver is reachable and the signature checks.",
    }
    delivery = Delivery.objects.create(
        subscription=subscription,
        event_id=event_id,
        event_type=EventType.PING,
        payload=payloads.body(event_id=event_id, event_type=EventType.PING, at=now, data=data),
        requested_by=by,
        next_attempt_at=now,
    )
    audit.record(actor=by, verb="ping_webhook", obj=subscription, summary=str(delivery))
    dispatch.publish_on_commit([delivery.pk])
    return delivery


@transaction.atomic
def redeliver(*, delivery: Delivery, by: User) -> Delivery:
    """Send an event again, as it was (same payload, same `webhook-id`), as a new delivery
    in the log. Only finished deliveries, and only while the subscription is active."""
    subscription = Subscription.objects.select_for_update().get(pk=delivery.subscription_id)
    _require(by, "webhooks.manage_subscription", subscription)
    if delivery.status not in FINISHED:
        raise DomainError("This delivery is still being attempted.")
    if not subscription.active and delivery.event_type != EventType.PING:
        raise DomainError("The subscription is paused: resume it first.")
    latest = Delivery.objects.filter(
        subscription=subscription, event_id=delivery.event_id
    ).aggregate(latest=Max("redelivery"))["latest"]
    copy = Delivery.objects.create(
        subscription=subscription,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        action_id=delivery.action_id,
        payload=delivery.payload,
        redelivery=(latest or 0) + 1,
        requested_by=by,
        next_attempt_at=timezone.now(),
    )
    audit.record(
        actor=by,
        verb="redeliver_webhook",
        obj=copy,
        summary=f"Delivery {delivery.pk} sent again as {copy.pk}",
    )
    dispatch.publish_on_commit([copy.pk])
    return copy


@transaction.atomic
def note_failed_delivery(*, subscription_id: int) -> bool:
    """Count a delivery that gave up; pause the subscription after
    WEBHOOK_PAUSE_AFTER_FAILURES in a row. Returns True if this paused it."""
    Subscription.objects.filter(pk=subscription_id).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    subscription = Subscription.objects.select_for_update().get(pk=subscription_id)
    limit = settings.WEBHOOK_PAUSE_AFTER_FAILURES
    if not (limit and subscription.active and subscription.consecutive_failures >= limit):
        return False
    before = audit.snapshot(subscription, AUDITED)
    subscription.active = False
    subscription.paused_at = timezone.now()
    subscription.paused_reason = (
        f"Paused automatically on {subscription.paused_at:%Y-%m-%d %H:%M} UTC after "
        f"{subscription.consecutive_failures} deliveries in a row failed. Fix the receiver, "
        "send a test ping, then resume."
    )
    subscription.save()
    audit.record(
        actor=None,
        verb="pause_webhook",
        obj=subscription,
        summary=subscription.paused_reason,
        before=before,
        after=audit.snapshot(subscription, AUDITED),
    )
    logger.warning("webhook %s paused: %s", subscription.pk, subscription.paused_reason)
    return True
