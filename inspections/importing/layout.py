"""Lines to paragraphs: undo what the page layout did.

Running headers, footers, page numbers and footnotes go; lines wrapped by the page width,
or cut by a page break, are joined back into the paragraph they belong to. In a PDF a line
ends its paragraph when the next line's first word would have fitted after it, when the
gap below it is wider than the line spacing, or when the type changes. In a text file each
line is a paragraph, except a piece that a blank line (a page break) cut off mid-sentence,
and except in text copied from a PDF, whose lines were wrapped at the page width.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter, defaultdict

from .clean import (
    LINE_HYPHEN,
    Para,
    ends_with_word_hyphen,
    join_lines,
    prepare_line,
    rejoin_markup,
    resolve_hyphens,
)
from .extract import RawDocument, RawLine

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)
_TERMINAL = ".:;?!"
_LISTED_START = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*[.)]|\(?[a-z]\))\s")


def is_listed_start(text: str) -> bool:
    return bool(_LISTED_START.match(text))


def _normal_key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.lower())).strip()


def remove_running_lines(document: RawDocument) -> None:
    """Drop running headers, footers and page numbers (in place)."""
    if document.kind == "pdf":
        _remove_pdf_running_lines(document)
        return
    lines = [line for page in document.pages for line in page]
    keys = Counter(
        _normal_key(line.text)
        for line in lines
        if re.search(r"\S\s+\d{1,4}\s*$", line.text) and len(line.text.split()) >= 4
    )
    repeated = {key for key, count in keys.items() if count >= 3}
    for page in document.pages:
        page[:] = [
            line
            for line in page
            if not _PAGE_NUMBER.match(line.text) and _normal_key(line.text) not in repeated
        ]


def _remove_pdf_running_lines(document: RawDocument) -> None:
    def in_margin(line: RawLine, height: float) -> bool:
        return line.top is not None and (line.top < 0.09 * height or line.top > 0.89 * height)

    pages_with: dict[str, set[int]] = defaultdict(set)
    for index, page in enumerate(document.pages):
        height = document.page_heights[index]
        for line in page:
            if in_margin(line, height):
                pages_with[_normal_key(line.text)].add(index)
    count = len(document.pages)
    # In a short letter a footer may repeat on only two pages.
    least = 2 if count <= 4 else 3
    repeated = {key for key, pages in pages_with.items() if len(pages) >= least}
    for index, page in enumerate(document.pages):
        height = document.page_heights[index]
        page[:] = [
            line
            for line in page
            if not (
                in_margin(line, height)
                and (_normal_key(line.text) in repeated or _PAGE_NUMBER.match(line.text))
            )
        ]


def build_paragraphs(document: RawDocument) -> list[Para]:
    """Paragraphs in reading order, markup removed and wrapped lines joined."""
    remove_running_lines(document)
    reader = _pdf_paragraphs if document.kind == "pdf" else _text_paragraphs
    paragraphs = reader(document)
    paragraphs = _join_continuations(paragraphs)
    for para in paragraphs:
        para.text = rejoin_markup(para.text)
    resolve_hyphens(paragraphs)
    return [p for p in paragraphs if p.text.strip()]


def _text_paragraphs(document: RawDocument) -> list[Para]:
    """One paragraph per line, unless the text was copied from a page with its lines wrapped.

    Then (most lines under 150 characters) a line that ran to the wrapping width without
    closing its sentence goes on in the next one, as in a PDF.
    """
    lengths = sorted(len(line.text.strip()) for page in document.pages for line in page)
    lengths = [n for n in lengths if n]
    wrap = lengths[int(0.9 * len(lengths))] if len(lengths) >= 20 else 0
    wrapped = 0 < wrap <= 150
    paragraphs: list[Para] = []
    last_length = 0
    for page in document.pages:
        for line in page:
            text, heading, bullet = prepare_line(line.text, pdf=False)
            if not text.strip():
                last_length = 0
                continue
            previous = paragraphs[-1] if paragraphs else None
            if previous and ends_with_word_hyphen(previous.text) and text[:1].isalpha():
                previous.text = previous.text.rstrip("-" + LINE_HYPHEN) + LINE_HYPHEN + text
                last_length = len(text)
                continue
            if (
                wrapped
                and previous
                and not bullet
                and last_length >= 0.75 * wrap
                and not previous.text.rstrip().endswith(tuple(_TERMINAL))
                and not is_listed_start(text)
            ):
                previous.text = join_lines(previous.text, text.strip())
                last_length = len(text)
                continue
            last_length = len(text)
            # indentation in points, roughly, so that PDF and text compare alike
            indent = len(line.text.expandtabs(4)) - len(line.text.expandtabs(4).lstrip())
            paragraphs.append(
                Para(text=text.strip(" "), bullet=bullet, heading_hint=heading, x0=4.0 * indent)
            )
    return paragraphs


def _pdf_paragraphs(document: RawDocument) -> list[Para]:
    every = [line for page in document.pages for line in page]
    sizes = Counter(round(line.size * 2) / 2 for line in every if line.size)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    lines = [
        line
        for page, height in zip(document.pages, document.page_heights, strict=True)
        for line in _without_footnotes(page, body, height)
    ]
    widths = [line.x1 for line in lines if line.x1 is not None and len(line.text.split()) >= 6]
    right = _percentile(widths, 0.95) if widths else None
    pitches = [
        b.top - a.bottom
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and a.size and b.size and abs(a.size - b.size) < 0.5
        if a.top is not None and a.bottom is not None and b.top is not None
        if 0 < b.top - a.bottom < 3 * a.size
    ]
    pitch = statistics.median(pitches) if pitches else None

    paragraphs: list[Para] = []
    current: Para | None = None
    last: RawLine | None = None
    continuation_x0: float | None = None
    for line in lines:
        text, md_heading, bullet = prepare_line(line.text, pdf=True)
        if not text.strip():
            continue
        heading = md_heading or line.bold or bool(line.size and body and line.size > body + 0.9)
        if (
            current is not None
            and last is not None
            and not bullet
            and not _starts_new(last, line, current, heading, right, pitch, continuation_x0)
        ):
            current.text = join_lines(current.text, text)
            if continuation_x0 is None:
                continuation_x0 = line.x0
            last = line
            continue
        current = Para(
            text=text.strip(" "), page=line.page, bullet=bullet, heading_hint=heading, x0=line.x0
        )
        paragraphs.append(current)
        continuation_x0 = None
        last = line
    return paragraphs


_FOOTNOTE = re.compile(r"^\s*\d{1,2}(?:\s*[^\W\d]|\s*$)")


def _without_footnotes(page: list[RawLine], body: float, height: float) -> list[RawLine]:
    """A page's lines less its footnotes: a small raised number, then smaller type.

    A footnote printed under a list ("What needs to improve?1") would otherwise read as
    one more item of it.
    """
    kept: list[RawLine] = []
    in_note = False
    for line in page:
        size, top = line.size or body, line.top or 0.0
        if not in_note and body and size <= 0.75 * body and top > 0.5 * height:
            in_note = bool(_FOOTNOTE.match(line.text))
            if in_note:
                continue
        if in_note and size < body - 0.9:
            continue
        in_note = False
        kept.append(line)
    return kept


def _starts_new(
    last: RawLine,
    line: RawLine,
    current: Para,
    heading: bool,
    right: float | None,
    pitch: float | None,
    continuation_x0: float | None,
) -> bool:
    if last.x1 is None or line.x0 is None or right is None:
        return True
    if heading != current.heading_hint or (
        last.size and line.size and abs(last.size - line.size) > 0.6
    ):
        return True
    ends_with_hyphen = last.text.rstrip().endswith(("-", LINE_HYPHEN, "\x02"))
    if line.page == last.page:
        gap = (line.top or 0) - (last.bottom or 0)
        if pitch and (gap <= 0 or gap > 1.45 * pitch):
            return True
    else:
        # Across a page break a finished sentence (or a contents line) followed by a
        # capital letter starts afresh; anything else goes on.
        ended = last.text.rstrip()[-1:] in ".!?:;" or last.text.rstrip()[-1:].isdigit()
        if ended and not line.text.lstrip()[:1].islower():
            return True
    if continuation_x0 is not None and line.x0 < continuation_x0 - 8:
        return True
    if ends_with_hyphen:
        return False
    space = 0.3 * (line.size or 10)
    # A line ends early on purpose when the next line's first word would have fitted.
    return last.x1 + space + line.first_word_width < right - 2


def _join_continuations(paragraphs: list[Para]) -> list[Para]:
    """Join a paragraph that a page break or a table cell cut off from its start."""
    joined: list[Para] = []
    for para in paragraphs:
        previous = joined[-1] if joined else None
        first = para.text.lstrip()[:1]
        if (
            previous is not None
            and not para.bullet
            and first.islower()
            and not previous.text.rstrip().endswith(tuple(_TERMINAL))
            and para.heading_hint == previous.heading_hint
        ):
            previous.text = join_lines(previous.text, para.text)
            continue
        joined.append(para)
    return joined


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
