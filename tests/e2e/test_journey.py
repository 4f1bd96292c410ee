"""The four-role journey in a real browser, with axe on every page it visits."""

import re

import pytest

from actions.models import Action, Status
from tests.browser import axe_violations, sign_in
from tests.dates import fill_date
from tests.factories import (
    TEST_PASSWORD,
    ActionFactory,
    InspectionFactory,
    JudgementFactory,
    MeasureFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan():
    inspection = InspectionFactory()
    JudgementFactory(inspection=inspection)
    recommendation = RecommendationFactory(
        inspection=inspection, text="Improve the timeliness of visits to children in care."
    )
    action = ActionFactory(recommendation=recommendation, title="Weekly visit tracker")
    MeasureFactory(action=action, name="Visits on time", baseline=60, target=90)
    people = {
        "director": UserFactory(username="dana", role="Directors"),
        "officer": UserFactory(username="priya", role="Policy officers"),
        "owner": UserFactory(username="owen", role="Action owners"),
    }
    return action, people


def assert_accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def banner(page, text: str) -> None:
    """The success banner after a change says what happened."""
    page.locator(".govuk-notification-banner", has_text=text).wait_for()


def open_details(page, summary: str) -> None:
    page.locator("summary", has_text=summary).click()


def test_director_assigns_owner_delivers_officer_measures_director_signs_off(page, plan):
    action, people = plan
    url = f"/actions/{action.pk}/"

    sign_in(page, "dana", TEST_PASSWORD)
    assert_accessible(page)
    page.get_by_role("link", name=action.plan.title).first.click()
    page.wait_for_url(f"**{action.plan.get_absolute_url()}")
    assert_accessible(page)
    page.get_by_role("link", name="Weekly visit tracker").first.click()
    page.wait_for_url(f"**{url}")
    assert_accessible(page)
    open_details(page, "Assign the responsible officer")
    page.select_option("#id_assign-owner", str(people["owner"].pk))
    page.get_by_role("button", name="Assign the responsible officer").click()
    banner(page, "Owner assigned")
    page.get_by_role("button", name=re.compile("Sign out")).click()

    sign_in(page, "owen", TEST_PASSWORD)
    page.goto("/actions/mine/")
    assert_accessible(page)
    page.get_by_role("link", name="Weekly visit tracker").click()
    open_details(page, "Record progress")
    page.fill("#id_progress-text", "Tracker live in all three teams.")
    page.get_by_role("button", name="Record progress").click()
    banner(page, "Progress recorded.")
    open_details(page, "Add evidence")
    page.fill("#id_evidence-description", "Tracker screenshot and audit summary")
    page.set_input_files(
        "#id_evidence-file",
        files=[{"name": "audit.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 audit"}],
    )
    page.get_by_role("button", name="Add evidence").click()
    banner(page, "Evidence added.")
    open_details(page, "Mark as complete")
    page.get_by_role("button", name="Mark as complete").click()
    banner(page, "Action marked as complete.")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Sign out")).click()

    sign_in(page, "priya", TEST_PASSWORD)
    page.goto(url)
    open_details(page, "Record a measure reading")
    page.select_option("#id_reading-measure", label="Visits on time")
    fill_date(page, "id_reading-date", "2024-06-03")
    page.fill("#id_reading-value", "93")
    page.get_by_role("button", name="Record a measure reading").click()
    banner(page, "Reading recorded.")
    open_details(page, "Submit evidence of impact")
    page.fill("#id_impact-summary", "93% of visits on time for three months.")
    page.get_by_role("button", name="Submit evidence of impact").click()
    banner(page, "Impact submitted for sign-off.")
    page.get_by_role("button", name=re.compile("Sign out")).click()

    sign_in(page, "dana", TEST_PASSWORD)
    page.goto(url)
    open_details(page, "Sign off: the loop is closed")
    page.get_by_role("button", name="Sign off: the loop is closed").click()
    banner(page, "Signed off: the action is closed.")
    assert page.get_by_text("Blue (closed)").first.is_visible()
    assert_accessible(page)

    action.refresh_from_db()
    assert action.status == Status.CLOSED
    assert action.owner == people["owner"]
    assert action.signed_off_by == people["director"]
    assert action.progress_updates.count() == 2  # progress and the impact statement
    assert action.evidence.get().original_filename == "audit.pdf"


def test_an_error_is_announced_and_linked_from_the_summary(page, plan):
    action, _ = plan
    sign_in(page, "dana", TEST_PASSWORD)
    page.goto(f"/actions/{action.pk}/")
    open_details(page, "Move the due date")
    fill_date(page, "id_move_date-new_date", "2025-03-31")
    page.get_by_role("button", name="Move the due date").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter why the date is moving" in summary.inner_text()
    assert_accessible(page)
    assert Action.objects.get(pk=action.pk).due_date == action.due_date


def test_keyboard_only_owner_records_progress(page, plan):
    action, people = plan
    Action.objects.filter(pk=action.pk).update(owner=people["owner"])
    page.goto("/accounts/login/")

    def tab_to(selector: str, limit: int = 25) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"could not reach {selector} with the keyboard")

    tab_to("#id_username")
    page.keyboard.type("owen")
    tab_to("#id_password")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    tab_to("a[href='/actions/mine/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/actions/mine/")
    tab_to(f"a[href='/actions/{action.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/actions/{action.pk}/")
    tab_to("details:has(#id_progress-text) summary", limit=80)
    page.keyboard.press("Enter")
    tab_to("#id_progress-text")
    page.keyboard.type("Recorded with the keyboard alone.")
    tab_to("details[open] button[type=submit]")
    page.keyboard.press("Enter")
    banner(page, "Progress recorded.")
    assert action.progress_updates.get().text == "Recorded with the keyboard alone."
