"""Webhooks: subscriptions of other council systems, and the log of every delivery.

`Delivery` is the outbox, the schedule and the record at once. An event writes one row per
subscriber in the same transaction as the change it describes (so an event exists exactly
when the change committed); a sweep finds the rows due now and a small task claims each
with a conditional update before it posts. See docs/webhooks.md.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models

from actions.models import Action
from core.models import Organisation

ALL_EVENTS = "*"


class EventType(models.TextChoices):
    ACTION_CREATED = "action.created", "Action drafted"
    ACTION_UPDATED = "action.updated", "Action details changed"
    OWNER_ASSIGNED = "action.owner_assigned", "Responsible officer assigned"
    DUE_DATE_MOVED = "action.due_date_moved", "Due date moved"
    RAG_OVERRIDDEN = "action.rag_overridden", "RAG set or cleared by hand"
    PROGRESS_RECORDED = "action.progress_recorded", "Progress recorded"
    EVIDENCE_ADDED = "action.evidence_added", "Evidence added"
    MEASURE_ADDED = "action.measure_added", "Measure added"
    READING_RECORDED = "action.reading_recorded", "Measure reading recorded"
    COMPLETED = "action.completed", "Action marked complete"
    IMPACT_SUBMITTED = "action.impact_submitted", "Impact submitted"
    SIGNED_OFF = "action.signed_off", "Signed off (closed)"
    REOPENED = "action.reopened", "Action reopened"
    ITEM_RETURNED = "action.item_returned", "Progress update or evidence returned"
    PING = "webhook.ping", "Test ping"


ACTION_EVENTS = [choice for choice in EventType.values if choice != EventType.PING]


class Subscription(models.Model):
    """A receiver of action events, seeing exactly what its owner may see.

    The signing secret is stored as it is because every delivery is signed with it; it is
    shown once, when made, and never again (docs/security.md).
    """

    name = models.CharField(max_length=100, help_text="The system that receives, e.g. 'Intranet'.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        help_text="Events are sent only about actions this person may see.",
    )
    url = models.URLField(max_length=1000, help_text="Where events are posted.")
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    event_types = models.JSONField(
        default=list, help_text='Event types to send, or ["*"] for every action event.'
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        help_text="Only this local authority's plans (leave empty for all its owner can see).",
    )
    active = models.BooleanField(default=True)
    paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    paused_reason = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "webhook subscription"
        indexes = [models.Index(fields=["active"], name="webhook_subscription_active")]

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str) -> bool:
        if event_type == EventType.PING:
            return True
        return ALL_EVENTS in self.event_types or event_type in self.event_types


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an attempt"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed: gave up"
    CANCELLED = "cancelled", "Not sent: no longer allowed"


FINISHED = [DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED]


class Delivery(models.Model):
    """One event for one subscription, posted until the receiver answers 2xx or we give up."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The `webhook-id` header: the same for every attempt and every redelivery, so a
    # receiver can recognise a message it already processed.
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The exact JSON text posted: every attempt sends (and signs) the same bytes.
    payload = models.TextField()
    redelivery = models.PositiveSmallIntegerField(
        default=0, help_text="0 for the event's own delivery; 1, 2, … for redeliveries."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who asked for a test ping or a redelivery.",
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id", "redelivery"], name="webhook_delivery_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="delivered") | models.Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="pending") | models.Q(next_attempt_at__isnull=False),
                name="webhook_pending_has_next_attempt",
            ),
        ]
        indexes = [
            # The sweep's query: small, only rows still waiting are in it.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due_idx",
            ),
            models.Index(fields=["subscription", "id"], name="webhook_delivery_sub_idx"),
            models.Index(fields=["status", "created_at"], name="webhook_delivery_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.subscription} ({self.get_status_display()})"

    @property
    def data(self) -> Any:
        return json.loads(self.payload)


class DeliveryAttempt(models.Model):
    """One POST to the receiver: when, how long, what it answered (the body truncated)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number", "id"]
        indexes = [models.Index(fields=["delivery", "number"], name="webhook_attempt_idx")]

    def __str__(self) -> str:
        return f"Attempt {self.number} of delivery {self.delivery_id}"

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300
