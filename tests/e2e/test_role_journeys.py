"""Each role's main journey in a real browser, on a 390 px phone and a 1280 px desktop.

On every page visited: nothing scrolls sideways (WCAG 1.4.10, reflow), and every link
the page shows leads somewhere its reader may go (no 403, no 404). A plan that does not
exist answers with the service's own "Page not found".
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urldefrag, urlparse

import pytest
from django.utils import timezone

from actions.documents import services as documents
from actions.models import Evidence
from actions.plan_summaries import refresh
from actions.rag import record_snapshots
from tests.browser import sign_in
from tests.dates import fill_date
from tests.factories import (
    TEST_PASSWORD,
    ActionFactory,
    InspectionFactory,
    JudgementFactory,
    MeasureFactory,
    MeasureReadingFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# An address with nothing to break it at, as people paste them into evidence.
# The page's stylesheet (the service's, or a printable document's) was served and read.
STYLESHEET_LOADED = """[...document.styleSheets].some(
    (sheet) => sheet.href && sheet.cssRules.length > 0
)"""
LONG_LINK = "https://intranet.example.org/" + "children-in-care-visits-audit-" * 6 + "2024.pdf"


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request, page):
    page.set_viewport_size(VIEWPORTS[request.param])
    return VIEWPORTS[request.param]


@pytest.fixture
def plan():
    """Test Council's plan fed by an ILACS and a later focused visit, with an owned
    action in progress answering an item of each, an overdue unassigned one, a measure
    with readings, evidence with a long link and a progress report."""
    inspection = InspectionFactory(title="Inspection of local authority children's services")
    JudgementFactory(inspection=inspection)
    visit = InspectionFactory(
        plan=inspection.plan,
        inspection_type="focused_visit",
        publication_date=timezone.localdate() - dt.timedelta(days=10),
    )
    visits = RecommendationFactory(
        inspection=inspection,
        order=1,
        timescale="three_months",
        text="Improve the timeliness of visits to children in care.",
    )
    RecommendationFactory(
        inspection=inspection, text="Strengthen management oversight of casework.", order=2
    )
    recording = RecommendationFactory(
        inspection=visit, text="Improve the consistency of case recording.", order=1
    )
    people = {
        "director": UserFactory(
            username="dana", role="Directors", first_name="Dana", last_name="Director"
        ),
        "officer": UserFactory(username="priya", role="Policy officers"),
        "owner": UserFactory(username="owen", role="Action owners"),
        "reader": UserFactory(username="rosa", role="Readers"),
    }
    today = timezone.localdate()
    action = ActionFactory(
        plan=inspection.plan,
        answers=[visits, recording],
        title="Weekly visit tracker",
        owner=people["owner"],
        due_date=today + dt.timedelta(days=10),
    )
    ActionFactory(
        recommendation=visits, title="Audit of visit records", due_date=dt.date(2024, 1, 31)
    )
    measure = MeasureFactory(action=action, name="Visits on time", baseline=60, target=90)
    MeasureReadingFactory(measure=measure, date=today - dt.timedelta(days=7), value=72)
    ProgressUpdateFactory(action=action, author=people["owner"])
    Evidence.objects.create(
        action=action, description="Audit of visits", link=LONG_LINK, added_by=people["owner"]
    )
    refresh(inspection.plan_id)  # factories write rows directly, like a bulk import
    record_snapshots(today)
    documents.request_document(
        plan=inspection.plan, by=people["officer"], kind="progress", fmt="docx",
        period_start=today - dt.timedelta(days=90), period_end=today,
    )  # fmt: skip
    return inspection.plan, action, people


def sees_both_sources(page) -> None:
    """The plan page shows the plan's two sources, each linking to its report page."""
    sources = page.locator("table", has_text="Each with its own submission")
    assert "Inspection of local authority children's services" in sources.inner_text()
    assert "Focused visit" in sources.inner_text()


def sees_both_items(page) -> None:
    """The action page shows the items it answers, one of each source."""
    main = page.locator("main").inner_text()
    assert "Improve the timeliness of visits to children in care." in main
    assert "Improve the consistency of case recording." in main
    assert "Focused visit" in main


class Visit:
    """Checks each page a person reaches, and each link it shows, once per journey."""

    def __init__(self, page) -> None:
        self.page = page
        self.checked_links: set[str] = set()
        self.pages: list[str] = []

    def check(self) -> None:
        page = self.page
        page.wait_for_load_state()
        self.pages.append(page.url)
        # Styled as people see it: the measurements below mean something.
        assert page.evaluate(STYLESHEET_LOADED), page.url
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width, f"{page.url} is {scroll_width} px wide"
        origin = urlparse(page.url)._replace(path="", query="", fragment="").geturl()
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            url = urldefrag(href).url
            if not url.startswith(origin + "/") or url in self.checked_links:
                continue
            self.checked_links.add(url)
            status = page.request.get(url).status
            assert status not in (403, 404), f"{page.url} links to {url}: {status}"

    def open(self, path: str) -> None:
        self.page.goto(path)
        self.check()

    def follow(self, name: str | re.Pattern) -> None:
        link = self.page.get_by_role("link", name=name).first
        href = link.get_attribute("href")
        link.click()
        self.page.wait_for_url(lambda url: urldefrag(url).url.endswith(href))
        self.check()


def banner(page, text: str) -> None:
    page.locator(".govuk-notification-banner", has_text=text).wait_for()


def open_details(page, summary: str) -> None:
    page.locator("summary", has_text=summary).click()


def finish(visit: Visit) -> None:
    """The journey saw pages and checked their links; then a plan that does not exist
    answers with the service's own "Page not found"."""
    assert len(visit.pages) >= 4 and len(visit.checked_links) >= 10, visit.pages
    page = visit.page
    response = page.goto("/plans/999999/")
    assert response.status == 404
    assert page.locator(".govuk-service-navigation").is_visible()
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.get_by_role("link", name="Go to the dashboard").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_director_reads_the_plan_and_signs_its_submission(page, viewport, plan):
    plan, action, _ = plan
    visit = Visit(page)
    sign_in(page, "dana", TEST_PASSWORD)
    visit.check()
    visit.follow(plan.title)
    sees_both_sources(page)
    visit.follow("Weekly visit tracker")
    sees_both_items(page)
    open_details(page, "Move the due date")
    fill_date(page, "id_move_date-new_date", (action.due_date + dt.timedelta(days=7)).isoformat())
    page.fill("#id_move_date-reason", "The tracker waits for the new case system.")
    page.get_by_role("button", name="Move the due date").click()
    banner(page, "Due date moved")
    visit.check()
    visit.open(plan.get_absolute_url())
    visit.follow("Submission documents, progress reports and exports")
    visit.follow(re.compile("Inspection of local authority children's services"))
    page.select_option("#submission-signed_by", label="Dana Director")
    page.get_by_role("button", name=re.compile("Generate (the submission|a draft)")).click()
    page.wait_for_url(re.compile(r"/documents/versions/\d+/"))
    visit.check()
    assert page.get_by_role("button", name=re.compile("Download")).is_visible()
    finish(visit)


def test_policy_officer_drafts_an_action_and_produces_the_documents(page, viewport, plan):
    plan, _, _ = plan
    visit = Visit(page)
    sign_in(page, "priya", TEST_PASSWORD)
    visit.check()
    visit.open("/inspections/import/")
    visit.open(plan.get_absolute_url())
    sees_both_sources(page)
    visit.follow("Add an action")
    page.get_by_label("Strengthen management oversight of casework.").check()
    page.get_by_label("Improve the consistency of case recording.").check()
    page.fill("#id_title", "Monthly management oversight audit")
    fill_date(page, "id_due_date", (timezone.localdate() + dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name=re.compile("Draft|Save")).click()
    banner(page, "Action drafted")
    visit.check()
    main = page.locator("main").inner_text()
    assert "Strengthen management oversight of casework." in main
    assert "Improve the consistency of case recording." in main
    visit.open("/actions/?status=not_started")
    visit.open(plan.get_absolute_url())
    visit.follow("Submission documents, progress reports and exports")
    finish(visit)


def test_action_owner_records_progress_and_reads_the_progress_report(page, viewport, plan):
    plan, _, _ = plan
    visit = Visit(page)
    sign_in(page, "owen", TEST_PASSWORD)
    visit.check()
    visit.open("/actions/mine/")
    visit.follow("Weekly visit tracker")
    sees_both_items(page)
    open_details(page, "Record progress")
    page.fill("#id_progress-text", "Tracker live in all three teams.")
    page.get_by_role("button", name="Record progress").click()
    banner(page, "Progress recorded.")
    visit.check()
    visit.open(plan.get_absolute_url())
    visit.follow("Progress reports and submitted plans")
    visit.follow(re.compile("Progress report"))
    finish(visit)


def test_reader_follows_the_plan_and_reads_its_progress_report(page, viewport, plan):
    plan, _, _ = plan
    visit = Visit(page)
    sign_in(page, "rosa", TEST_PASSWORD)
    visit.check()
    visit.follow(plan.title)
    sees_both_sources(page)
    visit.follow("Weekly visit tracker")
    sees_both_items(page)
    assert page.get_by_text("You can read this action but not change it.").is_visible()
    visit.open("/actions/")
    visit.open(plan.get_absolute_url())
    assert page.get_by_role("link", name=re.compile("exports")).count() == 0
    visit.follow("Progress reports and submitted plans")
    visit.follow(re.compile("Progress report"))
    visit.follow("Read it as a page")
    finish(visit)
