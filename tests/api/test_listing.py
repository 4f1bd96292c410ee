"""The action list runs a statement compiled once per shape: for every shape it must be
exactly the query the ORM builds for the real request, and read the same rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from urllib.parse import quote

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from actions.api.filters import ApiActionFilter
from actions.api.listing import page, page_statement
from actions.api.rows import action_values
from actions.api.views import ORDERINGS
from actions.models import Action
from core.api.filters import Filtering
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
        timescale = "immediately" if number % 2 else "six_months"
        recommendation = RecommendationFactory(inspection=inspection, timescale=timescale)
        for day in range(5):
            action = ActionFactory(
                recommendation=recommendation,
                owner=owners[(number + day) % 3],
                due_date=dt.date(2025, 1, 1 + day % 2),
                organisation=partner if day == 1 else None,
            )
            Action.objects.filter(pk=action.pk).update(
                updated_at=now - dt.timedelta(hours=day),
                status="in_progress" if day == 2 else "not_started",
            )
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


NO_FILTERS = Filtering(None, {})


def filtering(query: str) -> Filtering:
    """The filters of a query string, validated as the API validates them."""
    filterset = ApiActionFilter(data=QueryDict(query), queryset=Action.objects.none())
    assert filterset.is_valid(), filterset.errors
    cleaned = filterset.form.cleaned_data
    return Filtering(filterset, {name: value for name, value in cleaned.items() if value})


def orm_page(request: Request, fields, after, limit: int, filters: Filtering = NO_FILTERS):
    return page_of(filters.apply(actions_for(request, action_values())), fields, after, limit)


def cursor_after(request: Request, fields, filters: Filtering = NO_FILTERS) -> list | None:
    """The sort values of the second row the request sees, as a cursor holds them."""
    rows = list(orm_page(request, fields, None, 2, filters))
    if len(rows) < 2:
        return None
    return [rows[-1][name.lstrip("-")] for name in fields]


def assert_same_as_the_orm(request: Request, fields, after, filters: Filtering = NO_FILTERS):
    filterset_class = type(filters.filterset) if filters.filterset else None
    statement = page_statement(
        connection.vendor,
        ScopeShape.of(request),
        filterset_class,
        tuple(filters.values),
        fields,
        after is not None,
        4,
    )
    values = ScopeShape.ids(request)
    values.update({f"filter {name}": value for name, value in filters.values.items()})
    values.update({f"after {n}": value for n, value in enumerate(after or ())})
    sql, params = orm_page(request, fields, after, 4, filters).query.sql_with_params()
    assert (statement.sql, statement.bind(values)) == (sql, list(params))
    assert page(request, filters, fields, after, 4) == list(
        orm_page(request, fields, after, 4, filters)
    )


def test_every_shape_runs_the_orm_query_with_the_requests_values(people):
    for (who, request), fields in itertools.product(requests(people), ORDERINGS.values()):
        for after in (None, cursor_after(request, fields)):
            assert_same_as_the_orm(request, fields, after), (who, fields)


def queries(people) -> list[str]:
    """A query string for each filter a statement can take, and one with all of them."""
    owner = people["owner elsewhere"]
    action = Action.objects.filter(owner=owner).select_related("recommendation").first()
    two_hours_ago = timezone.now() - dt.timedelta(hours=2, minutes=30)
    one = {
        "owner": f"owner={owner.pk}",
        "organisation": f"organisation={people['partner'].organisation_id}",
        "inspection": f"inspection={action.recommendation.inspection_id}",
        "recommendation": f"recommendation={action.recommendation_id}",
        "status": "status=not_started",
        "timescale": f"timescale={action.recommendation.timescale}",
        "due_after": "due_after=2025-01-02",
        "due_before": "due_before=2025-01-01",
        "updated_since": "updated_since=" + quote(two_hours_ago.isoformat()),
    }
    assert one.keys() == ApiActionFilter.parameter_filters
    return [*one.values(), "&".join(one.values())]


def test_every_filter_a_statement_takes_is_the_orms(people):
    for query, fields in itertools.product(queries(people), ORDERINGS.values()):
        filters = filtering(query)
        if "&" not in query:  # each filter alone finds some actions, and not all
            found = len(list(orm_page(Request(people["superuser"]), fields, None, 100, filters)))
            assert 0 < found < Action.objects.count(), query
        for who in ("superuser", "director", "owner elsewhere"):
            request = Request(people[who], ApiToken(user=people[who]))
            for after in (None, cursor_after(request, fields, filters)):
                assert_same_as_the_orm(request, fields, after, filters), (query, who)


def test_people_see_what_the_rule_lets_them(people):
    def ids(who: str, token: ApiToken | None = None) -> set[int]:
        rows = page(Request(people[who], token), NO_FILTERS, ("id",), None, 500)
        return {row["id"] for row in rows}

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
    assert page(request, NO_FILTERS, fields, after, 5) == everything[7:12]


def test_an_anonymous_request_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    ActionFactory()
    assert page(Request(AnonymousUser()), NO_FILTERS, ("id",), None, 10) == []


def test_the_api_lists_what_the_orm_finds_whichever_way_it_reads(people, client_for):
    """Filters a statement takes, and others (search, RAG, overdue) that the ORM runs."""
    director = people["director"]
    api = client_for(director)
    request = Request(director)
    for query in [
        *queries(people),
        "q=Action",
        "rag=green",
        "overdue=true",
        "status=in_progress&overdue=false",
    ]:
        filters = filtering(query)
        expected = [
            row["id"] for row in orm_page(request, ORDERINGS["-due_date"], None, 500, filters)
        ]
        url, found = f"/api/v1/actions/?{query}&ordering=-due_date&page_size=3", []
        while url:
            response = api.get(url)
            assert response.status_code == 200, (query, response.json())
            found += [row["id"] for row in response.json()["results"]]
            url = response.json()["next"]
        assert found == expected, query
