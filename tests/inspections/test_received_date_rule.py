"""A date of receipt that cannot be is refused wherever it is entered: still to come, or
before the inspection ended. Found walking real reports: a date in 2027 gave a deadline
in 2027, and a date years before the visit was taken silently."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from inspections.models import Inspection
from tests.dates import date_post
from tests.factories import InspectionFactory, OrganisationFactory
from tests.inspections.test_corrections import page_data, set_date, url
from tests.inspections.test_import_journeys import DERBYSHIRE, review_form, upload

pytestmark = pytest.mark.django_db


def shown(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def review(client):
    response = upload(client, DERBYSHIRE)
    page = client.get(response["Location"])
    return response["Location"], page


@pytest.mark.parametrize("button", ["confirm", "recalculate"])
def test_a_date_still_to_come_is_refused_on_the_review_page(client, officer, button):
    client.force_login(officer)
    location, page = review(client)
    data = review_form(page)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data.update(date_post("plan-received_date", tomorrow.isoformat()))
    data[button] = "1"

    response = client.post(location, data)

    assert response.status_code == 400
    words = shown(response)
    assert "There is a problem" in words
    assert words.count("The date the report was received must be today or in the past") == 2
    body = response.content.decode()
    assert 'href="#id_plan-received_date"' in body  # the summary links to the date's boxes
    assert 'id="id_plan-received_date"' in body
    assert (
        f'name="plan-received_date_year" type="text" inputmode="numeric" value="{tomorrow.year}"'
        in (response.content.decode())
    )
    assert not Inspection.objects.exists()


def test_a_date_before_the_inspection_ended_is_refused_on_the_review_page(client, officer):
    client.force_login(officer)
    location, page = review(client)
    ended = page.context["summary"].report.inspection_end
    data = review_form(page)
    data.update(date_post("plan-received_date", (ended - dt.timedelta(days=1)).isoformat()))
    data["confirm"] = "1"

    response = client.post(location, data)

    assert response.status_code == 400
    assert (
        "The date the report was received must be the same as or after "
        f"{ended:%-d %B %Y}, the last day of the inspection" in shown(response)
    )
    assert not Inspection.objects.exists()

    data.update(date_post("plan-received_date", ended.isoformat()))
    assert client.post(location, data).status_code == 302  # the last day itself is possible
    assert Inspection.objects.get().received_date == ended


def test_the_correction_page_refuses_a_date_still_to_come(client, officer):
    inspection = InspectionFactory(local_authority=OrganisationFactory(name="Test Council"))
    client.force_login(officer)
    data = page_data(client.get(url(inspection)))
    set_date(data, "received_date", timezone.localdate() + dt.timedelta(days=30))
    data["reason"] = "Typed from the covering e-mail."

    response = client.post(url(inspection), data)

    assert response.status_code == 400
    assert "The date the report was received must be today or in the past" in shown(response)
    inspection.refresh_from_db()
    assert inspection.received_date is None
