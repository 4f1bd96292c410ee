"""What a walk through a report's page found: a deadline change refused comes back as the
GOV.UK error pattern (summary, message on the field, what was typed kept, the section
open) and a deadline cannot fall before the inspection's last day; an item's repeats say
what is known ("may have" only while suggested, earlier items counted as items); a later
report that says an item again is listed once."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from inspections.models import Inspection, RecommendationRepeat
from tests.dates import date_post
from tests.factories import InspectionFactory, OrganisationFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def text_of(body: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())


def held_6_to_10_july_2026() -> Inspection:
    return InspectionFactory(
        inspection_start=dt.date(2026, 7, 6),
        inspection_end=dt.date(2026, 7, 10),
        publication_date=dt.date(2026, 8, 14),
    )


def change_deadline(client, inspection: Inspection, **fields):
    return client.post(f"/inspections/{inspection.pk}/deadline/", {"which": "plan", **fields})


def test_a_deadline_change_without_a_reason_comes_back_with_the_error_on_the_field(client, officer):
    inspection = held_6_to_10_july_2026()
    client.force_login(officer)

    response = change_deadline(client, inspection, reason="", **date_post("new_date", "2026-11-02"))

    assert response.status_code == 400
    body = response.content.decode()
    summary = body[body.index("govuk-error-summary") : body.index("</h1>")]
    assert '<a href="#id_reason">Enter why the deadline is changing</a>' in summary
    assert re.search(r'<details class="govuk-details" id="deadline" open>', body)
    form = body[body.index('id="deadline"') : body.index("</details>", body.index('id="deadline"'))]
    assert "govuk-form-group--error" in form
    assert "Error:</span> Enter why the deadline is changing" in form
    for box, typed in (("new_date_day", "2"), ("new_date_month", "11"), ("new_date_year", "2026")):
        assert re.search(rf'name="{box}"[^>]*value="{typed}"', form), box
    assert "<title>Error: " in body
    assert "govuk-notification-banner" not in body
    assert Inspection.objects.get(pk=inspection.pk).plan_due_override is None


def test_a_deadline_before_the_inspections_last_day_is_refused(client, officer):
    inspection = held_6_to_10_july_2026()
    client.force_login(officer)

    response = change_deadline(
        client, inspection, reason="Agreed with Ofsted", **date_post("new_date", "2026-06-01")
    )

    assert response.status_code == 400
    message = (
        "The new due date must be the same as or after 10 July 2026, the last day of the inspection"
    )
    body = response.content.decode()
    assert f'<a href="#id_new_date">{message}</a>' in body
    assert body.count("govuk-input--error") == 3  # the date as a whole is wrong
    assert "Agreed with Ofsted</textarea>" in body
    assert Inspection.objects.get(pk=inspection.pk).plan_due_override is None

    on_the_last_day = change_deadline(
        client, inspection, reason="Agreed with Ofsted", **date_post("new_date", "2026-07-10")
    )
    assert on_the_last_day.status_code == 302
    assert Inspection.objects.get(pk=inspection.pk).plan_due_date == dt.date(2026, 7, 10)


def repeats_of(later_item, *earlier_items, status="suggested"):
    for earlier in earlier_items:
        RecommendationRepeat.objects.create(
            recommendation=later_item, earlier=earlier, score=90, status=status
        )


def test_an_items_repeats_say_what_is_known(client, officer):
    council = OrganisationFactory(name="Test Council")
    history = InspectionFactory(local_authority=council, plan=None)
    earlier = RecommendationFactory.create_batch(3, inspection=history)
    later = InspectionFactory(
        local_authority=council,
        inspection_type="focused_visit",
        publication_date=dt.date(2025, 5, 1),
    )
    suggested, confirmed = RecommendationFactory.create_batch(2, inspection=later)
    repeats_of(suggested, *earlier)
    repeats_of(confirmed, earlier[0], status="confirmed")
    client.force_login(officer)

    page = text_of(client.get(later.get_absolute_url()).content.decode())

    assert "Ofsted may have asked for this before: 3 earlier items" in page
    assert "Ofsted asked for this before" in page
    assert "before, 3 times" not in page
    assert "Ofsted may have said" not in page


def test_a_later_report_saying_an_item_again_is_listed_once_confirmed_first(client, officer):
    council = OrganisationFactory(name="Test Council")
    first = InspectionFactory(local_authority=council, publication_date=dt.date(2023, 3, 1))
    item = RecommendationFactory(inspection=first)
    suggested_only = InspectionFactory(
        local_authority=council,
        inspection_type="monitoring_visit",
        publication_date=dt.date(2024, 6, 1),
    )
    repeats_of(RecommendationFactory(inspection=suggested_only), item)
    visit = InspectionFactory(
        local_authority=council,
        inspection_type="focused_visit",
        publication_date=dt.date(2025, 5, 1),
    )
    again = RecommendationFactory(inspection=visit, number="3")
    and_again = RecommendationFactory(inspection=visit, number="5")
    repeats_of(again, item, status="confirmed")
    repeats_of(and_again, item, status="confirmed")
    client.force_login(officer)

    page = text_of(client.get(first.get_absolute_url()).content.decode())

    said_again = page[page.index("Said again later:") :]
    assert said_again.count("Focused visit (2025)") == 1
    assert said_again.index("Focused visit (2025)") < said_again.index("Monitoring visit (2024)")
    assert "Focused visit (2025): item 3 (confirmed), item 5 (confirmed);" in said_again


def test_an_officers_deadline_gives_its_reason_and_going_back_drops_it(client, officer):
    """Going back to the worked-out date left the last reason beside it: "(70 working days
    from receipt: Revert test override)"."""
    inspection = held_6_to_10_july_2026()
    client.force_login(officer)
    change_deadline(
        client,
        inspection,
        reason="Received late from Ofsted",
        **date_post("new_date", "2026-12-18"),
    )
    page = text_of(client.get(inspection.get_absolute_url()).content.decode())
    assert "Friday 18 December 2026 (set by a policy officer: Received late from Ofsted)" in page

    change_deadline(client, inspection, reason="Entered in error")
    inspection.refresh_from_db()
    page = text_of(client.get(inspection.get_absolute_url()).content.decode())
    assert f"{inspection.plan_due_date:%A %-d %B %Y} (70 working days from publication" in page
    assert "Entered in error" not in page and "Received late" not in page
