"""Tables of responsible bodies, as area SEND reports print their areas for priority
action (and could their areas for improvement): "Responsible body | Areas for priority
action", the bodies on the left, what they are to do on the right. Read line by line a
row's left cell comes before its right one; here each row is put back together, so that
it is read as one item addressed to its bodies (see pdf_layout and recommendations).
"""

from __future__ import annotations

import dataclasses
import itertools
import statistics

from .clean import LINE_HYPHEN, join_lines, prepare_line
from .lines import RESPONSIBLE_HEAD, RawLine


def responsible_body_rows(
    lines: list[RawLine],
) -> tuple[list[RawLine], set[int], dict[int, tuple[int, str]]]:
    """Tables of responsible bodies: the lines that are no text of their own, and the rows.

    Area SEND reports print their areas for priority action (and some their areas for
    improvement) as a table: the body responsible on the left ("Worcestershire County
    Council, Worcestershire Children's First and NHS Herefordshire and Worcestershire
    ICB", over several short lines), what it is to do on the right (which may hold a
    bulleted list and a second paragraph). Read line by line the left cell comes before
    the right one, so its words would stand as paragraphs of their own between the items,
    or run into them. Here the column headings and each row's left cell are taken out of
    the text (their ids are returned); each line of a right cell is given its row's number
    and the responsible body, so that the row is read as one item addressed to that body.
    The lines come back with any line that holds both cells of a row cut in two.
    """
    dropped: set[int] = set()
    rows: dict[int, tuple[int, str]] = {}
    number = 0
    index = 0
    kept: list[RawLine] = []
    while index < len(lines):
        head = lines[index]
        index += 1
        kept.append(head)
        if not (head.bold and head.x0 is not None and head.top is not None):
            continue
        if not RESPONSIBLE_HEAD.match(" ".join(head.text.split())):
            continue
        region: list[RawLine] = []
        while index < len(lines) and _in_table(lines[index], head):
            region.append(lines[index])
            index += 1
        region = _cells_apart(region, head)
        kept.extend(region)
        found = _table_rows(region, head)
        if not found:
            continue
        dropped.add(id(head))
        for left, right in found:
            number += 1
            body = ""
            for line in left:
                dropped.add(id(line))
                text = prepare_line(line.text, pdf=True)[0].strip()
                body = join_lines(body, text) if body else text
            body = body.replace(LINE_HYPHEN, "-").strip(" ,.")
            for line in right:
                rows[id(line)] = (number, body)
    return kept, dropped, rows


def _cells_apart(region: list[RawLine], head: RawLine) -> list[RawLine]:
    """The table's lines, a line that runs from the left column into the right one across
    a wide gap cut in two there: the two cells of a one-line row, printed level."""
    rights = [line.x0 or 0 for line in region if (line.x0 or 0) > (head.x0 or 0) + 60]
    if not rights:
        return region
    split = min(rights) - 10
    apart: list[RawLine] = []
    for line in region:
        jump = next(((at, x) for at, x in line.jumps if x >= split), None)
        if (line.x0 or 0) >= split or jump is None:
            apart.append(line)
            continue
        at, x = jump
        apart.append(dataclasses.replace(line, text=line.text[:at].rstrip(), x1=None, jumps=[]))
        apart.append(
            dataclasses.replace(line, text=line.text[at:], x0=x, first_word_width=0.0, jumps=[])
        )
    return apart


def _in_table(line: RawLine, head: RawLine) -> bool:
    """A line of the table under `head`: the next heading, or text at the margin, ends it."""
    if line.x0 is None or line.top is None or line.bold:
        return False
    if line.size and head.size and line.size > head.size + 0.9:
        return False
    return line.x0 >= (head.x0 or 0) - 5


def _table_rows(region: list[RawLine], head: RawLine) -> list[tuple[list[RawLine], list[RawLine]]]:
    """The rows of a two-column table: (lines of the left cell, lines of the right cell).

    A row starts with a line of the left column printed level with a line of the right
    column, read after the right column's text or set apart from the left column's line
    above it (rows are drawn with space between them, the lines of one cell are not): a
    second paragraph of a right cell may happen to be level with a line of a long left
    cell. A row that a page break cut goes on at
    the head of the next page: its right cell then goes on in lower case, as a bullet, or
    after a sentence the page break left unfinished, and the rest of its left cell (the
    last words of a long name) is level with it or stands alone.
    """
    rights = [line for line in region if (line.x0 or 0) > (head.x0 or 0) + 60]
    if not rights:
        return []
    split = min(line.x0 or 0 for line in rights) - 10
    lefts = [line for line in region if (line.x0 or 0) < split]
    steps = [
        (b.top or 0) - (a.top or 0)
        for a, b in itertools.pairwise(lefts)
        if a.page == b.page and (b.top or 0) > (a.top or 0)
    ]
    pitch = statistics.median(steps) if steps else None
    found: list[tuple[list[RawLine], list[RawLine]]] = []
    above: RawLine | None = None  # the left column's line before this one
    after_right = True  # read after a right cell's line (or the headings)
    for line in region:
        if (line.x0 or 0) >= split:
            if not found:
                found.append(([], []))
            found[-1][1].append(line)
            after_right = True
            continue
        apart = after_right or (
            above is not None
            and above.page == line.page
            and pitch is not None
            and (line.top or 0) - (above.top or 0) > 1.3 * pitch
        )
        if not found or (apart and _opens_row(line, rights, found[-1][1])):
            found.append(([line], []))
        else:
            found[-1][0].append(line)
        above, after_right = line, False
    if not all(right for _, right in found):
        return []  # a row with nothing to do is no such table
    return found


def _opens_row(line: RawLine, rights: list[RawLine], so_far: list[RawLine]) -> bool:
    """Whether a left cell's line starts a row: the right cell level with it starts too."""
    level = [
        other
        for other in rights
        if other.page == line.page and abs((other.top or 0) - (line.top or 0)) <= 2
    ]
    if not level:
        return False
    text, _, bullet = prepare_line(level[0].text, pdf=True)
    text = text.strip()
    if bullet or not text or text[:1].islower():
        return False
    # The first line of a page, after a sentence that the page break left unfinished.
    previous = so_far[-1] if so_far else None
    return not (
        previous is not None
        and previous.page != line.page
        and previous.text.rstrip()[-1:] not in ".!?"
    )
