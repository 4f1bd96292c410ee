"""Webhook subscriptions and their delivery log, managed by the systems that receive them.

Everyone with a role may subscribe (not a read-only token: that is a change); each person
manages their own subscriptions, administrators everyone's; a token limited to one local
authority manages only subscriptions limited to the same one. Other subscriptions answer
404. Everything goes through actions.webhooks.services, like the admin.
"""

from __future__ import annotations

import json
from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import decorators, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from actions.webhooks import services
from actions.webhooks.access import NOT_AN_ORGANISATION_SEEN, may_limit_to, subscriptions_for
from actions.webhooks.models import (
    ALL_EVENTS,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    EventType,
    Subscription,
)
from core.api.fields import (
    ID_PATTERN,
    ApiModelSerializer,
    IdRelatedField,
    StrictBooleanField,
    StrictCharField,
    UtcDateTimeField,
    WebUrlField,
)
from core.api.filters import BooleanFilter
from core.api.scope import organisation_limit
from core.models import Organisation

from . import serializers as s
from .common import require, validated

EVENT_CHOICES = [(ALL_EVENTS, "Every action event, including types added later")] + [
    (value, label) for value, label in EventType.choices if value != EventType.PING
]
SIGNING_HELP = (
    "The signing secret (`whsec_…`), shown now and never again. Receivers verify the "
    "`webhook-signature` header with it (Standard Webhooks)."
)
DELIVERY_ID = OpenApiParameter(
    "delivery_id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="A delivery of this subscription.",
)
EXAMPLE_ACTION = {
    "id": 812,
    "plan": 9,
    "recommendations": [77, 104],
    "wider_area": None,
    "theme": 31,
    "title": "Audit supervision records monthly",
    "description": "",
    "owner": 31,
    "owner_name": "Sam Jones",
    "organisation": 2,
    "assigned_by": 5,
    "assigned_at": "2026-10-01T09:12:44.120000Z",
    "due_date": "2026-12-18",
    "overdue": False,
    "status": "in_progress",
    "rag": "green",
    "rag_derived": "green",
    "rag_reason": "On track: progress recorded in the last 14 days.",
    "rag_override": "",
    "rag_override_reason": "",
    "expected_outcome": "Every child has a recorded supervision discussion each month.",
    "resources": "",
    "risks": "",
    "completed_at": None,
    "closure_justification": "",
    "signed_off_by": None,
    "signed_off_at": None,
    "version": 7,
    "created_at": "2026-09-20T14:03:10.000000Z",
    "updated_at": "2026-11-22T10:15:00.123456Z",
}
EXAMPLE_EVENT = {
    "id": "6f1c2d0e-3b7a-4c55-9a43-0d2f1e8b9c10",
    "type": "action.progress_recorded",
    "timestamp": "2026-11-22T10:15:00.123456Z",
    "data": {
        "action": EXAMPLE_ACTION,
        "actor": 31,
        "progress_update": {
            "id": 4021,
            "action": 812,
            "author": 31,
            "author_name": "Sam Jones",
            "created_at": "2026-11-22T10:15:00.101000Z",
            "text": "Audit of 40 cases: 36 seen within timescale.",
            "returned_by": None,
            "returned_at": None,
            "return_comment": "",
        },
    },
}
EXAMPLE_WEBHOOK = {
    "id": 3,
    "name": "Intranet plan tracker",
    "url": "https://intranet.example.gov.uk/hooks/closing-the-loop",
    "events": ["action.progress_recorded", "action.signed_off"],
    "organisation": None,
    "active": True,
    "paused_at": None,
    "paused_reason": "",
    "consecutive_failures": 0,
    "owner": 40,
    "previous_secret_expires_at": None,
    "created_at": "2026-11-22T09:00:00.000000Z",
    "updated_at": "2026-11-22T09:00:00.000000Z",
}
EXAMPLE_SIGNING_KEY = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6x2Ewdr9vLk="
EXAMPLE_DELIVERY = {
    "id": 90211,
    "subscription": 3,
    "event_id": EXAMPLE_EVENT["id"],
    "event_type": "action.progress_recorded",
    "action": 812,
    "status": "delivered",
    "attempts": 2,
    "next_attempt_at": None,
    "delivered_at": "2026-11-22T10:16:31.402000Z",
    "last_response_status": 204,
    "last_error": "",
    "redelivery": 0,
    "requested_by": None,
    "created_at": "2026-11-22T10:15:00.130000Z",
    "payload": EXAMPLE_EVENT,
    "attempt_log": [
        {
            "number": 1,
            "started_at": "2026-11-22T10:15:00.210000Z",
            "duration_ms": 10004,
            "response_status": None,
            "response_body": "",
            "error": "Timed out: read timeout=10.0",
        },
        {
            "number": 2,
            "started_at": "2026-11-22T10:16:31.380000Z",
            "duration_ms": 22,
            "response_status": 204,
            "response_body": "",
            "error": "",
        },
    ],
}


class WebhookEventDataSerializer(serializers.Serializer):
    action = s.ActionSerializer(
        required=False, help_text="The action as GET /api/v1/actions/{id}/ shows it."
    )
    actor = serializers.IntegerField(
        required=False, allow_null=True, help_text="The person who made the change."
    )
    progress_update = s.ProgressUpdateSerializer(required=False)
    evidence = s.EvidenceSerializer(required=False)
    measure = s.MeasureSerializer(required=False)
    reading = s.ReadingSerializer(required=False)
    subscription = serializers.IntegerField(required=False, help_text="Test pings only.")
    message = StrictCharField(required=False, help_text="Test pings only.")


class WebhookEventSerializer(serializers.Serializer):
    """The JSON body posted to a receiver (the shape of every event)."""

    id = serializers.UUIDField(help_text="The same as the webhook-id header.")
    type = serializers.ChoiceField(choices=EventType.choices)
    timestamp = UtcDateTimeField(help_text="When the change was made.")
    data = WebhookEventDataSerializer()


class EventsField(serializers.ListField):
    child = serializers.ChoiceField(choices=EVENT_CHOICES)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_empty", False)
        kwargs.setdefault("max_length", len(EVENT_CHOICES))
        kwargs.setdefault("help_text", 'Event types to receive; ["*"] for every action event.')
        super().__init__(**kwargs)


class WebhookSerializer(ApiModelSerializer):
    events = EventsField(source="event_types", read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "name",
            "url",
            "events",
            "organisation",
            "active",
            "paused_at",
            "paused_reason",
            "consecutive_failures",
            "owner",
            "previous_secret_expires_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookWithSecretSerializer(WebhookSerializer):
    secret = StrictCharField(read_only=True, help_text=SIGNING_HELP)

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookCreateSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100, help_text="The system that receives.")
    url = WebUrlField(
        max_length=1000, help_text="https, on an address reachable from the internet."
    )
    events = EventsField(required=False, default=[ALL_EVENTS])
    organisation = IdRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Only this local authority's plans: one whose plans you can see. A token "
        "limited to one authority always makes subscriptions limited to it.",
        error_messages={"does_not_exist": NOT_AN_ORGANISATION_SEEN},
    )
    active = StrictBooleanField(required=False, default=True)

    def validate_organisation(self, organisation: Organisation | None) -> Organisation | None:
        """One whose plans the subscriber sees; the same words as for an unknown id."""
        if organisation is not None and not may_limit_to(self.context["owner"], organisation):
            raise ValidationError(NOT_AN_ORGANISATION_SEEN, code="does_not_exist")
        return organisation


class WebhookUpdateSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100, required=False)
    url = WebUrlField(max_length=1000, required=False)
    events = EventsField(required=False)
    active = StrictBooleanField(
        required=False, help_text="false pauses, true resumes (and clears the failure count)."
    )


class AttemptSerializer(ApiModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = [
            "number",
            "started_at",
            "duration_ms",
            "response_status",
            "response_body",
            "error",
        ]
        read_only_fields = fields


class DeliverySerializer(ApiModelSerializer):
    payload = serializers.SerializerMethodField()
    attempt_log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "subscription",
            "event_id",
            "event_type",
            "action",
            "status",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "last_response_status",
            "last_error",
            "redelivery",
            "requested_by",
            "created_at",
            "payload",
            "attempt_log",
        ]
        read_only_fields = fields

    @extend_schema_field(WebhookEventSerializer)
    def get_payload(self, delivery: Delivery) -> dict[str, Any]:
        return json.loads(delivery.payload)


class WebhookFilter(django_filters.FilterSet):
    active = BooleanFilter(field_name="active", lookup_expr="exact")

    class Meta:
        model = Subscription
        fields: list[str] = []


class DeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices)
    event_type = django_filters.ChoiceFilter(choices=EventType.choices)

    class Meta:
        model = Delivery
        fields: list[str] = []


def _with_secret(subscription: Subscription, secret: str) -> dict[str, Any]:
    return {**WebhookSerializer(subscription).data, "secret": secret}


@extend_schema_view(
    list=extend_schema(
        summary="Webhook subscriptions",
        description="Your own subscriptions (administrators: everyone's).",
        examples=[OpenApiExample("A subscription", value=EXAMPLE_WEBHOOK, response_only=True)],
    ),
    retrieve=extend_schema(summary="One webhook subscription"),
)
class WebhookViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WebhookSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = WebhookFilter
    orderings = {"id": ("id",), "-id": ("-id",)}

    def get_queryset(self) -> QuerySet[Subscription]:
        return subscriptions_for(self.request.user, organisation_limit(self.request))

    def get_object(self) -> Subscription:
        subscription = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        require(self.request, "webhooks.manage_subscription", subscription)
        return subscription

    def _delivery(self, subscription: Subscription, delivery_id: str) -> Delivery:
        return get_object_or_404(
            subscription.deliveries.prefetch_related("attempt_log"), pk=delivery_id
        )

    @extend_schema(
        summary="Subscribe a system to action changes",
        description="Events are sent about the actions you can see (narrowed to one local "
        "authority if asked, or if the token is). The answer holds the signing secret: "
        "it is shown this once.",
        request=WebhookCreateSerializer,
        responses={201: WebhookWithSecretSerializer},
        examples=[
            OpenApiExample(
                "Progress and sign-offs",
                request_only=True,
                value={
                    "name": "Intranet plan tracker",
                    "url": "https://intranet.example.gov.uk/hooks/closing-the-loop",
                    "events": ["action.progress_recorded", "action.signed_off"],
                },
            ),
            OpenApiExample(
                "Created",
                response_only=True,
                status_codes=["201"],
                value={**EXAMPLE_WEBHOOK, "secret": EXAMPLE_SIGNING_KEY},
            ),
        ],
    )
    def create(self, request: Request) -> Response:
        require(request, "webhooks.subscribe")
        data = validated(WebhookCreateSerializer, request, owner=request.user)
        limit = organisation_limit(request)
        organisation = data["organisation"]
        if limit is not None:
            if organisation is not None and organisation.pk != limit:
                raise ValidationError(
                    {"organisation": ["This token is limited to another local authority."]}
                )
            organisation = Organisation.objects.get(pk=limit)
        # Past the per-person limit: a 422 (a rule, not a malformed request).
        subscription, secret = services.create_subscription(
            by=request.user,
            name=data["name"],
            url=data["url"],
            event_types=data["events"],
            organisation=organisation,
            active=data["active"],
        )
        location = request.build_absolute_uri(f"{subscription.pk}/")
        return Response(
            _with_secret(subscription, secret), status=201, headers={"Location": location}
        )

    @extend_schema(
        summary="Change a subscription's name, URL, events, or pause and resume it",
        request=WebhookUpdateSerializer,
        responses=WebhookSerializer,
        examples=[OpenApiExample("Resume", request_only=True, value={"active": True})],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        subscription = self.get_object()
        form = WebhookUpdateSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        changes = dict(form.validated_data)
        if "events" in changes:
            changes["event_types"] = changes.pop("events")
        subscription = services.update_subscription(
            subscription=subscription, by=request.user, **changes
        )
        return Response(WebhookSerializer(subscription).data)

    @extend_schema(summary="Delete a subscription (and its delivery log)", responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        services.delete_subscription(subscription=self.get_object(), by=request.user)
        return Response(status=204)

    @extend_schema(
        summary="Rotate the signing secret",
        description="The new secret is in the answer, once. For WEBHOOK_SECRET_GRACE_HOURS "
        "(24 by default) deliveries are signed with the old secret too.",
        request=None,
        responses=WebhookWithSecretSerializer,
        filters=False,
    )
    @decorators.action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        subscription, secret = services.rotate_secret(
            subscription=self.get_object(), by=request.user
        )
        return Response(_with_secret(subscription, secret))

    @extend_schema(
        summary="Send a test ping",
        description="A `webhook.ping` event is queued at once (even while paused); follow "
        "its delivery in the log.",
        request=None,
        responses={202: DeliverySerializer},
        filters=False,
    )
    @decorators.action(detail=True, methods=["post"])
    def ping(self, request: Request, pk: str) -> Response:
        delivery = services.send_ping(subscription=self.get_object(), by=request.user)
        return Response(DeliverySerializer(delivery).data, status=202)

    @extend_schema(
        summary="Deliveries of a subscription, newest first",
        description="Every event sent or to send, with each attempt's time, answer and "
        "duration (the answer's body cut to 1,000 characters).",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=DeliveryStatus.values),
            OpenApiParameter("event_type", OpenApiTypes.STR, enum=EventType.values),
        ],
        responses=DeliverySerializer(many=True),
        filters=False,
        examples=[OpenApiExample("A delivery", value=EXAMPLE_DELIVERY, response_only=True)],
    )
    @decorators.action(detail=True, methods=["get"], orderings={"-id": ("-id",), "id": ("id",)})
    def deliveries(self, request: Request, pk: str) -> Response:
        subscription = self.get_object()
        found = DeliveryFilter(
            request.query_params, queryset=subscription.deliveries.prefetch_related("attempt_log")
        )
        if not found.is_valid():
            raise ValidationError(found.errors)
        page = self.paginate_queryset(found.qs)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(
        summary="One delivery",
        parameters=[DELIVERY_ID],
        responses=DeliverySerializer,
        filters=False,
        examples=[OpenApiExample("A delivery", value=EXAMPLE_DELIVERY, response_only=True)],
    )
    @decorators.action(
        detail=True, methods=["get"], url_path=r"deliveries/(?P<delivery_id>[0-9]{1,18})"
    )
    def delivery(self, request: Request, pk: str, delivery_id: str) -> Response:
        found = self._delivery(self.get_object(), delivery_id)
        return Response(DeliverySerializer(found).data)

    @extend_schema(
        summary="Deliver an event again",
        description="The same payload and `webhook-id`, as a new delivery in the log. Only "
        "for finished deliveries, while the subscription is active.",
        parameters=[DELIVERY_ID],
        request=None,
        responses={202: DeliverySerializer},
        filters=False,
    )
    @decorators.action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]{1,18})/redeliver",
    )
    def redeliver(self, request: Request, pk: str, delivery_id: str) -> Response:
        found = self._delivery(self.get_object(), delivery_id)
        copy = services.redeliver(delivery=found, by=request.user)
        return Response(DeliverySerializer(copy).data, status=202)
