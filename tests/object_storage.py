"""A real S3 API for tests: moto's standalone server on a free port of 127.0.0.1, and a
private bucket in it that uploads go to, configured as a deployment would be, through
the MEDIA_S3_* environment variables (the fixtures are registered in tests/conftest.py).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "council-improvement-plans"
PREFIX = "uploads"
REGION = "eu-west-2"
ACCESS_KEY_ID = "test-access-key-id"
SECRET_ACCESS_KEY = "test-secret-access-key"


def storage_settings(**env: str) -> dict[str, Any]:
    """STORAGES["default"] as config/settings.py makes it from these variables, read in a
    fresh process (settings are read once per process)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@dataclass
class Bucket:
    """The bucket as its owner sees it, through boto3 rather than the application."""

    client: Any
    name: str
    endpoint: str

    def object_keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def grants(self, key: str) -> list[dict[str, Any]]:
        return self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"]

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=data)

    def empty(self) -> None:
        for key in self.object_keys():
            self.client.delete_object(Bucket=self.name, Key=key)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3-compatible server, for the whole run."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def s3_storage(s3_endpoint: str) -> dict[str, Any]:
    """The uploads storage a deployment with these MEDIA_S3_* variables gets."""
    return storage_settings(
        MEDIA_S3_BUCKET=BUCKET,
        MEDIA_S3_ENDPOINT_URL=s3_endpoint,
        MEDIA_S3_REGION=REGION,
        MEDIA_S3_ACCESS_KEY_ID=ACCESS_KEY_ID,
        MEDIA_S3_SECRET_ACCESS_KEY=SECRET_ACCESS_KEY,
        MEDIA_S3_PREFIX=PREFIX,
    )


@pytest.fixture
def s3_bucket(s3_endpoint: str, s3_storage: dict[str, Any], settings) -> Iterator[Bucket]:
    """An empty private bucket (all public access blocked, as docs/deployment.md asks)
    that this test's uploads go to."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
    )
    existing = {bucket["Name"] for bucket in client.list_buckets()["Buckets"]}
    if BUCKET not in existing:
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        client.put_public_access_block(
            Bucket=BUCKET,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
    bucket = Bucket(client=client, name=BUCKET, endpoint=s3_endpoint)
    bucket.empty()
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage}
    yield bucket
    bucket.empty()
