from django.utils.html import escape

from actions import plan_summaries
from tests.factories import TEST_PASSWORD, ActionFactory, InspectionFactory, RecommendationFactory


def test_the_dashboard_asks_anonymous_people_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_signing_in_shows_the_dashboard_with_plans_and_deadlines(client, reader):
    inspection = InspectionFactory()
    ActionFactory(recommendation=RecommendationFactory(inspection=inspection))
    plan_summaries.refresh(inspection.plan_id)  # factories write rows directly, like a bulk import
    response = client.post(
        "/accounts/login/", {"username": "reader", "password": TEST_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Improvement plans" in body
    assert escape(inspection.plan.title) in body
    assert f'href="/plans/{inspection.plan_id}/"' in body
    assert inspection.plan_due_date.strftime("%-d %B %Y") in body


def test_the_admin_lists_inspections(admin_client):
    InspectionFactory()
    assert admin_client.get("/admin/inspections/inspection/").status_code == 200
    assert admin_client.get("/admin/actions/action/").status_code == 200


def test_health_endpoints(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["checks"]["database"] == "ok"


def test_people_choose_single_reminders_or_a_weekly_digest(client, owner):
    client.force_login(owner)
    assert client.get("/accounts/preferences/").status_code == 200
    response = client.post("/accounts/preferences/", {"reminder_delivery": "digest"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.reminder_delivery == "digest"
    assert client.post("/accounts/preferences/", {"reminder_delivery": "hourly"}).status_code == 200
    owner.refresh_from_db()
    assert owner.reminder_delivery == "digest"
