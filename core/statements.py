"""Queries the ORM compiles once per shape, then run again with fresh values.

On a hot path such as the API's list of actions, building and compiling the queryset
took longer than PostgreSQL took to answer it, and only a few values (the person's ids,
where the page starts) change from one request to the next. So the queryset is built
once per shape with a stand-in for each of those values, compiled by the ORM, and the
positions where the stand-ins landed among its parameters are remembered; a request runs
the same SQL with its own values in those positions and reads the rows as the ORM would
(same column names, same value converters).

The ORM stays the only author of the SQL. A stand-in that does not land as a parameter
is an error, and each caller's tests hold its statements equal to what the ORM compiles
for the real values. What is cached is the text of a query, never a result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.db import connections
from django.db.models import Field, QuerySet


@dataclasses.dataclass(frozen=True)
class Value:
    """A value a statement takes on each run: its stand-in while the shape is compiled,
    and how it becomes a parameter (as the ORM prepares a value for a lookup)."""

    stand_in: Any
    prepare: Callable[[Any], Any] = lambda value: value

    @classmethod
    def of_field(cls, field: Field, stand_in: Any, using: str = "default") -> Value:
        def prepare(value: Any) -> Any:
            connection = connections[using]  # this thread's
            return field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)

        return cls(stand_in, prepare)


def stand_in_for(field: Field, number: int) -> Any:
    """A value of the field's type that no row has (number tells several apart)."""
    if field.many_to_one:
        field = field.target_field
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        return dt.datetime(1001, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=number)
    if internal == "DateField":
        return dt.date(1001, 1, 1) + dt.timedelta(days=number)
    if internal in {"AutoField", "BigAutoField", "IntegerField", "BigIntegerField"}:
        return -1_000_000_000 - number
    if internal in {"CharField", "TextField"}:
        return f"(stand-in {number})"
    raise TypeError(f"No stand-in for a {internal}.")


@dataclasses.dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (position among the parameters, value's name)
    values: Mapping[str, Value]
    names: tuple[str, ...]  # of the columns, as `QuerySet.values()` names them
    converters: tuple[tuple[int, tuple[Callable, ...], Any], ...]
    using: str

    def bind(self, values: Mapping[str, Any]) -> list[Any]:
        """The parameters for these values."""
        params = list(self.params)
        for position, name in self.slots:
            params[position] = self.values[name].prepare(values[name])
        return params

    def rows(self, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run it: one dict per row, as `QuerySet.values()` would give."""
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.bind(values))
            found = cursor.fetchall()
        names = self.names
        if not self.converters:
            return [dict(zip(names, row, strict=True)) for row in found]
        rows = []
        for row in found:
            row = list(row)
            for position, converters, expression in self.converters:
                for convert in converters:
                    row[position] = convert(row[position], expression, connection)
            rows.append(dict(zip(names, row, strict=True)))
        return rows


def compile_statement(queryset: QuerySet, values: Mapping[str, Value]) -> Statement:
    """Compile a `values()` queryset built with the stand-ins of `values`."""
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    slots = []
    prepared = {name: value.prepare(value.stand_in) for name, value in values.items()}
    for position, param in enumerate(params):
        names = [n for n, v in prepared.items() if type(param) is type(v) and param == v]
        if len(names) > 1:
            raise ValueError(f"The same stand-in for {' and '.join(names)}")
        slots += [(position, name) for name in names]
    missing = set(values) - {name for _, name in slots}
    if missing:
        raise ValueError(f"Not a parameter of the compiled query: {', '.join(sorted(missing))}")
    selected = [column for column, _, _ in compiler.select[: compiler.col_count]]
    converters = compiler.get_converters(selected)
    return Statement(
        sql=sql,
        params=tuple(params),
        slots=tuple(slots),
        values=dict(values),
        names=(*query.extra_select, *query.values_select, *query.annotation_select),
        converters=tuple(
            (position, tuple(found), expression)
            for position, (found, expression) in sorted(converters.items())
        ),
        using=queryset.db,
    )
