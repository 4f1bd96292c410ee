"""Actions belong to a plan and answer zero or more recommendations.

Each action keeps answering the recommendation it answered, now as one of its
`recommendations`, and belongs to the plan of that recommendation's inspection (made by
inspections 0004, one per inspection, numbered as the inspection). Its place in the plan
follows the order it had: by recommendation, then its own order. RAG snapshots and plan
summaries were kept per inspection as "the plan"; they now name the plan, which carries
the same number, so no row changes its value.
"""

import django.db.models.deletion
from django.db import migrations, models


def check_plans_keep_inspection_numbers(apps, schema_editor):
    Inspection = apps.get_model("inspections", "Inspection")
    if Inspection.objects.exclude(plan_id=models.F("pk")).exists():
        raise RuntimeError("Every inspection must be the source of the plan with its number.")


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0004_single_line_titles"),
        ("inspections", "0004_plans_and_repeats"),
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(check_plans_keep_inspection_numbers, migrations.RunPython.noop),
        migrations.AddField(
            model_name="action",
            name="plan",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="actions", to="plans.plan"
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="recommendations",
            field=models.ManyToManyField(blank=True, related_name="actions", to="inspections.recommendation"),
        ),
        migrations.AddField(
            model_name="action",
            name="theme",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="actions",
                to="plans.theme",
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="wider_area",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="actions",
                to="plans.widerarea",
            ),
        ),
        migrations.AddField(
            model_name="ragsnapshot",
            name="plan",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="rag_snapshots", to="plans.plan"
            ),
        ),
    ]
