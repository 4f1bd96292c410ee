"""Every existing inspection becomes the one source of a plan of its own.

Each plan takes its inspection's number, so the addresses people saved and the rows
that pointed at an inspection as "the plan" (summaries, RAG snapshots, documents, see
the migrations of actions and documents that follow) keep pointing at the same plan.
"""

import django.db.models.deletion
from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations, models


def plan_title(inspection) -> str:
    kind = inspection.get_inspection_type_display()
    year = inspection.publication_date.year if inspection.publication_date else "undated"
    return f"{inspection.local_authority.name}: improvement plan ({kind}, {year})"


def one_plan_per_inspection(apps, schema_editor):
    Inspection = apps.get_model("inspections", "Inspection")
    Plan = apps.get_model("plans", "Plan")
    batch = []
    for inspection in Inspection.objects.select_related("local_authority").order_by("pk").iterator():
        batch.append(
            Plan(
                pk=inspection.pk,
                local_authority_id=inspection.local_authority_id,
                title=plan_title(inspection)[:300],
                status="submitted" if inspection.plan_submitted_at else "draft",
            )
        )
        if len(batch) == 1000:
            Plan.objects.bulk_create(batch)
            batch = []
    Plan.objects.bulk_create(batch)
    Inspection.objects.update(plan_id=models.F("pk"))
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Plan]):
            cursor.execute(statement)


def forget_plans(apps, schema_editor):
    apps.get_model("inspections", "Inspection").objects.update(plan=None)
    apps.get_model("plans", "Plan").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_recommendation_national_framework"),
        ("plans", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sources",
                to="plans.plan",
            ),
        ),
        migrations.RunPython(one_plan_per_inspection, forget_plans),
        migrations.CreateModel(
            name="RecommendationRepeat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("score", models.FloatField(help_text="The detector's similarity, 0 to 100.")),
                (
                    "status",
                    models.CharField(
                        choices=[("suggested", "Suggested"), ("confirmed", "Confirmed"), ("dismissed", "Dismissed")],
                        default="suggested",
                        max_length=12,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "earlier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="repeated_by_links",
                        to="inspections.recommendation",
                    ),
                ),
                (
                    "recommendation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="repeat_links",
                        to="inspections.recommendation",
                    ),
                ),
            ],
            options={
                "ordering": ["recommendation", "-score", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("recommendation", "earlier"), name="repeat_unique_pair"),
                    models.CheckConstraint(
                        condition=models.Q(("recommendation", models.F("earlier")), _negated=True),
                        name="repeat_not_itself",
                    ),
                ],
            },
        ),
    ]
