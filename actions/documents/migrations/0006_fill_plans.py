"""Name each document's plan (see 0005). The database's lock on submitted versions
(0002) is lifted for this update and put back: it changes no content, it names the plan
the version always belonged to. A migration of its own: PostgreSQL does not alter a
table in the transaction that filled it."""

from importlib import import_module

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

lock = import_module("actions.documents.migrations.0002_submitted_versions_are_locked")
LIFT = lock._run({"postgresql": lock.POSTGRESQL_REVERSE, "sqlite": lock.SQLITE_REVERSE})
PUT_BACK = lock._run({"postgresql": lock.POSTGRESQL, "sqlite": lock.SQLITE})


def documents_into_plans(apps, schema_editor):
    DocumentVersion = apps.get_model("documents", "DocumentVersion")
    Inspection = apps.get_model("inspections", "Inspection")
    plan_of = Inspection.objects.filter(pk=OuterRef("inspection_id")).values("plan_id")[:1]
    # A plain queryset update: submitted versions refuse save() and the model's own
    # update(); this changes no content, it names the plan the version belonged to.
    models.QuerySet(DocumentVersion).update(plan_id=Subquery(plan_of))


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_documents_belong_to_plans")]

    operations = [
        migrations.RunPython(LIFT, PUT_BACK),
        migrations.RunPython(documents_into_plans, migrations.RunPython.noop),
        migrations.RunPython(PUT_BACK, LIFT),
    ]
