"""The unfiltered action list runs a statement compiled once per shape: for every shape it
must be exactly the query the ORM builds for the real request, and read the same rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.utils import timezone

from actions.api.listing import page_statement, unfiltered_page
from actions.api.rows import action_values
from actions.api.views import ORDERINGS
from actions.models import Action
from core.api.pagination import page_of
from core.api.scope import ScopeShape, actions_for
from core.models import User
from core.tokens.models import ApiToken
from inspections.models import Inspection
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class Request:
    user: User
    auth: ApiToken | None = None


@pytest.fixture
def people():
    """Plans in two councils and a partner's, actions with spread-out dates and owners, and
    people who see them in every way the visibility rule knows."""
    first = OrganisationFactory(name="First Council")
    second = OrganisationFactory(name="Second Council")
    partner = OrganisationFactory(name="County NHS Trust", kind="nhs")
    partner.partner_of.add(first)
    elsewhere = UserFactory(role="Action owners", organisation=second, username="elsewhere")
    importer = UserFactory(role="Policy officers", organisation=None, username="importer")
    owners = [None, elsewhere, UserFactory(role="Action owners", organisation=first)]
    now = timezone.now()
    for number, council in enumerate([first, first, second, second]):
        inspection = InspectionFactory(local_authority=council)
        recommendation = RecommendationFactory(inspection=inspection)
        for day in range(5):
            action = ActionFactory(
                recommendation=recommendation,
                owner=owners[(number + day) % 3],
                due_date=dt.date(2025, 1, 1 + day % 2),
            )
            Action.objects.filter(pk=action.pk).update(updated_at=now - dt.timedelta(hours=day))
    Inspection.objects.filter(local_authority=second).update(imported_by=importer)
    return {
        "director": UserFactory(role="Directors", organisation=first),
        "partner": UserFactory(role="Readers", organisation=partner),
        "owner elsewhere": elsewhere,
        "importer": importer,
        "no role": UserFactory(organisation=first),
        "superuser": UserFactory(organisation=None, is_superuser=True),
        "superuser of a council": UserFactory(organisation=first, is_superuser=True),
    }


def requests(people) -> list[tuple[str, Request]]:
    first = people["director"].organisation
    found = []
    for who, user in people.items():
        found.append((who, Request(user)))
        found.append((f"{who}, token", Request(user, ApiToken(user=user))))
        found.append(
            (
                f"{who}, token for one council",
                Request(user, ApiToken(user=user, organisation=first)),
            )
        )
    return found


def orm_page(request: Request, fields, after, limit: int):
    return page_of(actions_for(request, action_values()), fields, after, limit)


def cursor_after(request: Request, fields) -> list | None:
    """The sort values of the third row the request sees, as a cursor holds them."""
    rows = list(orm_page(request, fields, None, 3))
    if len(rows) < 3:
        return None
    return [rows[-1][name.lstrip("-")] for name in fields]


def test_every_shape_runs_the_orm_query_with_the_requests_values(people):
    for (who, request), fields in itertools.product(requests(people), ORDERINGS.values()):
        for after in (None, cursor_after(request, fields)):
            shape = ScopeShape.of(request)
            statement = page_statement(connection.vendor, shape, fields, after is not None, 4)
            values = ScopeShape.ids(request)
            values.update({f"after {n}": value for n, value in enumerate(after or ())})
            sql, params = orm_page(request, fields, after, 4).query.sql_with_params()
            assert (statement.sql, statement.bind(values)) == (sql, list(params)), (who, fields)
            expected = list(orm_page(request, fields, after, 4))
            assert unfiltered_page(request, fields, after, 4) == expected, (who, fields)


def test_people_see_what_the_rule_lets_them(people):
    def ids(who: str, token: ApiToken | None = None) -> set[int]:
        page = unfiltered_page(Request(people[who], token), ("id",), None, 500)
        return {row["id"] for row in page}

    everything = set(Action.objects.values_list("id", flat=True))
    first = people["director"].organisation
    of_first = set(
        Action.objects.filter(recommendation__inspection__local_authority=first).values_list(
            "id", flat=True
        )
    )
    assert ids("superuser") == everything
    assert ids("director") == ids("partner") == of_first
    assert ids("importer") == everything - of_first
    assert ids("no role") == set()
    assert ids("owner elsewhere", ApiToken(organisation=first)) == of_first
    assert ids("importer", ApiToken(organisation=first)) == set()


def test_a_page_in_the_middle_starts_after_the_cursor(people):
    request = Request(people["superuser"])
    fields = ORDERINGS["-updated_at"]
    everything = list(orm_page(request, fields, None, 100))
    after = [everything[6]["updated_at"], everything[6]["id"]]
    assert unfiltered_page(request, fields, after, 5) == everything[7:12]


def test_an_anonymous_request_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    ActionFactory()
    assert unfiltered_page(Request(AnonymousUser()), ("id",), None, 10) == []
