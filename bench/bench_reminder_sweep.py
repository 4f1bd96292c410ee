"""Reminder sweep: does its cost follow what is due, or the number of actions?

Builds a throwaway PostgreSQL database, fills it with 1,000 and then 100,000 actions of
which the same few hundred have a reminder due today, and times one sweep (recording the
reminders, no sending) as the median of several runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/closing_the_loop \\
        .venv/bin/python bench/bench_reminder_sweep.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "closing_the_loop_bench_reminders"
TODAY = dt.date(2025, 6, 11)  # a Wednesday
RUNS = 7
SIZES = (1_000, 100_000)


def refuse(message: str) -> None:
    sys.exit(f"bench_reminder_sweep: {message}")


def database_urls() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        refuse(
            "needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/dbname (the bench "
            f"creates and drops its own database, {BENCH_DB}, on that server)"
        )
    # CREATE/DROP DATABASE run from the server's maintenance database.
    maintenance = urlunparse(parsed._replace(path="/postgres"))
    return maintenance, urlunparse(parsed._replace(path=f"/{BENCH_DB}"))


def recreate(admin_url: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def setup_django(bench_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class World:
    """People, plans and the due dates to use."""

    def __init__(self) -> None:
        from django.contrib.auth.models import Group

        from actions.reminders.policy import Policy, Window, action_occasions
        from core.deadlines import add_working_days
        from core.models import Organisation, User
        from inspections.models import Inspection, Recommendation

        self.council = Organisation.objects.create(name="Bench Council")
        owners = Group.objects.get(name="Action owners")
        directors = Group.objects.get(name="Directors")
        self.owners = [
            User.objects.create(
                username=f"owner{n}", email=f"owner{n}@example.org", organisation=self.council
            )
            for n in range(100)
        ]
        for user in self.owners:
            user.groups.add(owners)
        self.director = User.objects.create(
            username="director", email="d@example.org", organisation=self.council
        )
        self.director.groups.add(directors)
        self.recommendations = []
        for n in range(20):
            inspection = Inspection.objects.create(
                local_authority=self.council,
                inspection_type="ilacs",
                publication_date=TODAY - dt.timedelta(days=400 + n),
                plan_submitted_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            )
            self.recommendations += [
                Recommendation.objects.create(inspection=inspection, text=f"R{n}.{k}", order=k)
                for k in range(10)
            ]
        policy = Policy.from_settings()
        window = Window(TODAY, TODAY)
        self.due_dates = [add_working_days(TODAY, days) for days in (10, 5, 1)] + [TODAY]
        self.due_dates += [add_working_days(TODAY, -(1 + 5 * j)) for j in range(0, 40)]
        self.due_dates.append(add_working_days(TODAY, -policy.escalate_after))
        self.quiet_dates = [
            TODAY + dt.timedelta(days=offset)
            for offset in range(-500, 500)
            if not action_occasions(
                action_id=0, due=TODAY + dt.timedelta(days=offset), policy=policy, window=window
            )
        ]

    def actions(self, count: int, *, due: bool, start: int) -> list:
        from actions.models import Action

        dates = self.due_dates if due else self.quiet_dates
        return [
            Action(
                recommendation=self.recommendations[(start + n) % len(self.recommendations)],
                title=f"Action {start + n}",
                owner=self.owners[(start + n) % len(self.owners)],
                assigned_by=self.director,
                due_date=dates[(start + n) % len(dates)],
                status="in_progress" if (start + n) % 10 else "closed",
            )
            for n in range(count)
        ]


def time_sweep() -> tuple[float, int]:
    from django.db import connection
    from django.utils import timezone

    from actions.reminders.models import Reminder, SweepRun
    from actions.reminders.sweep import record_due_reminders

    timings, created = [], 0
    for _ in range(RUNS):
        Reminder.objects.all().delete()
        SweepRun.objects.all().delete()
        # Sweeps ran every day until yesterday: today's window is one day, as in production.
        SweepRun.objects.create(
            started_at=timezone.now(),
            finished_at=timezone.now(),
            window_end=TODAY - dt.timedelta(days=1),
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        started = time.perf_counter()
        created = record_due_reminders(today=TODAY, source="bench").created
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), created


def main() -> None:
    given = os.environ.get("DATABASE_URL", "")
    admin_url, bench_url = database_urls()
    recreate(admin_url)
    try:
        setup_django(bench_url)
        from actions.models import Action

        world = World()
        due_count = 300
        Action.objects.bulk_create(world.actions(due_count, due=True, start=0), batch_size=5000)
        results = {}
        total = due_count
        for size in SIZES:
            filler = world.actions(size - total, due=False, start=total)
            Action.objects.bulk_create(filler, batch_size=5000)
            total = size
            assert Action.objects.count() == size
            results[size] = time_sweep()
        created = {n for _, n in results.values()}
        if len(created) != 1:
            refuse(f"the two sizes recorded different numbers of reminders: {results}")
        from django.db import connections

        connections.close_all()
    finally:
        recreate(admin_url, drop_only=True)

    print(f"command: DATABASE_URL={redact(given)} .venv/bin/python bench/bench_reminder_sweep.py")
    print(f"reminders_due: {created.pop()}")
    for size in SIZES:
        print(f"reminder_sweep_ms[{size}]: {results[size][0]:.1f}")
    print(f"reminder_sweep_ratio: {results[SIZES[-1]][0] / results[SIZES[0]][0]:.2f}")


def redact(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password:
        parsed = parsed._replace(netloc=parsed.netloc.replace(f":{parsed.password}@", ":***@"))
    return urlunparse(parsed)


if __name__ == "__main__":
    main()
