"""A PDF's lines through PDFium (pypdfium2), with the position and type of each line.

PDFium keeps bullets inline, marks hyphens at line ends and reads a 30-page report in a
few tens of milliseconds. This runs inside the bounded reader process (`bounded`), after
the guard has decoded every stream with a bound (`guard`).
"""

from __future__ import annotations

import ctypes
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import errors
from .errors import ReportParseError
from .guard import guard_streams
from .lines import MAX_LINES, MAX_TEXT_CHARS, RESPONSIBLE_HEAD, RawDocument, RawLine

MAX_PAGES = 200
# A page where a table of responsible bodies begins (see `_jumps`).
_RESPONSIBLE_HEAD = re.compile(RESPONSIBLE_HEAD.pattern, re.I | re.M)
# A dense A4 page holds about 6,000 characters; far more is generated content, not a report.
MAX_PAGE_CHARS = 60_000
# Fewer visible characters per page than this on average: the PDF is images of pages.
MIN_CHARS_PER_PAGE = 80


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
    tables = False  # a table of responsible bodies has begun: its rows may need cutting
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
                tables = tables or bool(_RESPONSIBLE_HEAD.search(text))
                pages.append(_page_lines(textpage, text, index + 1, height, tables))
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
    textpage: pdfium.PdfTextPage, text: str, number: int, height: float, tables: bool = False
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
        marks = _footnote_marks(chars, line, at)
        while marks and marks[-1][1] > last - at:  # a marker ends the line: so does the text
            last = at + marks[-1][0] - 1
            if last < first:
                break
            line = line[: marks[-1][0]] + line[marks[-1][1] :]
            marks.pop()
        if last < first:
            continue
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
        jumps = _jumps(chars, line, at, first, last, size or 10.0) if tables else []
        for start, end in reversed(marks):
            line = line[:start] + line[end:]
            jumps = [
                (offset - (end - start) if offset >= end else offset, x) for offset, x in jumps
            ]
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
                jumps=jumps,
            )
        )
    return lines


# A footnote reference printed after a word ("Operation Encompass5 is …", "standard-risk6
# cases"): one or two digits in smaller type, raised above the letter before them.
_AFTER_WORD_DIGITS = re.compile(r"(?<=[^\W\d_])\d{1,2}(?=[\s.,;:)’']|$)")


def _footnote_marks(chars: _Chars, line: str, at: int) -> list[tuple[int, int]]:
    """Spans of `line` that are footnote references, which are not part of its text.

    A number in the text's own type and on its baseline ("code QL23", "(AIM2)", "S47")
    stays.
    """
    found: list[tuple[int, int]] = []
    for match in _AFTER_WORD_DIGITS.finditer(line):
        digit, letter = at + match.start(), at + match.start() - 1
        smaller = pdfium_c.FPDFText_GetFontSize(chars.raw, digit)
        size = pdfium_c.FPDFText_GetFontSize(chars.raw, letter)
        if not size or not smaller or smaller > size - 1.0:
            continue
        rise = chars.baseline(digit, 0.0) - chars.baseline(letter, 0.0)
        if 0.5 < rise < size:
            found.append((match.start(), match.end()))
    return found


def _jumps(chars: _Chars, line: str, at: int, first: int, last: int, size: float):
    """Where a line crosses a gap far wider than a space: PDFium reads two cells of a
    table row printed on one baseline ("Plymouth City Council" | "Plymouth City Council
    leaders should ensure that") as one line.

    It costs a look at each space, so it is done only from the page where a table of
    responsible bodies begins (`_RESPONSIBLE_HEAD`), the one table read by its cells.
    """
    found: list[tuple[int, float]] = []
    for space in re.finditer(r" +", line):
        before, after = at + space.start() - 1, at + space.end()
        if before < first or after > last:
            continue
        start = chars.box(after)[0]
        if start - chars.box(before)[1] > 1.5 * size:
            found.append((space.end(), start))
    return found


def _is_bold(raw, index: int) -> bool:
    """Heavy by the font's stated weight or by its name (some fonts state 400 for bold)."""
    if pdfium_c.FPDFText_GetFontWeight(raw, index) >= 600:
        return True
    buffer = (ctypes.c_char * 128)()
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, 128, flags)
    name = bytes(buffer)[: max(length - 1, 0)].decode("latin-1", "replace").lower()
    return any(word in name for word in ("bold", "black", "heavy", "semibold"))
