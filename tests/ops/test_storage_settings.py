"""Uploaded files on S3-compatible object storage: configured by environment variables
only. (Checked up to the storage object; no object store runs in the suite.)"""

import json
import subprocess
import sys

import pytest

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
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "council-plans"
    assert options["endpoint_url"] == "https://s3.example.net"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False

    s3 = pytest.importorskip("storages.backends.s3")
    storage = s3.S3Storage(**options)
    assert storage.bucket_name == "council-plans"
