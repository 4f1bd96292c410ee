"""A task for the worker tests, loaded into the worker with `--include tests.ops.tasks`.

It appends "start" to a file, and the first time it runs it then waits long enough to
be killed; a later run appends "done". Running it twice is harmless (acks_late)."""

import time
from pathlib import Path

from config.celery import app


@app.task(name="ops.slow_write", acks_late=True, reject_on_worker_lost=True)
def slow_write(path: str, first_run_seconds: float = 60) -> None:
    target = Path(path)
    with target.open("a") as out:
        out.write("start\n")
    if target.read_text().count("start") == 1:
        time.sleep(first_run_seconds)
    with target.open("a") as out:
        out.write("done\n")
