"""How long reading each sample report takes: median milliseconds over N runs.

Run from the project root: .venv/bin/python bench/bench_import.py [-n 10]
Pure Python; no Django. A report refused on purpose (not a full report) is timed too.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspections.importing import ReportParseError, parse_report  # noqa: E402

REPORTS = ROOT / "tests" / "fixtures" / "reports"


def time_parse(data: bytes, name: str) -> float:
    started = time.perf_counter()
    with contextlib.suppress(ReportParseError):
        parse_report(data, name)
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--repeat", type=int, default=10, help="runs per report")
    args = parser.parse_args(argv)

    print("command: python bench/bench_import.py")
    worst = 0.0
    for path in sorted(p for p in REPORTS.iterdir() if p.name != "NOTICE"):
        data = path.read_bytes()
        time_parse(data, path.name)  # warm up: imports and caches
        median = statistics.median(time_parse(data, path.name) for _ in range(args.repeat))
        worst = max(worst, median)
        print(f"import_parse_ms[{path.name}]: {median:.1f}")
    print(f"import_parse_ms_max: {worst:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
