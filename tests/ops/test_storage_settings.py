"""Uploaded files on S3-compatible object storage: configured by environment variables
only, and checked against a real S3 API (moto's server on 127.0.0.1, tests/object_storage.py)."""

import json
import subprocess
import sys

from tests.object_storage import ACCESS_KEY_ID, BUCKET, REGION, SECRET_ACCESS_KEY

from .conftest import ROOT, production_env


def storages(**env: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(**env),
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def test_uploads_go_to_the_file_system_by_default():
    assert storages()["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_name_moves_uploads_to_private_object_storage():
    default = storages(
        MEDIA_S3_BUCKET="council-plans",
        MEDIA_S3_ENDPOINT_URL="https://s3.example.net",
        MEDIA_S3_REGION="eu-west-2",
    )
    assert default["BACKEND"] == "core.storage.PrivateS3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "council-plans"
    assert options["endpoint_url"] == "https://s3.example.net"
    assert options["default_acl"] is None, "objects get no ACL of their own: private"
    assert options["file_overwrite"] is False
    assert options["access_key"] is None and options["secret_key"] is None, (
        "without keys, boto3 finds the instance or workload role"
    )


def test_a_production_process_stores_and_reads_files_in_the_bucket(s3_bucket, s3_endpoint):
    code = (
        "import django; django.setup(); "
        "from django.core.files.base import ContentFile; "
        "from django.core.files.storage import default_storage as s; "
        "name = s.save('evidence/check.txt', ContentFile(b'stored in the bucket')); "
        "print(name, s.open(name).read().decode(), s.url(name), sep='|')"
    )
    env = production_env(
        MEDIA_S3_BUCKET=BUCKET,
        MEDIA_S3_ENDPOINT_URL=s3_endpoint,
        MEDIA_S3_REGION=REGION,
        MEDIA_S3_ACCESS_KEY_ID=ACCESS_KEY_ID,
        MEDIA_S3_SECRET_ACCESS_KEY=SECRET_ACCESS_KEY,
        MEDIA_S3_PREFIX="council-a",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip

    name, content, url = result.stdout.strip().split("|")
    assert (name, content) == ("evidence/check.txt", "stored in the bucket")
    assert url == "/never-served/evidence/check.txt", "no link to the bucket"
    assert s3_bucket.object_keys() == ["council-a/evidence/check.txt"]
