"""A throwaway PostgreSQL database for one benchmark run, created and dropped here."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from urllib.parse import urlparse


@contextlib.contextmanager
def throwaway_database(name: str, script: str) -> Iterator[str]:
    """Point DATABASE_URL at a new database `name` on the same server for the block."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(f"{script} needs DATABASE_URL pointing at PostgreSQL")
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = parsed._replace(path=f"/{name}").geturl()
    try:
        yield os.environ["DATABASE_URL"]
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
