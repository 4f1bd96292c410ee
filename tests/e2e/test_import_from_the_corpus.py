"""A policy officer imports a real 2025–2026 report in the browser, and the council's
team sees the plan: what a person sees on screen, checked against values read by hand
from the report's pages (tests/inspections/golden_corpus/), not against the parser.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import pytest

from inspections.models import Inspection
from tests.browser import axe_violations, sign_in
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
GOLDEN = ROOT / "tests" / "inspections" / "golden_corpus"
# An ILACS of 2025 (five items with national framework cross-references, no printed
# publication date) and a focused visit letter of 2025.
# (report, screen width): one on a desktop, one on a phone.
REPORTS = [
    ("bury-children-s-services-inspection-29-july-2025", 1280),
    ("north-somerset-children-s-services-focused-visit-06-november-2025", 390),
]


def expected(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def flat(text: str) -> str:
    """Text as compared on screen: one space between words, plain quotes and dashes."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-"}))
    return " ".join(text.replace("\u00ad", "").split())


def date_group(page, legend: str):
    """The GOV.UK date input whose legend starts with `legend`, as a person finds it."""
    return page.get_by_role("group", name=re.compile(f"^{re.escape(legend)}"))


def date_shown(page, legend: str) -> dt.date | None:
    group = date_group(page, legend)
    parts = [group.get_by_label(part).input_value() for part in ("Day", "Month", "Year")]
    if not any(parts):
        return None
    day, month, year = (int(p) for p in parts)
    return dt.date(year, month, day)


def assert_fits(page) -> None:
    """No sideways scrolling: the page is no wider than the screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def long_date(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


@pytest.fixture
def council(db):
    """The importing officer's council, and its team."""
    council = OrganisationFactory(name="Demo Borough Council")
    return {
        role: UserFactory(username=username, role=group, organisation=council)
        for role, username, group in [
            ("officer", "priya", "Policy officers"),
            ("director", "dana", "Directors"),
            ("reader", "rhys", "Readers"),
        ]
    }


@pytest.mark.parametrize(("name", "width"), REPORTS)
def test_an_officer_imports_a_real_report_and_the_team_opens_the_plan(page, council, name, width):
    if not CORPUS.is_dir():
        pytest.skip(f"the corpus of real reports is not beside the project ({CORPUS})")
    truth = expected(name)
    page.set_viewport_size({"width": width, "height": 900})

    sign_in(page, "priya", TEST_PASSWORD)
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():  # on a phone the service's navigation folds behind "Menu"
        menu.click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import a report").click()
    page.set_input_files("#report", str(CORPUS / truth["file"]))
    page.get_by_role("button", name="Read the report").click()

    # The review page shows the inspection dates read from the report, and has them in
    # the date boxes of the report's details, ready to correct.
    page.get_by_role("heading", name="Check what was found").wait_for()
    start = dt.date.fromisoformat(truth["inspection_start"])
    end = dt.date.fromisoformat(truth["inspection_end"])
    facts = flat(page.locator(".govuk-summary-list").first.inner_text())
    assert f"{long_date(start)} to {long_date(end)}" in facts
    page.locator("summary", has_text="The report's details").click()
    assert date_shown(page, "Inspection started") == start
    assert date_shown(page, "Inspection ended") == end
    body = flat(page.inner_text("main"))
    for item in truth["recommendations"]:
        assert flat(item["text"])[:80] in body, item["text"]
    assert_fits(page)
    assert axe_violations(page) == []

    # The report prints no publication date: the officer enters the date it was received.
    received = dt.date.fromisoformat(truth["inspection_end"]) + dt.timedelta(days=40)
    group = date_group(page, "Date the report was received")
    for part, value in {
        "Day": received.day,
        "Month": received.month,
        "Year": received.year,
    }.items():
        group.get_by_label(part).fill(str(value))
    page.get_by_role("button", name="Confirm and import the report").click()

    # The report becomes the first source of a new plan, whose page opens; the report's
    # own page shows the dates that survived the round trip, and every item.
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    banner = page.locator(".govuk-notification-banner").inner_text()
    count = len(truth["recommendations"])
    assert f"Imported {count} recommendation" in banner
    report = Inspection.objects.get(source_filename=truth["file"])
    assert page.url.endswith(report.plan.get_absolute_url())
    page.goto(page.url.split("/plans/")[0] + report.get_absolute_url())
    plan_url = page.url
    summary = flat(page.inner_text(".govuk-summary-list"))
    assert long_date(start) in summary and long_date(end) in summary
    assert f"received {long_date(received)}" in summary
    plan_due = summary.split("Plan due")[1][:120]
    assert "Not known" not in plan_due  # the deadline is worked out, or none is asked for
    if truth["inspection_type"] == "focused_visit" and not any(
        item["priority"] for item in truth["recommendations"]
    ):  # a focused visit with no areas for priority action asks for no plan
        assert plan_due.strip().startswith("None asked for"), plan_due
    else:
        assert f"{report.plan_due_date:%-d %B %Y}" in plan_due, plan_due
    body = flat(page.inner_text("main"))
    for item in truth["recommendations"]:
        assert flat(item["text"]) in body, item["text"]
    assert_fits(page)

    # The council's director and reader open it straight away.
    for username in ("dana", "rhys"):
        if menu.is_visible():
            menu.click()
        page.get_by_role("button", name=re.compile("Sign out")).click()
        sign_in(page, username, TEST_PASSWORD)
        response = page.goto(plan_url)
        assert response.status == 200, username
        assert long_date(start) in flat(page.inner_text(".govuk-summary-list"))
        first = flat(truth["recommendations"][0]["text"])
        assert first in flat(page.inner_text("main"))
