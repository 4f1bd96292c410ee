"""An area SEND inspection asks for a plan of its own only at its worst outcome, which
names areas for priority action (a priority action plan); at the middle outcome the
partnership updates and publishes its strategic plan, sent to no one, so no deadline is
worked out (a stated or officer's date still counts). Checked on real reports, imported
with the command and read on the report's page, and on a database migrated from before
the rule."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.deadlines import plan_due_date
from inspections.models import Inspection
from tests.factories import OrganisationFactory, UserFactory
from tests.inspections.test_import_journeys import upload

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
# "There are widespread and/or systemic failings …": the worst outcome.
WORST = CORPUS / "worcestershire-area-send-full-inspection-15-july-2024.pdf"
# "… inconsistent experiences and outcomes …": the middle outcome.
MIDDLE = CORPUS / "southampton-area-send-full-inspection-16-july-2024.pdf"
RECEIVED = dt.date(2024, 7, 22)


def shown(client, report: Inspection) -> str:
    """The report's page as a person reads it: text only, one space between words."""
    page = client.get(report.get_absolute_url()).content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split()).replace(" )", ")")


def imported(path: Path, council: str) -> Inspection:
    OrganisationFactory(name=council)
    out = io.StringIO()
    call_command(
        "import_report",
        str(path),
        "--authority",
        council,
        "--received",
        RECEIVED.isoformat(),
        "--json",
        stdout=out,
        stderr=io.StringIO(),
    )
    return Inspection.objects.get(pk=json.loads(out.getvalue().splitlines()[0])["inspection"])


@pytest.mark.django_db
def test_the_worst_outcome_asks_for_a_plan_70_working_days_from_receipt(client, superuser):
    report = imported(WORST, "Worcestershire County Council")
    assert report.names_priority_actions and report.asks_for_a_plan
    assert report.plan_due_date == plan_due_date(RECEIVED)
    client.force_login(superuser)

    assert f"{report.plan_due_date:%A %-d %B %Y} (70 working days from receipt)" in shown(
        client, report
    )


@pytest.mark.django_db
def test_the_middle_outcome_asks_for_none(client, superuser):
    report = imported(MIDDLE, "Southampton City Council")
    assert not report.asks_for_a_plan
    assert report.plan_due_date is None
    client.force_login(superuser)

    assert (
        "None asked for: an area SEND inspection that names no areas for priority action "
        "(it asks the partnership to update and publish its strategic plan, by no set date), "
        "and states no date" in shown(client, report)
    )


@pytest.mark.django_db
def test_the_submission_page_of_a_report_asking_for_none_says_so(client):
    """It read "Submission due None asked for" and "Submitted Not yet", as if owed."""
    report = imported(MIDDLE, "Southampton City Council")
    client.force_login(UserFactory(role="Policy officers", organisation=report.local_authority))
    page = client.get(f"/documents/plans/{report.plan_id}/sources/{report.pk}/").content.decode()
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Submission due None asked for: an area SEND inspection that names no areas" in words
    assert "Submitted Not yet" not in words


@pytest.fixture
def superuser(db):
    return UserFactory(username="administrator", is_superuser=True)


BEFORE = [("inspections", "0005_inspection_draft_plan_sent_at")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_a_worst_outcome_deadline_and_removes_a_middle_ones():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        Organisation = apps.get_model("core", "Organisation")
        Inspection_ = apps.get_model("inspections", "Inspection")
        Judgement = apps.get_model("inspections", "Judgement")
        council = Organisation.objects.create(name="Old Council", kind="local_authority")
        due = {"plan_due_date": dt.date(2024, 10, 30), "plan_due_basis": "formula"}
        worst, middle, stated = (
            Inspection_.objects.create(local_authority=council, inspection_type="send_area", **due)
            for _ in range(3)
        )
        Judgement.objects.create(
            inspection=worst,
            area="Inspection outcome",
            grade_text="There are widespread and/or systemic failings leading to concerns.",
            scale="outcome",
        )
        Judgement.objects.create(
            inspection=middle,
            area="Inspection outcome",
            grade_text="The arrangements lead to inconsistent experiences and outcomes.",
            scale="outcome",
        )
        Inspection_.objects.filter(pk=stated.pk).update(plan_due_basis="stated")

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        rows = {row.pk: row for row in Inspection.objects.all()}
        assert rows[worst.pk].names_priority_actions
        assert rows[worst.pk].plan_due_date == dt.date(2024, 10, 30)
        assert (rows[middle.pk].plan_due_date, rows[middle.pk].plan_due_basis) == (None, "")
        assert rows[stated.pk].plan_due_date == dt.date(2024, 10, 30)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_an_outcome_is_not_shown_as_a_missing_grade(client, superuser):
    report = imported(MIDDLE, "Southampton City Council")
    client.force_login(superuser)

    judgements = shown(client, report).split("Judgements")[1].split("Recommendations and")[0]

    assert "Inspection outcome" in judgements
    assert judgements.strip().endswith("None: an outcome, not a grade")


@pytest.mark.django_db
def test_the_review_page_says_why_no_plan_is_asked_for(client):
    southampton = OrganisationFactory(name="Southampton City Council")
    client.force_login(UserFactory(role="Policy officers", organisation=southampton))

    location = upload(client, MIDDLE)["Location"]
    review = " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", client.get(location).content.decode())).split()
    )

    assert (
        "None asked for: an area SEND inspection that names no areas for priority action (it "
        "asks the partnership to update and publish its strategic plan, by no set date), so "
        "no plan is due unless it states a date" in review
    )
