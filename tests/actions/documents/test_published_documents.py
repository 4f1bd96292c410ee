"""Readers (and action owners) read the progress reports and submitted plans of the plans
they see; drafts and the tools that make documents stay with directors and officers.
Each link on the plan's page and the documents page leads somewhere its reader may go."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from actions.documents import services


@pytest.fixture
def versions(plan, lead):
    """A progress report, a submitted plan and a plan generated but not submitted."""
    progress = services.request_document(
        inspection=plan.inspection, by=lead, kind="progress", fmt="pdf",
        period_start=dt.date(2024, 4, 1), period_end=dt.date(2024, 6, 30),
    )  # fmt: skip
    submitted = services.request_document(
        inspection=plan.inspection, by=lead, kind="submission", fmt="docx"
    )
    services.mark_submitted(version=submitted, by=lead)
    unsubmitted = services.request_document(
        inspection=plan.inspection, by=lead, kind="submission", fmt="pdf"
    )
    for version in (progress, submitted, unsubmitted):
        version.refresh_from_db()
        assert version.status == "ready", version.message
    return {"progress": progress, "submitted": submitted, "unsubmitted": unsubmitted}


def _links(body: str) -> list[str]:
    return [html.unescape(url) for url in re.findall(r'<a [^>]*href="(/[^"]*)"', body)]


@pytest.mark.parametrize("who", ["reader", "owner"])
def test_a_reader_reads_progress_reports_and_submitted_plans(client, request, plan, versions, who):
    client.force_login(request.getfixturevalue(who))
    for name in ("progress", "submitted"):
        version = versions[name]
        for view in ("documents-version", "documents-version-download", "documents-version-print"):
            response = client.get(reverse(view, args=[version.pk]))
            assert response.status_code == 200, (name, view)
    download = client.get(reverse("documents-version-download", args=[versions["progress"].pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("who", ["reader", "owner"])
def test_a_plan_not_submitted_stays_with_those_who_produce_it(client, request, plan, versions, who):
    client.force_login(request.getfixturevalue(who))
    pk = versions["unsubmitted"].pk
    for view in ("documents-version", "documents-version-download", "documents-version-print"):
        assert client.get(reverse(view, args=[pk])).status_code == 403, view
    for view in ("documents-compare", "documents-export-xlsx"):
        assert client.get(reverse(view, args=[plan.plan.pk])).status_code == 403, view
    for view in ("documents-source", "documents-submission-print"):
        url = reverse(view, args=[plan.plan.pk, plan.inspection.pk])
        assert client.get(url).status_code == 403, view


def test_the_readers_documents_page_lists_only_what_they_may_open(client, plan, versions, reader):
    client.force_login(reader)
    response = client.get(reverse("documents-plan", args=[plan.plan.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Progress reports and submitted plans" in body
    listed = {versions[name].get_absolute_url() for name in ("progress", "submitted")}
    assert listed <= set(_links(body))
    assert versions["unsubmitted"].get_absolute_url() not in body
    assert "<form" not in body.split('id="main-content"')[1].split("</main>")[0]
    for url in _links(body):
        assert client.get(url).status_code == 200, url


def test_an_outsider_does_not_learn_a_published_version_exists(client, plan, versions, outsider):
    client.force_login(outsider)
    for name in ("progress", "submitted"):
        response = client.get(reverse("documents-version", args=[versions[name].pk]))
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "link"),
    [
        ("reader", "Progress reports and submitted plans"),
        ("owner", "Progress reports and submitted plans"),
        ("officer", "The plan's documents: progress reports and exports"),
        ("director", "The plan's documents: progress reports and exports"),
    ],
)
def test_the_report_page_offers_the_documents_each_person_may_open(
    client, request, plan, who, link
):
    client.force_login(request.getfixturevalue(who))
    body = client.get(plan.inspection.get_absolute_url()).content.decode()
    documents = reverse("documents-plan", args=[plan.plan.pk])
    assert f'<a class="govuk-link" href="{documents}">{link}</a>' in body
    assert body.count(f'href="{documents}"') == 1
    assert client.get(documents).status_code == 200
