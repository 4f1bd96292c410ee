"""Reading many reports in one go: which files to read, and what became of them.

A council loading its history of reports points `manage.py import_report` at folders;
this module decides which files those are and keeps the tally the command prints at the
end. No Django here, so the corpus benchmark collects files the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from core.words import counted

REPORT_SUFFIXES = (".pdf", ".txt", ".md")

IMPORTED = "imported"
PARSED = "parsed"  # read on a dry run; nothing saved
DUPLICATE = "duplicate"  # the same file was imported before: reported, not a failure
REFUSED = "refused"
STATUSES = (IMPORTED, PARSED, DUPLICATE, REFUSED)

UNREAD_KIND = "not read"  # a refused file has no kind of inspection


class MissingPath(Exception):
    """A path named on the command line does not exist."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"Cannot read {path}: no such file or folder.")


def collect_reports(paths: Iterable[Path]) -> list[Path]:
    """The files to read, in the order given, each folder's reports sorted by path.

    A file named on its own is taken whatever its name, so that a wrong file gets the
    parser's own explanation. A folder is searched recursively for .pdf, .txt and .md
    files, leaving out hidden ones (".DS_Store", "._report.pdf" copied from a Mac, a
    ".git" folder). A file reached twice is read once.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in REPORT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            candidates = [path]
        else:
            raise MissingPath(path)
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What became of one file."""

    path: Path
    status: str  # one of STATUSES
    seconds: float  # reading, parsing and (unless a dry run) saving
    kind: str = UNREAD_KIND  # the inspection type the parser read
    items: int = 0  # recommendations found
    warnings: int = 0
    message: str = ""  # why it was refused, or which import it duplicates


@dataclasses.dataclass
class KindTally:
    kind: str
    files: int = 0
    refused: int = 0
    items: int = 0
    warnings: int = 0
    slowest: Outcome | None = None

    def add(self, outcome: Outcome) -> None:
        self.files += 1
        self.refused += outcome.status == REFUSED
        self.items += outcome.items
        self.warnings += outcome.warnings
        if self.slowest is None or outcome.seconds > self.slowest.seconds:
            self.slowest = outcome


@dataclasses.dataclass
class Summary:
    """The tally of a run, per kind of inspection and overall."""

    outcomes: list[Outcome] = dataclasses.field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == REFUSED]

    def by_kind(self) -> list[KindTally]:
        """One tally per kind, largest first (files not read last), then the total."""
        tallies: dict[str, KindTally] = {}
        total = KindTally("all")
        for outcome in self.outcomes:
            tallies.setdefault(outcome.kind, KindTally(outcome.kind)).add(outcome)
            total.add(outcome)
        rows = sorted(tallies.values(), key=lambda t: (t.kind == UNREAD_KIND, -t.files, t.kind))
        return [*rows, total]

    def table(self) -> str:
        """The tally as an aligned plain-text table, for a terminal or a log."""
        header = ("kind", "files", "refused", "items", "warnings", "slowest")
        rows = [header]
        for tally in self.by_kind():
            slowest = tally.slowest
            rows.append(
                (
                    tally.kind,
                    str(tally.files),
                    str(tally.refused),
                    str(tally.items),
                    str(tally.warnings),
                    f"{slowest.seconds:.2f} s {slowest.path.name}" if slowest else "",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
        lines = []
        for row in rows:
            cells = [
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=False))
            ]
            lines.append("  ".join([*cells, row[-1]]).rstrip())
        lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * len(header[-1]))
        counts = ", ".join(f"{self.count(s)} {s}" for s in STATUSES if self.count(s))
        lines.append(f"{counted(len(self.outcomes), 'file')}: {counts or 'none'}.")
        return "\n".join(lines)
