"""Reminders (read only): what was sent, is waiting or failed, about the plans you see."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from actions.reminders.models import Kind, Reminder, ReminderStatus
from core.api.fields import ID_PATTERN, ApiModelSerializer
from core.api.filters import IdFilter
from core.api.scope import organisation_limit, reports_for

from .common import actions_for


class ReminderSerializer(ApiModelSerializer):
    class Meta:
        model = Reminder
        fields = [
            "id",
            "kind",
            "recipient",
            "action",
            "inspection",
            "due_date",
            "scheduled_for",
            "status",
            "sent_at",
            "channel",
            "created_at",
        ]
        read_only_fields = fields


class ReminderFilter(django_filters.FilterSet):
    action = IdFilter(field_name="action_id")
    inspection = IdFilter(
        field_name="inspection_id", help_text="About this report's submission deadline."
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    status = django_filters.ChoiceFilter(choices=ReminderStatus.choices)
    scheduled_after = django_filters.DateFilter(field_name="scheduled_for", lookup_expr="gte")

    class Meta:
        model = Reminder
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="Reminders",
        description="Reminders about the actions and "
        "plans you can see, and your own weekly digests.",
    ),
    retrieve=extend_schema(summary="One reminder"),
)
class ReminderViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReminderSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = ReminderFilter
    orderings = {"id": ("id",), "-id": ("-id",), "scheduled_for": ("scheduled_for", "id")}

    def get_queryset(self) -> QuerySet[Reminder]:
        if not self.request.user.is_authenticated:  # the schema generator's fake request
            return Reminder.objects.none()
        scope = Q(action__in=actions_for(self.request)) | Q(
            inspection__in=reports_for(self.request)
        )
        if organisation_limit(self.request) is None:
            scope |= Q(kind=Kind.DIGEST, recipient=self.request.user)
        return Reminder.objects.filter(scope)
