"""Evidence and imported reports through the API with uploads on S3-compatible object
storage (moto's server on 127.0.0.1, configured by MEDIA_S3_* as a deployment is)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Evidence
from inspections.models import Inspection, PendingImport

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4
UPLOADED_AS = "Minutes of 3 May (DRAFT).pdf"
RANDOM_EVIDENCE_KEY = re.compile(r"uploads/evidence/[0-9a-f]{32}\.pdf")
REPORT = Path("tests/fixtures/reports/derbyshire-2011-safeguarding-lac.txt")


def upload(api, action_pk: int, content: bytes = PDF, name: str = UPLOADED_AS):
    return api.post(
        f"/api/v1/actions/{action_pk}/evidence/",
        {"description": "Minutes", "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def test_evidence_is_a_private_object_under_a_random_server_side_name(
    client_for, owner, plan, s3_bucket
):
    response = upload(client_for(owner), plan.pk)

    assert response.status_code == 201, response.json()
    [key] = s3_bucket.object_keys()
    assert RANDOM_EVIDENCE_KEY.fullmatch(key), key
    assert "Minutes" not in key and "DRAFT" not in key
    assert key == f"uploads/{Evidence.objects.get().file.name}"
    assert s3_bucket.read(key) == PDF
    # Only the bucket owner may read it: no grant to everyone or to any AWS user...
    grants = s3_bucket.grants(key)
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all(g["Grantee"]["Type"] == "CanonicalUser" for g in grants)
    # ...and the object store refuses a request without credentials.
    assert (
        requests.get(f"{s3_bucket.endpoint}/{s3_bucket.name}/{key}", timeout=5).status_code == 403
    )
    assert response.json()["original_filename"] == UPLOADED_AS


def test_no_link_to_the_bucket_is_ever_handed_out(client_for, owner, reader, plan, s3_bucket):
    created = upload(client_for(owner), plan.pk).json()
    api = client_for(reader)
    answers = [
        json.dumps(created),
        api.get(f"/api/v1/evidence/{created['id']}/").content.decode(),
        api.get("/api/v1/evidence/").content.decode(),
        api.get(f"/api/v1/actions/{plan.pk}/").content.decode(),
    ]
    for body in answers:
        assert s3_bucket.endpoint not in body and s3_bucket.name not in body
        assert "X-Amz-" not in body and "Signature" not in body


def test_downloads_come_only_through_the_permission_check(
    client_for, owner, reader, outsider, plan, s3_bucket
):
    pk = upload(client_for(owner), plan.pk).json()["id"]

    response = client_for(reader).get(f"/api/v1/evidence/{pk}/download/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert client_for(outsider).get(f"/api/v1/evidence/{pk}/download/").status_code == 404
    assert client_for().get(f"/api/v1/evidence/{pk}/download/").status_code == 401


def test_a_refused_file_leaves_nothing_in_the_bucket(client_for, owner, plan, s3_bucket):
    response = upload(client_for(owner), plan.pk, content=b"MZ\x90\x00 a program", name="a.pdf")
    assert response.status_code == 422
    assert s3_bucket.object_keys() == []
    assert not Evidence.objects.exists()


def test_two_uploads_with_the_same_name_are_two_objects(client_for, owner, plan, s3_bucket):
    api = client_for(owner)
    first = upload(api, plan.pk, content=PDF + b"first").json()["id"]
    second = upload(api, plan.pk, content=PDF + b"second").json()["id"]
    assert len(s3_bucket.object_keys()) == 2
    assert b"".join(api.get(f"/api/v1/evidence/{first}/download/").streaming_content).endswith(
        b"first"
    )
    assert b"".join(api.get(f"/api/v1/evidence/{second}/download/").streaming_content).endswith(
        b"second"
    )


def test_an_imported_report_moves_from_pending_to_its_inspection(client_for, officer, s3_bucket):
    api = client_for(officer)
    pending = api.post(
        "/api/v1/imports/",
        {"report": SimpleUploadedFile(REPORT.name, REPORT.read_bytes())},
        format="multipart",
    ).json()
    [pending_key] = s3_bucket.object_keys()
    assert re.fullmatch(r"uploads/pending-imports/[0-9a-f]{32}", pending_key)

    assert api.post(f"/api/v1/imports/{pending['id']}/confirm/", {}).status_code == 201

    [report_key] = s3_bucket.object_keys()
    assert re.fullmatch(r"uploads/reports/[0-9a-f]{32}\.txt", report_key)
    assert report_key == f"uploads/{Inspection.objects.get().source_file.name}"
    assert s3_bucket.read(report_key) == REPORT.read_bytes()
    assert not PendingImport.objects.exists()


def test_abandoning_an_import_deletes_its_file_from_the_bucket(client_for, officer, s3_bucket):
    api = client_for(officer)
    pending = api.post(
        "/api/v1/imports/",
        {"report": SimpleUploadedFile(REPORT.name, REPORT.read_bytes())},
        format="multipart",
    ).json()
    assert len(s3_bucket.object_keys()) == 1

    assert api.delete(f"/api/v1/imports/{pending['id']}/").status_code == 204

    assert s3_bucket.object_keys() == []
