"""The action list through the API: each person sees what the visibility rule lets them
see (narrowed by their token), every filter and ordering walks its rows page by page
without skipping or repeating one."""

from __future__ import annotations

import datetime as dt
import itertools
from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.utils import timezone

from actions.api.filters import ApiActionFilter
from actions.api.views import ORDERINGS
from actions.models import Action
from inspections.models import Inspection
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    OrganisationFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
    WiderAreaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """Plans in two councils and a partner's, each fed by two reports, actions with
    spread-out dates and owners answering items of one source, of both, or a wider area
    only, and people who see them in every way the visibility rule knows."""
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
        plan = inspection.plan
        timescale = "immediately" if number % 2 else "six_months"
        recommendation = RecommendationFactory(inspection=inspection, timescale=timescale)
        later = RecommendationFactory(
            inspection=InspectionFactory(local_authority=council, plan=plan),
            timescale="three_months",
        )
        theme = ThemeFactory(plan=plan)
        area = WiderAreaFactory(plan=plan, theme=theme)
        answers = [[recommendation], [recommendation, later], [later], [], [recommendation]]
        for day in range(5):
            action = ActionFactory(
                recommendation=None,
                plan=plan,
                answers=answers[day],
                wider_area=area if day == 3 else None,
                theme=theme if day % 2 else None,
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


def queries(people) -> list[str]:
    """A query string for each filter that takes a value as it is, and one with all."""
    owner = people["owner elsewhere"]
    action = Action.objects.filter(owner=owner, recommendations__isnull=False).first()
    answered = action.recommendations.order_by("id").first()
    two_hours_ago = timezone.now() - dt.timedelta(hours=2, minutes=30)
    one = {
        "owner": f"owner={owner.pk}",
        "organisation": f"organisation={people['partner'].organisation_id}",
        "plan": f"plan={action.plan_id}",
        "theme": f"theme={Action.objects.exclude(theme=None).first().theme_id}",
        "wider_area": f"wider_area={Action.objects.exclude(wider_area=None).first().wider_area_id}",
        "inspection": f"inspection={answered.inspection_id}",
        "recommendation": f"recommendation={answered.pk}",
        "status": "status=not_started",
        "timescale": f"timescale={answered.timescale}",
        "due_after": "due_after=2025-01-02",
        "due_before": "due_before=2025-01-01",
        "updated_since": "updated_since=" + quote(two_hours_ago.isoformat()),
    }
    return [*one.values(), "&".join(one.values())]


def walk(api, query: str, ordering: str = "id") -> list[int]:
    """The ids of every page of the list, following `next`, three rows a page."""
    url, found = f"/api/v1/actions/?{query}&ordering={ordering}&page_size=3", []
    while url:
        response = api.get(url)
        assert response.status_code == 200, (query, response.json())
        found += [row["id"] for row in response.json()["results"]]
        url = response.json()["next"]
    return found


def test_people_see_what_the_rule_lets_them(people, client_for):
    first = people["director"].organisation

    def ids(who: str, organisation=None) -> set[int]:
        found = walk(client_for(people[who], "read", organisation), "")
        assert len(found) == len(set(found)), who
        return set(found)

    everything = set(Action.objects.values_list("id", flat=True))
    of_first = set(Action.objects.filter(plan__local_authority=first).values_list("id", flat=True))
    assert ids("superuser") == ids("superuser of a council") == everything
    assert ids("director") == ids("partner") == of_first
    assert ids("importer") == set()  # importing a report grants nothing
    elsewhere = people["owner elsewhere"]
    plans_owned_in = Action.objects.filter(owner=elsewhere).values("plan")
    of_plans_owned_in = set(
        Action.objects.filter(plan__in=plans_owned_in).values_list("id", flat=True)
    )
    assert of_plans_owned_in & of_first and of_plans_owned_in - of_first
    assert ids("owner elsewhere") == (everything - of_first) | of_plans_owned_in
    assert ids("no role") == set()
    assert ids("owner elsewhere", first) == of_plans_owned_in & of_first
    assert ids("superuser", first) == of_first
    assert client_for(None).get("/api/v1/actions/").status_code == 401


def test_every_filter_and_ordering_walks_its_rows_once(people, client_for):
    director = people["director"]
    api = client_for(director, "read")
    seen = Action.objects.filter(plan__local_authority=director.organisation)
    for query, (name, fields) in itertools.product(
        [
            *queries(people),
            "q=Action",
            "rag=green",
            "overdue=true",
            "status=in_progress&overdue=false",
        ],
        ORDERINGS.items(),
    ):
        filterset = ApiActionFilter(data=QueryDict(query), queryset=seen)
        assert filterset.is_valid(), filterset.errors
        expected = list(filterset.qs.order_by(*fields).values_list("id", flat=True))
        assert len(expected) == len(set(expected)), query  # answering two items: listed once
        assert walk(api, query, name) == expected, (query, name)


def test_each_filter_finds_some_actions_and_not_all(people):
    for query in queries(people)[:-1]:
        filterset = ApiActionFilter(data=QueryDict(query), queryset=Action.objects.all())
        assert filterset.is_valid(), filterset.errors
        assert 0 < filterset.qs.count() < Action.objects.count(), query
