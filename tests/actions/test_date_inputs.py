"""Every date of the action pages is typed as day, month and year and survives the trip:
the current date shows in the three boxes, a typed date is saved, a wrong one is
explained the GOV.UK way and kept to correct."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from actions.models import Action, Measure
from tests.dates import date_post
from tests.factories import ActionFactory, MeasureFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def box(body: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', body).group()
    return re.search(r'value="([^"]*)"', tag).group(1)


def boxes(body: str, name: str) -> list[str]:
    return [box(body, f"{name}_{part}") for part in ("day", "month", "year")]


def test_moving_a_due_date_shows_saves_and_explains(client, director):
    action = ActionFactory(due_date=dt.date(2024, 9, 1))
    client.force_login(director)

    page = client.get(action.get_absolute_url()).content.decode()
    assert boxes(page, "move_date-new_date") == ["1", "9", "2024"]
    assert "govuk-date-input__input govuk-input--width-2" in page

    wrong = client.post(
        f"/actions/{action.pk}/move-date/",
        {
            "move_date-version": action.version,
            "move_date-new_date_day": "30",
            "move_date-new_date_month": "2",
            "move_date-new_date_year": "2025",
            "move_date-reason": "Agreed at the board",
        },
    )
    assert wrong.status_code == 400
    assert "The new due date must be a real date" in wrong.content.decode()
    assert boxes(wrong.content.decode(), "move_date-new_date") == ["30", "2", "2025"]

    moved = client.post(
        f"/actions/{action.pk}/move-date/",
        {
            "move_date-version": action.version,
            **date_post("move_date-new_date", "2025-03-31"),
            "move_date-reason": "Agreed at the board",
        },
    )
    assert moved.status_code == 302
    assert Action.objects.get(pk=action.pk).due_date == dt.date(2025, 3, 31)


def test_a_drafted_actions_due_date_is_typed_in_three_boxes(client, officer):
    recommendation = RecommendationFactory()
    client.force_login(officer)
    form = {"title": "Audit supervision", "description": "", "expected_outcome": "Better"}

    missing = client.post(
        f"/actions/new/{recommendation.pk}/",
        {**form, "due_date_day": "12", "due_date_year": "2025"},
    )
    assert missing.status_code == 200
    assert "The due date must include a month" in missing.content.decode()
    assert boxes(missing.content.decode(), "due_date") == ["12", "", "2025"]

    drafted = client.post(
        f"/actions/new/{recommendation.pk}/", {**form, **date_post("due_date", "2025-12-12")}
    )
    assert drafted.status_code == 302
    assert Action.objects.get(title="Audit supervision").due_date == dt.date(2025, 12, 12)


def test_a_measures_baseline_date_and_a_readings_date_are_saved(client, officer):
    action = ActionFactory()
    client.force_login(officer)
    measure = {
        "measure-name": "Re-referrals",
        "measure-unit": "%",
        "measure-baseline": "30",
        "measure-target": "20",
        "measure-direction": "lower",
    }

    response = client.post(
        f"/actions/{action.pk}/measure/",
        {**measure, **date_post("measure-baseline_date", "2024-02-29")},
    )
    assert response.status_code == 302
    added = Measure.objects.get(action=action, name="Re-referrals")
    assert added.baseline_date == dt.date(2024, 2, 29)

    not_leap = client.post(
        f"/actions/{action.pk}/measure/",
        {
            **measure,
            **date_post("measure-baseline_date", "2024-02-28"),
            "measure-baseline_date_day": "29",
            "measure-baseline_date_year": "2023",
        },
    )
    assert "The baseline date must be a real date" in not_leap.content.decode()

    reading = MeasureFactory(action=action)
    response = client.post(
        f"/actions/{action.pk}/reading/",
        {
            "reading-measure": reading.pk,
            **date_post("reading-date", "2024-06-03"),
            "reading-value": "93",
            "reading-note": "",
        },
    )
    assert response.status_code == 302
    assert reading.readings.get().date == dt.date(2024, 6, 3)

    nothing = client.post(
        f"/actions/{action.pk}/reading/",
        {"reading-measure": reading.pk, "reading-value": "94", "reading-note": ""},
    )
    assert "Enter the date of the reading" in nothing.content.decode()
