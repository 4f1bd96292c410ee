"""Where an API list request spends its time, in-process (no server, no load generator).

Uses a throwaway PostgreSQL database with the actions of bench_api.py, then times the
action list and the raw-SQL reference through Django's test client (the full middleware
stack, a bearer token for the API) and, with --profile, prints the cProfile functions
that take the most cumulative time. Quicker to iterate on than bench_api.py; the figures
that count are bench_api.py's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/closing_the_loop \
        .venv/bin/python bench/profile_api.py [--requests 300] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import configure  # noqa: E402
from bench.throwaway import throwaway_database  # noqa: E402

CASES = [
    ("page_size=50", "/api/v1/actions/?page_size=50", "/api/v1/reference/actions/?page_size=50"),
    (
        "filtered,page_size=50",
        "/api/v1/actions/?page_size=50&status=in_progress",
        "/api/v1/reference/actions/?page_size=50&status=in_progress",
    ),
]


def timed(client, paths: list[str], requests: int) -> list[float]:
    """Median milliseconds per request of each path, taking turns so that other work on
    the machine weighs on each alike."""
    times: list[list[float]] = [[] for _ in paths]
    for _ in range(requests):
        for path, spent in zip(paths, times, strict=True):
            started = time.perf_counter()
            response = client.get(path)
            spent.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    return [statistics.median(spent) for spent in times]


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.bench_api import populate

    call_command("migrate", verbosity=0)
    token = populate(args.actions)["token"]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for label, api, reference in CASES:
        client.get(api)  # warm up: the token's first use, imports, connections
        client.get(reference)
        with CaptureQueriesContext(connection) as queries:
            client.get(api)
        count = len(queries)  # read now: the next request clears the connection's log
        api_ms, reference_ms = timed(client, [api, reference], args.requests)
        print(f"inprocess_queries[{label}]: {count}")
        print(f"inprocess_api_ms[{label}]: {api_ms:.2f}")
        print(f"inprocess_reference_ms[{label}]: {reference_ms:.2f}")
        print(f"inprocess_ratio[{label}]: {api_ms / reference_ms:.2f}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(CASES[0][1])
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args()
    from bench.bench_api import API_SETTINGS

    configure(**API_SETTINGS)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # the reference mounted
    name = urlparse(os.environ.get("DATABASE_URL", "")).path.lstrip("/") or "closing_the_loop"
    with throwaway_database(f"{name}_profile_api", "profile_api"):
        run(args)


if __name__ == "__main__":
    main()
