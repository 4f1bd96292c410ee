"""A report's text as lines, with where and how each is printed: what every reader of
bytes (PDF or text) produces and the layout code consumes."""

from __future__ import annotations

import dataclasses
import re

# The column headings of a table whose first column names who is responsible for each
# row: "Responsible body | Areas for priority action" (area SEND reports since 2023).
RESPONSIBLE_HEAD = re.compile(r"^\s*responsible bod(?:y|ies)\s+\S", re.I)

# About 250 pages of dense text; the longest reports hold a fifth of that.
MAX_TEXT_CHARS = 1_000_000
MAX_LINES = 40_000


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
    # Where the line jumps right across a wide gap, as a table's next column does:
    # (offset in `text` of the first character after the gap, that character's x0).
    jumps: list[tuple[int, float]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class RawDocument:
    kind: str  # "pdf" or "text"
    pages: list[list[RawLine]]
    page_heights: list[float] = dataclasses.field(default_factory=list)
