"""Uploads behave the same in a folder and in a bucket: what the application relies on
when it saves, replaces, deletes and names files (core/storage.py for the bucket)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


@pytest.fixture(params=["folder", "bucket"])
def uploads(request, settings):
    """The default storage: files under MEDIA_ROOT, or the test's private bucket."""
    if request.param == "bucket":
        request.getfixturevalue("s3_bucket")
    return default_storage


def test_saving_under_a_name_in_use_keeps_both_files(uploads):
    first = uploads.save("imports/tracker.xlsx", ContentFile(b"first"))
    second = uploads.save("imports/tracker.xlsx", ContentFile(b"second"))

    assert first == "imports/tracker.xlsx"
    assert second != first and second.startswith("imports/tracker")
    with uploads.open(first, "rb") as handle:
        assert handle.read() == b"first"
    with uploads.open(second, "rb") as handle:
        assert handle.read() == b"second"


def test_deleting_removes_the_file_and_deleting_again_is_harmless(uploads):
    name = uploads.save("pending-imports/abc", ContentFile(b"report"))
    assert uploads.exists(name)

    uploads.delete(name)
    uploads.delete(name)

    assert not uploads.exists(name)
    assert uploads.listdir("pending-imports/")[1] == []


def test_a_file_is_never_given_a_url_anyone_could_fetch(uploads):
    name = uploads.save("evidence/0123abcd.pdf", ContentFile(b"%PDF-1.4"))
    assert uploads.url(name) == "/never-served/evidence/0123abcd.pdf"


def test_sizes_and_listings_match(uploads):
    uploads.save("reports/a.pdf", ContentFile(b"12345"))
    uploads.save("reports/b.pdf", ContentFile(b"1"))
    assert uploads.size("reports/a.pdf") == 5
    assert sorted(uploads.listdir("reports/")[1]) == ["a.pdf", "b.pdf"]
