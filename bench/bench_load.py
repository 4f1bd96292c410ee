"""Load test: 50 clients mixing reads and writes for 60 s against gunicorn on PostgreSQL.

Each client is a signed-in action owner: it reads the dashboard, its actions and an action
page, and records progress on its own action (one write in five). Afterwards every write
the server acknowledged must be in the database. The run is repeated with the broker
unreachable (REDIS_URL pointing at a closed port): pages must still serve.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/closing_the_loop \
        .venv/bin/python bench/bench_load.py [--clients 50] [--seconds 60]

The load generator runs in separate processes on this machine (loopback only).
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import configure  # noqa: E402
from bench.serving import free_port, wait_until_serving  # noqa: E402
from bench.throwaway import throwaway_database  # noqa: E402

BENCH_DB = "closing_the_loop_bench_load"
MARKER = "Load test progress"
SESSION_COOKIE = "sessionid"  # SESSION_COOKIE_SECURE is off for this plain-http run
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def peak_rss_mib(pids: list[int]) -> float:
    """The largest peak resident set (VmHWM) among these processes, in MiB."""
    peaks = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return max(peaks, default=0.0)


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def client_loop(port: int, session: str, action_id: int, until: float, out) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cookies = f"{SESSION_COOKIE}={session}"
    latencies, errors, acknowledged, n = [], 0, 0, 0

    def request(method: str, path: str, body: str | None = None, headers=None):
        nonlocal cookies
        started = time.perf_counter()
        conn.request(method, path, body=body, headers={"Cookie": cookies, **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                token = value.split(";")[0]
                cookies = f"{SESSION_COOKIE}={session}; {token}"
        return response.status, data

    try:
        status, page = request("GET", f"/actions/{action_id}/")
        token = CSRF.search(page.decode()).group(1)
    except Exception as exc:  # report, never hang the run
        out.put((latencies, 1, 0, f"client could not start: {exc!r}"))
        return
    paths = ["/", "/actions/mine/", f"/actions/{action_id}/", "/actions/?rag=red"]
    while time.monotonic() < until:
        n += 1
        try:
            if n % 5 == 0:
                _, page = request("GET", f"/actions/{action_id}/")
                version = re.search(r'name="progress-version" value="(\d+)"', page.decode()).group(
                    1
                )
                body = (
                    f"csrfmiddlewaretoken={token}&progress-version={version}"
                    f"&progress-text={MARKER.replace(' ', '+')}+{n}"
                )
                status, _ = request(
                    "POST",
                    f"/actions/{action_id}/progress/",
                    body,
                    {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Referer": f"http://127.0.0.1:{port}/actions/{action_id}/",
                    },
                )
                if status == 302:
                    acknowledged += 1
                else:
                    errors += 1
            else:
                status, _ = request("GET", paths[n % len(paths)])
                errors += status != 200
        except (OSError, http.client.HTTPException, AttributeError):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    out.put((latencies, errors, acknowledged, ""))


def worker_process(port, jobs, until, out) -> None:
    threads = [threading.Thread(target=client_loop, args=(port, s, a, until, out)) for s, a in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def load(port: int, clients: list[tuple[str, int]], seconds: int, processes: int = 5) -> dict:
    out = multiprocessing.Queue()
    until = time.monotonic() + seconds
    chunks = [clients[i::processes] for i in range(processes)]
    procs = [
        multiprocessing.Process(target=worker_process, args=(port, c, until, out)) for c in chunks
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds + 120) for _ in clients]
    for problem in {r[3] for r in results if r[3]}:
        print(f"problem: {problem}")
    for p in procs:
        p.join()
    latencies = sorted(x for r in results for x in r[0])
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(len(latencies) * 0.95)],
        "errors": sum(r[1] for r in results),
        "acknowledged_writes": sum(r[2] for r in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--actions", type=int, default=10_000)
    args = parser.parse_args()
    configure(SESSION_COOKIE_SECURE="false", ALLOWED_HOSTS="127.0.0.1")
    with throwaway_database(BENCH_DB, "bench_load"):
        run(args)


def run(args) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from actions.models import Action, ProgressUpdate, Status
    from bench import generator
    from core.models import User

    call_command("migrate", verbosity=0)
    generator.generate(councils=10, actions=args.actions, seed=3)
    owners = list(
        User.objects.filter(groups__name="Action owners", owned_actions__isnull=False)
        .distinct()
        .order_by("pk")[: args.clients]
    )
    clients = []
    for owner in owners:
        action = owner.owned_actions.order_by("pk").first()
        Action.objects.filter(pk=action.pk).update(status=Status.IN_PROGRESS)
        # A real sign-in, so the session carries what the session rules check.
        browser = Client()
        browser.force_login(owner)
        clients.append((browser.cookies[settings.SESSION_COOKIE_NAME].value, action.pk))
    print(
        f"command: DATABASE_URL=… python bench/bench_load.py --clients {args.clients} "
        f"--seconds {args.seconds}"
    )
    for label, redis in (
        ("redis_up", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")),
        ("redis_down", f"redis://127.0.0.1:{free_port()}/0"),
    ):
        port = free_port()
        env = {**os.environ, "REDIS_URL": redis}
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
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1",
             "--loglevel=WARNING"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        try:
            wait_until_serving(port)
            before = ProgressUpdate.objects.filter(text__startswith=MARKER).count()
            if label == "redis_up":
                # Real work for the worker while the pages are under load.
                from config.celery import app

                app.send_task("actions.refresh_all_rags")
            result = load(port, clients, args.seconds)
            stored = ProgressUpdate.objects.filter(text__startswith=MARKER).count() - before
            result["gunicorn_worker_peak_rss_mib"] = peak_rss_mib(children(server.pid))
            result["celery_worker_peak_rss_mib"] = peak_rss_mib([worker.pid, *children(worker.pid)])
        finally:
            server.send_signal(signal.SIGTERM)
            worker.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            worker.wait(timeout=60)
        for name, value in result.items():
            print(
                f"load_{name}[{label}]: {value:.1f}"
                if isinstance(value, float)
                else f"load_{name}[{label}]: {value}"
            )
        print(f"load_lost_writes[{label}]: {result['acknowledged_writes'] - stored}")


if __name__ == "__main__":
    main()
