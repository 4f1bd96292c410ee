"""Search and filters for action lists (pages and API share them)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.forms import DateField
from core.models import Organisation, User
from inspections.models import Timescale
from plans.models import Plan, Theme

from .models import Action, Rag, Status, overdue_condition


def answering(**item: str) -> QuerySet:
    """The ids of actions answering an item that matches, as a subquery: filtering
    across the many-to-many join would list an action once per matching item."""
    return Action.recommendations.through.objects.filter(**item).values("action_id")


class DateFilter(django_filters.DateFilter):
    """A date typed with the service's one date input: day, month and year."""

    field_class = DateField


class ActionFilter(django_filters.FilterSet):
    """The search page's filters, labelled in the words of the page."""

    q = django_filters.CharFilter(method="search", label="Search")
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(owned_actions__isnull=False).distinct(),
        label="Responsible officer",
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(), label="Organisation"
    )
    plan = django_filters.ModelChoiceFilter(
        queryset=Plan.objects.select_related("local_authority"), label="Plan"
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.select_related("plan"), label="Theme"
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, label="Status")
    rag = django_filters.ChoiceFilter(choices=Rag.choices, method="filter_rag", label="RAG")
    timescale = django_filters.ChoiceFilter(
        method="filter_timescale", choices=Timescale.choices, label="Timescale"
    )
    due_after = DateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after")
    due_before = DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")

    class Meta:
        model = Action
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(pk__in=answering(recommendation__text__icontains=value))
            | Q(wider_area__text__icontains=value)
        )

    def filter_timescale(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Actions answering at least one item of this timescale (each listed once)."""
        return queryset.filter(pk__in=answering(recommendation__timescale=value))

    def filter_rag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The RAG people see: a director's override wins over the derived value."""
        return queryset.filter(Q(rag_override=value) | Q(rag_override="", rag=value))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = overdue_condition(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
