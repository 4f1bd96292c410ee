"""Actions need a plan, and answer recommendations only through `recommendations`.

Separate from 0006 because PostgreSQL does not alter a table in the transaction that
filled it (its deferred foreign-key checks are still pending).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("actions", "0006_fill_plans")]

    operations = [
        migrations.AlterModelOptions(name="action", options={"ordering": ["plan", "order", "id"]}),
        migrations.RemoveField(model_name="action", name="recommendation"),
        migrations.AlterField(
            model_name="action",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="actions", to="plans.plan"
            ),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(fields=["plan", "order"], name="actions_act_plan_id_35d9e2_idx"),
        ),
        migrations.RemoveConstraint(model_name="ragsnapshot", name="one_rag_snapshot_a_day"),
        migrations.RemoveField(model_name="ragsnapshot", name="inspection"),
        migrations.AlterField(
            model_name="ragsnapshot",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="rag_snapshots", to="plans.plan"
            ),
        ),
        migrations.AlterModelOptions(name="ragsnapshot", options={"ordering": ["plan", "date"]}),
        migrations.AddConstraint(
            model_name="ragsnapshot",
            constraint=models.UniqueConstraint(fields=("plan", "date"), name="one_rag_snapshot_a_day"),
        ),
        migrations.RenameField(model_name="plansummary", old_name="inspection", new_name="plan"),
        migrations.AlterField(
            model_name="plansummary",
            name="plan",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="summary",
                serialize=False,
                to="plans.plan",
            ),
        ),
    ]
