"""Every page reads in a fixed number of queries, at two sizes of data.

Each test measures a page, then adds data both inside what the person sees (more
actions in their plan, more history on the action) and outside it (other councils'
plans), and checks the page needs no more queries than before. The dashboards have
theirs in test_dashboard.py.
"""

import datetime as dt

import pytest

from actions.models import Action, Rag
from inspections.models import Inspection, RecommendationRepeat
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    OrganisationFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
    WiderAreaFactory,
)


def grow(report: Inspection, owner, *, actions: int, other_councils: int) -> None:
    """More of everything: actions (with history) in the report's plan, themes and wider
    areas of the plan, and plans elsewhere."""
    plan = report.plan
    theme = ThemeFactory(plan=plan)
    area = WiderAreaFactory(plan=plan, theme=theme)
    for n in range(actions):
        action = ActionFactory(
            recommendation=RecommendationFactory(inspection=report),
            theme=theme if n % 2 else None,
            wider_area=area if n % 4 == 0 else None,
            owner=owner,
            rag=Rag.RED if n % 2 else Rag.GREEN,
            status="in_progress" if n % 3 else "complete",
        )
        ProgressUpdateFactory(action=action, author=owner)
        MeasureReadingFactory(measure=MeasureFactory(action=action))
    for n in range(other_councils):
        other = InspectionFactory(local_authority=OrganisationFactory(name=f"Elsewhere {n}"))
        stranger = UserFactory(role="Action owners", organisation=other.local_authority)
        for _ in range(5):
            ActionFactory(
                recommendation=RecommendationFactory(inspection=other), owner=stranger, rag="red"
            )


@pytest.fixture
def report(db) -> Inspection:
    return InspectionFactory()


@pytest.fixture
def their_action(report, owner) -> Action:
    action = ActionFactory(
        recommendation=RecommendationFactory(inspection=report), owner=owner, rag=Rag.RED
    )
    ProgressUpdateFactory(action=action, author=owner)
    MeasureReadingFactory(measure=MeasureFactory(action=action))
    return action


def assert_constant(client, user, path, grow_data, django_assert_max_num_queries, budget):
    client.force_login(user)
    assert client.get(path).status_code == 200  # warm the session and roles
    with django_assert_max_num_queries(budget) as small:
        client.get(path)
    grow_data()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(path)
    assert response.status_code == 200
    return response


def test_the_plan_page(
    client, director, owner, report, their_action, django_assert_max_num_queries
):
    # One of everything the page shows: a second source repeating an item of the first.
    later = InspectionFactory(plan=report.plan, publication_date=dt.date(2025, 5, 1))

    def repeat(earlier):
        item = RecommendationFactory(inspection=later, text=earlier.text)
        RecommendationRepeat.objects.create(recommendation=item, earlier=earlier, score=90)

    repeat(their_action.recommendations.get())

    def more():
        grow(report, owner, actions=20, other_councils=3)
        for earlier in report.recommendations.all()[1:5]:
            repeat(earlier)

    response = assert_constant(
        client,
        director,
        report.plan.get_absolute_url(),
        more,
        django_assert_max_num_queries,
        budget=16,
    )
    body = response.content.decode()
    assert body.count('href="/actions/') >= 21
    assert body.count("Likely repeat") == 5


def test_the_report_page(
    client, director, owner, report, their_action, django_assert_max_num_queries
):
    response = assert_constant(
        client,
        director,
        report.get_absolute_url(),
        lambda: grow(report, owner, actions=20, other_councils=3),
        django_assert_max_num_queries,
        budget=11,  # with the repeats either way and the rule for reports seen
    )
    assert response.content.decode().count('href="/actions/') >= 21


def test_the_action_page(
    client, director, owner, report, their_action, django_assert_max_num_queries
):
    def more_history():
        for n in range(10):
            ProgressUpdateFactory(action=their_action, author=owner, text=f"Step {n}")
            measure = MeasureFactory(action=their_action, name=f"Measure {n}")
            MeasureReadingFactory(measure=measure, date=dt.date(2024, 6, 1))
            MeasureReadingFactory(measure=measure, date=dt.date(2024, 7, 1))
        grow(report, owner, actions=10, other_councils=3)

    response = assert_constant(
        client,
        director,
        their_action.get_absolute_url(),
        more_history,
        django_assert_max_num_queries,
        budget=16,  # the items it answers: one read of the many-to-many
    )
    assert "Step 9" in response.content.decode()


def test_my_actions(client, owner, report, their_action, django_assert_max_num_queries):
    response = assert_constant(
        client,
        owner,
        "/actions/mine/",
        lambda: grow(report, owner, actions=20, other_councils=3),
        django_assert_max_num_queries,
        budget=7,  # the items each action answers, prefetched in one read
    )
    assert response.content.decode().count('href="/actions/') >= 21


def test_search(client, director, owner, report, their_action, django_assert_max_num_queries):
    response = assert_constant(
        client,
        director,
        "/actions/?rag=red",
        lambda: grow(report, owner, actions=20, other_councils=3),
        django_assert_max_num_queries,
        budget=11,  # the items each action answers, prefetched in one read
    )
    assert "11 actions found" in response.content.decode()
