"""The dashboard: plans a page at a time, counts from each plan's summary, fixed queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from actions import plan_summaries, services
from actions.dashboard import PLANS_PER_PAGE
from actions.models import Rag
from inspections.models import Inspection
from plans.models import Plan
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
)


def plan_with_actions(council: str, actions: int, published: dt.date) -> Plan:
    """A plan fed by one report published on that day, with red actions."""
    inspection = InspectionFactory(
        local_authority=OrganisationFactory(name=council), publication_date=published
    )
    recommendation = RecommendationFactory(inspection=inspection)
    for _ in range(actions):
        ActionFactory(recommendation=recommendation, rag=Rag.RED)
    plan_summaries.refresh(inspection.plan_id)
    return inspection.plan


def source(plan: Plan) -> Inspection:
    return plan.sources.get()


@pytest.fixture
def superuser(db):
    return UserFactory(username="administrator", is_superuser=True)


def test_the_dashboard_shows_a_change_at_once(client, director):
    action = ActionFactory(due_date=dt.date(2099, 1, 1))
    plan_summaries.refresh(action.plan_id)
    client.force_login(director)
    [plan] = client.get("/").context["plans"]
    assert (plan.action_count, plan.rag_red) == (1, 0)

    services.override_rag(action=action, by=director, rag_value=Rag.RED, reason="Board concern")

    [plan] = client.get("/").context["plans"]
    assert (plan.action_count, plan.rag_red) == (1, 1)
    assert ("Red", 1) in [(label, count) for _, label, count in plan.rag_summary]


def test_every_plan_is_listed_a_page_at_a_time_with_totals_of_all(client, superuser):
    plans = [
        plan_with_actions(f"Council {n}", n % 3, dt.date(2024, 1, 1) + dt.timedelta(days=n))
        for n in range(PLANS_PER_PAGE + 2)
    ]
    Inspection.objects.update(plan_submitted_at=dt.datetime.now(dt.UTC))
    client.force_login(superuser)
    first = client.get("/")
    second = client.get("/?page=2")

    # Every plan submitted: nothing in hand, newest report first.
    newest_first = sorted(plans, key=lambda plan: source(plan).publication_date, reverse=True)
    assert first.context["plans"] == newest_first[:PLANS_PER_PAGE]
    assert second.context["plans"] == newest_first[PLANS_PER_PAGE:]
    body = first.content.decode()
    assert f"1 to {PLANS_PER_PAGE} of {len(plans)}" in body
    assert 'href="?page=2" rel="next"' in body
    assert 'href="?page=1" rel="prev"' in second.content.decode()
    actions = sum(n % 3 for n in range(len(plans)))
    totals = {"recommendations": len(plans), "actions": actions, "red": actions, "amber": 0}
    assert first.context["totals"] == totals == second.context["totals"]
    assert f"All {len(plans)} plans" in body


def test_plans_in_hand_come_first_nearest_deadline_first_then_the_newest(client, superuser):
    today = dt.date.today()
    history = [
        plan_with_actions(f"Council {year}", 1, dt.date(year, 6, 1)) for year in range(2008, 2023)
    ]
    Inspection.objects.update(plan_submitted_at=dt.datetime.now(dt.UTC))
    soon = plan_with_actions("Soon Council", 0, today - dt.timedelta(days=20))
    later = plan_with_actions("Later Council", 0, today - dt.timedelta(days=5))
    unknown = InspectionFactory(
        local_authority=OrganisationFactory(name="Undated Council"), publication_date=None
    )
    overdue = plan_with_actions("Overdue Council", 0, today - dt.timedelta(days=140))
    submitted = plan_with_actions("Submitted Council", 0, today - dt.timedelta(days=3))
    submitted.sources.update(plan_submitted_at=dt.datetime.now(dt.UTC))
    assert unknown.plan_due_date is None and unknown.asks_for_a_plan
    assert source(overdue).plan_due_date < today < source(soon).plan_due_date
    unknown = unknown.plan

    client.force_login(superuser)
    listed = client.get("/").context["plans"]

    # overdue first, then the nearest deadline, then a plan whose date is not yet known
    assert listed[:4] == [overdue, soon, later, unknown]
    assert "Plans, what needs attention first" in client.get("/").content.decode()
    # then the rest, newest report first: the submitted plan, then history from 2022 back
    assert listed[4:] == [submitted, *reversed(history)][: PLANS_PER_PAGE - 4]


def test_a_director_with_one_plan_sees_neither_pages_nor_totals(client, director):
    plan_with_actions("Test Council", 2, dt.date(2024, 3, 1))
    plan_with_actions("Another Council", 3, dt.date(2024, 3, 1))
    client.force_login(director)
    response = client.get("/")
    assert [plan.action_count for plan in response.context["plans"]] == [2]
    assert response.context["totals"] is None
    assert "govuk-pagination" not in response.content.decode()


def test_a_plan_without_actions_yet_shows_zeros(client, director):
    InspectionFactory()
    client.force_login(director)
    [plan] = client.get("/").context["plans"]
    assert (plan.action_count, plan.rag_red, plan.measure_chart) == (0, 0, None)


@pytest.mark.parametrize("who", ["director", "superuser"])
def test_the_query_count_does_not_grow_with_plans_or_actions(
    client, director, superuser, who, django_assert_max_num_queries
):
    ours = plan_with_actions("Test Council", 3, dt.date(2024, 3, 1))
    plan_with_actions("Another Council", 3, dt.date(2024, 3, 1))
    client.force_login(director if who == "director" else superuser)
    client.get("/")  # warm the session and roles
    # Among them: the plans' sources, and the items the listed actions answer.
    with django_assert_max_num_queries(13) as small:
        client.get("/")
    for n in range(2 * PLANS_PER_PAGE):
        plan_with_actions(f"Council {n}", 5, dt.date(2023, 1, 1) + dt.timedelta(days=n))
    for _ in range(20):
        ActionFactory(recommendation=RecommendationFactory(inspection=source(ours)))
    plan_summaries.refresh(ours.pk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/")
    assert response.context["plans"]


def test_a_plan_fed_by_two_reports_shows_both_and_the_next_submission(client, director):
    today = dt.date.today()
    plan = plan_with_actions("Test Council", 1, dt.date(2024, 3, 1))
    visit = InspectionFactory(  # with areas for priority action: it asks for a plan
        plan=plan,
        inspection_type="focused_visit",
        publication_date=today - dt.timedelta(days=3),
        draft_plan_required=True,
    )
    ActionFactory(recommendation=RecommendationFactory(inspection=visit))
    plan_summaries.refresh(plan.pk)
    client.force_login(director)

    response = client.get("/")

    [listed] = response.context["plans"]
    assert listed == plan
    ilacs = plan.sources.get(inspection_type="ilacs")
    assert listed.next_submission == ilacs  # its deadline is long past: overdue until submitted
    assert (listed.recommendation_count, listed.action_count) == (2, 2)
    body = response.content.decode()
    assert f'href="/plans/{plan.pk}/"' in body
    assert "Inspection of local authority children&#x27;s services (2024)" in body
    assert f"Focused visit ({visit.publication_date:%Y})" in body
    assert f"{ilacs.plan_due_date:%-d %b %Y}, <strong>overdue</strong>" in body
    visit_days = next(s for s in listed.source_list if s == visit).working_days_left
    assert f"<strong>{visit_days} working days left</strong>" in body


def test_a_report_that_asks_for_no_plan_is_no_submission_in_hand(client, director):
    today = dt.date.today()
    plan = plan_with_actions("Test Council", 1, today - dt.timedelta(days=3))
    InspectionFactory(  # no areas for priority action: no plan of its own is asked for
        plan=plan, inspection_type="focused_visit", publication_date=today - dt.timedelta(days=2)
    )
    plan.sources.filter(inspection_type="ilacs").update(plan_submitted_at=dt.datetime.now(dt.UTC))
    client.force_login(director)

    [listed] = client.get("/").context["plans"]

    assert listed.next_submission is None


def test_a_report_asking_for_no_plan_says_so_on_the_dashboard_and_the_cover(client, director):
    """A focused visit naming no areas for priority action asks for no plan: the
    dashboard and the submission's cover say "none asked for", not "not known"."""
    visit = InspectionFactory(inspection_type="focused_visit", draft_plan_required=False)
    ActionFactory(recommendation=RecommendationFactory(inspection=visit))
    plan_summaries.refresh(visit.plan_id)
    assert visit.plan_due_date is None
    client.force_login(director)

    page = client.get("/").content.decode()

    assert "Plan due: none asked for" in page
    assert "not known" not in page
    printable = client.get(
        reverse("documents-submission-print", args=[visit.plan_id, visit.pk])
    ).content.decode()
    assert re.search(r"Plan submission deadline</t[hd]>\s*<td[^>]*>None asked for<", printable)
