"""Filter parts shared by the API's filter sets."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet


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
