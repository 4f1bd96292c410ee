"""`__in_ids`: the same rows as `__in`, written so that PostgreSQL runs the subquery once."""

from __future__ import annotations

import pytest
from django.db import connection

from actions.models import Action
from inspections.models import Inspection
from tests.factories import ActionFactory, InspectionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans():
    mine, theirs = OrganisationFactory(name="Mine"), OrganisationFactory(name="Theirs")
    for authority in (mine, theirs, mine):
        ActionFactory.create_batch(2, recommendation__inspection__local_authority=authority)
    InspectionFactory(local_authority=mine)  # a plan without actions
    return Inspection.objects.filter(local_authority=mine).values("pk")


def test_it_selects_what_in_selects(plans):
    by_in = set(Action.objects.filter(recommendation__inspection_id__in=plans))
    by_ids = Action.objects.filter(recommendation__inspection_id__in_ids=plans)
    assert set(by_ids) == by_in and len(by_in) == 4
    assert set(Inspection.objects.filter(pk__in_ids=plans)) == set(
        Inspection.objects.filter(pk__in=plans)
    )


def test_a_list_of_ids_works_as_with_in(plans):
    ids = [row["pk"] for row in plans]
    assert set(Inspection.objects.filter(pk__in_ids=ids).values_list("pk", flat=True)) == set(ids)


def test_postgresql_runs_the_subquery_once_as_an_array(plans):
    sql = str(Action.objects.filter(recommendation__inspection_id__in_ids=plans).query)
    if connection.vendor == "postgresql":
        assert '"inspection_id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"inspection_id" IN (SELECT' in sql
