"""Server time and query count of the main pages at 1,000 and 100,000 actions.

Runs on PostgreSQL in a throwaway database (created and dropped here). Pages are
rendered in-process through Django's test client, so the time is the server's own.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/closing_the_loop \
        .venv/bin/python bench/bench_pages.py [--large 100000] [--runs 7] [--database NAME]

`--database` names the throwaway database, so that runs against one server do not
drop each other's.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import configure  # noqa: E402
from bench.throwaway import throwaway_database  # noqa: E402

BENCH_DB = "closing_the_loop_bench_pages"


def _database_name(value: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", value):
        raise argparse.ArgumentTypeError("use lower-case letters, digits and underscores")
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--councils", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database", type=_database_name, default=BENCH_DB)
    args = parser.parse_args()

    configure()
    with throwaway_database(args.database, "bench_pages"):
        run(args)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from actions.models import Action
    from bench import generator
    from core.models import User

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    print(f"command: DATABASE_URL=… python bench/bench_pages.py --large {args.large}")

    def measure(size: int) -> dict[str, tuple[float, int]]:
        director = User.objects.filter(groups__name="Directors").order_by("pk").first()
        owner = (
            User.objects.filter(groups__name="Action owners", organisation=director.organisation)
            .order_by("pk")
            .first()
        )
        action = Action.objects.filter(owner=owner).order_by("pk").first()
        plan = action.plan
        inspection = plan.sources.order_by("pk").first()
        superuser, _ = User.objects.get_or_create(
            username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
        )
        pages = {
            "dashboard": (director, "/"),
            "dashboard_all_plans": (superuser, "/"),
            "plan": (director, plan.get_absolute_url()),
            "inspection": (director, f"/inspections/{inspection.pk}/"),
            "action": (director, f"/actions/{action.pk}/"),
            "my_actions": (owner, "/actions/mine/"),
            "search": (director, "/actions/?rag=red"),
        }
        results = {}
        for name, (user, path) in pages.items():
            client = Client()
            client.force_login(user)
            assert client.get(path).status_code == 200, (name, path)
            times = []
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            results[name] = (statistics.median(times), len(queries.captured_queries))
            print(f"page_ms[{name},{size}]: {results[name][0]:.1f}")
            print(f"page_queries[{name},{size}]: {results[name][1]}")
        return results

    started = time.perf_counter()
    generator.generate(councils=args.councils, actions=args.small, seed=1)
    print(f"generate_s[{args.small}]: {time.perf_counter() - started:.1f}")
    small = measure(args.small)
    started = time.perf_counter()
    generator.generate(councils=args.councils, actions=args.large - args.small, seed=2)
    print(f"generate_s[{args.large - args.small}]: {time.perf_counter() - started:.1f}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # The first generated councils keep their plans; the next run adds more councils and
    # actions, so each page is measured on the same user with a far larger database.
    large = measure(args.large)
    for name in small:
        print(
            f"page_ratio[{name},{args.large}:{args.small}]: {large[name][0] / small[name][0]:.2f}"
        )


if __name__ == "__main__":
    main()
