"""Filters for plans."""

from __future__ import annotations

import django_filters

from core.api.filters import IdFilter
from plans.models import Plan, PlanStatus


class PlanFilter(django_filters.FilterSet):
    local_authority = IdFilter(field_name="local_authority_id")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Plan
        fields: list[str] = []
