"""axe-core (WCAG 2.2 AA) on every documents page, in a real browser."""

import datetime as dt

import pytest

from actions.calendar import feed as calendar
from actions.documents import services
from tests.browser import axe_violations, sign_in
from tests.dates import fill_date
from tests.factories import TEST_PASSWORD

from .conftest import build_plan, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def documents(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = build_plan(complete=False)
    lead = person("lead", "Directors", "Policy officers", job_title="Director")
    lead.set_password(TEST_PASSWORD)
    lead.save()
    version = services.request_document(
        inspection=plan.inspection, by=lead, kind="submission", fmt="docx"
    )
    services.request_document(
        inspection=plan.inspection, by=lead, kind="progress", fmt="docx",
        period_start=dt.date(2024, 4, 1), period_end=dt.date(2024, 6, 30),
    )  # fmt: skip
    calendar.new_feed(user=lead)
    return plan, version


def test_documents_pages_have_no_violations(page, documents):
    plan, version = documents
    pk, source = plan.plan.pk, plan.inspection.pk
    sign_in(page, "lead", TEST_PASSWORD)
    paths = [
        f"/documents/plans/{pk}/",
        f"/documents/plans/{pk}/sources/{source}/",
        f"/documents/plans/{pk}/sources/{source}/print/",
        f"/documents/plans/{pk}/progress/print/?start_day=1&start_month=4&start_year=2024&end_day=30&end_month=6&end_year=2024",
        f"/documents/plans/{pk}/compare/",
        f"/documents/plans/{pk}/compare/?old={version.pk}&new=current",
        f"/documents/plans/{pk}/import/",
        f"/documents/versions/{version.pk}/",
        f"/documents/versions/{version.pk}/print/",
        "/documents/calendar/",
    ]
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response.status == 200 and response.url.endswith(path), path
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    page.goto("/documents/calendar/")
    with page.expect_navigation():
        page.click("text=Make new links")
    if violations := axe_violations(page):
        found["/documents/calendar/ (new links)"] = violations
    page.goto(f"/documents/plans/{pk}/")
    page.click("text=Generate the progress report")  # the default period: a valid form
    page.goto(f"/documents/plans/{pk}/")
    fill_date(page, "progress-start", "2024-06-30")
    fill_date(page, "progress-end", "2024-04-01")
    page.click("text=Generate the progress report")
    assert page.locator(".govuk-error-summary").is_visible()
    if violations := axe_violations(page):
        found["documents page with errors"] = violations
    assert found == {}
