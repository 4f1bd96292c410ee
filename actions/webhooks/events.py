"""Action events: one call per service, in the same transaction as the change.

Every service in actions/services.py that changes an action calls `action_changed` once,
after its audit entry and RAG refresh. Those services are the only write path (pages, API
and the tracker import all call them), so every change people make is an event.

Why one explicit call per service rather than a hook in `core.audit.record`, which every
service also calls: the audit log is core's and generic (tokens, documents, sign-ins write
to it too), its verbs do not map one to one onto events (`progress` is written about the
action or about the update, a return writes two entries), and a hook there would make a
logging call post to other systems. An explicit call names its event type where the
change is made, and tests/actions/webhooks/test_events.py checks each service's event.

The deliveries are rows written in the caller's transaction (an outbox): if the change
rolls back, so does the event; once it commits, the rows are handed to workers
(dispatch.publish_on_commit) or, if the broker is down, to the next sweep.

Not events: the nightly RAG refresh (time alone turning an action red does not change
`version` either) and rows written directly in the admin's Action form.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from actions.models import Action
from core.models import User

from . import dispatch, payloads
from .access import receivers
from .models import Delivery, EventType, Subscription


def action_changed(
    *, action: Action, event_type: EventType, by: User | None, item: models.Model | None = None
) -> list[int]:
    """Record the event for every active subscription that may see the action.

    Returns the new deliveries' ids. With no subscription this costs one small query.
    """
    subscriptions = [
        subscription
        for subscription in Subscription.objects.filter(active=True).select_related("owner")
        if subscription.wants(event_type)
    ]
    if not subscriptions:
        return []
    current = Action.objects.select_related("owner", "plan").get(pk=action.pk)
    told = receivers(subscriptions, current)
    if not told:
        return []
    now = timezone.now()
    data = {"action": payloads.action(current), "actor": by.pk if by else None}
    if item is not None:
        key, representation = payloads.item(item)
        data[key] = representation
    rows = []
    for subscription in told:
        event_id = uuid.uuid4()  # one per receiver: two subscriptions may share a URL
        rows.append(
            Delivery(
                subscription=subscription,
                event_id=event_id,
                event_type=event_type,
                action=current,
                payload=payloads.body(event_id=event_id, event_type=event_type, at=now, data=data),
                next_attempt_at=now,
            )
        )
    created = Delivery.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk is not None]
    dispatch.publish_on_commit(ids)
    return ids
