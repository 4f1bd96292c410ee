"""Importing into a plan: a later report joins the council's plan, an older one is held as
history, and the command line names the plan; likely repeats of earlier items are shown
on the review page and the report page."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.models import Inspection, RecommendationRepeat
from plans.models import Plan, PlanStatus
from tests.factories import OrganisationFactory, PlanFactory
from tests.inspections.test_import_journeys import review_form

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "tests" / "fixtures" / "reports"
DERBYSHIRE = REPORTS / "derbyshire-2011-safeguarding-lac.txt"
DURHAM = REPORTS / "county-durham-2011-safeguarding-lac.txt"
ST_HELENS = REPORTS / "st-helens-2018-focused-visit.pdf"
CORPUS = ROOT.parent / "shared" / "corpus"
DERBYSHIRE_2019 = CORPUS / "derbyshire-children-s-services-inspection-19-september-2019.pdf"
DERBYSHIRE_2024 = CORPUS / "derbyshire-children-s-services-inspection-12-january-2024.pdf"


def import_on_the_page(client, path: Path, **changes: str):
    """Upload, review and confirm a report; `changes` are fields of the review form."""
    location = client.post(
        "/inspections/import/", {"report": SimpleUploadedFile(path.name, path.read_bytes())}
    )["Location"]
    review = client.get(location)
    return client.post(location, {**review_form(review), **changes, "confirm": "1"})


def told(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def run(*args: str) -> tuple[list[dict], CommandError | None]:
    out = io.StringIO()
    try:
        call_command("import_report", *args, "--json", stdout=out, stderr=io.StringIO())
    except CommandError as error:
        failure = error
    else:
        failure = None
    return [json.loads(line) for line in out.getvalue().splitlines()], failure


# The page: which plan a report feeds.


def test_two_reports_of_one_council_make_one_plan_with_two_sources(client, officer):
    client.force_login(officer)
    first = import_on_the_page(client, DERBYSHIRE)
    plan = Plan.objects.get()
    assert first["Location"] == plan.get_absolute_url()

    # The second report's review offers the council's plan first, chosen already.
    location = client.post(
        "/inspections/import/", {"report": SimpleUploadedFile("sh.pdf", ST_HELENS.read_bytes())}
    )["Location"]
    review = client.get(location)
    assert review.context["plan"]["destination"].value() == str(plan.pk)
    assert f"{plan.title} (draft, 1 source)" in review.content.decode()
    second = client.post(location, {**review_form(review), "confirm": "1"})

    assert Plan.objects.count() == 1
    assert second["Location"] == plan.get_absolute_url()
    assert sorted(plan.sources.values_list("source_filename", flat=True)) == sorted(
        [DERBYSHIRE.name, "sh.pdf"]
    )
    assert "which now has 2 sources" in told(second)
    report_page = client.get(Inspection.objects.get(source_filename="sh.pdf").get_absolute_url())
    assert plan.get_absolute_url() in report_page.content.decode()


def test_a_new_plan_can_be_chosen_beside_an_open_one(client, officer):
    PlanFactory(local_authority=officer.organisation)
    client.force_login(officer)
    import_on_the_page(client, DERBYSHIRE, **{"plan-destination": "new"})
    assert Plan.objects.count() == 2
    report = Inspection.objects.get()
    # Named after the council and the report that started it, so a council's plans differ.
    assert report.plan.title == (
        f"{officer.organisation}: improvement plan "
        f"({report.get_inspection_type_display()}, {report.publication_date.year})"
    )


def test_an_older_report_is_held_as_history(client, officer):
    client.force_login(officer)
    response = import_on_the_page(client, DERBYSHIRE, **{"plan-destination": "history"})

    inspection = Inspection.objects.get()
    assert inspection.plan is None
    assert not Plan.objects.exists()
    assert response["Location"] == inspection.get_absolute_url()
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert "Held as history" in page


def test_a_closed_plan_or_another_councils_plan_cannot_be_chosen(client, officer):
    closed = PlanFactory(local_authority=officer.organisation, status=PlanStatus.CLOSED)
    theirs = PlanFactory(local_authority=OrganisationFactory(name="Elsewhere Council"))
    client.force_login(officer)
    for plan in (closed, theirs):
        response = import_on_the_page(client, DERBYSHIRE, **{"plan-destination": str(plan.pk)})
        assert response.status_code == 400
        assert "Choose a plan listed" in response.content.decode()
    assert not Inspection.objects.exists()


@pytest.fixture
def two_councils_plans(officer):
    """The officer may import for their own council and a partner council; each runs an
    open plan."""
    partner = OrganisationFactory(name="Partner Council")
    officer.organisation.partner_of.add(partner)
    ours = PlanFactory(local_authority=officer.organisation, title="Our improvement plan")
    theirs = PlanFactory(local_authority=partner, title="Partner improvement plan")
    return ours, theirs


def upload(client, path: Path) -> str:
    return client.post(
        "/inspections/import/", {"report": SimpleUploadedFile(path.name, path.read_bytes())}
    )["Location"]


def destinations(response) -> list[str]:
    return [label for _, label in response.context["plan"].fields["destination"].choices]


def refusal(response) -> tuple[list[str], list[str]]:
    """The page's error summary and the messages on the "which plan" question."""
    body = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    listed = summary.group(0) if summary else ""
    linked = re.findall(r'<li><a href="([^"]*)">(.*?)</a></li>', listed)
    on_field = re.findall(
        r'<p id="id_plan-destination-error" class="govuk-error-message">'
        r'<span class="govuk-visually-hidden">Error:</span> (.*?)</p>',
        body,
    )
    return (
        [html.unescape(text) for href, text in linked if href == "#id_plan-destination_0"],
        [html.unescape(text) for text in on_field],
    )


def test_only_the_reports_councils_plans_are_offered(client, officer, two_councils_plans):
    ours, theirs = two_councils_plans
    client.force_login(officer)

    review = client.get(upload(client, DERBYSHIRE))

    assert review.context["plan"]["local_authority"].value() == officer.organisation.pk
    assert destinations(review) == [
        f"{ours.title} (draft, 0 sources)",
        "A new plan",
        "Hold as history (an older report kept for comparison)",
    ]
    body = html.unescape(review.content.decode())
    assert theirs.title not in body
    assert f"The open plans of {officer.organisation}." in body


def test_a_plan_of_another_council_the_officer_acts_for_is_refused_for_this_council(
    client, officer, two_councils_plans
):
    ours, theirs = two_councils_plans
    client.force_login(officer)
    response = import_on_the_page(
        client,
        DERBYSHIRE,
        **{
            "plan-destination": str(theirs.pk),
            "plan-local_authority": str(officer.organisation.pk),
        },
    )

    assert response.status_code == 400
    expected = (
        f"Choose one of {officer.organisation}'s plans listed, a new plan, or to hold the "
        "report as history: the plan chosen is Partner Council's"
    )
    assert refusal(response) == ([expected], [expected])
    # The page still offers the report's council's plans only, none of them chosen.
    assert destinations(response)[0] == f"{ours.title} (draft, 0 sources)"
    assert theirs.title not in html.unescape(response.content.decode())
    assert not Inspection.objects.exists()


def test_changing_the_council_offers_its_plans_once_the_old_choice_is_refused(
    client, officer, two_councils_plans
):
    ours, theirs = two_councils_plans
    partner = theirs.local_authority
    client.force_login(officer)
    location = upload(client, DERBYSHIRE)
    data = {**review_form(client.get(location)), "confirm": "1"}
    assert data["plan-destination"] == str(ours.pk)

    # The officer picks the partner council but leaves their own council's plan chosen.
    response = client.post(location, {**data, "plan-local_authority": str(partner.pk)})

    assert response.status_code == 400
    expected = (
        "Choose one of Partner Council's plans listed, a new plan, or to hold the report as "
        f"history: the plan chosen is {officer.organisation}'s"
    )
    assert refusal(response) == ([expected], [expected])
    assert destinations(response)[0] == f"{theirs.title} (draft, 0 sources)"
    assert not Inspection.objects.exists()

    # Choosing from what is now offered imports the report into the partner's plan.
    done = client.post(
        location,
        {**data, "plan-local_authority": str(partner.pk), "plan-destination": str(theirs.pk)},
    )
    assert done.status_code == 302 and done["Location"] == theirs.get_absolute_url()
    assert Inspection.objects.get().plan == theirs


def test_a_council_with_no_open_plan_is_told_to_start_one_or_hold_the_report(
    client, officer, two_councils_plans
):
    ours, theirs = two_councils_plans
    theirs.status = PlanStatus.CLOSED
    theirs.save()
    partner = theirs.local_authority
    client.force_login(officer)

    response = import_on_the_page(
        client,
        DERBYSHIRE,
        **{"plan-local_authority": str(partner.pk), "plan-destination": str(ours.pk)},
    )

    assert response.status_code == 400
    expected = (
        "Choose a new plan or to hold the report as history: Partner Council has no open "
        f"plan, and the plan chosen is {officer.organisation}'s"
    )
    assert refusal(response) == ([expected], [expected])
    assert destinations(response)[0] == "A new plan"
    assert "Partner Council has no open plan yet." in html.unescape(response.content.decode())
    assert not Inspection.objects.exists()


# The command line.


def test_the_command_puts_every_file_into_the_plan_named(db):
    council = OrganisationFactory(name="Derbyshire County Council")
    plan = PlanFactory(local_authority=council)

    lines, failure = run(str(DERBYSHIRE), str(ST_HELENS), "--plan", str(plan.pk))

    assert failure is None
    assert [line["plan"] for line in lines] == [plan.pk, plan.pk]
    assert plan.sources.count() == 2
    assert Plan.objects.count() == 1
    # St Helens is not a council here: the report is the plan's council's, with a warning.
    assert any("St Helens" in w for w in lines[1]["warnings"])
    saved = [r["id"] for r in lines[0]["recommendations"]]
    assert saved == list(
        Inspection.objects.get(pk=lines[0]["inspection"])
        .recommendations.order_by("order")
        .values_list("pk", flat=True)
    )


def test_without_plan_each_file_makes_a_new_plan_and_history_makes_none(db):
    OrganisationFactory(name="Derbyshire County Council")
    OrganisationFactory(name="Durham County Council")

    lines, _ = run(str(DERBYSHIRE), str(DURHAM))
    assert len({line["plan"] for line in lines}) == 2 == Plan.objects.count()

    Inspection.objects.all().delete()
    Plan.objects.all().delete()
    lines, _ = run(str(DERBYSHIRE), "--hold-as-history")
    assert lines[0]["plan"] is None and lines[0]["held_as_history"] is True
    assert not Plan.objects.exists()


def test_the_command_refuses_a_plan_that_does_not_exist_or_is_not_the_councils(db):
    derbyshire = OrganisationFactory(name="Derbyshire County Council")
    durham = OrganisationFactory(name="Durham County Council")
    durhams = PlanFactory(local_authority=durham)
    closed = PlanFactory(local_authority=derbyshire, status=PlanStatus.CLOSED)

    with pytest.raises(CommandError, match="No plan 99999"):
        call_command("import_report", str(DERBYSHIRE), "--plan", "99999")
    with pytest.raises(CommandError, match="is Durham County Council's plan, not Derbyshire"):
        call_command(
            "import_report", str(DERBYSHIRE), "--plan", str(durhams.pk), "--authority", "derbyshire"
        )
    with pytest.raises(CommandError, match="is closed"):
        call_command("import_report", str(DERBYSHIRE), "--plan", str(closed.pk))
    with pytest.raises(CommandError, match="not allowed with"):
        call_command("import_report", str(DERBYSHIRE), "--plan", "1", "--hold-as-history")
    assert not Inspection.objects.exists()

    # A report that names another existing council than the plan's is refused.
    lines, failure = run(str(DERBYSHIRE), str(DURHAM), "--plan", str(durhams.pk))
    assert [line["status"] for line in lines] == ["refused", "imported"]
    assert "Derbyshire County Council's" in lines[0]["message"]
    assert failure is not None and failure.returncode == 1
    assert list(durhams.sources.values_list("source_filename", flat=True)) == [DURHAM.name]


# Repeats: Derbyshire was told about management oversight and supervision in 2019 and
# again in 2024.


@pytest.fixture
def derbyshire(db):
    if not (DERBYSHIRE_2019.exists() and DERBYSHIRE_2024.exists()):
        pytest.skip(f"the corpus of real reports is not beside the project ({CORPUS})")
    return OrganisationFactory(name="Derbyshire County Council")


def oversight(items):
    return [item for item in items if "management oversight and supervision" in item.text]


def test_the_2024_items_show_the_2019_oversight_item_as_a_likely_repeat(derbyshire):
    run(str(DERBYSHIRE_2019), "--hold-as-history")
    [line], _ = run(str(DERBYSHIRE_2024))

    later = Inspection.objects.get(pk=line["inspection"])
    [item_2024] = oversight(later.recommendations.all())
    earlier = [link.earlier for link in item_2024.repeat_links.all()]
    [item_2019] = oversight(Inspection.objects.get(plan=None).recommendations.all())
    assert item_2019 in earlier
    assert "front-line management oversight" in item_2019.text


def test_importing_the_older_report_afterwards_finds_the_same_repeat(derbyshire):
    run(str(DERBYSHIRE_2024))
    run(str(DERBYSHIRE_2019), "--hold-as-history")

    [item_2024] = oversight(Inspection.objects.exclude(plan=None).get().recommendations.all())
    [item_2019] = oversight(Inspection.objects.get(plan=None).recommendations.all())
    assert RecommendationRepeat.objects.filter(recommendation=item_2024, earlier=item_2019).exists()


def test_the_review_and_report_pages_show_the_earlier_text_and_its_actions(client, derbyshire):
    from tests.factories import ActionFactory, UserFactory

    officer = UserFactory(role="Policy officers", organisation=derbyshire)
    # The 2019 report fed a plan, since closed, whose action answered the oversight item.
    old_plan = PlanFactory(local_authority=derbyshire)
    run(str(DERBYSHIRE_2019), "--plan", str(old_plan.pk))
    [item_2019] = oversight(Inspection.objects.get().recommendations.all())
    ActionFactory(recommendation=item_2019, title="Supervision audit", status="closed")
    Plan.objects.filter(pk=old_plan.pk).update(status=PlanStatus.CLOSED)
    client.force_login(officer)
    location = client.post(
        "/inspections/import/",
        {"report": SimpleUploadedFile("d24.pdf", DERBYSHIRE_2024.read_bytes())},
    )["Location"]
    review = client.get(location)
    body = review.content.decode()

    [row] = [
        r
        for r in review.context["items"]
        if "management oversight and supervision" in r["item"].text
    ]
    assert item_2019 in [repeat.earlier for repeat in row["repeats"]]
    assert "front-line management oversight and supervision" in body
    assert "Supervision audit: closed" in body
    assert "if this is a repeat, their impact did not last" in body

    client.post(location, {**review_form(review), "confirm": "1"})
    later = Inspection.objects.get(source_filename="d24.pdf")
    assert later.plan not in (None, old_plan)  # no open plan: a new one
    page = client.get(later.get_absolute_url()).content.decode()
    assert "front-line management oversight and supervision" in page
    assert "Suggested repeat" in page
    history = client.get(item_2019.inspection.get_absolute_url()).content.decode()
    assert "Said again later" in history


def test_a_report_of_a_partner_council_starts_with_that_council_and_its_plans(client, officer):
    """An officer who may import for a partner council imports that council's report:
    the page starts with the council the report names, not the officer's own."""
    derbyshire = OrganisationFactory(name="Derbyshire County Council")
    officer.organisation.partner_of.add(derbyshire)
    PlanFactory(local_authority=officer.organisation, title="Our improvement plan")
    theirs = PlanFactory(local_authority=derbyshire, title="Derbyshire improvement plan")
    client.force_login(officer)

    review = client.get(upload(client, DERBYSHIRE))

    assert review.context["plan"]["local_authority"].value() == derbyshire.pk
    assert destinations(review)[0] == f"{theirs.title} (draft, 0 sources)"
    assert "Our improvement plan" not in html.unescape(review.content.decode())
