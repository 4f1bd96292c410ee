"""Filter parts shared by the API's filter sets."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import django_filters
from django import forms
from django.core.validators import EMPTY_VALUES
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
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
        filterset = narrowed(**self.get_filterset_kwargs(request, queryset, view))
        refuse_empty_values(filterset, request)
        return filterset


@dataclasses.dataclass(frozen=True)
class Filtering:
    """A list request's filters, validated: the filter set built for them (None: the
    request asks for none) and the values of those that filter (an empty value leaves
    the rows as they are)."""

    filterset: django_filters.FilterSet | None
    values: dict[str, Any]

    def apply(self, queryset: QuerySet) -> QuerySet:
        """The rows of `queryset` that pass the filters, as the filter backend gives them."""
        return queryset if self.filterset is None else self.filterset.filter_queryset(queryset)


def filtering_of(request: Request, view: Any) -> Filtering:
    """The view's filters for this request, validated as the filter backend does (a 400
    naming each invalid parameter), without reading anything yet."""
    (backend,) = view.filter_backends  # the one backend these filters stand for
    model = view.filterset_class._meta.model
    filterset = backend().get_filterset(request, model._default_manager.none(), view)
    if filterset is None:
        return Filtering(None, {})
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    cleaned = filterset.form.cleaned_data
    return Filtering(filterset, {k: v for k, v in cleaned.items() if v not in EMPTY_VALUES})


def refuse_empty_values(filterset: django_filters.FilterSet, request: Request) -> None:
    """A 400 for each parameter sent empty (`updated_since=`) whose filter takes an id, a
    date, a time, a number or a choice: the schema declares those types, and an empty
    value is none of them. Left out, a filter does not filter; sent empty, it is an error
    rather than a filter silently dropped. Free text (a search) may be empty."""
    empty = {
        name: ["Enter a value, or leave the parameter out."]
        for name, field in filterset.form.fields.items()
        if request.query_params.get(name) == "" and not isinstance(field, forms.CharField)
    }
    if empty:
        raise ValidationError(empty)


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


@extend_schema_field({"type": "string", "enum": ["false", "true"]})
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
