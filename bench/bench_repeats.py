"""How well the repeat detector finds repeats, on pairs labelled by reading the reports.

Each labelled pair (tests/inspections/repeats_pairs.json: an earlier and a later item of
one authority, and whether the later names the same weakness again) is put to the
detector at its default threshold. Prints `name: value` lines: the number of pairs and
of true repeats, precision, recall and F1, the threshold, and the median time of one
comparison (normalising both texts and scoring them). Pure Python; no Django.

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

from inspections.repeats import DEFAULT_THRESHOLD, find_repeats  # noqa: E402

PAIRS = ROOT / "tests" / "inspections" / "repeats_pairs.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--repeat", type=int, default=20, help="timing runs")
    args = parser.parse_args(argv)
    pairs = json.loads(PAIRS.read_text())

    found = [
        bool(find_repeats(text=p["later"]["text"], earlier=[p["earlier"]["text"]])) for p in pairs
    ]
    repeats = sum(p["repeat"] for p in pairs)
    true_positives = sum(f and p["repeat"] for f, p in zip(found, pairs, strict=True))
    precision = true_positives / sum(found) if any(found) else 0.0
    recall = true_positives / repeats if repeats else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        for p in pairs:
            find_repeats(text=p["later"]["text"], earlier=[p["earlier"]["text"]])
        runs.append((time.perf_counter() - started) / len(pairs) * 1_000_000)

    print("command: python bench/bench_repeats.py")
    print(f"pairs: {len(pairs)}")
    print(f"repeats: {repeats}")
    print(f"authorities: {len({p['authority'] for p in pairs})}")
    print(f"threshold: {DEFAULT_THRESHOLD:g}")
    print(f"flagged: {sum(found)}")
    print(f"precision: {precision:.2f}")
    print(f"recall: {recall:.2f}")
    print(f"f1: {f1:.2f}")
    print(f"comparison_us: {statistics.median(runs):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
