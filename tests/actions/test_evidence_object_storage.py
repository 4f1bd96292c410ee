"""Evidence added on the action page with uploads on S3-compatible object storage:
stored privately under a random name, downloaded only through the permission-checked
view, never linked to (not even from the admin)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Evidence
from tests.factories import ActionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

DOCX_NAME = "Audit of supervision – final.pdf"
PDF = b"%PDF-1.4\n" + b"supervision audit " * 200


@pytest.fixture
def action(owner):
    return ActionFactory(owner=owner)


def add_evidence_on_the_page(client, action, name=DOCX_NAME, content=PDF):
    return client.post(
        f"/actions/{action.pk}/evidence/",
        {
            "evidence-description": "Supervision audit",
            "evidence-file": SimpleUploadedFile(name, content),
        },
    )


def test_evidence_added_on_the_page_goes_to_the_bucket(client, owner, action, s3_bucket):
    client.force_login(owner)

    response = add_evidence_on_the_page(client, action)

    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = Evidence.objects.get()
    [key] = s3_bucket.object_keys()
    assert re.fullmatch(r"uploads/evidence/[0-9a-f]{32}\.pdf", key)
    assert key == f"uploads/{evidence.file.name}"
    assert s3_bucket.read(key) == PDF
    assert [g["Grantee"]["Type"] for g in s3_bucket.grants(key)] == ["CanonicalUser"]
    page = client.get(f"/actions/{action.pk}/").content.decode()
    assert f'href="/actions/evidence/{evidence.pk}/download/"' in page
    assert s3_bucket.endpoint not in page and "X-Amz-" not in page


def test_the_page_download_is_an_attachment_for_people_who_can_see_the_action(
    client, owner, reader, action, s3_bucket
):
    client.force_login(owner)
    add_evidence_on_the_page(client, action)
    evidence = Evidence.objects.get()
    client.force_login(reader)

    response = client.get(f"/actions/evidence/{evidence.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Audit%20of%20supervision" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_outsiders_get_404_and_anonymous_people_are_sent_to_sign_in(
    client, owner, action, s3_bucket
):
    client.force_login(owner)
    add_evidence_on_the_page(client, action)
    url = f"/actions/evidence/{Evidence.objects.get().pk}/download/"
    outsider = UserFactory(
        role="Directors", organisation=OrganisationFactory(name="Elsewhere Council")
    )

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_the_admin_shows_no_link_to_the_bucket(admin_client, owner, action, s3_bucket, client):
    client.force_login(owner)
    add_evidence_on_the_page(client, action)
    evidence = Evidence.objects.get()

    page = admin_client.get(f"/admin/actions/evidence/{evidence.pk}/change/").content.decode()

    assert evidence.file.name in page
    assert s3_bucket.endpoint not in page
    assert "X-Amz-" not in page and "Signature" not in page
    assert evidence.file.url == f"/never-served/{evidence.file.name}", "nothing serves this"
