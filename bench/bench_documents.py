"""Time to generate the submission in Word and PDF for plans of 300 and 600 actions.

Builds the plans by bulk insert in a throwaway database (a SQLite file in a temporary
directory, or a PostgreSQL database created and dropped here when DATABASE_URL points at
PostgreSQL), then times what the worker does: reading the plan into a snapshot, and
rendering the snapshot. Prints `name: value` lines; times are medians.

    .venv/bin/python bench/bench_documents.py [--sizes 300 600] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import configure  # noqa: E402

BENCH_DB = "closing_the_loop_bench_documents"
SENTENCE = (
    "Managers review every plan monthly and record the decision, so that children's "
    "circumstances are understood and help arrives without delay"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 600])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    configure()
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MEDIA_ROOT"] = str(Path(tmp) / "media")
        if url.startswith("postgres"):
            with_postgres(url, args)
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            run(args, "SQLite (temporary file)")


def with_postgres(url: str, args: argparse.Namespace) -> None:
    import psycopg

    parsed = urlparse(url)
    os.environ["DATABASE_URL"] = parsed._replace(path=f"/{BENCH_DB}").geturl()
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    try:
        run(args, "PostgreSQL (throwaway database)")
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


def build_plan(size: int, label: str):
    """A plan of `size` actions over 20 recommendations, each with an owner, a measure,
    three readings and a piece of evidence: bulk inserts, no services."""
    from actions.models import Action, Evidence, Measure, MeasureReading
    from core.models import Organisation, User
    from inspections.models import Inspection, Recommendation
    from plans.models import Plan

    council, _ = Organisation.objects.get_or_create(name=f"Bench Council {label}")
    plan = Plan.objects.create(local_authority=council, title=f"Bench plan {label}")
    owners = User.objects.bulk_create(
        User(username=f"owner-{label}-{i}", first_name="Owner", last_name=str(i),
             job_title="Service manager", organisation=council)
        for i in range(25)
    )  # fmt: skip
    inspection = Inspection(
        local_authority=council,
        plan=plan,
        inspection_type="ilacs",
        publication_date=dt.date(2024, 3, 1),
    )
    inspection.refresh_deadlines()
    inspection.save()
    recs = Recommendation.objects.bulk_create(
        Recommendation(inspection=inspection, order=i, section="What needs to improve",
                       text=f"{i + 1}. {SENTENCE}, in every team ({i}).")
        for i in range(20)
    )  # fmt: skip
    actions = Action.objects.bulk_create(
        Action(plan=plan, order=i, title=f"{SENTENCE[:60]} ({i})",
               owner=owners[i % 25], organisation=council,
               due_date=dt.date(2024, 4, 1) + dt.timedelta(days=i % 300),
               expected_outcome=SENTENCE, resources="Two managers' time", risks="Turnover")
        for i in range(size)
    )  # fmt: skip
    Action.recommendations.through.objects.bulk_create(
        Action.recommendations.through(action_id=a.pk, recommendation_id=recs[i % 20].pk)
        for i, a in enumerate(actions)
    )
    measures = Measure.objects.bulk_create(
        Measure(action=a, name="Plans reviewed on time", unit="%", baseline=60, target=90,
                direction="higher")
        for a in actions
    )  # fmt: skip
    MeasureReading.objects.bulk_create(
        MeasureReading(measure=m, date=dt.date(2024, 4 + n, 1), value=62 + 5 * n)
        for m in measures
        for n in range(3)
    )
    Evidence.objects.bulk_create(
        Evidence(action=a, description="Audit summary", link="https://intranet.example.org/a")
        for a in actions
    )
    return plan, inspection


def median_seconds(function, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds. The CPU time is this process's alone: it stays
    meaningful on a machine busy with other work, when the wall clock does not."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def run(args: argparse.Namespace, database: str) -> None:
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    from actions.documents import submission_docx, submission_pdf
    from actions.documents.snapshot import build_submission_snapshot

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    sizes = " ".join(map(str, args.sizes))
    print(f"command: python bench/bench_documents.py --sizes {sizes} --runs {args.runs}")
    print(f"database: {database}")
    results: dict[str, dict[int, tuple[float, float]]] = {"snapshot": {}, "docx": {}, "pdf": {}}
    renderers = {"docx": submission_docx.render, "pdf": submission_pdf.render}
    for size in args.sizes:
        plan, source = build_plan(size, str(size))
        results["snapshot"][size] = median_seconds(
            lambda p=plan, s=source: build_submission_snapshot(p, s), args.runs
        )
        snapshot = build_submission_snapshot(plan, source)
        renderers["pdf"](snapshot)  # the first PDF loads fonts: not counted
        for kind, render in renderers.items():
            results[kind][size] = median_seconds(lambda r=render, s=snapshot: r(s), args.runs)
        print(f"snapshot_s[{size}]: {results['snapshot'][size][0]:.3f}")
        for kind in renderers:
            wall, cpu = results[kind][size]
            print(f"submission_{kind}_s[{size}]: {wall:.3f}")
            print(f"submission_{kind}_cpu_s[{size}]: {cpu:.3f}")
    for kind in renderers:
        for size in args.sizes:
            per_action = results[kind][size][0] / size * 1000
            print(f"submission_{kind}_ms_per_action[{size}]: {per_action:.1f}")
        if len(args.sizes) >= 2:
            low, high = args.sizes[0], args.sizes[-1]
            ratio = results[kind][high][0] / results[kind][low][0]
            cpu_ratio = results[kind][high][1] / results[kind][low][1]
            print(f"submission_{kind}_ratio[{high}/{low}]: {ratio:.2f}")
            print(f"submission_{kind}_cpu_ratio[{high}/{low}]: {cpu_ratio:.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss_mib: {peak:.0f}")


if __name__ == "__main__":
    main()
