"""The action list's filters for the API: the pages' ActionFilter, stricter about input.

Ids are plain numbers (an unknown id finds nothing rather than revealing whether it
exists), and booleans accept only `true` or `false`. What an action answers is many
items: those filters ask "answers any item that…" in a subquery, so that an action
answering two matching items is still listed once.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from actions.filters import ActionFilter, answering
from actions.models import Action, overdue_condition
from core.api.filters import BooleanFilter, IdFilter
from inspections.models import Timescale


class ApiActionFilter(ActionFilter):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        help_text="Part of the title, of what will be done, of an item it answers or of "
        "the wider area it answers.",
    )
    owner = IdFilter(field_name="owner_id", help_text="Owner's user id.")
    organisation = IdFilter(field_name="organisation_id")
    plan = IdFilter(field_name="plan_id", help_text="The plan it belongs to.")
    theme = IdFilter(field_name="theme_id", help_text="The theme it is filed under.")
    wider_area = IdFilter(field_name="wider_area_id", help_text="The wider area it answers.")
    recommendation = IdFilter(
        method="filter_answers", help_text="Answers this recommendation (among others)."
    )
    inspection = IdFilter(
        method="filter_answers", help_text="Answers an item of this report (inspection)."
    )
    timescale = django_filters.ChoiceFilter(
        choices=Timescale.choices,
        method="filter_answers",
        help_text="Answers an item with this timescale.",
    )
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

    def filter_answers(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        lookup = {
            "recommendation": "recommendation_id",
            "inspection": "recommendation__inspection_id",
            "timescale": "recommendation__timescale",
        }[name]
        return queryset.filter(pk__in=answering(**{lookup: value}))

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        overdue = overdue_condition(timezone.localdate())
        return queryset.filter(overdue) if value == "true" else queryset.exclude(overdue)
