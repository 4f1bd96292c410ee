"""What needs attention first: the dashboard and the plan page read one rule for the
submission in hand (the earliest unsubmitted deadline, overdue until submitted; a
report asking for no plan has none), order a plan's sources by the one date that names a
report's time, and name each source by its kind and year. Today is 3 December 2026."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine

from actions import plan_summaries
from inspections.models import Inspection, InspectionType
from plans.models import Plan
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    OrganisationFactory,
    PlanFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)
ILACS = "Inspection of local authority children's services"


@pytest.fixture(autouse=True)
def on_3_december_2026():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def superuser():
    return UserFactory(username="administrator", is_superuser=True)


def plan_of(council: str, **source) -> Plan:
    """A council's plan fed by one report (an ILACS published in 2026 unless told)."""
    source.setdefault("publication_date", dt.date(2026, 9, 1))
    return InspectionFactory(local_authority=OrganisationFactory(name=council), **source).plan


def text_of(response) -> str:
    """The page's words, tags left out."""
    return words_of(response.content.decode())


def words_of(markup: str) -> str:
    """Words of some markup: a phrase tag joins its neighbours, any other tag parts them."""
    markup = re.sub(r"</?strong>", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def next_submission_cell(response, plan: Plan) -> str:
    """The words in the dashboard's "Next submission" cell of the plan's row."""
    body = response.content.decode()
    row = re.search(rf'href="/plans/{plan.pk}/">.*?</td>\s*(<td.*?</td>)', body, re.S).group(1)
    return words_of(row)


def test_an_overdue_submission_comes_before_plans_asking_for_none(client, superuser):
    asking_none = [
        plan_of(f"Council {n}", inspection_type=InspectionType.FOCUSED_VISIT, publication_date=None)
        for n in range(9)
    ]
    overdue = plan_of("Overdue Council", plan_due_override=dt.date(2026, 11, 26))
    client.force_login(superuser)

    response = client.get("/")

    listed = response.context["plans"]
    assert listed[0] == overdue
    assert set(listed[1:]) == set(asking_none)
    assert next_submission_cell(response, overdue) == f"26 Nov 2026, overdue {ILACS} (2026)"
    for plan in asking_none:
        assert next_submission_cell(response, plan) == "None in hand"


def test_overdue_and_soonest_first_a_date_not_known_next_nothing_in_hand_last(client, superuser):
    nothing = plan_of("Quiet Council", inspection_type=InspectionType.MONITORING_VISIT)
    submitted = plan_of("Submitted Council", plan_due_override=dt.date(2026, 11, 2))
    submitted.sources.update(plan_submitted_at=TODAY)
    undated = plan_of("Undated Council", publication_date=None)
    soon = plan_of("Soon Council", plan_due_override=dt.date(2026, 12, 10))
    long_overdue = plan_of("Long Overdue Council", plan_due_override=dt.date(2026, 6, 5))
    overdue = plan_of("Overdue Council", plan_due_override=dt.date(2026, 11, 26))
    client.force_login(superuser)

    response = client.get("/")

    assert response.context["plans"][:4] == [long_overdue, overdue, soon, undated]
    assert set(response.context["plans"][4:]) == {nothing, submitted}
    # not cut off after 90 days: overdue until submitted
    assert next_submission_cell(response, long_overdue).startswith("5 Jun 2026, overdue")
    assert next_submission_cell(response, undated) == f"Not known {ILACS} (2024)"  # inspected
    assert next_submission_cell(response, soon).startswith("10 Dec 2026, 5 working days left")


def test_every_unsubmitted_overdue_submission_of_a_plan_stays_in_view(client, superuser):
    plan = plan_of("Test Council", plan_due_override=dt.date(2026, 11, 23))
    plan_source = plan.sources.get()
    older = InspectionFactory(
        plan=plan,
        local_authority=plan.local_authority,
        publication_date=dt.date(2023, 7, 1),
        plan_due_override=dt.date(2023, 10, 9),
    )
    # an action: the dashboard shows the plan's own section
    ActionFactory(recommendation=RecommendationFactory(inspection=older))
    plan_summaries.refresh(plan.pk)
    client.force_login(superuser)

    response = client.get("/")

    [listed] = response.context["plans"]
    assert listed.next_submission == older
    assert next_submission_cell(response, plan) == (
        f"9 Oct 2023, overdue {ILACS} (2023) Also overdue: {ILACS} (2026), due 23 Nov 2026"
    )
    words = text_of(response)
    for report, due in [(older, "Monday 9 October 2023"), (plan_source, "Monday 23 November 2026")]:
        label = f"{report.kind_and_year} Plan due {due} (set by a policy officer)"
        assert f"{label} — overdue" in words

    page = text_of(client.get(plan.get_absolute_url()))
    assert page.count("Not yet submitted : overdue") == 2
    assert "Not yet submitted : overdue the next submission" in page


@pytest.mark.parametrize(
    ("kind", "flags", "asks"),
    [
        (InspectionType.ILACS, {}, True),
        (InspectionType.MONITORING_VISIT, {}, False),
        (InspectionType.FOCUSED_VISIT, {}, False),
        (InspectionType.FOCUSED_VISIT, {"draft_plan_required": True}, True),
        (InspectionType.SEND_AREA, {}, False),
        (InspectionType.SEND_AREA, {"names_priority_actions": True}, True),
        (InspectionType.JTAI, {}, True),
    ],
)
def test_the_order_and_the_words_agree_on_a_report_with_no_date(
    client, superuser, kind, flags, asks
):
    """Undated, a report asking for a plan is in hand ("Not known"), after a dated one;
    a report asking for none has nothing in hand and comes after a plan that has."""
    report = InspectionFactory(
        local_authority=OrganisationFactory(name="Undated Council"),
        inspection_type=kind,
        publication_date=None,
        **flags,
    )
    assert report.plan_due_date is None and report.asks_for_a_plan is asks
    history = plan_of("Submitted Council", publication_date=dt.date(2026, 11, 1))
    history.sources.update(plan_submitted_at=TODAY)
    dated = plan_of("Dated Council", plan_due_override=dt.date(2027, 1, 4))
    client.force_login(superuser)

    response = client.get("/")

    expected = [dated, report.plan, history] if asks else [dated, history, report.plan]
    assert response.context["plans"] == expected
    cell = next_submission_cell(response, report.plan)
    assert cell == (f"Not known {report.kind_and_year}" if asks else "None in hand")


def test_the_plan_page_lists_sources_by_the_date_that_names_their_time(client, superuser):
    plan = PlanFactory()
    first = InspectionFactory(plan=plan, publication_date=dt.date(2023, 6, 20))
    latest = InspectionFactory(
        plan=plan,
        publication_date=None,
        received_date=dt.date(2026, 8, 14),
        inspection_start=dt.date(2026, 6, 1),
        inspection_end=dt.date(2026, 6, 12),
    )
    visit = InspectionFactory(
        plan=plan,
        inspection_type=InspectionType.FOCUSED_VISIT,
        publication_date=dt.date(2025, 3, 27),
        received_date=None,
    )
    client.force_login(superuser)

    body = html.unescape(client.get(plan.get_absolute_url()).content.decode())

    table = body[body.index("Each with its own submission, oldest first") :]
    links = re.findall(r'href="/inspections/(\d+)/">([^<]+)</a>', table)
    assert links[:3] == [
        (str(first.pk), f"{ILACS} (2023)"),
        (str(visit.pk), "Focused visit (2025)"),
        (str(latest.pk), f"{ILACS} (2026)"),
    ]


def test_the_add_an_action_page_heads_each_source_by_its_kind_and_year(client):
    plan = PlanFactory()
    later = InspectionFactory(plan=plan, publication_date=None, received_date=dt.date(2026, 8, 14))
    earlier = InspectionFactory(plan=plan, publication_date=dt.date(2023, 6, 20))
    RecommendationFactory(inspection=later, text="Improve the front door.")
    RecommendationFactory(inspection=earlier, text="Improve supervision.")
    assert Inspection.objects.filter(plan=plan).count() == 2
    client.force_login(UserFactory(role="Policy officers", username="officer"))

    body = html.unescape(client.get(f"/plans/{plan.pk}/actions/new/").content.decode())

    headings = re.findall(r'<h3 class="govuk-heading-s[^"]*">([^<]+)</h3>', body)
    assert headings == [f"{ILACS} (2023)", f"{ILACS} (2026)"]
    assert body.index(f"{ILACS} (2023)") < body.index("Improve supervision.")
    assert body.index(f"{ILACS} (2026)") < body.index("Improve the front door.")
