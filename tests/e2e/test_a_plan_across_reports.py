"""One council's plan fed by its reports over the years, walked in Chromium as its policy
officer and director would: Portsmouth's 2023 inspection starts the plan, its 2025 focused
visit and its 2026 inspection join it. What a person sees is checked against the reports'
own pages (read by hand) and the deadlines counted by hand:

- 2023 inspection, 15–19 May 2023, received 30 June 2023: plan due 9 October 2023;
- 2025 focused visit, no area for priority action: no plan asked for;
- 2026 inspection, 6–10 July 2026, received 14 August 2026: plan due 23 November 2026.

Neither plan was submitted: both are overdue (whatever day the test runs, after them).
A walk found the plan page listing reports in the wrong order and naming two inspections
alike, the dashboard putting an overdue plan last, and the report page's documents link
opening another council's plan.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from inspections.models import Inspection
from tests.browser import axe_violations, sign_in
from tests.e2e.test_import_from_the_corpus import CORPUS, assert_fits, date_group, flat
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ILACS = "Inspection of local authority children's services"
REPORTS = [
    # (file, date received, what its item list must hold, verbatim from the report)
    (
        "portsmouth-children-s-services-inspection-03-july-2023.pdf",
        dt.date(2023, 6, 30),
        "The recording of the rationale for decision-making when dispensing with parental consent.",
    ),
    (
        "portsmouth-children-s-services-focused-visit-27-march-2025.pdf",
        dt.date(2025, 3, 27),
        "How effectively care-experienced young people are made aware of their entitlements",
    ),
    (
        "portsmouth-children-s-services-inspection-18-august-2026.pdf",
        dt.date(2026, 8, 14),
        "The consistency of identification and response to the underlying causes of neglect",
    ),
]


@pytest.fixture
def portsmouth(db):
    council = OrganisationFactory(name="Portsmouth City Council")
    UserFactory(username="priya", role="Policy officers", organisation=council)
    UserFactory(username="dana", role="Directors", organisation=council)
    return council


def import_report(page, name: str, received: dt.date, item: str) -> None:
    """Upload, check the item is found, give the date received, confirm: as the officer."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import a report").click()
    page.set_input_files("#report", str(CORPUS / name))
    page.get_by_role("button", name="Read the report").click()
    page.get_by_role("heading", name="Check what was found").wait_for()
    assert flat(item) in flat(page.inner_text("main"))
    group = date_group(page, "Date the report was received")
    for part, value in (("Day", received.day), ("Month", received.month), ("Year", received.year)):
        group.get_by_label(part).fill(str(value))
    page.get_by_role("button", name="Confirm and import the report").click()
    page.wait_for_url(re.compile(r"/plans/\d+/$"))


def test_a_plan_fed_by_three_reports_reads_in_order_and_shows_what_is_overdue(page, portsmouth):
    if not CORPUS.is_dir():
        pytest.skip(f"the corpus of real reports is not beside the project ({CORPUS})")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "priya", TEST_PASSWORD)
    for name, received, item in REPORTS:
        import_report(page, name, received, item)

    # One plan, fed by all three: each later report went into the council's open plan.
    reports = {r.source_filename: r for r in Inspection.objects.select_related("plan")}
    [plan] = {report.plan for report in reports.values()}
    assert page.url.endswith(plan.get_absolute_url())
    assert "now has 3 sources" in page.locator(".govuk-notification-banner").inner_text()

    # The plan page lists them oldest first, each named by kind and year, with its own
    # deadline as counted by hand.
    rows = [flat(row) for row in page.locator("#sources ~ table tbody tr").all_inner_texts()]
    assert [row.split(" ")[0] for row in rows] == ["Inspection", "Focused", "Inspection"]
    assert rows[0].startswith(f"{ILACS} (2023)") and "9 Oct 2023" in rows[0]
    assert rows[1].startswith("Focused visit (2025)") and "None asked for" in rows[1]
    assert rows[2].startswith(f"{ILACS} (2026)") and "23 Nov 2026" in rows[2]
    assert "overdue" in rows[0] and "overdue" in rows[2]
    assert "Nothing to submit" in rows[1]
    assert axe_violations(page) == []

    # The 2026 report's page: its deadline says where it comes from, and its documents
    # link opens its own submission of this plan.
    page.get_by_role("link", name=f"{ILACS} (2026)").click()
    summary = flat(page.inner_text(".govuk-summary-list"))
    assert "Monday 23 November 2026 (70 working days from receipt)" in summary
    page.get_by_role("link", name="This report's submission document").click()
    later = reports["portsmouth-children-s-services-inspection-18-august-2026.pdf"]
    assert page.url.endswith(f"/documents/plans/{plan.pk}/sources/{later.pk}/")
    assert flat(page.locator("h1").inner_text()) == f"Submission: {ILACS} (2026)"
    assert "Submitted Not yet: overdue" in flat(page.inner_text(".govuk-summary-list"))

    # The director's dashboard, on a phone: the plan's next submission is the oldest
    # overdue one, and the later overdue one is not hidden.
    page.get_by_role("button", name=re.compile("Sign out")).click()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "dana", TEST_PASSWORD)
    dashboard = flat(page.inner_text("main"))
    assert f"9 Oct 2023, overdue {ILACS} (2023)" in dashboard
    assert f"Also overdue: {ILACS} (2026), due 23 Nov 2026" in dashboard
    assert_fits(page)
