"""python manage.py backup --output DIR

One folder per backup:
- database.dump (PostgreSQL: `pg_dump --format=custom`) or database.sqlite3 (SQLite: a
  consistent copy through SQLite's online backup API, safe while the service runs);
- media.tar: every uploaded file, from MEDIA_ROOT or, with MEDIA_S3_BUCKET, from the
  bucket (every object under MEDIA_S3_PREFIX, read through the storage one at a time);
- manifest.json, written last: what was backed up, when, from which migrations, and the
  SHA-256 of every file (and of every uploaded file inside media.tar). A folder without
  a manifest is an unfinished backup; `restore` refuses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FORMAT_VERSION = 1


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def postgres_environment(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """libpq variables for pg_dump/pg_restore: the password never appears in `ps`."""
    db = connections[alias].settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    options = db.get("OPTIONS", {})
    if options.get("sslmode"):
        env["PGSSLMODE"] = options["sslmode"]
    return env


def postgres_tool(name: str) -> str:
    """The path of pg_dump or pg_restore (PG_BIN_DIR first; it must be at least the
    server's major version)."""
    directory = os.environ.get("PG_BIN_DIR")
    found = shutil.which(name, path=directory) if directory else shutil.which(name)
    if not found:
        raise CommandError(f"{name} is not installed (apt-get install postgresql-client).")
    return found


def run_tool(args: list[str], env: dict[str, str]) -> None:
    # Arguments are a list (no shell) and come from settings, not from a request.
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{Path(args[0]).name} failed: {result.stderr.strip()}")


def dump_database(target: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        run_tool(
            [postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(target)],
            postgres_environment(),
        )  # fmt: skip
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        raise CommandError(f"Backing up {connection.vendor} is not supported.")


def media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def archive_media(root: Path, target: Path) -> dict[str, str]:
    """Tar every uploaded file; returns {relative path: sha256}."""
    checksums: dict[str, str] = {}
    with tarfile.open(target, "w") as tar:
        for path in media_files(root):
            name = path.relative_to(root).as_posix()
            checksums[name] = sha256_of(path)
            tar.add(path, arcname=name, recursive=False)
    return checksums


def uploads_storage() -> Storage:
    """Where uploaded files live: the folder MEDIA_ROOT or an object store."""
    return storages["default"]


def in_folder(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file name in a storage, through the storage API (for object stores)."""
    directories, files = storage.listdir(folder)
    names = [f"{folder}{name}" for name in files]
    for directory in directories:
        names += stored_names(storage, f"{folder}{directory}/")
    return sorted(names)


def archive_storage(storage: Storage, target: Path) -> dict[str, str]:
    """Tar every file of an object store, one at a time; returns {name: sha256}."""
    checksums: dict[str, str] = {}
    with tarfile.open(target, "w") as tar:
        for name in stored_names(storage):
            with storage.open(name, "rb") as handle:
                digest = hashlib.sha256()
                for block in iter(lambda: handle.read(1024 * 1024), b""):
                    digest.update(block)
                handle.seek(0)
                info = tarfile.TarInfo(name)
                info.size = handle.size
                info.mtime = int(timezone.now().timestamp())
                tar.addfile(info, handle)
            checksums[name] = digest.hexdigest()
    return checksums


def applied_migrations() -> dict[str, str]:
    """The latest applied migration of each app: restore into the same code version."""
    latest: dict[str, str] = {}
    recorder = MigrationRecorder(connections[DEFAULT_DB_ALIAS])
    for app, name in sorted(recorder.applied_migrations()):
        latest[app] = max(latest.get(app, ""), name)
    return latest


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a new folder with a checksum manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="an empty or new folder")

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        folder = Path(output)
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty: give a new folder for each backup.")
        folder.mkdir(parents=True, exist_ok=True)
        vendor = connections[DEFAULT_DB_ALIAS].vendor
        if vendor not in DATABASE_FILES:
            raise CommandError(f"Backing up {vendor} is not supported.")
        database = folder / DATABASE_FILES[vendor]
        dump_database(database)
        storage = uploads_storage()
        media = folder / MEDIA_ARCHIVE
        if in_folder(storage):
            checksums = archive_media(Path(settings.MEDIA_ROOT), media)
            source = "folder"
        else:
            checksums = archive_storage(storage, media)
            source = "object storage"
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": vendor,
            "migrations": applied_migrations(),
            "database": {
                "file": database.name,
                "sha256": sha256_of(database),
                "bytes": database.stat().st_size,
            },
            "media": {
                "file": media.name,
                "sha256": sha256_of(media),
                "bytes": media.stat().st_size,
                "from": source,
                "files": checksums,
            },
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        self.stdout.write(
            f"Backed up the {vendor} database and {len(checksums)} uploaded files "
            f"(from the {source}) to {folder}."
        )
        if source == "object storage":
            self.stdout.write(
                "Keep the bucket's versioning (or replication) on as well: it also covers "
                "files uploaded after this backup (docs/deployment.md)."
            )
