"""Plan documents (generate, list, download, submit) and reminders (read) in the API."""

from __future__ import annotations

import pytest

from actions.documents.models import DocumentVersion
from actions.reminders.models import Reminder

pytestmark = pytest.mark.django_db


def test_an_officer_generates_and_downloads_a_submission(client_for, officer, full_plan):
    api = client_for(officer)
    response = api.post(
        "/api/v1/documents/",
        {
            "plan": full_plan.plan_id,
            "inspection": full_plan.recommendations.get().inspection_id,
            "kind": "submission",
            "format": "docx",
        },
    )
    assert response.status_code == 201, response.json()
    version = response.json()
    assert version["status"] == "ready" and version["sha256"]
    download = api.get(f"/api/v1/documents/{version['id']}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert (version["plan"], version["inspection"]) == (
        full_plan.plan_id,
        full_plan.recommendations.get().inspection_id,
    )
    listed = api.get("/api/v1/documents/").json()["results"]
    assert [row["id"] for row in listed] == [version["id"]]
    of_plan = api.get(f"/api/v1/documents/?plan={full_plan.plan_id}").json()["results"]
    assert [row["id"] for row in of_plan] == [version["id"]]


def test_a_progress_report_needs_its_period(client_for, director, full_plan):
    response = client_for(director).post(
        "/api/v1/documents/",
        {
            "plan": full_plan.plan_id,
            "kind": "progress",
            "format": "docx",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "period_start"
    assert not DocumentVersion.objects.exists()


def test_readers_see_no_documents(client_for, reader, full_plan):
    assert client_for(reader).get("/api/v1/documents/").status_code == 403


def test_reminders_about_visible_actions_are_listed(client_for, reader, outsider, plan, owner):
    reminder = Reminder.objects.create(
        recipient=owner, kind="before_due", occasion="x", action=plan, scheduled_for=plan.due_date
    )
    rows = client_for(reader).get("/api/v1/reminders/").json()["results"]
    assert [row["id"] for row in rows] == [reminder.pk]
    assert rows[0]["status"] == "pending" and "claim_token" not in rows[0]
    assert client_for(outsider).get("/api/v1/reminders/").json()["results"] == []
