"""A page of the action list that filters nothing: what dashboards and nightly syncs ask
for most, run as a statement the ORM compiled once per shape (core/statements.py).

The query is the one the list builds for any request (`actions_for` and the cursor
pagination's `page_of`), compiled with stand-ins for the person's ids and the cursor's
values; tests/api/test_listing.py holds every shape equal to the ORM's query for real
values. A request that filters goes through django-filter and the ORM as it is.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection
from rest_framework.request import Request

from actions.models import Action
from core.api.pagination import page_of
from core.api.scope import ScopeShape, actions_for
from core.statements import Statement, Value, compile_statement, stand_in_for

from .rows import action_values


def unfiltered_page(
    request: Request, fields: tuple[str, ...], after: list | None, limit: int
) -> list[dict[str, Any]]:
    """The rows `page_of(actions_for(request, action_values()), …)` reads."""
    shape = ScopeShape.of(request)
    if shape is None:
        return list(page_of(actions_for(request, action_values()), fields, after, limit))
    statement = page_statement(connection.vendor, shape, fields, after is not None, limit)
    values = ScopeShape.ids(request)
    for position, value in enumerate(after or ()):
        values[f"after {position}"] = value
    return statement.rows(values)


@functools.lru_cache(maxsize=512)
def page_statement(
    vendor: str, shape: ScopeShape, fields: tuple[str, ...], with_after: bool, limit: int
) -> Statement:
    """The page's query for this shape (the vendor is part of the key: SQL differs)."""
    values = shape.values()
    after = None
    if with_after:
        after = []
        for position, name in enumerate(fields):
            field = Action._meta.get_field(name.lstrip("-"))
            stand_in = stand_in_for(field, position + 1)
            values[f"after {position}"] = Value.of_field(field, stand_in)
            after.append(stand_in)
    queryset = actions_for(shape.stand_in_request(), action_values())
    return compile_statement(page_of(queryset, fields, after, limit), values)
