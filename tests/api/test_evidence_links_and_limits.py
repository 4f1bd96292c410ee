"""Evidence links are URIs as the schema says (`format: uri`), and oversized uploads 413.

The schema's `uri` rule is RFC 3986; the check here is the one the API's contract tests
use (jsonschema-rs). A link pasted as a browser shows it (accented letters, `|`, `{`, a
bare `%`) is stored as the browser sends it, which names the same page; one that cannot
be a URI is refused. Files over their limit answer 413 `payload_too_large`, as
docs/api.md and the schema say, on the API; pages show the same sentence.
"""

from __future__ import annotations

import jsonschema_rs
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Evidence

pytestmark = pytest.mark.django_db

URI = jsonschema_rs.validator_for({"type": "string", "format": "uri"}, validate_formats=True)


def add_link(client, action_pk: int, link: str):
    return client.post(
        f"/api/v1/actions/{action_pk}/evidence/", {"description": "Minutes", "link": link}
    )


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        ("https://example.org/minutes/réunion", "https://example.org/minutes/r%C3%A9union"),
        ("https://exämple.org/minutes", "https://xn--exmple-cua.org/minutes"),
        ("https://example.org/a|b?x={1}", "https://example.org/a%7Cb?x=%7B1%7D"),
        ("https://example.org/100%", "https://example.org/100%25"),
        ("https://example.org/m#a#b", "https://example.org/m#a%23b"),
    ],
)
def test_a_link_that_is_no_uri_as_pasted_is_stored_as_one(
    client_for, officer, plan, pasted, stored
):
    assert not URI.is_valid(pasted)
    response = add_link(client_for(officer), plan.pk, pasted)
    assert response.status_code == 201, response.json()
    assert response.json()["link"] == stored
    assert URI.is_valid(response.json()["link"])


def test_a_link_that_cannot_be_a_uri_is_refused(client_for, officer, plan):
    response = add_link(client_for(officer), plan.pk, "https://example.org:99999/minutes")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "link"
    assert not Evidence.objects.exists()


def test_the_page_stores_the_same_uri(client, officer, plan):
    client.force_login(officer)
    response = client.post(
        reverse("action-transition", args=[plan.pk, "evidence"]),
        {"evidence-description": "Minutes", "evidence-link": "https://example.org/minutes/réunion"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Evidence.objects.get().link == "https://example.org/minutes/r%C3%A9union"


def test_an_evidence_file_over_the_limit_is_413(client_for, owner, plan, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = client_for(owner).post(
        f"/api/v1/actions/{plan.pk}/evidence/",
        {"description": "Audit", "file": SimpleUploadedFile("audit.pdf", b"%PDF-1.4 " * 200)},
        format="multipart",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "payload_too_large" and body["errors"][0]["field"] == "file"
    assert not Evidence.objects.exists()


def test_a_report_over_the_limit_is_413(client_for, officer, settings):
    settings.REPORT_UPLOAD_MAX_BYTES = 1024
    response = client_for(officer).post(
        "/api/v1/imports/",
        {"report": SimpleUploadedFile("report.txt", b"Areas for improvement\n" * 100)},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
