"""The REST API under load: requests/s and p50/p95 against a bare-SQL reference.

Creates a throwaway PostgreSQL database, bulk-creates 10,000 actions (100,000 with
--deep), serves the app with gunicorn (2 workers) and loads it from a separate process
(`wrk` when installed, else a small multi-process Python client), loopback only, for a
bounded time per measurement. The reference endpoints (bench/reference.py, mounted only
by bench/settings.py) return the same JSON straight from SQL, without
authentication, visibility rules or the framework.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/closing_the_loop \
        .venv/bin/python bench/bench_api.py [--deep] [--seconds 4] [--rounds 5] \
        [--database NAME]

`--rounds N` measures the API and its reference in turn N times (each --seconds long)
and gives the median of the N ratios: other work on a shared machine then weighs on
both alike. `--database` names the throwaway database, so that runs against one server
do not drop each other's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import multiprocessing
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import configure  # noqa: E402
from bench.serving import free_port, wait_until_serving  # noqa: E402

BENCH_DB = "closing_the_loop_bench_api"
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("wrk: %d %d %.0f %.0f %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def _python_client(port: int, path: str, headers: dict, until: float, out) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, errors = [], 0
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            errors += response.status != 200
        except (OSError, http.client.HTTPException):
            errors += 1
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies.append((time.perf_counter() - started) * 1000)
    out.put((latencies, errors))


def measure(port: int, path: str, token: str, seconds: int, connections: int) -> dict:
    """Requests per second, p50 and p95 in ms, and errors, from another process."""
    headers = {"Authorization": f"Bearer {token}"}
    if shutil.which("wrk"):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        result = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "--timeout",
                "60s",
                "-s",
                script.name,
                "-H",
                f"Authorization: Bearer {token}",
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=True,
        )
        os.unlink(script.name)
        line = next(x for x in result.stdout.splitlines() if x.startswith("wrk: "))
        requests, duration_us, p50_us, p95_us, errors = (float(v) for v in line[5:].split())
        return {
            "rps": requests / (duration_us / 1e6),
            "p50_ms": p50_us / 1000,
            "p95_ms": p95_us / 1000,
            "errors": int(errors),
            "requests": int(requests),
        }
    out = multiprocessing.Queue()
    until = time.monotonic() + seconds
    procs = [
        multiprocessing.Process(target=_python_client, args=(port, path, headers, until, out))
        for _ in range(connections)
    ]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=seconds + 120) for _ in procs]
    for proc in procs:
        proc.join()
    latencies = sorted(x for r in results for x in r[0])
    return {
        "rps": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(len(latencies) * 0.95)],
        "errors": sum(r[1] for r in results),
        "requests": len(latencies),
    }


def populate(total: int) -> dict:
    """One council, 20 plans of 25 recommendations, `total` actions, 200 owners."""
    from django.contrib.auth.models import Group
    from django.db import connection

    from actions.models import Action, Rag, Status
    from core.models import Organisation, User
    from core.tokens.services import create_token
    from inspections.models import Inspection, Recommendation
    from plans.models import Plan

    council = Organisation.objects.create(name="Bench Council", kind="local_authority")
    owners = User.objects.bulk_create(
        User(username=f"owner{i}", first_name="Owner", last_name=str(i), organisation=council)
        for i in range(200)
    )
    Group.objects.get(name="Action owners").user_set.add(*owners)
    director = User.objects.create(username="director", organisation=council)
    director.groups.add(Group.objects.get(name="Directors"))
    plans = Plan.objects.bulk_create(
        Plan(local_authority=council, title=f"Bench plan {n}") for n in range(20)
    )
    inspections = Inspection.objects.bulk_create(
        Inspection(
            local_authority=council,
            plan=plan,
            inspection_type="ilacs",
            publication_date=dt.date(2024, 3, 1),
        )
        for plan in plans
    )
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(inspection=inspection, text=f"Improve practice {n}.", order=n)
        for inspection in inspections
        for n in range(25)
    )
    statuses = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.COMPLETE]
    rags = [Rag.GREEN, Rag.AMBER, Rag.RED]
    answers = Action.recommendations.through
    batch = []
    for n in range(total):
        batch.append(
            Action(
                plan_id=recommendations[n % len(recommendations)].inspection.plan_id,
                title=f"Action {n}",
                description="What will be done, in a sentence or two.",
                owner=owners[n % 200],
                organisation=council,
                due_date=dt.date(2024, 1, 1) + dt.timedelta(days=n % 900),
                status=statuses[n % 4],
                rag=rags[n % 3],
                expected_outcome="Children seen on time.",
                order=n,
            )
        )
        if len(batch) == 5000:
            _save(batch, recommendations, answers)
            batch = []
    _save(batch, recommendations, answers)
    with connection.cursor() as cursor:  # statistics, as autovacuum would gather them
        cursor.execute("ANALYZE")
    _, token = create_token(name="Bench", user=director, scope="read")
    return {"token": token}


def _save(batch: list, recommendations: list, answers) -> None:
    """Each action answers one item, as most do (n-th action, n-th item in turn)."""
    from actions.models import Action

    saved = Action.objects.bulk_create(batch)
    answers.objects.bulk_create(
        answers(
            action_id=a.pk, recommendation_id=recommendations[a.order % len(recommendations)].pk
        )
        for a in saved
    )


def queries_per_request(path: str, token: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get(path)  # the token's first use is recorded once a minute
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def combine(results: list[dict]) -> dict:
    """Several rounds of one measurement: medians of the latencies, total requests."""
    if len(results) == 1:
        return results[0]
    return {
        "rps": statistics.mean(r["rps"] for r in results),
        "p50_ms": statistics.median(r["p50_ms"] for r in results),
        "p95_ms": statistics.median(r["p95_ms"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "requests": sum(r["requests"] for r in results),
    }


def report(name: str, label: str, result: dict) -> None:
    for key in ("rps", "p50_ms", "p95_ms"):
        print(f"{name}_{key}[{label}]: {result[key]:.1f}")
    print(f"{name}_errors[{label}]: {result['errors']}")


def deep_cursor(row: int) -> str:
    from actions.models import Action
    from core.api.pagination import encode_cursor

    pk = Action.objects.order_by("id").values_list("id", flat=True)[row - 1]
    return encode_cursor("id", [pk])


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    total = 100_000 if args.deep else args.actions
    token = populate(total)["token"]
    print(f"bench_api_actions: {total}")
    print(f"bench_api_setup_s: {time.monotonic() - started:.1f}")
    cases = [  # label, API path, reference path (None: no reference)
        ("actions,page_size=100", "/api/v1/actions/?page_size=100", None),
        (
            "actions,page_size=50",
            "/api/v1/actions/?page_size=50",
            "/api/v1/reference/actions/?page_size=50",
        ),
        (
            "actions,filtered,page_size=50",
            "/api/v1/actions/?page_size=50&status=in_progress",
            "/api/v1/reference/actions/?page_size=50&status=in_progress",
        ),
        (
            "actions,export",
            "/api/v1/actions/export/?file_format=json",
            "/api/v1/reference/actions/export/",
        ),
    ]
    if args.deep:  # the export case is about 10,000 actions: run it without --deep
        cases = [case for case in cases if case[0] != "actions,export"]
        cases += [
            (
                "actions,first_page,page_size=50",
                "/api/v1/actions/?page_size=50",
                "/api/v1/reference/actions/?page_size=50",
            ),
            (
                "actions,row_95000,page_size=50",
                f"/api/v1/actions/?page_size=50&cursor={deep_cursor(95_000)}",
                "/api/v1/reference/actions/?page_size=50&offset=95000",
            ),
        ]
    for label, api, _ in cases:
        print(f"api_queries_per_request[{label}]: {queries_per_request(api, token)}")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    try:
        wait_until_serving(port)
        p50 = {}
        for label, api, reference in cases:
            paths = [api, reference] if reference else [api]
            rounds = [
                [measure(port, path, token, args.seconds, args.connections) for path in paths]
                for _ in range(args.rounds)
            ]
            result = combine([pair[0] for pair in rounds])
            report("api", label, result)
            p50[label] = result["p50_ms"]
            if reference:
                base = combine([pair[1] for pair in rounds])
                report("reference", label, base)
                ratios = [
                    api_result["p50_ms"] / base_result["p50_ms"]
                    for api_result, base_result in rounds
                    if api_result["requests"] and base_result["requests"]
                ]
                if ratios:
                    ratio = statistics.median(ratios)
                    print(f"api_vs_reference_p50_ratio[{label}]: {ratio:.2f}")
                if args.rounds > 1:
                    each = " ".join(f"{r:.2f}" for r in ratios)
                    print(f"api_vs_reference_p50_ratio_each_round[{label}]: {each}")
        if args.deep:
            deep = p50["actions,row_95000,page_size=50"] / p50["actions,first_page,page_size=50"]
            print(f"api_row_95000_vs_first_page_p50_ratio: {deep:.2f}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# For the API benchmarks: the test client's host, and no rate limit in the way.
API_SETTINGS = {
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "API_THROTTLE_TOKEN_RATE": "1000000/second",
}


def _database_name(value: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", value):
        raise argparse.ArgumentTypeError("use lower-case letters, digits and underscores")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--deep", action="store_true", help="100,000 actions; deep-page case")
    parser.add_argument("--seconds", type=int, default=4, help="per measurement")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="measure the API and its reference in turn this many times, --seconds each; "
        "the ratio is the median of each round's (steadier on a busy machine)",
    )
    parser.add_argument("--database", type=_database_name, default=BENCH_DB)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("bench_api needs DATABASE_URL pointing at PostgreSQL")
    parsed = urlparse(url)
    configure(DATABASE_URL=parsed._replace(path=f"/{args.database}").geturl(), **API_SETTINGS)
    print(
        f"command: DATABASE_URL=… python bench/bench_api.py{' --deep' if args.deep else ''} "
        f"--seconds {args.seconds} --connections {args.connections} --rounds {args.rounds}"
        f" (load: {'wrk' if shutil.which('wrk') else 'python'})"
    )
    import psycopg

    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {args.database}")
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")


if __name__ == "__main__":
    main()
