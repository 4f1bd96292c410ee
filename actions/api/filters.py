"""The action list's filters for the API: the pages' ActionFilter, stricter about input.

Ids are plain numbers (an unknown id finds nothing rather than revealing whether it
exists), and booleans accept only `true` or `false`.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from actions.filters import ActionFilter
from actions.models import Action, overdue_condition
from core.api.filters import BooleanFilter, IdFilter


class ApiActionFilter(ActionFilter):
    owner = IdFilter(field_name="owner_id", help_text="Owner's user id.")
    organisation = IdFilter(field_name="organisation_id")
    inspection = IdFilter(field_name="recommendation__inspection_id")
    recommendation = IdFilter(field_name="recommendation_id")
    overdue = BooleanFilter(method="filter_overdue", label="Overdue")
    # Systems send dates as ISO 8601 (YYYY-MM-DD), not as a person's three boxes.
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", help_text="Due on or after (YYYY-MM-DD)."
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", help_text="Due on or before (YYYY-MM-DD)."
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Changed at or after this time (ISO 8601); for incremental sync.",
    )

    class Meta:
        model = Action
        fields: list[str] = []

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        overdue = overdue_condition(timezone.localdate())
        return queryset.filter(overdue) if value == "true" else queryset.exclude(overdue)
