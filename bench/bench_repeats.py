"""How well the repeat detector finds repeats, on pairs labelled by reading the reports.

Each labelled pair (an earlier and a later item of one authority, and whether the later
names the same weakness again) is put to the detector at its defaults, two ways:

- `alone`: the later item against that one earlier item (as the detector was first
  measured);
- `as imported`: the later item against every item of the authority's reports that came
  before it (tests/inspections/repeats_pairs_reports.json: each report's items as the
  importer reads them), as import suggests repeats: the pair counts as flagged when the
  earlier item is among the few suggested.

Two sets: `tuning` (tests/inspections/repeats_pairs.json), on which the detector's
numbers were chosen, and `heldout` (tests/inspections/repeats_pairs_heldout.json, councils
not in the tuning set), which chose nothing. Prints `name: value` lines: per set and way,
the pairs, repeats, flagged, precision, recall and F1; then the threshold and the median
time of one comparison, alone and among the earlier items (normalising included). Pure
Python; no Django.

    .venv/bin/python bench/bench_repeats.py [-n 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspections.repeats import (  # noqa: E402
    DEFAULT_THRESHOLD,
    MOST_SUGGESTED,
    find_repeats,
    normalise,
)

HERE = ROOT / "tests" / "inspections"
SETS = {"tuning": HERE / "repeats_pairs.json", "heldout": HERE / "repeats_pairs_heldout.json"}
REPORTS = HERE / "repeats_pairs_reports.json"


def earlier_items(pair: dict, reports: dict) -> list[str]:
    """Every item of the pair's authority's reports dated before the later item's report."""
    held = reports[pair["authority"]]
    when = next(r["date"] for r in held if r["file"] == pair["later"]["file"])
    return [text for r in held if r["date"] < when for text in r["items"]]


def flagged_alone(pair: dict) -> bool:
    return bool(find_repeats(text=pair["later"]["text"], earlier=[pair["earlier"]["text"]]))


def flagged_as_imported(pair: dict, reports: dict) -> bool:
    earlier = earlier_items(pair, reports)
    found = find_repeats(text=pair["later"]["text"], earlier=earlier)
    return any(earlier[r.index] == pair["earlier"]["text"] for r in found)


def measures(found: list[bool], pairs: list[dict]) -> dict[str, float]:
    """Precision, recall and F1 of `found` against the labels, with the counts."""
    repeats = sum(p["repeat"] for p in pairs)
    true_positives = sum(f and p["repeat"] for f, p in zip(found, pairs, strict=True))
    precision = true_positives / sum(found) if any(found) else 0.0
    recall = true_positives / repeats if repeats else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "flagged": sum(found),
        "true_positives": true_positives,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def evaluate(pairs: list[dict], reports: dict) -> dict[str, dict[str, float]]:
    return {
        "alone": measures([flagged_alone(p) for p in pairs], pairs),
        "as_imported": measures([flagged_as_imported(p, reports) for p in pairs], pairs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--repeat", type=int, default=20, help="timing runs")
    args = parser.parse_args(argv)
    reports = json.loads(REPORTS.read_text())

    print("command: python bench/bench_repeats.py")
    print(f"threshold: {DEFAULT_THRESHOLD:g}")
    print(f"most_suggested: {MOST_SUGGESTED}")
    everything = []
    for name, path in SETS.items():
        pairs = json.loads(path.read_text())
        everything += pairs
        print(f"{name}.pairs: {len(pairs)}")
        print(f"{name}.repeats: {sum(p['repeat'] for p in pairs)}")
        print(f"{name}.authorities: {len({p['authority'] for p in pairs})}")
        for way, found in evaluate(pairs, reports).items():
            print(f"{name}.{way}.flagged: {found['flagged']} ({found['true_positives']} repeats)")
            for measure in ("precision", "recall", "f1"):
                print(f"{name}.{way}.{measure}: {found[measure]:.2f}")

    runs, per_item = [], []
    for _ in range(args.repeat):
        normalise.cache_clear()  # each run normalises every text afresh
        started = time.perf_counter()
        for p in everything:
            find_repeats(text=p["later"]["text"], earlier=[p["earlier"]["text"]])
        runs.append((time.perf_counter() - started) / len(everything) * 1_000_000)
        normalise.cache_clear()
        compared, started = 0, time.perf_counter()
        for p in everything:
            earlier = earlier_items(p, reports)
            compared += len(earlier)
            find_repeats(text=p["later"]["text"], earlier=earlier)
        per_item.append((time.perf_counter() - started) / compared * 1_000_000)
    print(f"comparison_us: {statistics.median(runs):.1f}")
    print(f"comparison_among_earlier_us: {statistics.median(per_item):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
