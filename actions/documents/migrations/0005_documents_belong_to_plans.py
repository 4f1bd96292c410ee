"""Documents belong to a plan; a submission also names the source it answers.

Every existing document was generated for an inspection as "the plan": it now belongs to
that inspection's plan and keeps the inspection as its source.
"""

import django.db.models.deletion
from django.db import migrations, models



class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_beat_schedule"),
        ("inspections", "0004_plans_and_repeats"),
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="documentversion",
            name="plan",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="document_versions",
                to="plans.plan",
            ),
        ),
    ]
