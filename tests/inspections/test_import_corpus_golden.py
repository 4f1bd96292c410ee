"""Published Ofsted reports read as a person reads them, compared with the importer.

Each JSON file in `golden_corpus/` holds the values someone wrote down by reading one
report of the shared corpus page by page (see its "checked" note): every recommendation
verbatim with its heading, addressee, number, priority, timescale and national framework
cross-reference, the judgements, and the dates. None of them came from the importer, so
a difference here is the importer misreading a real report, never a value to copy back.

Text is compared after `normalised`, which forgives only what a reader cannot see or
does not care about: runs of whitespace, curly against straight quotes, the various
dashes, and soft hyphens. Everything else (a word lost at a page break, a footer caught
in an item, an item split in two) is a real difference and fails.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from inspections.importing import (
    ParsedRecommendation,
    ParsedReport,
    ReportParseError,
    parse_report,
)
from inspections.importing.result import FRAMEWORK_KINDS, GRADES, INSPECTION_TYPES, TIMESCALES

GOLDEN = Path(__file__).resolve().parent / "golden_corpus"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
INDEX = CORPUS / "index.csv"
GOLDEN_FILES = sorted(GOLDEN.glob("*.json"))
DATE_FIELDS = (
    "inspection_start",
    "inspection_end",
    "publication_date",
    "stated_plan_due_date",
    "stated_draft_plan_due_date",
)

_SOFT_HYPHEN = "\u00ad"
_QUOTES = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark, also the printed apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",  # prime
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
    }
)


def normalised(text: str) -> str:
    """The text as a reader sees it: one space between words, plain quotes and dashes.

    Soft hyphens are dropped (they only mark where a line may break); the other
    characters map to their ASCII look-alikes; any run of whitespace (including
    no-break spaces) becomes one space. Letters, words and punctuation stay as printed.
    """
    text = text.replace(_SOFT_HYPHEN, "").translate(_QUOTES)
    return " ".join(text.split())


def heading(text: str) -> str:
    """A section heading compared without case or a trailing "?" or ":"."""
    return re.sub(r"[\s?:]+$", "", normalised(text)).casefold()


def _golden_ids() -> list[str]:
    return [path.stem for path in GOLDEN_FILES]


@functools.cache
def golden(stem: str) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))


@functools.cache
def parsed(stem: str) -> ParsedReport:
    pdf = CORPUS / golden(stem)["file"]
    if not CORPUS.is_dir():
        pytest.skip(f"the report corpus is not here ({CORPUS}); these tests read its PDFs")
    try:
        return parse_report(pdf.read_bytes(), pdf.name)
    except ReportParseError as error:
        pytest.fail(f"{pdf.name}: the importer refused the report: {error}")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _short(text: str, width: int = 110) -> str:
    text = normalised(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _item_listing(label: str, texts: list[str]) -> str:
    lines = [f"  {label} ({len(texts)}):"]
    lines += [f"    {i + 1:>2}. {_short(t)}" for i, t in enumerate(texts)]
    return "\n".join(lines)


# --- the golden files themselves --------------------------------------------------------


def test_golden_files_cover_every_kind_and_recent_reports():
    """At least 40 reports, every kind the corpus lists, and 15 or more from 2025-2026."""
    if not INDEX.is_file():
        pytest.skip(f"the report corpus index is not here ({INDEX})")
    with INDEX.open(encoding="utf-8", newline="") as handle:
        listed = {row["file"]: row for row in csv.DictReader(handle)}
    names = [golden(path.stem)["file"] for path in GOLDEN_FILES]
    unlisted = [name for name in names if name not in listed]
    assert not unlisted, f"golden files for reports the corpus index does not list: {unlisted}"
    assert len(names) >= 40, f"only {len(names)} golden files; at least 40 are needed"
    kinds = {row["kind"] for row in listed.values()}
    covered = {listed[name]["kind"] for name in names}
    assert covered == kinds, f"no golden file for: {sorted(kinds - covered)}"
    recent = [name for name in names if listed[name]["listed_on"].split()[-1] in {"2025", "2026"}]
    assert len(recent) >= 15, f"only {len(recent)} golden files listed in 2025-2026: {recent}"


@pytest.mark.parametrize("stem", _golden_ids())
def test_golden_file_is_well_formed(stem):
    """A golden file names its own PDF and uses only the values the importer can give."""
    data = golden(stem)
    assert data["file"] == f"{stem}.pdf"
    assert data["checked"].strip(), "say which pages were read"
    assert data["inspection_type"] in INSPECTION_TYPES
    assert data["local_authority"].strip()
    for field in DATE_FIELDS:
        _date(data[field])  # ISO or null
    for judgement in data["judgements"]:
        assert judgement["area"].strip()
        assert judgement["grade"] is None or judgement["grade"] in GRADES
    for item in data["recommendations"]:
        assert item["text"].strip() and item["text"] == item["text"].strip()
        assert item["section"].strip()
        assert item["timescale"] in TIMESCALES
        assert isinstance(item["priority"], bool)
        assert isinstance(item["number"], str) and isinstance(item["addressee"], str)
        framework = item["framework"]
        if framework is not None:
            assert framework["kind"] in FRAMEWORK_KINDS
            assert framework["number"] is not None or framework["name"]


# --- the importer against them ------------------------------------------------------------


@pytest.mark.parametrize("stem", _golden_ids())
def test_report_details_match(stem):
    """Type, authority and every date the report prints (and none it does not)."""
    expected, report = golden(stem), parsed(stem)
    problems = []
    if report.inspection_type != expected["inspection_type"]:
        problems.append(
            f"inspection_type: expected {expected['inspection_type']!r}, "
            f"parsed {report.inspection_type!r}"
        )
    want_la, got_la = expected["local_authority"].casefold(), report.local_authority.casefold()
    if not got_la or (want_la not in got_la and got_la not in want_la):
        problems.append(
            f"local_authority: expected {expected['local_authority']!r}, "
            f"parsed {report.local_authority!r}"
        )
    for field in DATE_FIELDS:
        want, got = _date(expected[field]), getattr(report, field)
        if want != got:
            problems.append(f"{field}: expected {want}, parsed {got}")
    assert not problems, f"{expected['file']}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("stem", _golden_ids())
def test_judgements_match(stem):
    """The same judgements in the same order, each with its area and grade."""
    expected, report = golden(stem), parsed(stem)
    want = [(heading(j["area"]), j["grade"]) for j in expected["judgements"]]
    got = [(heading(j.area), j.grade) for j in report.judgements]
    assert got == want, (
        f"{expected['file']}: judgements differ\n"
        + _judgement_listing("expected", want)
        + "\n"
        + _judgement_listing("parsed", got)
    )


def _judgement_listing(label: str, judgements: list[tuple[str, str | None]]) -> str:
    if not judgements:
        return f"  {label}: (none)"
    return "\n".join(f"  {label}: {area!r} -> {grade}" for area, grade in judgements)


@pytest.mark.parametrize("stem", _golden_ids())
def test_recommendations_match(stem):
    """Every item verbatim, in order, with its heading, addressee, number and timing."""
    expected, report = golden(stem), parsed(stem)
    want, got = expected["recommendations"], report.recommendations
    if len(want) != len(got):
        missing = {normalised(i["text"]) for i in want} - {normalised(r.text) for r in got}
        extra = {normalised(r.text) for r in got} - {normalised(i["text"]) for i in want}
        pytest.fail(
            f"{expected['file']}: expected {len(want)} items, parsed {len(got)}\n"
            + _item_listing("expected", [i["text"] for i in want])
            + "\n"
            + _item_listing("parsed", [r.text for r in got])
            + "\n"
            + _item_listing("expected but not parsed", sorted(missing))
            + "\n"
            + _item_listing("parsed but not expected", sorted(extra))
        )
    problems = []
    for position, (item, rec) in enumerate(zip(want, got, strict=True), start=1):
        differences = _item_differences(item, rec)
        if differences:
            problems.append(
                f"item {position} ({_short(item['text'], 70)}):\n      "
                + "\n      ".join(differences)
            )
    assert not problems, f"{expected['file']}:\n  " + "\n  ".join(problems)


def _item_differences(item: dict[str, Any], rec: ParsedRecommendation) -> list[str]:
    differences = []
    if normalised(item["text"]) != normalised(rec.text):
        differences.append(
            f"text:\n        expected {normalised(item['text'])!r}\n"
            f"        parsed   {normalised(rec.text)!r}"
        )
    if heading(item["section"]) != heading(rec.section):
        differences.append(f"section: expected {item['section']!r}, parsed {rec.section!r}")
    if normalised(item["addressee"]).casefold() != normalised(rec.addressee).casefold():
        differences.append(f"addressee: expected {item['addressee']!r}, parsed {rec.addressee!r}")
    for field in ("number", "priority", "timescale"):
        if item[field] != getattr(rec, field):
            differences.append(f"{field}: expected {item[field]!r}, parsed {getattr(rec, field)!r}")
    framework = item["framework"] or {"kind": "", "number": None, "name": None}
    if (framework["kind"], framework["number"]) != (rec.framework_kind, rec.framework_number):
        differences.append(
            f"framework: expected {framework['kind'] or None} {framework['number']}, "
            f"parsed {rec.framework_kind or None} {rec.framework_number}"
        )
    if framework["name"]:
        want_name = normalised(framework["name"]).casefold()
        got_name = normalised(rec.framework_name).casefold()
        if not got_name or (want_name not in got_name and got_name not in want_name):
            differences.append(
                f"framework name: expected {framework['name']!r}, parsed {rec.framework_name!r}"
            )
    return differences
