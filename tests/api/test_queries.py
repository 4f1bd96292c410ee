"""List endpoints run the same number of queries whatever the page size (no N+1)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, Evidence, Measure, MeasureReading, ProgressUpdate
from actions.reminders.models import Reminder
from core.api.pagination import encode_cursor
from core.models import Organisation, User
from inspections.models import Inspection, Judgement, Recommendation, RecommendationRepeat
from plans.models import Plan, Theme, WiderArea

pytestmark = pytest.mark.django_db

LISTS = [
    "plans",
    "actions",
    "inspections",
    "recommendations",
    "organisations",
    "users",
    "progress-updates",
    "evidence",
    "measures",
    "readings",
    "reminders",
    "documents",
]
# The token (1), the page (1), one per prefetch; a token's first use in a minute adds one.
BUDGET = 6


@pytest.fixture
def busy_plan(plan, owner, council):
    """200+ of everything the lists show, made in bulk: plans with two sources, a theme
    and a wider area each, items repeating an earlier one, actions answering two items."""
    n = 205
    people = User.objects.bulk_create(
        User(username=f"owner{i}", organisation=council) for i in range(n)
    )
    plans = Plan.objects.bulk_create(
        Plan(local_authority=council, title=f"Plan {i}", lead_director=people[i]) for i in range(n)
    )
    themes = Theme.objects.bulk_create(Theme(plan=p, name="Outcome 1") for p in plans)
    WiderArea.objects.bulk_create(
        WiderArea(plan=p, text="Audits", origin="audit", theme=t)
        for p, t in zip(plans, themes, strict=True)
    )
    inspections = Inspection.objects.bulk_create(
        Inspection(local_authority=council, inspection_type="ilacs", plan=p) for p in plans
    )
    Inspection.objects.bulk_create(
        Inspection(local_authority=council, inspection_type="focused_visit", plan=p) for p in plans
    )
    Judgement.objects.bulk_create(
        Judgement(inspection=i, area="Overall", grade_text="Good", scale="words", order=0)
        for i in inspections
    )
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(inspection=i, text="Improve", order=0) for i in inspections
    )
    seconds = Recommendation.objects.bulk_create(
        Recommendation(inspection=i, text="Improve again", order=1) for i in inspections
    )
    earlier = plan.recommendations.get()
    RecommendationRepeat.objects.bulk_create(
        RecommendationRepeat(recommendation=r, earlier=earlier, score=80) for r in recommendations
    )
    Organisation.objects.bulk_create(Organisation(name=f"Partner {i}") for i in range(n))
    council.partners.add(*Organisation.objects.filter(name__startswith="Partner"))
    actions = Action.objects.bulk_create(
        Action(plan_id=r.inspection.plan_id, owner=p, title="Act", due_date=plan.due_date)
        for r, p in zip(recommendations, people, strict=True)
    )
    Action.recommendations.through.objects.bulk_create(
        Action.recommendations.through(action=a, recommendation=r)
        for a, *answered in zip(actions, recommendations, seconds, strict=True)
        for r in answered
    )
    ProgressUpdate.objects.bulk_create(ProgressUpdate(action=a, text="Done") for a in actions)
    measures = Measure.objects.bulk_create(
        Measure(action=a, name="Visits", baseline=1, target=2, direction="higher") for a in actions
    )
    MeasureReading.objects.bulk_create(
        MeasureReading(measure=m, date=plan.due_date, value=1) for m in measures
    )
    Evidence.objects.bulk_create(
        Evidence(action=a, description="Minutes", link="https://e.org/m") for a in actions
    )
    Reminder.objects.bulk_create(
        Reminder(
            recipient=p, kind="before_due", occasion=f"t:{a.pk}", action=a, scheduled_for=a.due_date
        )
        for a, p in zip(actions, people, strict=True)
    )
    return plan


@pytest.mark.parametrize("resource", LISTS)
def test_a_list_costs_the_same_queries_at_every_page_size(
    client_for, director, busy_plan, resource
):
    api = client_for(director)
    api.get("/api/v1/users/me/")  # the token's first use is recorded once
    counts = {}
    for size in (1, 50, 200):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/v1/{resource}/?page_size={size}")
        assert response.status_code == 200
        if resource != "documents":  # none generated: rendering 200 would take minutes
            assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    assert counts[1] == counts[50] == counts[200] <= BUDGET, counts


def action_pages() -> list[str]:
    """Small, default and largest pages, a page deep into the list, and a filtered one."""
    ids = sorted(Action.objects.values_list("pk", flat=True))
    deep = encode_cursor("id", [ids[150]])
    return [
        "/api/v1/actions/?page_size=1",
        "/api/v1/actions/?page_size=50",
        f"/api/v1/actions/?page_size={settings.API_MAX_PAGE_SIZE}",
        f"/api/v1/actions/?page_size=50&cursor={deep}",
        "/api/v1/actions/?page_size=50&ordering=updated_at&status=not_started&overdue=true",
    ]


def queries_per_page(api) -> dict[str, int]:
    api.get("/api/v1/actions/?page_size=1")  # a token's first use is recorded once
    counts = {}
    for path in action_pages():
        with CaptureQueriesContext(connection) as queries:
            response = api.get(path)
        assert response.status_code == 200, path
        assert response.json()["results"], path
        counts[path] = len(queries)
    return counts


# The page reads the items its actions answer in its own query on PostgreSQL (an array
# subquery), in one more query elsewhere.
PAGE = 1 if connection.vendor == "postgresql" else 2


def test_the_action_list_reads_two_queries_for_any_page_with_a_token(
    client_for, director, busy_plan
):
    """The token with its owner, then the page, with the visibility rules (roles
    included), the filters and the items each action answers inside that one query."""
    counts = queries_per_page(client_for(director))
    assert set(counts.values()) == {1 + PAGE}, counts


def test_the_action_list_reads_three_queries_for_any_page_with_a_session(
    client, director, busy_plan
):
    """A browser's session row and its person (Django's session and authentication),
    then the page as with a token."""
    client.force_login(director)
    counts = queries_per_page(client)
    assert set(counts.values()) == {2 + PAGE}, counts
