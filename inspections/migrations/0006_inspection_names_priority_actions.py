"""Whether a report names areas for priority action, kept on the report: a focused visit
or an area SEND inspection asks for a plan only then (Inspection.asks_for_a_plan).

Existing reports are filled in from their items and, for area SEND inspections, their
outcome (the worst always names areas for priority action). An area SEND inspection that names none
had been given a plan deadline counted from receipt, which it never asked for: that
worked-out date is removed (a date the report stated, or one an officer set, is kept).
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    Inspection = apps.get_model("inspections", "Inspection")
    Recommendation = apps.get_model("inspections", "Recommendation")
    Judgement = apps.get_model("inspections", "Judgement")
    named = Recommendation.objects.filter(priority=True).values("inspection_id")
    worst = Judgement.objects.filter(
        grade_text__icontains="widespread and/or systemic failings"
    ).values("inspection_id")
    Inspection.objects.filter(pk__in=named).update(names_priority_actions=True)
    Inspection.objects.filter(pk__in=worst).update(names_priority_actions=True)
    Inspection.objects.filter(
        inspection_type="send_area", names_priority_actions=False, plan_due_basis="formula"
    ).update(plan_due_date=None, plan_due_basis="")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0005_inspection_draft_plan_sent_at")]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="names_priority_actions",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
