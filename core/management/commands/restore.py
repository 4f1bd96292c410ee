"""python manage.py restore DIR [--no-input]

Puts back a backup made by `backup`: checks every checksum in the manifest first, then
replaces the database (PostgreSQL: `pg_restore --clean` in one transaction; SQLite:
SQLite's backup API) and the uploaded files: under MEDIA_ROOT, or with MEDIA_S3_BUCKET
every object under MEDIA_S3_PREFIX (so a backup taken on disk can also move the files
into a bucket). Stop the web, worker and beat processes first, restore with the same
version of the application that made the backup, then run `migrate` if the code is
newer (docs/deployment.md).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tarfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from .backup import (
    FORMAT_VERSION,
    MANIFEST,
    in_folder,
    postgres_environment,
    postgres_tool,
    run_tool,
    sha256_of,
    stored_names,
    uploads_storage,
)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.exists():
        raise CommandError(f"{folder} has no {MANIFEST}: not a finished backup.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise CommandError(f"Unknown backup format {manifest.get('format')!r}.")
    for part in ("database", "media"):
        file = folder / manifest[part]["file"]
        if not file.exists() or sha256_of(file) != manifest[part]["sha256"]:
            raise CommandError(f"{file} is missing or damaged (checksum differs): not restored.")
    return manifest


def restore_database(file: Path, engine: str) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != engine:
        raise CommandError(f"The backup is of {engine}; this database is {connection.vendor}.")
    if engine == "postgresql":
        connection.close()
        run_tool(
            [postgres_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
             "--no-privileges", "--single-transaction", "--exit-on-error",
             "--dbname", connection.settings_dict["NAME"], str(file)],
            postgres_environment(),
        )  # fmt: skip
    else:
        connection.ensure_connection()
        source = sqlite3.connect(file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def restore_media(archive: Path, expected: dict[str, str]) -> None:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    with tarfile.open(archive) as tar:
        # The "data" filter refuses absolute paths, "..", links out of the folder and
        # device files, whatever the archive holds.
        tar.extractall(root, filter="data")
    for name, checksum in expected.items():
        path = root / name
        if not path.is_file() or sha256_of(path) != checksum:
            raise CommandError(f"Uploaded file {name} differs from the manifest after restore.")


def check_plain_files(archive: Path) -> None:
    """Refuse an archive with anything but plain files under relative names (links,
    devices, absolute paths, ".."), before anything is replaced."""
    with tarfile.open(archive) as tar:
        unsafe = [
            member.name
            for member in tar.getmembers()
            if not member.isfile()
            or PurePosixPath(member.name).is_absolute()
            or ".." in PurePosixPath(member.name).parts
        ]
    if unsafe:
        raise CommandError(f"{archive} holds entries that are not plain files: {unsafe[:5]}")


def restore_storage(archive: Path, expected: dict[str, str], storage: Storage) -> None:
    """Replace every object in an object store with the archive's files (checked by
    check_plain_files first)."""
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        for name in stored_names(storage):
            storage.delete(name)
        for member in members:
            handle = tar.extractfile(member)
            if handle is None:  # not reached: only regular files pass the check above
                raise CommandError(f"Cannot read {member.name} from {archive}.")
            with handle:
                saved = storage.save(member.name, File(handle, name=member.name))
            if saved != member.name:
                raise CommandError(f"Uploaded file {member.name} was stored as {saved}.")
    for name, checksum in expected.items():
        digest = hashlib.sha256()
        with storage.open(name, "rb") as stored:
            for block in iter(lambda: stored.read(1024 * 1024), b""):
                digest.update(block)
        if digest.hexdigest() != checksum:
            raise CommandError(f"Uploaded file {name} differs from the manifest after restore.")


class Command(BaseCommand):
    help = "Restore a backup folder made by `backup` (replaces the database and uploads)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="do not ask to confirm"
        )

    def handle(self, *args: Any, folder: str, interactive: bool, **options: Any) -> None:
        path = Path(folder)
        manifest = read_manifest(path)
        if interactive:
            answer = input(
                f"Replace the database and every uploaded file with the backup of "
                f"{manifest['created_at']}? Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        storage = uploads_storage()
        archive, files = path / manifest["media"]["file"], manifest["media"]["files"]
        if not in_folder(storage):
            check_plain_files(archive)
        restore_database(path / manifest["database"]["file"], manifest["engine"])
        if in_folder(storage):
            restore_media(archive, files)
        else:
            restore_storage(archive, files, storage)
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} "
            f"({len(manifest['media']['files'])} uploaded files). Run `migrate` if this "
            "version of the application is newer than the backup."
        )
