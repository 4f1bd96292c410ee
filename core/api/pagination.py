"""Cursor (keyset) pagination: every page costs the same, the first or the thousandth.

A page is `{"next": <url or null>, "results": [...]}`. The cursor holds the sort values of
the last row sent; the next page starts strictly after them, so rows added or changed
meanwhile are neither skipped nor repeated within one walk. Views declare the orderings
they offer; each ends in `id` so that the order is total.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_ORDERINGS = {"id": ("id",), "-id": ("-id",)}

# A cursor is unpadded URL-safe base64: what the schema declares and what is read.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"


def orderings_of(view: Any) -> dict[str, tuple[str, ...]]:
    return getattr(view, "orderings", DEFAULT_ORDERINGS)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def encode_cursor(ordering: str, values: Sequence[Any]) -> str:
    raw = json.dumps({"o": ordering, "v": [_jsonable(v) for v in values]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, ordering: str, fields: Sequence[str], model: Any) -> list[Any]:
    """The sort values a cursor holds. A cursor that is not written as the schema says is
    a bad request (400); one that is, but names no page of this list in this ordering
    (tampered with, cut short, or from another ordering), is not found (404), as a row id
    that names no row is."""
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        raise ValidationError(
            {"cursor": ["Enter the cursor of a `next` link: letters, digits, - and _ only."]}
        )
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        if data["o"] != ordering or len(data["v"]) != len(fields):
            raise ValueError
        return [
            model._meta.get_field(name.lstrip("-")).to_python(value)
            for name, value in zip(fields, data["v"], strict=True)
        ]
    except (
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        binascii.Error,
        DjangoValidationError,
        FieldDoesNotExist,
    ):
        raise NotFound(
            "This cursor names no page of this list: use the `next` link of a page "
            "with the same ordering."
        ) from None


def after(fields: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in the order `fields`: (a > x) or (a = x and b > y)…"""
    condition = Q()
    for index, name in enumerate(fields):
        column = name.lstrip("-")
        step = Q(**{f"{column}__{'lt' if name.startswith('-') else 'gt'}": values[index]})
        for previous, value in zip(fields[:index], values[:index], strict=True):
            step &= Q(**{previous.lstrip("-"): value})
        condition |= step
    return condition


def page_of(
    queryset: QuerySet, fields: Sequence[str], values: Sequence[Any] | None, limit: int
) -> QuerySet:
    """The first `limit` rows ordered by `fields`, after `values` if given."""
    if values is not None:
        queryset = queryset.filter(after(fields, values))
    return queryset.order_by(*fields)[:limit]


Fetch = Callable[[tuple[str, ...], list | None, int], list]


def _value(row: Any, name: str) -> Any:
    column = name.lstrip("-")
    return row[column] if isinstance(row, dict) else getattr(row, column)


class KeysetPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    ordering_query_param = "ordering"

    def page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        maximum = settings.API_MAX_PAGE_SIZE
        if raw is None:
            return min(settings.API_PAGE_SIZE, maximum)
        if not raw.isdigit() or not 1 <= int(raw) <= maximum:
            raise ValidationError({"page_size": [f"Enter a whole number from 1 to {maximum}."]})
        return int(raw)

    def ordering(self, request: Request, view: Any) -> tuple[str, tuple[str, ...]]:
        orderings = orderings_of(view)
        name = request.query_params.get(self.ordering_query_param, next(iter(orderings)))
        if name not in orderings:
            choices = ", ".join(orderings)
            raise ValidationError({"ordering": [f"Choose one of: {choices}."]})
        return name, orderings[name]

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list:
        def fetch(fields: tuple[str, ...], values: list | None, limit: int) -> list:
            return list(page_of(queryset, fields, values, limit))

        return self.paginate(request, view, queryset.model, fetch)

    def paginate(self, request: Request, view: Any, model: Any, fetch: Fetch) -> list:
        """The page the request asks for, read by `fetch(ordering, after, limit)`: the
        first `limit` rows in that ordering after the cursor's values (None: from the
        start), as `page_of` selects them."""
        size = self.page_size(request)
        name, fields = self.ordering(request, view)
        cursor = request.query_params.get(self.cursor_query_param)
        values = None if cursor is None else decode_cursor(cursor, name, fields, model)
        rows = fetch(fields, values, size + 1)
        self.request, self.next_cursor = request, None
        if len(rows) > size:
            rows = rows[:size]
            self.next_cursor = encode_cursor(name, [_value(rows[-1], f) for f in fields])
        return rows

    def next_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last page.",
                    "example": "https://plans.example.gov.uk/api/v1/…/?cursor=eyJvIjoiaWQiLCJ2IjpbNTBdfQ",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        orderings = list(orderings_of(view))
        maximum = settings.API_MAX_PAGE_SIZE
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Where the page starts: copy it from the `next` link. A cursor "
                "that names no page of this list in this ordering answers 404.",
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Rows per page, 1 to {maximum} (default {settings.API_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": maximum},
            },
            {
                "name": self.ordering_query_param,
                "in": "query",
                "required": False,
                "description": "Sort order; ties are broken by id. Default: " + orderings[0] + ".",
                "schema": {"type": "string", "enum": orderings},
            },
        ]
