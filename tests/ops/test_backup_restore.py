"""Back up → wipe → restore → compare: every row of every table and every uploaded file
identical. On SQLite always; on PostgreSQL (pg_dump/pg_restore) when it is available;
with uploads on disk and in an S3-compatible bucket (moto's server)."""

import hashlib
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from actions.models import Action, Evidence
from core.audit import record
from core.management.commands.backup import sha256_of
from core.models import AuditEntry
from inspections.models import RecommendationRepeat
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    MeasureReadingFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    ThemeFactory,
    WiderAreaFactory,
)

# The plans app's tables and the ones that tie a plan together: a backup must hold them.
PLAN_TABLES = [
    "plans_plan",
    "plans_theme",
    "plans_widerarea",
    "actions_action_recommendations",
    "inspections_recommendationrepeat",
]


def every_row() -> dict[str, list[tuple]]:
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from the schema
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def every_file(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def a_plan_with_uploads(director, owner):
    """A plan fed by two reports, with a report held as history whose item it repeats, a
    theme and a wider area; an action answering items of both sources, with uploads."""
    ilacs = InspectionFactory()
    plan = ilacs.plan
    plan.lead_director = director
    plan.save()
    focused = InspectionFactory(
        plan=plan, local_authority=plan.local_authority, inspection_type="focused_visit"
    )
    held = InspectionFactory(plan=None, local_authority=plan.local_authority)
    items = [RecommendationFactory(inspection=ilacs), RecommendationFactory(inspection=focused)]
    RecommendationRepeat.objects.create(
        recommendation=items[1], earlier=RecommendationFactory(inspection=held), score=88.0
    )
    theme = ThemeFactory(plan=plan, name="Outcome 4: stable, loving homes")
    WiderAreaFactory(plan=plan, theme=theme, created_by=director)
    action = ActionFactory(
        recommendation=None,
        answers=items,
        plan=plan,
        theme=theme,
        owner=owner,
        assigned_by=director,
        title="Café – “quotes” & ünïcode",
    )
    ProgressUpdateFactory(action=action, author=owner)
    MeasureReadingFactory(measure__action=action)
    for name, content in [
        ("minutes.pdf", b"%PDF-1.7\n" + bytes(range(256))),
        ("chart.png", b"\x89PNG\r\n"),
    ]:
        evidence = Evidence(action=action, description=name, added_by=owner)
        evidence.file.save(name, ContentFile(content), save=True)
    record(actor=director, verb="assign_owner", obj=action, after={"owner": owner.pk})


def newest_action() -> Action:
    return Action.objects.order_by("-pk").first()


def wipe(media_root: Path | None) -> None:
    """Lose everything: every table dropped, every upload in the folder deleted."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    if media_root is not None:
        shutil.rmtree(media_root)
    assert connection.introspection.table_names() == []


def round_trip(tmp_path, settings) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    rows_before, files_before = every_row(), every_file(media_root)
    assert len(files_before) == 2
    assert all(rows_before[table] for table in PLAN_TABLES)

    call_command("backup", "--output", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["media"]["files"] == files_before
    assert manifest["migrations"]["core"].startswith("000")

    wipe(media_root)
    call_command("restore", str(tmp_path / "backup"), "--no-input")

    assert every_row() == rows_before
    assert every_file(media_root) == files_before
    # Sequences came back too: new rows don't collide with restored ones.
    newest = AuditEntry.objects.order_by("-pk").first().pk
    assert record(actor=None, verb="check", obj=newest_action()).pk > newest


def test_backup_wipe_restore_gives_back_every_row_and_file(
    transactional_db, director, owner, settings, tmp_path
):
    a_plan_with_uploads(director, owner)
    round_trip(tmp_path, settings)


@pytest.mark.services
def test_backup_wipe_restore_on_postgresql(
    postgres, transactional_db, director, owner, settings, tmp_path
):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed")
    a_plan_with_uploads(director, owner)
    round_trip(tmp_path, settings)


def test_a_damaged_backup_is_refused_before_anything_is_touched(
    transactional_db, director, owner, settings, tmp_path
):
    a_plan_with_uploads(director, owner)
    call_command("backup", "--output", str(tmp_path / "backup"))
    media = tmp_path / "backup" / "media.tar"
    media.write_bytes(media.read_bytes()[:-10])
    rows = every_row()

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(tmp_path / "backup"), "--no-input")
    assert every_row() == rows


def test_a_backup_needs_a_new_folder(db, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "--output", str(tmp_path / "old"))


def test_an_unfinished_backup_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="not a finished backup"):
        call_command("restore", str(tmp_path), "--no-input")


def every_object(bucket) -> dict[str, str]:
    return {key: hashlib.sha256(bucket.read(key)).hexdigest() for key in bucket.object_keys()}


def test_backup_wipe_restore_with_uploads_in_a_bucket(
    transactional_db, director, owner, tmp_path, s3_bucket, capsys
):
    a_plan_with_uploads(director, owner)
    rows_before, objects_before = every_row(), every_object(s3_bucket)
    assert len(objects_before) == 2
    assert all(key.startswith("uploads/evidence/") for key in objects_before)

    call_command("backup", "--output", str(tmp_path / "backup"))

    said = capsys.readouterr().out
    assert "2 uploaded files (from the object storage)" in said
    assert "versioning" in said
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["media"]["from"] == "object storage"
    # Names in the storage, without the bucket's prefix, as on disk.
    assert manifest["media"]["files"] == {
        key.removeprefix("uploads/"): digest for key, digest in objects_before.items()
    }

    wipe(None)
    s3_bucket.empty()
    s3_bucket.put("uploads/evidence/uploaded-after-the-backup.pdf", b"%PDF-1.7 later")
    call_command("restore", str(tmp_path / "backup"), "--no-input")

    assert every_row() == rows_before
    assert every_object(s3_bucket) == objects_before, "the bucket holds what was backed up"
    evidence = Evidence.objects.order_by("pk").first()
    with evidence.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-1.7")


def test_a_backup_taken_on_disk_restores_into_a_bucket(
    transactional_db, director, owner, settings, tmp_path, request
):
    a_plan_with_uploads(director, owner)
    files_before = every_file(Path(settings.MEDIA_ROOT))
    call_command("backup", "--output", str(tmp_path / "backup"))
    rows_before = every_row()

    bucket = request.getfixturevalue("s3_bucket")  # from now on uploads are in the bucket
    wipe(Path(settings.MEDIA_ROOT))
    call_command("restore", str(tmp_path / "backup"), "--no-input")

    assert every_row() == rows_before
    assert every_object(bucket) == {f"uploads/{name}": d for name, d in files_before.items()}


def test_an_archive_with_links_is_refused_before_the_bucket_or_database_is_touched(
    transactional_db, director, owner, tmp_path, s3_bucket
):
    a_plan_with_uploads(director, owner)
    call_command("backup", "--output", str(tmp_path / "backup"))
    media = tmp_path / "backup" / "media.tar"
    with tarfile.open(media, "a") as tar:
        link = tarfile.TarInfo("evidence/escape.pdf")
        link.type, link.linkname = tarfile.SYMTYPE, "../../etc/passwd"
        tar.addfile(link)
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["media"]["sha256"] = sha256_of(media)  # a consistent but hostile backup
    manifest_path.write_text(json.dumps(manifest))
    rows, objects = every_row(), every_object(s3_bucket)

    with pytest.raises(CommandError, match="not plain files"):
        call_command("restore", str(tmp_path / "backup"), "--no-input")
    assert every_row() == rows
    assert every_object(s3_bucket) == objects
