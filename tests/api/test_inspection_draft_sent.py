"""An inspection through the API says when the draft plan a focused visit asked for was
recorded as sent, as the source's page records it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def test_a_focused_visit_says_when_its_draft_plan_was_recorded_as_sent(
    client, client_for, council, director, reader
):
    visit = InspectionFactory(
        local_authority=council,
        inspection_type="focused_visit",
        publication_date=dt.date(2025, 1, 28),
        draft_plan_required=True,
    )
    api = client_for(reader, "read")
    url = f"/api/v1/inspections/{visit.pk}/"
    before = api.get(url).json()
    assert before["draft_plan_due_date"] is not None
    assert before["draft_plan_sent_at"] is None

    client.force_login(director)
    sent = client.post(reverse("documents-draft-sent", args=[visit.plan_id, visit.pk]))
    assert sent.status_code == 302

    visit.refresh_from_db()
    after = api.get(url).json()
    assert after["draft_plan_sent_at"] == (
        visit.draft_plan_sent_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    )
    listed = api.get(f"/api/v1/inspections/?plan={visit.plan_id}").json()["results"]
    assert [row["draft_plan_sent_at"] for row in listed] == [after["draft_plan_sent_at"]]


def test_the_schema_declares_it_read_only_and_nullable():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["Inspection"]["properties"]["draft_plan_sent_at"]
    assert field["type"] == "string" and field["format"] == "date-time"
    assert field["readOnly"] is True and field["nullable"] is True
    assert "sent" in field["description"]
