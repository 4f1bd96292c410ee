"""A document needs a plan; its source is optional (see 0005 and 0006)."""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

lock = import_module("actions.documents.migrations.0002_submitted_versions_are_locked")
LIFT = lock._run({"postgresql": lock.POSTGRESQL_REVERSE, "sqlite": lock.SQLITE_REVERSE})
PUT_BACK = lock._run({"postgresql": lock.POSTGRESQL, "sqlite": lock.SQLITE})


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_fill_plans")]

    operations = [
        migrations.RunPython(LIFT, PUT_BACK),
        migrations.AlterField(
            model_name="documentversion",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="document_versions", to="plans.plan"
            ),
        ),
        migrations.AlterField(
            model_name="documentversion",
            name="inspection",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="document_versions",
                to="inspections.inspection",
            ),
        ),
        migrations.AddIndex(
            model_name="documentversion",
            index=models.Index(fields=["plan", "kind", "requested_at"], name="documents_d_plan_id_a5669d_idx"),
        ),
        migrations.RunPython(PUT_BACK, LIFT),
    ]
