"""Every documents page, for everyone: anonymous people sign in, outsiders get 404, people
who see the plan but do not produce its documents read its documents page and progress
report and get 403 on the rest (tests/actions/documents/test_published_documents.py
has the versions they read)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.documents import services, tasks
from actions.documents.forms import default_period
from actions.documents.models import DocumentVersion
from actions.documents.snapshot import build_plan_snapshot
from actions.models import Action
from actions.tracker.workbook import to_xlsx
from tests.dates import date_post

from .conftest import REPORT

PLAN_VIEWS = [
    ("documents-plan", "get", None, 200),
    ("documents-source", "get", None, 200),
    ("documents-submission-print", "get", None, 200),
    ("documents-progress-print", "get", None, 200),
    ("documents-compare", "get", None, 200),
    ("documents-export-xlsx", "get", None, 200),
    ("documents-export-csv", "get", None, 200),
    ("documents-import", "get", None, 200),
    ("documents-import-preview", "get", None, 302),
    ("documents-generate-submission", "post", {"format": "docx"}, 302),
    ("documents-generate-progress", "post",
     {"format": "docx", **date_post("start", "2024-04-01"), **date_post("end", "2024-06-30")},
     302),
]  # fmt: skip
VERSION_VIEWS = [
    ("documents-version", "get", None, 200),
    ("documents-version-download", "get", None, 200),
    ("documents-version-print", "get", None, 200),
    ("documents-version-submit", "post", {}, 302),
    ("documents-version-generate-now", "post", {}, 302),
]
READ_BY_EVERYONE = {"documents-plan", "documents-progress-print"}
SOURCE_VIEWS = {"documents-source", "documents-submission-print", "documents-generate-submission"}


def expected(who: str, name: str, allowed: int) -> int:
    if who == "outsider":
        return 404
    if who in ("reader", "owner") and name not in READ_BY_EVERYONE:
        return 403
    return allowed


@pytest.fixture
def version(plan, lead):
    return services.request_document(
        inspection=plan.inspection, by=lead, kind="submission", fmt="docx"
    )


def _call(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.parametrize(("name", "method", "data", "allowed"), PLAN_VIEWS + VERSION_VIEWS)
@pytest.mark.parametrize("who", ["anonymous", "reader", "owner", "officer", "director", "outsider"])
def test_permissions(client, request, plan, version, name, method, data, allowed, who):
    if name.startswith("documents-version"):
        args = [version.pk]
    elif name in SOURCE_VIEWS:
        args = [plan.plan.pk, plan.inspection.pk]
    else:
        args = [plan.plan.pk]
    url = reverse(name, args=args)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = _call(client, method, url, data)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected(who, name, allowed), response.content[:300]


def test_the_page_lists_readiness_gaps_with_links(client, incomplete_plan, officer):
    client.force_login(officer)
    plan_page = client.get(reverse("documents-plan", args=[incomplete_plan.plan.pk]))
    source_url = reverse(
        "documents-source", args=[incomplete_plan.plan.pk, incomplete_plan.inspection.pk]
    )
    assert f'href="{source_url}"' in plan_page.content.decode()
    assert "2 to answer" in plan_page.content.decode()
    body = client.get(source_url).content.decode()
    assert "2 items still unanswered" in body
    assert f'href="{incomplete_plan.actions[2].get_absolute_url()}"' in body
    assert f'href="{incomplete_plan.recommendations[-1].get_absolute_url()}"' in body
    assert "Generate a draft (incomplete)" in body


def test_generating_a_small_plan_redirects_to_a_ready_version(client, plan, director):
    director.job_title = "Director of children's services"
    director.save()
    client.force_login(director)
    response = client.post(
        reverse("documents-generate-submission", args=[plan.plan.pk, plan.inspection.pk]),
        {"format": "pdf", "signed_by": director.pk, **date_post("signed_on", "2024-05-20")},
        follow=True,
    )
    version = DocumentVersion.objects.get()
    assert response.redirect_chain[-1][0] == version.get_absolute_url()
    assert version.status == "ready" and version.format == "pdf"
    assert version.snapshot["sign_off"] == {
        "name": str(director),
        "job_title": "Director of children's services",
        "date": "2024-05-20",
    }
    assert "Refresh" not in response
    download = client.get(reverse("documents-version-download", args=[version.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_signatory_who_is_not_a_director_of_the_council_is_refused(client, plan, officer):
    client.force_login(officer)
    response = client.post(
        reverse("documents-generate-submission", args=[plan.plan.pk, plan.inspection.pk]),
        {"format": "docx", "signed_by": officer.pk},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not DocumentVersion.objects.exists()


def test_a_bad_period_is_shown_with_an_error(client, plan, officer):
    client.force_login(officer)
    response = client.post(
        reverse("documents-generate-progress", args=[plan.plan.pk]),
        {"format": "pdf", **date_post("start", "2024-06-30"), **date_post("end", "2024-04-01")},
    )
    assert response.status_code == 400
    assert "The period must end on or after the day it starts." in response.content.decode()


def test_a_large_plan_shows_a_page_that_refreshes_itself_until_ready(
    client, plan, officer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_INLINE_MAX_ACTIONS = 1
    monkeypatch.setattr(tasks.generate_document, "apply_async", lambda args, **kw: None)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("documents-generate-submission", args=[plan.plan.pk, plan.inspection.pk]),
            {"format": "docx"},
        )
    version = DocumentVersion.objects.get()
    response = client.get(version.get_absolute_url())
    assert response["Refresh"] == "3"
    assert "being made in the background" in response.content.decode()
    tasks.generate_document(version.pk)
    page = client.get(version.get_absolute_url())
    assert "Refresh" not in page and "Download" in page.content.decode()


def test_when_the_broker_is_down_the_page_offers_to_generate_now(
    client, plan, officer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_INLINE_MAX_ACTIONS = 1

    def down(args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(tasks.generate_document, "apply_async", down)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("documents-generate-submission", args=[plan.plan.pk, plan.inspection.pk]),
            {"format": "docx"},
        )
    version = DocumentVersion.objects.get()
    response = client.get(version.get_absolute_url())
    assert response.status_code == 200
    assert "could not be reached" in response.content.decode()
    client.post(reverse("documents-version-generate-now", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == "ready"


def test_marking_submitted_on_the_page(client, plan, version, director):
    client.force_login(director)
    response = client.post(reverse("documents-version-submit", args=[version.pk]), follow=True)
    assert "can no longer change" in response.content.decode()
    plan.inspection.refresh_from_db()
    assert plan.inspection.plan_submitted_at is not None
    again = client.post(reverse("documents-version-submit", args=[version.pk]), follow=True)
    assert "already marked submitted" in again.content.decode()


def test_the_compare_page_shows_what_changed_since_a_version(client, plan, version, officer):
    action = plan.actions[0]
    action.title = "Audit every plan"
    action.save()
    client.force_login(officer)
    url = reverse("documents-compare", args=[plan.plan.pk])
    body = client.get(url, {"old": version.pk, "new": "current"}).content.decode()
    assert "What changed between" in body
    assert "Audit every plan" in body and "Audit every child in need plan" in body
    assert client.get(url, {"old": 999999}).status_code == 404


def test_the_printable_pages_link_the_stylesheet_and_have_no_inline_style(client, plan, officer):
    client.force_login(officer)
    for url in (
        reverse("documents-submission-print", args=[plan.plan.pk, plan.inspection.pk]),
        reverse("documents-progress-print", args=[plan.plan.pk]),
    ):
        body = client.get(url).content.decode()
        assert 'href="/documents/document.css"' in body
        assert "<style" not in body and "<script" not in body
    css = client.get(reverse("documents-stylesheet"))
    assert css["Content-Type"] == "text/css" and b"Liberation Sans" in css.content


def test_the_progress_page_with_a_bad_period_asks_again(client, plan, officer):
    client.force_login(officer)
    response = client.get(
        reverse("documents-progress-print", args=[plan.plan.pk]),
        {"start_day": "x", "start_month": "4", "start_year": "2024", "end_day": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The start date must be a real date" in body
    assert "Enter the end date" in body
    assert 'name="start_day" type="text" inputmode="numeric" value="x"' in body


def test_the_exports_download_as_attachments(client, plan, officer):
    client.force_login(officer)
    xlsx = client.get(reverse("documents-export-xlsx", args=[plan.plan.pk]))
    assert xlsx["Content-Disposition"].startswith(
        'attachment; filename="test-council-improvement-plan-'
    )
    assert load_workbook(io.BytesIO(xlsx.content))["Actions"].max_row == 6
    csv = client.get(reverse("documents-export-csv", args=[plan.plan.pk]))
    assert csv.streaming
    text = b"".join(csv.streaming_content).decode()
    assert text.count("\r\n") == 6 and REPORT[0][3] in text


def test_importing_through_the_pages_previews_then_commits(client, plan, lead):
    client.force_login(lead)
    book = load_workbook(io.BytesIO(to_xlsx(build_plan_snapshot(plan.plan))))
    sheet = book["Actions"]
    sheet.append(
        [
            "",
            "S1.1",
            "",
            "",
            "",
            "N1",
            None,
            "Publish a practice standard",
            "",
            "",
            "",
            "",
            dt.date(2024, 9, 30),
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "tracker.xlsx"
    upload = client.post(reverse("documents-import", args=[plan.plan.pk]), {"file": buffer})
    assert upload.status_code == 302, upload.content.decode()[-3000:]
    preview = client.get(upload["Location"])
    assert preview.status_code == 200
    assert "Publish a practice standard" in preview.content.decode()
    assert not Action.objects.filter(title="Publish a practice standard").exists()
    done = client.post(upload["Location"], follow=True)
    assert "Imported: 1 action added, 0 changed" in done.content.decode()
    assert Action.objects.get(title="Publish a practice standard").due_date == dt.date(2024, 9, 30)


def test_an_import_with_errors_shows_each_cell_and_saves_nothing(client, plan, lead):
    client.force_login(lead)
    book = load_workbook(io.BytesIO(to_xlsx(build_plan_snapshot(plan.plan))))
    book["Actions"]["H2"] = ""
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "tracker.xlsx"
    upload = client.post(reverse("documents-import", args=[plan.plan.pk]), {"file": buffer})
    response = client.post(upload["Location"])
    assert response.status_code == 400
    body = response.content.decode()
    assert "nothing has been saved" in body and "H2" in body and "Enter what will be done." in body


def test_a_file_that_is_not_a_workbook_is_refused_at_upload(client, plan, officer):
    client.force_login(officer)
    upload = io.BytesIO(b"%PDF-1.7 not a spreadsheet")
    upload.name = "tracker.xlsx"
    response = client.post(reverse("documents-import", args=[plan.plan.pk]), {"file": upload})
    assert response.status_code == 400
    assert "must be an Excel workbook" in response.content.decode()


def test_the_period_and_signing_dates_are_typed_as_day_month_and_year(client, plan, officer):
    client.force_login(officer)
    url = reverse("documents-plan", args=[plan.plan.pk])
    start, end = default_period()
    body = client.get(url).content.decode()
    assert (
        f'id="progress-start" name="start_day" type="text" inputmode="numeric" value="{start.day}"'
        in body
    )
    assert f'name="end_year" type="text" inputmode="numeric" value="{end.year}"' in body
    source = reverse("documents-source", args=[plan.plan.pk, plan.inspection.pk])
    assert 'id="submission-signed_on" name="signed_on_day"' in client.get(source).content.decode()

    response = client.post(
        reverse("documents-generate-progress", args=[plan.plan.pk]),
        {
            "format": "pdf",
            **date_post("start", "2024-04-01"),
            "end_day": "31",
            "end_month": "6",
            "end_year": "2024",
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "The end date must be a real date" in body
    assert 'href="#progress-end"' in body
    assert 'name="end_day" type="text" inputmode="numeric" value="31"' in body
