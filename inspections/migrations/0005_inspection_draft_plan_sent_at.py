from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inspections", "0004_plans_and_repeats")]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="draft_plan_sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
