"""An action drafted without a due date gets a working day that has not passed yet, and
the draft page shows that date before saving, for the officer to keep or change."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine

from actions import services
from actions.models import Action, Rag
from core.deadlines import is_working_day
from tests.dates import date_post
from tests.factories import InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

D = dt.date


def box(body: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', body).group()
    return re.search(r'value="([^"]*)"', tag).group(1)


def shown_due_date(body: str) -> list[str]:
    return [box(body, f"due_date_{part}") for part in ("day", "month", "year")]


@time_machine.travel(dt.datetime(2025, 1, 15, 12), tick=False)
def test_an_old_report_without_a_timescale_gets_a_future_working_day_not_a_past_sunday(officer):
    # Published 1 March 2024: six months on is Sunday 1 September 2024, long gone by now.
    recommendation = RecommendationFactory(
        timescale="none", inspection=InspectionFactory(publication_date=D(2024, 3, 1))
    )

    action = services.draft_action(
        plan=recommendation.inspection.plan,
        recommendations=[recommendation],
        by=officer,
        title="Audit",
    )

    assert action.due_date == D(2025, 7, 15)  # six months from today, a Tuesday
    assert is_working_day(action.due_date)
    assert action.rag != Rag.RED


@time_machine.travel(dt.datetime(2024, 3, 1, 12), tick=False)
def test_a_default_landing_on_a_weekend_moves_to_the_next_working_day(officer):
    recommendation = RecommendationFactory(
        timescale="none", inspection=InspectionFactory(publication_date=D(2024, 3, 1))
    )

    action = services.draft_action(
        plan=recommendation.inspection.plan,
        recommendations=[recommendation],
        by=officer,
        title="Audit",
    )

    assert action.due_date == D(2024, 9, 2)  # 1 September 2024 is a Sunday


@time_machine.travel(dt.datetime(2024, 3, 4, 12), tick=False)
def test_the_timescale_counts_from_the_date_the_report_was_received(officer):
    inspection = InspectionFactory(publication_date=D(2024, 3, 1))
    inspection.received_date = D(2024, 3, 11)
    inspection.save()
    recommendation = RecommendationFactory(timescale="three_months", inspection=inspection)

    action = services.draft_action(
        plan=recommendation.inspection.plan,
        recommendations=[recommendation],
        by=officer,
        title="Audit",
    )

    assert action.due_date == D(2024, 6, 11)


@time_machine.travel(dt.datetime(2025, 1, 15, 12), tick=False)
def test_the_draft_page_shows_the_default_due_date_before_saving(client, officer):
    recommendation = RecommendationFactory(
        timescale="none", inspection=InspectionFactory(publication_date=D(2024, 3, 1))
    )
    client.force_login(officer)

    page = client.get(f"/actions/new/{recommendation.pk}/").content.decode()

    assert shown_due_date(page) == ["15", "7", "2025"]
    assert "The recommendation gives no timescale: this date is a suggestion." in page
    assert "Due date (optional)" not in page

    saved = client.post(
        f"/actions/new/{recommendation.pk}/",
        {"title": "Audit supervision", **date_post("due_date", "2025-07-15")},
    )
    assert saved.status_code == 302
    assert Action.objects.get(title="Audit supervision").due_date == D(2025, 7, 15)


@time_machine.travel(dt.datetime(2024, 3, 1, 12), tick=False)
def test_the_draft_page_names_the_timescale_it_counted_from(client, officer):
    recommendation = RecommendationFactory(timescale="three_months")
    client.force_login(officer)

    page = html.unescape(client.get(f"/actions/new/{recommendation.pk}/").content.decode())

    assert shown_due_date(page) == ["3", "6", "2024"]  # 1 June 2024 is a Saturday
    assert "Suggested from the recommendation's timescale (within three months)." in page


@time_machine.travel(dt.datetime(2025, 1, 15, 12), tick=False)
def test_an_officer_may_choose_a_past_date_but_not_leave_the_date_empty(client, officer):
    recommendation = RecommendationFactory()
    client.force_login(officer)

    emptied = client.post(
        f"/actions/new/{recommendation.pk}/",
        {
            "title": "Audit supervision",
            "due_date_day": "",
            "due_date_month": "",
            "due_date_year": "",
        },
    )
    assert emptied.status_code == 200
    assert "Enter the due date" in emptied.content.decode()

    chosen = client.post(
        f"/actions/new/{recommendation.pk}/",
        {"title": "Audit supervision", **date_post("due_date", "2024-12-02")},
    )
    assert chosen.status_code == 302
    assert Action.objects.get(title="Audit supervision").due_date == D(2024, 12, 2)
