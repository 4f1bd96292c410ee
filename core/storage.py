"""Uploaded reports and evidence on S3-compatible object storage (MEDIA_S3_BUCKET).

Imported only when a bucket is configured: django-storages is an optional extra
(`pip install .[s3]`) for deployments that use one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """django-storages' S3 backend that never hands out a link to the bucket.

    Files leave only through the permission-checked views, which stream them. The
    library's `url()` would make a pre-signed link that lets whoever holds it download
    the file for an hour without any check (the admin's file fields show one). Here, as
    for files on disk, the "URL" is MEDIA_URL plus the name, which nothing serves.
    """

    def url(self, name: str, *args: Any, **kwargs: Any) -> str:
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))
