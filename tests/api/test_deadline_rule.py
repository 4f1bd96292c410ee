"""The API changes a deadline through the same rule as the report's page: not before the
inspection's last day."""

from __future__ import annotations

import datetime as dt

import pytest

from inspections.models import Inspection
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def test_a_deadline_before_the_inspection_ended_is_422_on_new_date(client_for, officer):
    inspection = InspectionFactory(
        inspection_start=dt.date(2026, 7, 6), inspection_end=dt.date(2026, 7, 10)
    )
    response = client_for(officer).post(
        f"/api/v1/inspections/{inspection.pk}/deadline/",
        {"which": "plan", "new_date": "2026-06-01", "reason": "Agreed with Ofsted"},
        format="json",
    )

    assert response.status_code == 422, response.content[:300]
    assert response.json()["errors"] == [
        {
            "field": "new_date",
            "code": "domain_rule",
            "message": "The new due date must be the same as or after 10 July 2026, "
            "the last day of the inspection",
        }
    ]
    assert Inspection.objects.get(pk=inspection.pk).plan_due_override is None
