"""The national framework cross-reference of 2025+ reports is kept as data: imported,
given by the API and shown on the plan page, while the text keeps it as printed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections import services
from inspections.importing.result import ParsedRecommendation, ParsedReport
from inspections.models import Inspection, Recommendation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

REPORT = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
DERBYSHIRE = REPORT / "derbyshire-2011-safeguarding-lac.txt"

STABLE_HOMES = "Children in care and care leavers have stable, loving homes"


def parsed_2025_report() -> ParsedReport:
    return ParsedReport(
        local_authority="Test Council",
        inspection_type="ilacs",
        inspection_start=dt.date(2025, 5, 12),
        inspection_end=dt.date(2025, 5, 23),
        publication_date=dt.date(2025, 7, 4),
        recommendations=[
            ParsedRecommendation(
                section="What needs to improve?",
                timescale="none",
                text="The stability of homes for children in care. (outcome 4, national framework)",
                framework_kind="outcome",
                framework_number=4,
                framework_name=STABLE_HOMES,
            ),
            ParsedRecommendation(
                section="What needs to improve?",
                timescale="none",
                text="The conditions leaders create for effective practice. "
                "(enabler: leaders drive conditions for effective practice, national framework)",
                framework_kind="enabler",
                framework_number=None,
                framework_name="Leaders drive conditions for effective practice",
            ),
            ParsedRecommendation(
                section="What needs to improve?",
                timescale="none",
                text="The quality of supervision.",
            ),
        ],
    )


@pytest.fixture
def imported(officer) -> Inspection:
    return services.import_report(
        parsed=parsed_2025_report(),
        data=b"a 2025 report",
        filename="ilacs-2025.pdf",
        imported_by=officer,
        authority=OrganisationFactory(name="Test Council"),
    )


def test_the_import_stores_each_cross_reference_and_keeps_the_text(imported):
    rows = list(
        imported.recommendations.order_by("order").values_list(
            "framework_kind", "framework_number", "framework_name", "text"
        )
    )

    assert rows[0][:3] == ("outcome", 4, STABLE_HOMES)
    assert rows[0][3].endswith("(outcome 4, national framework)")
    assert rows[1][:3] == ("enabler", None, "Leaders drive conditions for effective practice")
    assert rows[2][:3] == ("", None, "")


def test_the_api_gives_the_cross_reference_as_an_object_or_null(client, officer, imported):
    client.force_login(officer)
    first, second, third = imported.recommendations.order_by("order")

    assert client.get(f"/api/v1/recommendations/{first.pk}/").json()["national_framework"] == {
        "kind": "outcome",
        "number": 4,
        "name": STABLE_HOMES,
    }
    assert client.get(f"/api/v1/recommendations/{second.pk}/").json()["national_framework"] == {
        "kind": "enabler",
        "number": None,
        "name": "Leaders drive conditions for effective practice",
    }
    assert client.get(f"/api/v1/recommendations/{third.pk}/").json()["national_framework"] is None
    listed = client.get(f"/api/v1/recommendations/?inspection={imported.pk}&ordering=report")
    assert [r["national_framework"] is not None for r in listed.json()["results"]] == [
        True,
        True,
        False,
    ]


def test_the_plan_page_shows_the_cross_reference(client, officer, imported):
    client.force_login(officer)
    page = client.get(imported.get_absolute_url()).content.decode()

    assert (
        '<strong class="govuk-tag govuk-tag--blue">Outcome 4</strong>'
        f'<span class="govuk-visually-hidden">:</span> {STABLE_HOMES}'
    ) in page
    assert '<strong class="govuk-tag govuk-tag--blue">Enabler</strong>' in page
    assert page.count("National framework:") == 2


def test_a_corrected_result_sent_to_the_api_keeps_the_cross_references(client, officer):
    client.force_login(officer)
    pending = client.post(
        "/api/v1/imports/", {"report": SimpleUploadedFile(DERBYSHIRE.name, DERBYSHIRE.read_bytes())}
    ).json()
    edited = pending["result"]
    assert edited["recommendations"][0]["framework_kind"] == ""
    edited["recommendations"][0].update(
        framework_kind="outcome", framework_number=4, framework_name=STABLE_HOMES
    )

    response = client.post(
        f"/api/v1/imports/{pending['id']}/confirm/",
        {"result": edited},
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    first = Recommendation.objects.order_by("order").first()
    assert (first.framework_kind, first.framework_number, first.framework_name) == (
        "outcome",
        4,
        STABLE_HOMES,
    )
