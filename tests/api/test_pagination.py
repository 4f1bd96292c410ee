"""Cursor pagination: bounded pages, every row once, and incremental sync."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from actions.api import export
from actions.models import Action
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    RecommendationFactory,
    WiderAreaFactory,
)

pytestmark = pytest.mark.django_db


def walk(api, url: str) -> list[dict]:
    rows = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.json()
        rows += response.json()["results"]
        url = response.json()["next"]
    return rows


@pytest.mark.parametrize("ordering", ["id", "-id", "updated_at", "-updated_at", "due_date"])
def test_a_walk_sees_every_row_once_in_order(client_for, director, plan, ordering):
    for day in range(12):
        ActionFactory(
            recommendation=plan.recommendations.get(), due_date=dt.date(2024, 9, 1 + day % 3)
        )
    Action.objects.update(updated_at=timezone.now())  # ties on updated_at: id breaks them
    rows = walk(client_for(director), f"/api/v1/actions/?page_size=5&ordering={ordering}")
    assert sorted(r["id"] for r in rows) == sorted(Action.objects.values_list("id", flat=True))
    key = ordering.lstrip("-")
    keys = [(r[key], r["id"]) for r in rows]
    assert keys == sorted(keys, reverse=ordering.startswith("-"))


def test_incremental_sync_with_updated_since(client_for, director, officer, plan):
    api = client_for(director)
    first = walk(api, "/api/v1/actions/?ordering=updated_at")
    since = first[-1]["updated_at"]
    client_for(officer).patch(f"/api/v1/actions/{plan.pk}/", {"title": "Changed"})
    changed = walk(api, f"/api/v1/actions/?ordering=updated_at&updated_since={since}")
    assert [r["title"] for r in changed] == ["Changed"]


@pytest.mark.parametrize("size", ["0", "501", "ten", "-1"])
def test_page_size_is_between_1_and_500(client_for, director, plan, size):
    response = client_for(director).get(f"/api/v1/actions/?page_size={size}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page_size"


def test_a_tampered_or_mismatched_cursor_names_no_page(client_for, director, plan):
    ActionFactory(recommendation=plan.recommendations.get())
    api = client_for(director)
    next_url = api.get("/api/v1/actions/?page_size=1").json()["next"]
    cursor = next_url.split("cursor=")[1]
    assert api.get(f"/api/v1/actions/?cursor={cursor}&page_size=1").status_code == 200
    assert api.get(f"/api/v1/actions/?cursor={cursor}&ordering=-id").status_code == 404
    assert api.get("/api/v1/actions/?cursor=bm9wZQ").status_code == 404
    assert api.get("/api/v1/actions/?cursor=R").status_code == 404


@pytest.mark.parametrize("cursor", ["", "a+b", "a%20b", "eyJv=="])
def test_a_cursor_outside_its_alphabet_is_400(client_for, director, plan, cursor):
    response = client_for(director).get(f"/api/v1/actions/?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"


def test_an_unknown_ordering_is_400(client_for, director, plan):
    assert client_for(director).get("/api/v1/actions/?ordering=title").status_code == 400


def test_export_streams_every_matching_action(client_for, director, plan):
    ActionFactory(recommendation=plan.recommendations.get(), title="=HYPERLINK(evil)")
    api = client_for(director)
    response = api.get("/api/v1/actions/export/?file_format=csv")
    text = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"] == 'attachment; filename="actions.csv"'
    lines = text.strip().splitlines()
    assert lines[0].startswith("id,plan,recommendations,wider_area,theme") and len(lines) == 3
    assert "'=HYPERLINK(evil)" in text  # not a formula when opened in a spreadsheet
    as_json = api.get("/api/v1/actions/export/?file_format=json&status=not_started")
    rows = json.loads(b"".join(as_json.streaming_content))
    assert {r["id"] for r in rows} == set(Action.objects.values_list("id", flat=True))
    assert api.get("/api/v1/actions/export/?file_format=xml").status_code == 400


def test_export_gives_each_action_the_items_it_answers_chunk_by_chunk(
    client_for, director, plan, monkeypatch
):
    monkeypatch.setattr(export, "CHUNK", 2)
    first = plan.recommendations.get()
    second = RecommendationFactory(inspection=InspectionFactory(plan=plan.plan), order=0)
    expected = {plan.pk: [first.pk]}
    for n in range(5):
        answers = [[first], [second], [first, second], [], [second]][n]
        made = ActionFactory(
            recommendation=None,
            plan=plan.plan,
            answers=answers,
            wider_area=None if answers else WiderAreaFactory(plan=plan.plan),
        )
        expected[made.pk] = [r.pk for r in answers]
    api = client_for(director)
    response = api.get("/api/v1/actions/export/?file_format=json")
    rows = json.loads(b"".join(response.streaming_content))
    assert {row["id"]: row["recommendations"] for row in rows} == expected
    text = b"".join(api.get("/api/v1/actions/export/").streaming_content).decode()
    cells = {line.split(",")[0]: line.split(",")[2] for line in text.strip().splitlines()[1:]}
    assert cells[str(plan.pk)] == str(first.pk)
    assert f"{first.pk} {second.pk}" in cells.values()
