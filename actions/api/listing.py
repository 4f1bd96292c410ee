"""A page of the action list, run as a statement the ORM compiled once per shape
(core/statements.py): what dashboards and nightly syncs ask for most.

The query is the one the list builds for any request (`actions_for`, the filters, the
cursor pagination's `page_of`), compiled with stand-ins for the person's ids, the filters'
values and the cursor's; tests/api/test_listing.py holds every shape equal to the ORM's
query for real values. Only filters whose SQL takes their value as one parameter
(`ApiActionFilter.parameter_filters`) can be part of a shape; a request with others goes
through the ORM as it is (views.py).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from rest_framework.request import Request

from actions.models import Action
from core.api.filters import Filtering
from core.api.pagination import page_of
from core.api.scope import ScopeShape, actions_for
from core.statements import Statement, Value, compile_statement, stand_in_for

from .rows import action_values


def page(
    request: Request, filtering: Filtering, fields: tuple[str, ...], after: list | None, limit: int
) -> list[dict[str, Any]]:
    """The rows `page_of(filtering.apply(actions_for(request, action_values())), …)` reads."""
    shape = ScopeShape.of(request)
    if shape is None:
        actions = filtering.apply(actions_for(request, action_values()))
        return list(page_of(actions, fields, after, limit))
    filterset_class = type(filtering.filterset) if filtering.filterset else None
    statement = page_statement(
        connection.vendor,
        shape,
        filterset_class,
        tuple(filtering.values),
        fields,
        after is not None,
        limit,
    )
    values = ScopeShape.ids(request)
    values.update((f"filter {name}", value) for name, value in filtering.values.items())
    values.update((f"after {position}", value) for position, value in enumerate(after or ()))
    return statement.rows(values)


@functools.lru_cache(maxsize=512)
def page_statement(
    vendor: str,
    shape: ScopeShape,
    filterset_class: type | None,
    filters: tuple[str, ...],
    fields: tuple[str, ...],
    with_after: bool,
    limit: int,
) -> Statement:
    """The page's query for this shape (the vendor is part of the key: SQL differs)."""
    values = shape.values()
    actions = actions_for(shape.stand_in_request(), action_values())
    if filters:
        filterset = filterset_class(queryset=actions)
        for number, (name, item) in enumerate(filterset.filters.items(), start=300):
            if name in filters:
                field = field_at(Action, item.field_name)
                stand_in = stand_in_for(field, number)
                values[f"filter {name}"] = Value.of_field(field, stand_in)
                actions = item.filter(actions, stand_in)  # as FilterSet.filter_queryset does
    after = None
    if with_after:
        after = []
        for position, name in enumerate(fields):
            field = Action._meta.get_field(name.lstrip("-"))
            stand_in = stand_in_for(field, 200 + position)
            values[f"after {position}"] = Value.of_field(field, stand_in)
            after.append(stand_in)
    return compile_statement(page_of(actions, fields, after, limit), values)


def field_at(model: type[Model], path: str) -> Field:
    """The field a lookup path such as `recommendation__inspection_id` ends on."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)
