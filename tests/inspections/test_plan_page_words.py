"""The plan page speaks plainly: a deadline not known yet says what would give it, and a
recommendation without a timescale is not headed "None given"."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from tests.factories import ActionFactory, InspectionFactory, PlanFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def page_of(client, inspection) -> str:
    return html.unescape(client.get(inspection.get_absolute_url()).content.decode())


def test_a_plan_without_a_deadline_asks_for_the_date_the_report_was_received(client, officer):
    inspection = InspectionFactory(publication_date=None)
    assert inspection.plan_due_date is None
    client.force_login(officer)

    page = page_of(client, inspection)

    assert "Not known yet: " in page
    assert (
        f'href="/inspections/{inspection.pk}/correct/">enter the date the report was received'
        in page
    )
    assert "()" not in page


def test_a_reader_is_told_what_is_missing_without_a_link_to_correct(client, reader):
    inspection = InspectionFactory(publication_date=None)
    client.force_login(reader)

    page = page_of(client, inspection)

    assert "Not known yet: the date the report was received is needed" in page
    assert "()" not in page


def test_a_known_deadline_shows_how_it_was_worked_out(client, officer):
    inspection = InspectionFactory(received_date=dt.date(2024, 3, 4))
    client.force_login(officer)

    assert "(70 working days from receipt)" in page_of(client, inspection)


def test_a_recommendation_without_a_timescale_says_so(client, officer):
    inspection = InspectionFactory()
    untimed = RecommendationFactory(inspection=inspection, timescale="none", number="3")
    RecommendationFactory(inspection=inspection, timescale="three_months")
    action = ActionFactory(recommendation=untimed)
    client.force_login(officer)

    page = page_of(client, inspection)
    assert "3 — No timescale given" in page
    assert "Within three months" in page
    assert "None given" not in page

    action_page = html.unescape(client.get(action.get_absolute_url()).content.decode())
    assert "no timescale given" in action_page and "None given" not in action_page


def test_a_report_printing_no_publication_date_is_named_by_the_year_it_was_received(
    client, director
):
    """Most ILACS and area SEND PDFs print no publication date: the report is still named
    by a year (the one it was received in), never "undated", on pages and documents."""
    inspection = InspectionFactory(
        publication_date=None, received_date=dt.date(2020, 3, 2), inspection_end=None
    )
    client.force_login(director)
    url = reverse("documents-source", args=[inspection.plan_id, inspection.pk])

    page = html.unescape(client.get(url).content.decode())

    assert f"Submission: {inspection.get_inspection_type_display()} (2020)" in page
    assert "undated" not in page
    assert str(inspection).endswith("(2020)")


@pytest.mark.parametrize("user", ["officer", "reader"])
def test_the_report_pages_document_links_open_its_own_plans_pages(client, request, user):
    """The links went to the plan whose number was the report's: another council's plan,
    or none. They go to the report's plan, and for those who produce documents to the
    report's own submission."""
    PlanFactory.create_batch(2)  # so that no plan shares the report's number
    inspection = InspectionFactory()
    plan = inspection.plan
    assert plan.pk != inspection.pk
    client.force_login(request.getfixturevalue(user))

    page = page_of(client, inspection)

    assert f'href="{reverse("documents-plan", args=[plan.pk])}"' in page
    assert f'This report feeds <a class="govuk-link" href="{plan.get_absolute_url()}">' in page
    source = reverse("documents-source", args=[plan.pk, inspection.pk])
    assert (f'href="{source}">This report\'s submission document' in page) is (user == "officer")


def test_a_report_held_as_history_links_to_no_plan_documents(client, officer):
    inspection = InspectionFactory(plan=None)
    client.force_login(officer)

    page = page_of(client, inspection)

    assert "/documents/plans/" not in page


def test_a_deadline_counted_from_publication_says_so_until_a_receipt_date_is_entered(
    client, officer
):
    """With no date of receipt, the deadline counts from publication: the report's page
    and the plan's page said "from receipt", which no one had entered."""
    inspection = InspectionFactory(received_date=None, publication_date=dt.date(2014, 5, 14))
    assert inspection.plan_due_date == dt.date(2014, 8, 21)
    client.force_login(officer)
    words = "70 working days from publication, as no date of receipt is entered"

    shown = " ".join(re.sub(r"<[^>]+>", " ", page_of(client, inspection)).split())
    assert f"Thursday 21 August 2014 ({words})" in shown
    plan_page = html.unescape(client.get(inspection.plan.get_absolute_url()).content.decode())
    assert words in plan_page
    assert "from receipt" not in plan_page

    inspection.received_date = dt.date(2014, 5, 20)
    inspection.refresh_deadlines()
    inspection.save()
    shown = " ".join(re.sub(r"<[^>]+>", " ", page_of(client, inspection)).split())
    due = inspection.plan_due_date
    assert due > dt.date(2014, 8, 21)
    assert f"{due:%A %-d %B %Y} (70 working days from receipt)" in shown


def test_a_report_printing_no_publication_date_says_so_as_the_plan_page_does(client, officer):
    """The report page said "Not known", the plan page "Not printed": one meaning, one
    wording."""
    client.force_login(officer)
    page = page_of(client, InspectionFactory(publication_date=None))
    assert "Published Not printed in the report" in " ".join(re.sub(r"<[^>]+>", " ", page).split())
