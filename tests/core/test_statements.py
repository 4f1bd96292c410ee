"""Statements compiled once per shape: the ORM's SQL, run with each call's own values."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import models
from django.db.models import Q

from actions.models import Action
from core.statements import Value, compile_statement, stand_in_for
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

DUE = Action._meta.get_field("due_date")
UPDATED = Action._meta.get_field("updated_at")
ID = Action._meta.get_field("id")


def due_between(start, end, after_id):
    return (
        Action.objects.filter(Q(due_date__gte=start, due_date__lte=end) | Q(id__gt=after_id))
        .order_by("id")
        .values("id", "due_date", "updated_at", "recommendation__inspection_id")
    )


@pytest.fixture
def actions():
    return [ActionFactory(due_date=dt.date(2025, 1, day)) for day in range(1, 8)]


def test_rows_are_those_the_orm_reads_for_the_same_values(actions):
    start, end = stand_in_for(DUE, 1), stand_in_for(DUE, 2)
    statement = compile_statement(
        due_between(start, end, stand_in_for(ID, 3)),
        {
            "start": Value.of_field(DUE, start),
            "end": Value.of_field(DUE, end),
            "after": Value.of_field(ID, stand_in_for(ID, 3)),
        },
    )
    for values in [
        (dt.date(2025, 1, 2), dt.date(2025, 1, 4), actions[5].pk),
        (dt.date(2025, 1, 7), dt.date(2025, 1, 9), 0),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 2), actions[-1].pk),
    ]:
        rows = statement.rows(dict(zip(["start", "end", "after"], values, strict=True)))
        assert rows == list(due_between(*values))  # dates and times read as the ORM reads them
        assert {type(row["updated_at"]) for row in rows} <= {dt.datetime}


def test_a_value_used_twice_is_bound_in_both_places(actions):
    moment = stand_in_for(UPDATED, 1)
    since = Action.objects.filter(Q(updated_at__gte=moment) | Q(created_at__gte=moment))
    statement = compile_statement(since.values("id"), {"since": Value.of_field(UPDATED, moment)})
    assert len(statement.slots) == 2
    cut = actions[3].updated_at
    expected = Action.objects.filter(Q(updated_at__gte=cut) | Q(created_at__gte=cut))
    assert statement.rows({"since": cut}) == list(expected.values("id"))


def test_a_value_the_query_does_not_take_is_refused():
    queryset = Action.objects.filter(id__gt=stand_in_for(ID, 1)).values("id")
    with pytest.raises(ValueError, match="Not a parameter of the compiled query: other"):
        compile_statement(
            queryset,
            {"after": Value.of_field(ID, stand_in_for(ID, 1)), "other": Value(stand_in_for(ID, 2))},
        )


def test_stand_ins_are_impossible_values_of_the_fields_type():
    assert stand_in_for(ID, 1) != stand_in_for(ID, 2) and stand_in_for(ID, 1) < 0
    assert stand_in_for(DUE, 1).year == stand_in_for(UPDATED, 1).year == 1001
    assert stand_in_for(Action._meta.get_field("title"), 1) == "(stand-in 1)"
    assert stand_in_for(Action._meta.get_field("owner"), 1) == stand_in_for(ID, 1)  # its key
    with pytest.raises(TypeError, match="No stand-in for a JSONField"):
        stand_in_for(models.JSONField(), 1)


def test_stand_ins_must_differ(actions):
    queryset = Action.objects.filter(id__gt=stand_in_for(ID, 1)).values("id")
    with pytest.raises(ValueError, match="The same stand-in for after and again"):
        compile_statement(
            queryset,
            {"after": Value(stand_in_for(ID, 1)), "again": Value(stand_in_for(ID, 1))},
        )
