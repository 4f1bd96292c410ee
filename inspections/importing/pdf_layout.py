"""PDF lines to paragraphs, by their position and type.

A line ends its paragraph when the next line's first word would have fitted after it,
when the gap below it is wider than the line spacing, when the type changes, or when the
next line starts further left than the paragraph's wrapped lines. List markers drawn apart
from their items (as browsers print) are put back, and footnotes are left out. A table
whose first column names the body responsible for each row (area SEND reports) is read by
its rows (body_tables), each paragraph of a row marked with the row and its body.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter, defaultdict

from .body_tables import responsible_body_rows
from .clean import BULLET_GLYPHS, LINE_HYPHEN, MAX_PARAGRAPH, Para, join_lines, prepare_line
from .lines import RawDocument, RawLine
from .recommendations import opens_row


def pdf_paragraphs(document: RawDocument) -> list[Para]:
    """Paragraphs of a PDF's lines, running lines already gone."""
    every = [line for page in document.pages for line in page]
    sizes = Counter(round(line.size * 2) / 2 for line in every if line.size)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    lines = [
        line
        for page, height in zip(document.pages, document.page_heights, strict=True)
        for line in _without_footnotes(
            _with_markers_attached(_with_superscripts_attached(_head_first(page, height))),
            body,
            height,
        )
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

    lines, column_heads, rows = responsible_body_rows(lines)
    columns = _column_edges(lines)
    paragraphs: list[Para] = []
    current: Para | None = None
    last: RawLine | None = None
    continuation_x0: float | None = None
    for line in lines:
        if id(line) in column_heads:
            continue
        text, md_heading, bullet = prepare_line(line.text, pdf=True)
        if not text.strip():
            continue
        heading = md_heading or line.bold or bool(line.size and body and line.size > body + 0.9)
        row, responsible = rows.get(id(line), (0, ""))
        if (
            current is not None
            and last is not None
            and not bullet
            and current.row == row
            and len(current.text) < MAX_PARAGRAPH
            and not _starts_new(
                last,
                line,
                current,
                heading,
                _column_right(columns, current, right),
                pitch,
                continuation_x0,
            )
            and not _starts_row(last, line, current, text)
        ):
            current.text = join_lines(current.text, text)
            if continuation_x0 is None:
                continuation_x0 = line.x0
            last = line
            continue
        current = Para(
            text=text.strip(" "),
            page=line.page,
            bullet=bullet,
            heading_hint=heading,
            x0=line.x0,
            row=row,
            responsible=responsible,
        )
        paragraphs.append(current)
        continuation_x0 = None
        last = line
    return paragraphs


_FOOTNOTE = re.compile(r"^\s*\d{1,2}[.)]?(?:\s*[^\W\d]|\s*$)")
_MARKER = re.compile(rf"^\s*(?:[{BULLET_GLYPHS}\ue000-\uf8ff]|\(?(?:\d{{1,3}}|[a-z])[.)])\s*$")


def _with_markers_attached(page: list[RawLine]) -> list[RawLine]:
    """Put back list markers that were drawn apart from their items (as browsers print).

    A bullet or number alone, on the same baseline as a line starting just right of it,
    is that line's marker.
    """
    markers = [line for line in page if line.top is not None and _MARKER.match(line.text)]
    if not markers:
        return page
    by_baseline: dict[int, list[RawLine]] = defaultdict(list)
    for line in page:
        if line.top is not None and line.x0 is not None and not _MARKER.match(line.text):
            by_baseline[round(line.top)].append(line)
    taken: set[int] = set()
    for marker in markers:
        near = [
            line
            for offset in (-2, -1, 0, 1, 2)
            for line in by_baseline.get(round(marker.top or 0) + offset, [])
            if abs((line.top or 0) - (marker.top or 0)) <= 2
            and 0 < (line.x0 or 0) - (marker.x0 or 0) < 60
        ]
        if near:
            line = min(near, key=lambda candidate: candidate.x0 or 0)
            line.text = f"{marker.text.strip()} {line.text}"
            taken.add(id(marker))
    return [line for line in page if id(line) not in taken]


def _head_first(page: list[RawLine], height: float) -> list[RawLine]:
    """A page's lines with those drawn in its top margin first, in their own order.

    Some letters (focused visits since 2025) draw Ofsted's address block at the head of
    the first page after the body: read in drawing order it would stand between the last
    item on the page and the next, cutting the list. Where it is printed is where it is
    read. Letters of 2021 draw the block lower, in the top fifth of the page, still above
    the date the page begins with; some 2018 letters draw a boxed practice study after
    the text below it: a line printed above the line the page's text begins with (its
    running foot aside) is read first too.
    """
    body = [line for line in page if line.top is not None and line.top < 0.88 * height]
    start = body[0].top if body else None

    def above(line: RawLine) -> bool:
        if line.top is None:
            return False
        return line.top < 0.12 * height or (start is not None and line.top < start - 1.0)

    top = [line for line in page if above(line)]
    if not top or all(line is first for line, first in zip(top, page, strict=False)):
        return page
    return top + [line for line in page if not above(line)]


_SUPERSCRIPT = re.compile(r"^\s*\d{1,2}\s*$")


def _with_superscripts_attached(page: list[RawLine]) -> list[RawLine]:
    """Put a footnote marker that PDFium read as a line of its own back on its line.

    Reports since 2025 draw the marker after "What needs to improve?" as a separate,
    raised piece of smaller type; read as a line it would end the section (a short line
    in bold) before its first item. A number alone, smaller than the line before it,
    raised to within that line's height and drawn right after its end, is its marker:
    it goes back on the end of that line ("What needs to improve?1"), as older PDFs print
    it and as the headings already allow for.
    """
    kept: list[RawLine] = []
    for line in page:
        before = kept[-1] if kept else None
        if (
            before is not None
            and _SUPERSCRIPT.match(line.text)
            and line.size
            and before.size
            and line.size < before.size - 0.5
            and None not in (line.top, before.top, line.x0, before.x1)
            and -1.0 <= (before.top or 0) - (line.top or 0) < before.size
            and -2.0 <= (line.x0 or 0) - (before.x1 or 0) < 12.0
        ):
            before.text = before.text.rstrip() + line.text.strip()
            continue
        kept.append(line)
    return kept


def _without_footnotes(page: list[RawLine], body: float, height: float) -> list[RawLine]:
    """A page's lines less its footnotes: numbered, in smaller type, below everything else.

    A footnote printed under a list ("What needs to improve?1") would otherwise read as
    one more item of it.
    """

    def small(line: RawLine) -> bool:
        return line.size is not None and line.size <= 0.86 * body

    placed = sorted((line for line in page if line.top is not None), key=lambda x: x.top or 0)
    # from the foot of the page up, while every line is in small type
    start = None
    for line in reversed(placed):
        if not body or not small(line) or (line.top or 0) <= 0.55 * height:
            break
        if _FOOTNOTE.match(line.text):
            start = line.top
    if start is None:
        return page
    return [line for line in page if not (small(line) and (line.top or 0) >= start)]


_CLOSES_SENTENCE = re.compile(r"^[.,;:](?:\s|$)")


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
    # ". Some service users …" read as a line of its own after a footnote reference (gone
    # from the text) ended the line before on the same baseline: it closes that sentence.
    if _CLOSES_SENTENCE.match(line.text) and line.page == last.page:
        return False
    if heading != current.heading_hint or (
        last.size and line.size and abs(last.size - line.size) > 0.6
    ):
        return True
    ends_with_hyphen = last.text.rstrip().endswith(("-", LINE_HYPHEN, "\x02"))
    if line.page == last.page:
        gap = (line.top or 0) - (last.bottom or 0)
        if pitch and (gap <= 0 or gap > 1.45 * pitch):
            return True
        # A sentence that ends above a slightly wider gap ends its paragraph: 2014 reports
        # set an italic theme line only a little apart from the numbered item above it.
        if pitch and gap > 1.25 * pitch and last.text.rstrip()[-1:] in ".!?:":
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


def _column_edges(lines: list[RawLine]) -> dict[tuple[int, int], tuple[int, float]]:
    """For each page and whole point where lines start: how many lines of six words or
    more start there, and where the furthest of them ends."""
    edges: dict[tuple[int, int], tuple[int, float]] = {}
    for line in lines:
        if line.x0 is None or line.x1 is None or len(line.text.split()) < 6:
            continue
        key = (line.page, int(line.x0))
        count, end = edges.get(key, (0, 0.0))
        edges[key] = (count + 1, max(end, line.x1))
    return edges


def _column_right(
    edges: dict[tuple[int, int], tuple[int, float]], para: Para, right: float | None
) -> float | None:
    """Where the lines of `para`'s column end on its page, if nearer than the page's edge.

    A table's cells are narrower than the page: in a table of areas for improvement whose
    rows end short of the body's right edge, a line that ran to the cell's edge would
    otherwise seem to end early ("… children and young people with" | "SEND experience
    …"), and the row be cut in two. The column is the page's lines starting where the
    paragraph starts (within a point or two); its edge counts once three of them run on
    (six words or more).
    """
    if right is None or para.x0 is None:
        return right
    start = int(para.x0)
    near = [edges.get((para.page, x)) for x in range(start - 1, start + 2)]
    count = sum(found[0] for found in near if found)
    if count < 3:
        return right
    return min(right, max(found[1] for found in near if found))


def _starts_row(last: RawLine, line: RawLine, current: Para, text: str) -> bool:
    """A line at the paragraph's left edge, after a finished sentence, telling a body to act.

    Such a line begins the next row of a table of areas for improvement (area SEND
    reports) drawn without space between rows; see `opens_row`. A sentence that starts
    mid-line belongs to its row.
    """
    if last.text.rstrip()[-1:] not in ".!?" or line.x0 is None or current.x0 is None:
        return False
    return abs(line.x0 - current.x0) <= 3 and opens_row(text.strip())


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
