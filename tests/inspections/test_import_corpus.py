"""Every published report of the shared corpus is read, with a plausible number of items.

The corpus (`shared/corpus/`, listed in its `index.csv`) holds 367 real Ofsted PDFs of
every kind and era councils receive. Nobody has written down their items (the
hand-checked ones are in `golden_corpus/`); what this test holds the importer to is what
the kinds of report print: it refuses none of them, and the number of items it reads is
within what that kind of report holds. Taking body paragraphs for items, or stopping a
list at a page header, shows up here as a count out of bounds.

The reports are read in a pool of two processes so that the whole corpus takes seconds.
"""

from __future__ import annotations

import csv
import multiprocessing
from collections import Counter
from pathlib import Path

import pytest

from inspections.importing import ReportParseError, parse_report
from inspections.importing.errors import NOTHING_TO_IMPROVE

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
INDEX = CORPUS / "index.csv"

# The number of items each kind of report prints, from reading the reports:
# - ILACS (2018-): "What needs to improve" lists 1 to 8 for most; an inadequate authority
#   gets more (Stoke-on-Trent 2019 prints 15).
# - Single inspections (2013-2018): numbered recommendations for the local authority plus
#   the board's; 2014-15 reports list priority and immediate actions and areas for
#   improvement for both (Blackpool 2014 prints 27 in all; Buckinghamshire 2014, judged
#   inadequate, 33 for the authority and 10 for the board).
# - Focused visits: 0 (a positive letter names nothing to improve) to about 7; 10 leaves
#   room for a letter with priority actions and improvements.
# - Joint targeted area inspections: 2016-2020 letters list every weakness found under
#   "Areas for improvement", by theme and agency (Durham 2018 prints 43); letters since
#   2020 ask for up to about 10 under "What needs to improve?".
# - Area SEND (2023-): a handful of table rows of areas for improvement (and for priority
#   action at the worst outcome), never more than about a dozen.
BOUNDS = {
    "ilacs": (1, 16),
    "sif": (3, 45),
    "looked_after_children": (3, 45),
    "focused_visit": (0, 10),
    "jtai": (1, 45),
    "send_area": (1, 12),
}
# The index names one kind for both frameworks of the full children's services inspection.
_INDEX_KINDS = {
    "children's services inspection (SIF 2013-2018 or ILACS 2018-)": {
        "ilacs",
        "sif",
        "looked_after_children",
    },
    "focused visit": {"focused_visit"},
    "joint targeted area inspection": {"jtai"},
    "area SEND inspection": {"send_area"},
}


def _read(path: Path) -> tuple[str, str, int, str, list[str]]:
    """(file, inspection type, items, refusal message, warnings) for one report."""
    try:
        report = parse_report(path.read_bytes(), path.name)
    except ReportParseError as error:
        return path.name, "", 0, str(error), []
    return (
        path.name,
        report.inspection_type,
        len(report.recommendations),
        "",
        list(report.warnings),
    )


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[str, str, int, str, list[str]]]:
    if not INDEX.is_file():
        pytest.skip(f"the report corpus is not here ({CORPUS}); this test reads its PDFs")
    with INDEX.open(encoding="utf-8", newline="") as handle:
        listed = {row["file"]: row["kind"] for row in csv.DictReader(handle)}
    paths = [CORPUS / name for name in sorted(listed)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(2) as pool:
        results = pool.map(_read, paths, chunksize=8)
    return {name: (listed[name], *rest) for name, *rest in results}


def test_no_report_is_refused(corpus):
    refused = {name: row[3] for name, row in corpus.items() if row[3]}
    assert not refused, "\n".join(f"{name}: {message}" for name, message in refused.items())


def test_each_report_is_read_as_the_kind_the_index_lists(corpus):
    wrong = {
        name: (kind, parsed)
        for name, (kind, parsed, _, message, _) in corpus.items()
        if not message and parsed not in _INDEX_KINDS[kind]
    }
    assert not wrong, "\n".join(
        f"{name}: listed {k!r}, read as {p!r}" for name, (k, p) in wrong.items()
    )


def test_each_report_holds_a_plausible_number_of_items(corpus):
    out_of_bounds = []
    for name, (_, parsed, count, message, _) in corpus.items():
        if message or parsed not in BOUNDS:
            continue
        low, high = BOUNDS[parsed]
        if not low <= count <= high:
            out_of_bounds.append(f"{name}: {count} items, a {parsed} report holds {low}-{high}")
    assert not out_of_bounds, "\n".join(out_of_bounds)


def test_a_report_with_no_items_says_why(corpus):
    """Only a letter that names nothing to improve is read with no items, and says so."""
    empty = {name: row for name, row in corpus.items() if not row[3] and row[2] == 0}
    for name, (_, parsed, _, _, warnings) in empty.items():
        assert parsed == "focused_visit", f"{name}: a {parsed} report read with no items"
        assert NOTHING_TO_IMPROVE in warnings, f"{name}: no warning that nothing is to improve"


def test_the_corpus_spans_every_kind(corpus):
    kinds = Counter(row[1] for row in corpus.values() if not row[3])
    assert {"ilacs", "sif", "focused_visit", "jtai", "send_area"} <= set(kinds), kinds
