"""Filters for inspections and recommendations."""

from __future__ import annotations

import django_filters

from core.api.filters import BooleanFilter, IdFilter
from inspections.models import Inspection, InspectionType, Recommendation, Timescale


class InspectionFilter(django_filters.FilterSet):
    local_authority = IdFilter(field_name="local_authority_id")
    plan = IdFilter(field_name="plan_id", help_text="The plan it is a source of.")
    held_as_history = BooleanFilter(
        field_name="plan", lookup_expr="isnull", help_text="A source of no plan."
    )
    inspection_type = django_filters.ChoiceFilter(choices=InspectionType.choices)
    published_after = django_filters.DateFilter(field_name="publication_date", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="publication_date", lookup_expr="lte")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Inspection
        fields: list[str] = []


class RecommendationFilter(django_filters.FilterSet):
    inspection = IdFilter(field_name="inspection_id")
    plan = IdFilter(field_name="inspection__plan_id", help_text="Of a source of this plan.")
    timescale = django_filters.ChoiceFilter(choices=Timescale.choices)
    priority = BooleanFilter(field_name="priority")
    addressee_organisation = IdFilter(field_name="addressee_organisation_id")

    class Meta:
        model = Recommendation
        fields: list[str] = []
