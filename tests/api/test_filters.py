"""The filter backend builds only the filters a request asks for, and no filter set at all
when it asks for none. That is sound only because a filter whose parameter is absent
leaves the rows as they are: these tests hold every API filter set to that, and check that
asked-for filters are still applied and validated."""

from __future__ import annotations

import datetime as dt

import django_filters
import pytest
from django.http import QueryDict

from actions.api.filters import ApiActionFilter
from actions.models import Action, Rag, Status
from config.api_urls import router
from tests.factories import ActionFactory, WiderAreaFactory

pytestmark = pytest.mark.django_db


def filtersets() -> list[type[django_filters.FilterSet]]:
    found = set()
    for _, viewset, _ in router.registry:
        found.add(getattr(viewset, "filterset_class", None))
        for extra in viewset.get_extra_actions():
            found.add(extra.kwargs.get("filterset_class"))
    return sorted((f for f in found if f is not None), key=lambda f: f.__name__)


def test_every_list_has_a_filter_set_to_check():
    assert len(filtersets()) >= 10


@pytest.mark.parametrize("filterset_class", filtersets(), ids=lambda f: f.__name__)
def test_an_absent_filter_leaves_the_rows_as_they_are(filterset_class):
    rows = filterset_class._meta.model.objects.all()
    filterset = filterset_class(data=QueryDict(), queryset=rows)
    assert filterset.is_valid(), filterset.errors
    for name, value in filterset.form.cleaned_data.items():
        assert str(filterset.filters[name].filter(rows, value).query) == str(rows.query), name
    # and no set adds filtering of its own beyond its filters
    assert filterset_class.filter_queryset is django_filters.FilterSet.filter_queryset
    assert filterset_class.qs is django_filters.FilterSet.qs


@pytest.fixture
def built(monkeypatch) -> list[ApiActionFilter]:
    """Every action filter set the API builds during the test."""
    made = []
    original = ApiActionFilter.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(ApiActionFilter, "__init__", init)
    return made


def test_a_list_without_filters_builds_no_filter_set(client_for, director, plan, built):
    response = client_for(director).get("/api/v1/actions/?page_size=5&ordering=-id")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [plan.pk]
    assert built == []


def test_a_filtered_list_builds_only_the_filters_asked_for(client_for, director, plan, built):
    response = client_for(director).get("/api/v1/actions/?status=not_started&overdue=true")
    assert response.status_code == 200
    [filterset] = built
    assert sorted(filterset.filters) == ["overdue", "status"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=nonsense", "status"),
        ("overdue=maybe", "overdue"),
        ("owner=abc", "owner"),
        ("status=in_progress&due_after=not-a-date", "due_after"),
        ("updated_since=yesterday&page_size=5", "updated_since"),
    ],
)
def test_an_invalid_filter_is_still_a_400(client_for, director, plan, query, field):
    response = client_for(director).get(f"/api/v1/actions/?{query}")
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "in_progress"},
        {"status": "in_progress", "overdue": "true"},
        {"overdue": "false", "rag": "red"},
        {"q": "audit", "status": "in_progress"},
        {"due_after": "2024-06-01", "due_before": "2024-12-31"},
    ],
)
def test_filters_select_what_the_whole_filter_set_selects(client_for, director, plan, query):
    recommendation = plan.recommendations.get()
    for n, (status, rag) in enumerate(
        [(s, r) for s in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.CLOSED) for r in Rag]
    ):
        ActionFactory(
            recommendation=recommendation,
            status=status,
            rag=rag,
            title=f"Case audit {n}" if n % 2 else f"Supervision {n}",
            due_date=dt.date(2024, 1, 1) + dt.timedelta(days=40 * n),
        )
    params = "&".join(f"{key}={value}" for key, value in query.items())
    whole = ApiActionFilter(data=QueryDict(params), queryset=Action.objects.all())
    assert whole.is_valid()
    expected = sorted(whole.qs.values_list("pk", flat=True))
    response = client_for(director).get(f"/api/v1/actions/?page_size=500&{params}")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == expected
    assert 0 < len(expected) < Action.objects.count(), "the filters should choose some rows"


def test_the_search_finds_what_the_actions_page_finds(client_for, director, plan):
    """`q` is the actions page's search: the title, what will be done, an item the action
    answers, or the wider area it answers."""
    area = WiderAreaFactory(plan=plan.plan, text="Return home interviews are followed up.")
    by_area = ActionFactory(plan=plan.plan, recommendation=None, wider_area=area, title="Visits")
    by_title = ActionFactory(recommendation=plan.recommendations.get(), title="Interviews audit")
    ActionFactory(recommendation=plan.recommendations.get(), title="Supervision")
    response = client_for(director).get("/api/v1/actions/?q=interview")
    assert response.status_code == 200
    assert sorted(row["id"] for row in response.json()["results"]) == [by_area.pk, by_title.pk]
