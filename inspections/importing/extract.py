"""Bytes to lines of text: PDF (with position and font of each line) or decoded text.

PDF text comes from PDFium, through pypdfium2 (which pdfplumber installs too): it keeps
bullets inline, marks hyphens at line ends and reads a 30-page report in a few tens of
milliseconds, where pdfplumber's pure-Python interpreter takes seconds. A PDF is read in a
reader process held to a memory and a time limit (`bounded`), and there, before PDFium sees
the file, every stream is decoded with a bound (`guard`), so a decompression bomb is
refused without inflating it.
"""

from __future__ import annotations

import ctypes
import dataclasses
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import errors
from .errors import ReportParseError
from .guard import guard_streams

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 200
# A dense A4 page holds about 6,000 characters; far more is generated content, not a report.
MAX_PAGE_CHARS = 60_000
# About 250 pages of dense text; the longest reports hold a fifth of that.
MAX_TEXT_CHARS = 1_000_000
MAX_LINES = 40_000
# Fewer visible characters per page than this on average: the PDF is images of pages.
MIN_CHARS_PER_PAGE = 80

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


@dataclasses.dataclass
class RawLine:
    """One line as printed; the position fields are None for text files."""

    text: str
    page: int = 0  # 1-based for PDFs, 0 for text
    top: float | None = None  # baseline's distance from the top of the page, in points
    bottom: float | None = None  # baseline of the line's last character (it may wrap)
    x0: float | None = None
    x1: float | None = None
    size: float | None = None
    bold: bool = False
    first_word_width: float = 0.0


@dataclasses.dataclass
class RawDocument:
    kind: str  # "pdf" or "text"
    pages: list[list[RawLine]]
    page_heights: list[float] = dataclasses.field(default_factory=list)


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
    from .bounded import read_pdf  # it calls back `read_pdf_unbounded`, in the reader

    return read_pdf(data)


def read_pdf_unbounded(data: bytes) -> RawDocument:
    """What the bounded reader does: refuse decompression bombs, then read with PDFium.

    The reader is a process of its own that reads one file at a time, so PDFium (not
    thread-safe) needs no lock.
    """
    guard_streams(data)
    return _open_and_read(data)


def _open_and_read(data: bytes) -> RawDocument:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReportParseError(errors.ENCRYPTED) from None
        raise ReportParseError(errors.CORRUPT) from None
    except Exception:
        raise ReportParseError(errors.CORRUPT) from None
    try:
        return _read_pages(document)
    finally:
        document.close()


def _read_pages(document: pdfium.PdfDocument) -> RawDocument:
    count = len(document)
    if count == 0:
        raise ReportParseError(errors.CORRUPT)
    if count > MAX_PAGES:
        raise ReportParseError(errors.TOO_MANY_PAGES.format(pages=count, limit=MAX_PAGES))
    pages: list[list[RawLine]] = []
    heights: list[float] = []
    total = visible = lines = 0
    for index in range(count):
        try:
            page = document[index]
        except Exception:
            raise ReportParseError(errors.CORRUPT) from None
        try:
            height = page.get_size()[1]
            textpage = page.get_textpage()
            try:
                chars = textpage.count_chars()
                if chars > MAX_PAGE_CHARS:
                    raise ReportParseError(errors.BOMB)
                total += chars
                if total > MAX_TEXT_CHARS:
                    raise ReportParseError(errors.BOMB)
                text = textpage.get_text_range(0, chars) if chars > 0 else ""
                visible += len("".join(text.split()))
                pages.append(_page_lines(textpage, text, index + 1, height))
                lines += len(pages[-1])
                if lines > MAX_LINES:
                    raise ReportParseError(errors.BOMB)
            finally:
                textpage.close()
        except ReportParseError:
            raise
        except Exception:
            raise ReportParseError(errors.CORRUPT) from None
        finally:
            page.close()
        heights.append(height)
    if visible < MIN_CHARS_PER_PAGE * count and visible < 400:
        raise ReportParseError(errors.SCANNED)
    return RawDocument(kind="pdf", pages=pages, page_heights=heights)


_FIRST_LETTER = re.compile(r"[^\W_]")
_LAST_LETTER = re.compile(r"[^\W_](?=[\W_]*$)")


class _Chars:
    """PDFium's per-character geometry, reusing its output buffers (called per line)."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self._box = [ctypes.c_double() for _ in range(4)]
        self._origin = [ctypes.c_double(), ctypes.c_double()]

    def box(self, index: int) -> tuple[float, float, float, float]:
        """left, right, bottom, top"""
        pdfium_c.FPDFText_GetCharBox(self.raw, index, *self._box)
        return tuple(value.value for value in self._box)  # type: ignore[return-value]

    def baseline(self, index: int, fallback: float) -> float:
        """Unlike the box's top, the same for 'a', 'T' and 'p' on one line."""
        if pdfium_c.FPDFText_GetCharOrigin(self.raw, index, *self._origin):
            return self._origin[1].value
        return fallback


def _page_lines(
    textpage: pdfium.PdfTextPage, text: str, number: int, height: float
) -> list[RawLine]:
    """The lines PDFium found on one page, in its reading order, with their geometry."""
    lines: list[RawLine] = []
    geometry = len(text) == textpage.count_chars()
    chars = _Chars(textpage.raw)
    for match in re.finditer(r"[^\r\n]+", text):
        line = match.group()
        if not line.strip():
            continue
        if not geometry:
            lines.append(RawLine(text=line, page=number))
            continue
        at = match.start()
        first = at + (len(line) - len(line.lstrip()))
        last = at + len(line.rstrip()) - 1
        left, _, _, top = chars.box(first)
        _, right, bottom, _ = chars.box(last)
        space = line.find(" ", first - at)
        word_end = at + space - 1 if space > 0 else last
        word_width = chars.box(word_end)[1] - left if word_end >= first else 0.0
        size, bold = None, False
        first_letter = _FIRST_LETTER.search(line)
        if first_letter:
            one, two = at + first_letter.start(), at + _LAST_LETTER.search(line).start()
            size = pdfium_c.FPDFText_GetFontSize(chars.raw, one)
            bold = _is_bold(chars.raw, one) and _is_bold(chars.raw, two)
        lines.append(
            RawLine(
                text=line,
                page=number,
                top=height - chars.baseline(first, top),
                bottom=height - chars.baseline(last, bottom),
                x0=left,
                x1=right,
                size=size,
                bold=bold,
                first_word_width=max(word_width, 0.0),
            )
        )
    return lines


def _is_bold(raw, index: int) -> bool:
    """Heavy by the font's stated weight or by its name (some fonts state 400 for bold)."""
    if pdfium_c.FPDFText_GetFontWeight(raw, index) >= 600:
        return True
    buffer = (ctypes.c_char * 128)()
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, 128, flags)
    name = bytes(buffer)[: max(length - 1, 0)].decode("latin-1", "replace").lower()
    return any(word in name for word in ("bold", "black", "heavy", "semibold"))
