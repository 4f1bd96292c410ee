"""The database itself refuses to change or delete a submitted document version.

The model and its queryset refuse too; this catches writes that go around them
(raw SQL, a shell, another program on the same database).
"""

from django.db import migrations

TABLE = "documents_documentversion"
MESSAGE = "a submitted document version cannot be changed or deleted"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION documents_version_locked() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (id %)', OLD.id;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER documents_version_locked
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW WHEN (OLD.submitted_at IS NOT NULL)
    EXECUTE FUNCTION documents_version_locked();
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS documents_version_locked ON {TABLE};",
    "DROP FUNCTION IF EXISTS documents_version_locked();",
]
SQLITE = [
    f"""
    CREATE TRIGGER documents_version_no_update BEFORE UPDATE ON {TABLE}
    WHEN OLD.submitted_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER documents_version_no_delete BEFORE DELETE ON {TABLE}
    WHEN OLD.submitted_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS documents_version_no_update;",
    "DROP TRIGGER IF EXISTS documents_version_no_delete;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
