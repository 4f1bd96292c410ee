"""Checking evidence: files by their content, never by their name; links as URIs."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from core.errors import DomainError, TooLarge

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
        raise TooLarge(f"The file must be smaller than {limit} MB.", field="file")
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


# RFC 3986, as the API's schema promises for `link` (`format: uri`): http(s) only here.
_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|%[0-9A-Fa-f]{{2}})"
_URI = re.compile(
    rf"https?://"
    rf"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|%[0-9A-Fa-f]{{2}})*@)?"  # userinfo
    rf"(?:\[[0-9A-Fa-f:.]+\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|%[0-9A-Fa-f]{{2}})+)"  # host
    rf"(?::[0-9]*)?"  # port
    rf"(?:/{_PCHAR}*)*"  # path
    rf"(?:\?(?:{_PCHAR}|[/?])*)?"  # query
    rf"(?:#(?:{_PCHAR}|[/?])*)?",  # fragment
)
# What may stay as written in a path, query or fragment besides letters, digits and -._~
# (which `quote` never encodes); anything else is percent-encoded.
_SAFE = _SUB_DELIMS + ":@/?%"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
BAD_LINK = (
    "Enter a valid web address starting with https://, such as https://www.example.gov.uk/plan."
)


def _encoded(part: str) -> str:
    return quote(_STRAY_PERCENT.sub("%25", part), safe=_SAFE)


def evidence_link(link: str) -> str:
    """The link as a URI (RFC 3986), or DomainError if it cannot be one.

    People paste links as browsers show them, with accented letters or characters such as
    `|` and `{`: those are written as a browser sends them (percent-encoded, the host in
    IDNA), which names the same page. What still is not a URI is refused, so the API never
    returns a `link` that breaks its own `format: uri`.
    """
    link = link.strip()
    try:
        parts = urlsplit(link)
        port = parts.port
        host = parts.hostname or ""
        if ":" not in host:
            host = host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        raise DomainError(BAD_LINK, field="link") from None
    if parts.scheme.lower() not in ("https", "http") or not host:
        raise DomainError(BAD_LINK, field="link")
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{_encoded(userinfo)}@" if userinfo else "") + (f"[{host}]" if ":" in host else host)
    if port is not None:
        netloc += f":{port}"
    uri = urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            _encoded(parts.path),
            _encoded(parts.query),
            _encoded(parts.fragment),
        )
    )
    if not _URI.fullmatch(uri):
        raise DomainError(BAD_LINK, field="link")
    return uri
