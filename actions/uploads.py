"""Checking evidence files by their content, never by their name."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from core.errors import DomainError

# Office Open XML files are zips: check their parts before trusting them.
_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_RATIO = 100


def sniff_content_type(head: bytes, data: io.BufferedIOBase | None = None) -> str | None:
    """The content type the bytes really are, or None when not an accepted kind."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04") and data is not None:
        return _sniff_ooxml(data)
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still text.
            if exc.start < len(head) - 4:
                return None
        return "text/plain"
    return None


def _sniff_ooxml(data: io.BufferedIOBase) -> str | None:
    try:
        with zipfile.ZipFile(data) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return None
            packed = sum(i.compress_size for i in infos) or 1
            if sum(i.file_size for i in infos) / packed > MAX_ZIP_RATIO:
                return None  # a decompression bomb, not a document
            names = [i.filename for i in infos]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, content_type in _OOXML.items():
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None


def check_evidence_file(upload: UploadedFile) -> str:
    """Validate an uploaded evidence file; return its sniffed content type."""
    if upload.size is not None and upload.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        raise DomainError(f"The file must be smaller than {limit} MB.", field="file")
    if not upload.size:
        raise DomainError("The file is empty.", field="file")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    content_type = sniff_content_type(head, upload.file if head.startswith(b"PK") else None)
    upload.seek(0)
    if content_type is None:
        raise DomainError(
            "The file must be a PDF, Word, Excel, PowerPoint, PNG, JPEG or plain text file.",
            field="file",
        )
    return content_type
