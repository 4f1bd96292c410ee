"""A RAG reason no longer repeats the colour its tag shows ("Red: 12 working days
overdue", not "Red red: …"): the stored reasons lose their "red: " and the like, and a
closed action's reads "impact signed off" (its tag says "Blue (closed)"). The nightly
refresh rewrites open actions anyway; closed ones it leaves alone."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

COLOURS = ("red", "amber", "green", "blue")


def forwards(apps, schema_editor):
    Action = apps.get_model("actions", "Action")
    Action.objects.filter(rag_reason="blue: closed, impact signed off").update(
        rag_reason="impact signed off"
    )
    for colour in COLOURS:
        prefix = f"{colour}: "
        Action.objects.filter(rag_reason__startswith=prefix).update(
            rag_reason=Substr("rag_reason", len(prefix) + 1)
        )


def backwards(apps, schema_editor):
    Action = apps.get_model("actions", "Action")
    Action.objects.filter(rag="blue", rag_reason="impact signed off").update(
        rag_reason="blue: closed, impact signed off"
    )
    for colour in COLOURS:
        Action.objects.filter(rag=colour).exclude(rag_reason="").exclude(
            rag_reason__startswith=f"{colour}: "
        ).update(rag_reason=Concat(Value(f"{colour}: "), F("rag_reason")))


class Migration(migrations.Migration):
    dependencies = [("actions", "0007_plan_required")]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
