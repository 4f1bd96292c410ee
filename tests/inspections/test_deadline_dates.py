"""The plan deadline's override is typed as day, month and year."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from inspections.models import Inspection
from tests.dates import date_post
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def test_an_override_is_shown_saved_and_explained(client, officer):
    inspection = InspectionFactory()
    client.force_login(officer)
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert re.search(r'name="new_date_day" type="text" inputmode="numeric"', page)

    wrong = client.post(
        f"/inspections/{inspection.pk}/deadline/",
        {
            "which": "plan",
            "reason": "Agreed with Ofsted",
            "new_date_day": "1",
            "new_date_year": "2024",
        },
    )
    assert wrong.status_code == 400
    assert Inspection.objects.get(pk=inspection.pk).plan_due_override is None
    assert "The new due date must include a month" in wrong.content.decode()

    response = client.post(
        f"/inspections/{inspection.pk}/deadline/",
        {"which": "plan", "reason": "Agreed with Ofsted", **date_post("new_date", "2024-07-01")},
    )
    assert response.status_code == 302
    saved = Inspection.objects.get(pk=inspection.pk)
    assert saved.plan_due_override == dt.date(2024, 7, 1)
    assert saved.plan_due_date == dt.date(2024, 7, 1)
