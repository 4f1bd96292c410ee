"""axe-core on every page, signed in as the person who sees the most of it."""

import datetime as dt
import re

import pytest

from inspections.models import RecommendationRepeat
from tests.browser import axe_violations, sign_in
from tests.dates import fill_date
from tests.factories import (
    TEST_PASSWORD,
    ActionFactory,
    InspectionFactory,
    JudgementFactory,
    MeasureFactory,
    MeasureReadingFactory,
    OrganisationFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    RecoveryCodesFactory,
    ThemeFactory,
    TOTPDeviceFactory,
    UserFactory,
    WiderAreaFactory,
    app_code,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan():
    """A plan with a theme, a wider area, and a suggested repeat of a report held as
    history, so that every part of the plan page is checked."""
    inspection = InspectionFactory()
    JudgementFactory(inspection=inspection)
    recommendation = RecommendationFactory(inspection=inspection, timescale="three_months")
    owner = UserFactory(username="owen", role="Action owners")
    theme = ThemeFactory(plan=inspection.plan, name="Workforce")
    area = WiderAreaFactory(plan=inspection.plan, theme=theme)
    action = ActionFactory(recommendation=recommendation, owner=owner, theme=theme)
    ActionFactory(plan=inspection.plan, recommendation=None, wider_area=area)
    history = InspectionFactory(plan=None, publication_date=dt.date(2019, 5, 1))
    RecommendationRepeat.objects.create(
        recommendation=recommendation,
        earlier=RecommendationFactory(inspection=history, text=recommendation.text),
        score=95,
    )
    measure = MeasureFactory(action=action)
    MeasureReadingFactory(measure=measure)
    ProgressUpdateFactory(action=action, author=owner)
    UserFactory(username="priya", role="Policy officers")
    UserFactory(username="dana", role="Directors")
    from actions.plan_summaries import refresh
    from actions.rag import record_snapshots

    refresh(inspection.plan_id)  # factories write rows directly, like a bulk import
    record_snapshots(inspection.publication_date)
    return inspection, action


ANONYMOUS_PAGES = ["/accounts/login/", "/accessibility/", "/accounts/password-reset/"]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_public_pages_have_no_violations(page, db, path):
    page.goto(path)
    assert axe_violations(page) == []


@pytest.mark.parametrize("username", ["priya", "dana", "owen"])
def test_signed_in_pages_have_no_violations(page, plan, username):
    inspection, action = plan
    sign_in(page, username, TEST_PASSWORD)
    paths = [
        "/",
        "/actions/mine/",
        "/actions/",
        "/actions/?status=in_progress&rag=green",
        "/accounts/preferences/",
        "/accounts/two-step/",
        "/accounts/two-step/set-up/",
        f"/inspections/{inspection.pk}/",
        "/plans/",
        f"/plans/{inspection.plan_id}/",
        f"/actions/{action.pk}/",
    ]
    if username == "priya":
        recommendation = action.recommendations.get()
        paths += [
            "/inspections/import/",
            f"/actions/new/{recommendation.pk}/",
            f"/plans/{inspection.plan_id}/actions/new/",
        ]
    for path in paths:
        page.goto(path)
        # Open every disclosure so the forms inside are checked too.
        page.eval_on_selector_all("details", "els => els.forEach(e => e.open = true)")
        assert axe_violations(page) == [], path


def test_the_dashboard_a_page_of_plans_at_a_time_has_no_violations(page, plan):
    """Someone who sees every plan pages through them, with totals of all."""
    from actions.dashboard import PLANS_PER_PAGE
    from actions.plan_summaries import refresh

    for n in range(PLANS_PER_PAGE):
        council = OrganisationFactory(name=f"Council {n}")
        action = ActionFactory(recommendation__inspection__local_authority=council)
        refresh(action.plan_id)
    UserFactory(username="ada", is_superuser=True, is_staff=True)
    sign_in(page, "ada", TEST_PASSWORD)
    for path in ["/", "/?page=2"]:
        page.goto(path)
        assert page.locator(".govuk-pagination").count() == 1, path
        assert axe_violations(page) == [], path


def test_import_journey_in_the_browser_is_accessible(page, db):
    from pathlib import Path

    from inspections.models import Inspection

    report = (
        Path(__file__).resolve().parents[1]
        / "fixtures"
        / "reports"
        / "isle-of-wight-2019-ilacs.pdf"
    )
    UserFactory(username="priya", role="Policy officers")
    sign_in(page, "priya", TEST_PASSWORD)
    page.goto("/inspections/import/")
    page.set_input_files("#report", str(report))
    page.get_by_role("button", name="Read the report").click()
    page.wait_for_url("**/review/")
    assert axe_violations(page) == []
    page.get_by_text("The report's details").click()
    fill_date(page, "id_details-publication_date", "2019-12-20")
    page.get_by_role("button", name=re.compile("Confirm and (create the plan|import)")).click()
    page.wait_for_load_state()
    errors = page.locator(".govuk-error-summary, .govuk-error-message")
    assert errors.count() == 0, errors.all_inner_texts()
    page.locator(".govuk-notification-banner", has_text="Imported 4 recommendations").wait_for()
    assert axe_violations(page) == []
    inspection = Inspection.objects.get()
    assert inspection.recommendations.count() == 4
    assert inspection.publication_date.isoformat() == "2019-12-20"


def test_two_step_verification_pages_have_no_violations(page, db):
    """The pages that need two-step verification on, or a form sent, to be seen."""
    person = UserFactory(username="priya", role="Policy officers")
    device = TOTPDeviceFactory(user=person)
    RecoveryCodesFactory(user=person, codes=["abcd2345", "efgh2345"])
    page.goto("/accounts/login/")
    page.fill("#id_username", "priya")
    page.fill("#id_password", TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/login/code/")
    assert axe_violations(page) == [], "code page"
    page.fill("#id_code", "abcd2345")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert axe_violations(page) == [], "message about the recovery code used"

    for path in ["/accounts/two-step/", "/accounts/two-step/turn-off/"]:
        page.goto(path)
        assert axe_violations(page) == [], path
    page.goto("/accounts/two-step/recovery-codes/")
    assert axe_violations(page) == [], "new recovery codes form"
    page.get_by_role("button", name="Get new recovery codes").click()
    page.locator(".govuk-error-summary").wait_for()
    assert axe_violations(page) == [], "new recovery codes form with an error"
    page.fill("#id_code", app_code(device))
    page.get_by_role("button", name="Get new recovery codes").click()
    page.get_by_role("heading", name="Save your recovery codes").wait_for()
    assert axe_violations(page) == [], "recovery codes"
