import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FRAMEWORK_KINDS = [("outcome", "Outcome"), ("enabler", "Enabler"), ("principle", "Principle")]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0004_auditentry_ip"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Plan",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=300)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("in_delivery", "In delivery"),
                            ("closed", "Closed"),
                        ],
                        default="draft",
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "lead_director",
                    models.ForeignKey(
                        blank=True,
                        help_text="The director of children's services who owns the plan.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "local_authority",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="plans", to="core.organisation"
                    ),
                ),
            ],
            options={"ordering": ["local_authority__name", "-created_at", "-id"]},
        ),
        migrations.CreateModel(
            name="Theme",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=300)),
                ("framework_kind", models.CharField(blank=True, choices=FRAMEWORK_KINDS, max_length=16)),
                ("framework_number", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("order", models.PositiveIntegerField(default=0)),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="themes", to="plans.plan"
                    ),
                ),
            ],
            options={
                "ordering": ["plan", "order", "id"],
                "constraints": [models.UniqueConstraint(fields=("plan", "name"), name="theme_unique_name_in_plan")],
            },
        ),
        migrations.CreateModel(
            name="WiderArea",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.TextField()),
                (
                    "origin",
                    models.CharField(
                        choices=[
                            ("self_assessment", "Self-assessment"),
                            ("audit", "Audit"),
                            ("partner_review", "Partner review"),
                            ("monitoring_visit", "Monitoring visit finding"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "origin_detail",
                    models.CharField(
                        blank=True, help_text="Where it came from, e.g. the audit's name.", max_length=300
                    ),
                ),
                ("order", models.PositiveIntegerField(default=0)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="wider_areas", to="plans.plan"
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="wider_areas",
                        to="plans.theme",
                    ),
                ),
            ],
            options={"ordering": ["plan", "order", "id"]},
        ),
    ]
