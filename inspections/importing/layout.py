"""Lines to paragraphs: undo what the page layout did.

Running headers, footers and page numbers go; lines wrapped by the page width,
or cut by a page break, are joined back into the paragraph they belong to (for a PDF by
position and type, in pdf_layout). In a text file each line is a paragraph, except a piece
that a blank line (a page break) cut off mid-sentence, and except in text copied from a
PDF, whose lines were wrapped at the page width.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .clean import (
    LINE_HYPHEN,
    MAX_PARAGRAPH,
    Para,
    ends_with_word_hyphen,
    join_lines,
    prepare_line,
    rejoin_markup,
    resolve_hyphens,
)
from .lines import RawDocument, RawLine
from .pdf_layout import pdf_paragraphs

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)
_TERMINAL = ".:;?!"
_LISTED_START = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*[.)]|\(?[a-z]\))\s")


def is_listed_start(text: str) -> bool:
    return bool(_LISTED_START.match(text))


_DIGITS = re.compile(r"\d+")
_ENDS_WITH_NUMBER = re.compile(r"\S\s+\d{1,4}\s*$")


def _normal_key(text: str) -> str:
    """A line with its numbers blanked: a running header is the same on every page."""
    return " ".join(_DIGITS.sub("#", text.lower()).split())


def remove_running_lines(document: RawDocument) -> None:
    """Drop running headers, footers and page numbers (in place)."""
    if document.kind == "pdf":
        _remove_pdf_running_lines(document)
        return
    lines = [line for page in document.pages for line in page]
    keys = Counter(
        _normal_key(line.text)
        for line in lines
        if _ENDS_WITH_NUMBER.search(line.text) and len(line.text.split()) >= 4
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
    reader = pdf_paragraphs if document.kind == "pdf" else _text_paragraphs
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
            if previous and len(previous.text) > MAX_PARAGRAPH:
                previous = None  # no paragraph is this long: do not grow it further
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


def _join_continuations(paragraphs: list[Para]) -> list[Para]:
    """Join a paragraph that a page break or a table cell cut off from its start."""
    joined: list[Para] = []
    for para in paragraphs:
        previous = joined[-1] if joined else None
        first = para.text.lstrip()[:1]
        if (
            previous is not None
            and len(previous.text) < MAX_PARAGRAPH
            and not para.bullet
            and first.islower()
            and not previous.text.rstrip().endswith(tuple(_TERMINAL))
            and para.heading_hint == previous.heading_hint
            and para.row == previous.row
        ):
            previous.text = join_lines(previous.text, para.text)
            continue
        joined.append(para)
    return joined
