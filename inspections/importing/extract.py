"""Bytes to lines of text: PDF (with position and font of each line) or decoded text.

The kind is told by content, never by file name. A PDF is read in a reader process held
to a memory and a time limit (`bounded`); there, before PDFium sees the file, every stream
is decoded with a bound (`guard`), so a decompression bomb is refused without inflating
it, and PDFium gives the lines (`pdf_text`).
"""

from __future__ import annotations

from . import errors
from .bounded import read_pdf
from .errors import ReportParseError
from .lines import MAX_LINES, MAX_TEXT_CHARS, RawDocument, RawLine

MAX_BYTES = 20 * 1024 * 1024

_PDF_MAGIC = b"%PDF-"
_BINARY_KINDS = (
    (b"\x89PNG", "an image (PNG)"),
    (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF8", "an image (GIF)"),
    (b"II*\x00", "an image (TIFF)"),
    (b"MM\x00*", "an image (TIFF)"),
    (b"\xd0\xcf\x11\xe0", "an older Office document (.doc or .xls)"),
    (b"{\\rtf", "a Rich Text document"),
    (b"\x1f\x8b", "a compressed archive"),
    (b"7z\xbc\xaf", "a compressed archive"),
    (b"Rar!", "a compressed archive"),
)


def extract(data: bytes, filename: str = "") -> RawDocument:
    """Read `data` as a PDF or a text file, chosen by its content, never by `filename`."""
    if not data or not data.strip():
        raise ReportParseError(errors.EMPTY)
    if len(data) > MAX_BYTES:
        raise ReportParseError(errors.TOO_BIG.format(limit=MAX_BYTES // (1024 * 1024)))
    if _PDF_MAGIC in data[:1024]:
        return _extract_pdf(data)
    _refuse_binary(data)
    text = decode_text(data)
    if len(text) > MAX_TEXT_CHARS or text.count("\n") > MAX_LINES:
        raise ReportParseError(errors.TEXT_TOO_LONG)
    pages = text.split("\f")
    return RawDocument(
        kind="text",
        pages=[[RawLine(text=line) for line in page.splitlines()] for page in pages],
    )


def _refuse_binary(data: bytes) -> None:
    for magic, what in _BINARY_KINDS:
        if data.startswith(magic):
            raise ReportParseError(errors.NOT_A_REPORT_BINARY.format(what=what))
    if data.startswith(b"PK\x03\x04"):
        what = "a Word document" if b"word/" in data[:65536] else "a zip archive"
        raise ReportParseError(errors.NOT_A_REPORT_BINARY.format(what=what))


def decode_text(data: bytes) -> str:
    """UTF-8 with or without a byte order mark, or UTF-16 with one; nothing else."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise ReportParseError(errors.NOT_UTF8)
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        elif data.startswith(b"\xef\xbb\xbf"):
            text = data[3:].decode("utf-8")
        else:
            if b"\x00" in data:
                # UTF-16 without a byte order mark has a zero in every other byte.
                zeros = data[:4096].count(b"\x00")
                if zeros * 3 >= min(len(data), 4096):
                    raise ReportParseError(errors.NOT_UTF8)
                raise ReportParseError(errors.NOT_A_REPORT_BINARY.format(what="a binary file"))
            text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReportParseError(errors.NOT_UTF8) from None
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > 20 and controls * 50 > min(len(text), 20000):
        raise ReportParseError(errors.NOT_A_REPORT_BINARY.format(what="a binary file"))
    return text


# --- PDF -------------------------------------------------------------------------------


def _extract_pdf(data: bytes) -> RawDocument:
    """Read in a reader process held to a memory and a time limit (see `bounded`)."""
    if b"%%EOF" not in data[-4096:]:
        raise ReportParseError(errors.TRUNCATED)
    return read_pdf(data)
