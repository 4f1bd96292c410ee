"""Filter parts shared by the API's filter sets."""

from __future__ import annotations

import functools
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.request import Request

from .fields import MAX_ID


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, building only the filters a request asks for.

    A filter set copies every one of its filters and builds and validates a form field
    for each on every request, which cost more than reading the page. A filter whose
    parameter is absent leaves the rows as they are (tests/api/test_filters.py holds
    every list to that), so the set is built with the requested filters only, or not at
    all. Every parameter that could be a filter's, even a misspelt or invalid one, still
    goes through its filter and validation.
    """

    def get_filterset(
        self, request: Request, queryset: QuerySet, view: Any
    ) -> django_filters.FilterSet | None:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        asked = requested_filters(request, filterset_class)
        if not asked:
            return None  # the backend then returns the queryset as it is
        narrowed = narrowed_filterset(filterset_class, asked)
        return narrowed(**self.get_filterset_kwargs(request, queryset, view))


def asks_to_filter(request: Request, view: Any) -> bool:
    """Whether any parameter of the request could be one of the view's filters."""
    filterset_class = getattr(view, "filterset_class", None)
    return filterset_class is not None and bool(requested_filters(request, filterset_class))


def requested_filters(request: Request, filterset_class: type) -> frozenset[str]:
    """The filters whose parameter a query may hold: any key that starts with a filter's
    name (form widgets read their own name, sometimes with a suffix such as `_min`)."""
    keys = list(request.query_params)
    return frozenset(
        name for name in filterset_class.base_filters if any(k.startswith(name) for k in keys)
    )


@functools.lru_cache(maxsize=256)
def narrowed_filterset(filterset_class: type, names: frozenset[str]) -> type:
    """The filter set with only the named filters (the class itself when that is all)."""
    if names >= filterset_class.base_filters.keys():
        return filterset_class
    narrowed = type(filterset_class.__name__, (filterset_class,), {"__module__": __name__})
    narrowed.base_filters = {
        name: item for name, item in filterset_class.base_filters.items() if name in names
    }
    return narrowed


class BooleanFilter(django_filters.ChoiceFilter):
    """`true` or `false`; anything else is a 400, never silently ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value in ("", None):
            return qs
        lookup = {f"{self.field_name}__{self.lookup_expr}": value == "true"}
        return qs.exclude(**lookup) if self.exclude else qs.filter(**lookup)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """A row id: a whole number that fits the database (anything else is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
