"""How long reading a report takes, over the whole corpus of real Ofsted PDFs.

Each PDF is read once through the parser (no Django, no database), as the import page
and `manage.py import_report` read it; a refused report is timed too. Prints `name: value`
lines: the count, how many were refused, the median, 95th percentile and slowest time
per report, the total, the median per kind of inspection (as the parser read it), the
processor time of the whole run, and peak memory. PDFs are read in a child process of
their own, which a process's own figures leave out, so the reading runs in a child of
this script, and the processor time and the largest process are taken from its tree.

    .venv/bin/python bench/bench_corpus.py [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspections.batch import collect_reports  # noqa: E402
from inspections.importing import ReportParseError, parse_report  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
REFUSED = "refused"


def read(path: Path) -> tuple[float, str]:
    """Milliseconds to read one report, and its kind (or "refused")."""
    data = path.read_bytes()
    started = time.perf_counter()
    try:
        kind = parse_report(data, path.name).inspection_type
    except ReportParseError:
        kind = REFUSED
    return (time.perf_counter() - started) * 1000, kind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of report PDFs")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        return measure(args.corpus)

    print("command: python bench/bench_corpus.py", flush=True)
    if not args.corpus.is_dir():
        print(f"corpus: not found at {args.corpus}; skipped", file=sys.stderr)
        return 0
    child = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--corpus",
        str(args.corpus),
        "--measure",
    ]
    status = subprocess.run(child, check=False).returncode
    if status == 0:
        tree = resource.getrusage(resource.RUSAGE_CHILDREN)
        # Processor time of every process of the run, readers included: unlike the times
        # above, it hardly moves when other work shares the machine.
        print(f"corpus_cpu_s: {tree.ru_utime + tree.ru_stime:.1f}")
        # ru_maxrss is in KiB on Linux; for children, the largest single process.
        print(f"corpus_peak_rss_mib: {tree.ru_maxrss / 1024:.0f}")
    return status


def measure(corpus: Path) -> int:
    """Read every PDF once and print the figures (run in a child process of main)."""
    paths = [p for p in collect_reports([corpus]) if p.suffix.lower() == ".pdf"]
    if not paths:
        print(f"corpus: no PDFs in {corpus}", file=sys.stderr)
        return 1
    read(paths[0])  # warm up: imports and caches, not counted

    times: dict[Path, float] = {}
    by_kind: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()
    for path in paths:
        ms, kind = read(path)
        times[path] = ms
        by_kind[kind].append(ms)
    total = time.perf_counter() - started

    values = sorted(times.values())
    slowest = max(times, key=times.__getitem__)
    p95 = (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )
    print(f"corpus_reports: {len(values)}")
    print(f"corpus_refused: {len(by_kind.get(REFUSED, []))}")
    print(f"corpus_parse_ms_median: {statistics.median(values):.1f}")
    print(f"corpus_parse_ms_p95: {p95:.1f}")
    print(f"corpus_parse_ms_max: {values[-1]:.1f}")
    print(f"corpus_slowest: {slowest.name}")
    print(f"corpus_total_s: {total:.1f}")
    for kind in sorted(by_kind, key=lambda k: (k == REFUSED, k)):
        print(f"corpus_reports[{kind}]: {len(by_kind[kind])}")
        print(f"corpus_parse_ms_median[{kind}]: {statistics.median(by_kind[kind]):.1f}")
    # ru_maxrss is in KiB on Linux.
    parser_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus_peak_rss_parser_mib: {parser_peak:.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
