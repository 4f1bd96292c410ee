"""Evidence: multipart upload checked by content, downloads only as attachments."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 audit summary"


def upload(api, action_pk: int, content: bytes = PDF, name: str = "audit.pdf"):
    return api.post(
        f"/api/v1/actions/{action_pk}/evidence/",
        {"description": "Audit summary", "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def test_an_owner_uploads_a_file_and_a_reader_downloads_it(client_for, owner, reader, plan):
    created = upload(client_for(owner), plan.pk)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["has_file"] and body["content_type"] == "application/pdf"
    assert body["original_filename"] == "audit.pdf" and body["size"] == len(PDF)
    response = client_for(reader).get(f"/api/v1/evidence/{body['id']}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="audit.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_the_stored_name_is_the_servers_not_the_uploaders(client_for, owner, plan):
    upload(client_for(owner), plan.pk, name="../../etc/passwd.pdf")
    evidence = Evidence.objects.get()
    assert evidence.file.name.startswith("evidence/") and ".." not in evidence.file.name


def test_a_file_that_is_not_what_it_claims_is_refused(client_for, owner, plan):
    response = upload(client_for(owner), plan.pk, content=b"MZ\x90\x00\x03binary", name="a.pdf")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    assert not Evidence.objects.exists()


def test_a_link_is_evidence_too(client_for, officer, plan):
    response = client_for(officer).post(
        f"/api/v1/actions/{plan.pk}/evidence/",
        {"description": "Minutes", "link": "https://example.org/m"},
    )
    assert response.status_code == 201
    download = client_for(officer).get(f"/api/v1/evidence/{response.json()['id']}/download/")
    assert download.status_code == 404


def test_outsiders_cannot_download(client_for, owner, outsider, plan):
    pk = upload(client_for(owner), plan.pk).json()["id"]
    assert client_for(outsider).get(f"/api/v1/evidence/{pk}/download/").status_code == 404


def test_a_director_returns_evidence_with_a_comment(client_for, owner, director, plan):
    pk = upload(client_for(owner), plan.pk).json()["id"]
    response = client_for(director).post(f"/api/v1/evidence/{pk}/return/", {"comment": "Wrong"})
    assert response.status_code == 200
    assert response.json()["return_comment"] == "Wrong"
    again = client_for(director).post(f"/api/v1/evidence/{pk}/return/", {"comment": "Again"})
    assert again.status_code == 422
