"""Fill what 0005 added: each action's plan and the recommendation it answers, its
place in the plan, and each RAG snapshot's plan (see 0005). A migration of its own:
PostgreSQL does not alter a table in the transaction that filled it."""

from django.db import migrations
from django.db.models import ExpressionWrapper, F, OuterRef, PositiveIntegerField, Subquery

BATCH = 5000
# An action's place in its plan: by the order of the recommendation it answered, then its
# own order among that recommendation's actions (always far below the spacing).
SPACING = 10_000


def actions_into_plans(apps, schema_editor):
    Action = apps.get_model("actions", "Action")
    Recommendation = apps.get_model("inspections", "Recommendation")
    RagSnapshot = apps.get_model("actions", "RagSnapshot")
    Inspection = apps.get_model("inspections", "Inspection")
    Answers = Action.recommendations.through

    answered = Recommendation.objects.filter(pk=OuterRef("recommendation_id"))
    Action.objects.update(
        plan_id=Subquery(answered.values("inspection__plan_id")[:1]),
        order=ExpressionWrapper(
            Subquery(answered.values("order")[:1]) * SPACING + F("order"),
            output_field=PositiveIntegerField(),
        ),
    )
    RagSnapshot.objects.update(
        plan_id=Subquery(Inspection.objects.filter(pk=OuterRef("inspection_id")).values("plan_id")[:1])
    )
    rows = Action.objects.order_by("pk").values_list("pk", "recommendation_id").iterator(chunk_size=BATCH)
    batch = []
    for pk, recommendation_id in rows:
        batch.append(Answers(action_id=pk, recommendation_id=recommendation_id))
        if len(batch) == BATCH:
            Answers.objects.bulk_create(batch)
            batch = []
    Answers.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("actions", "0005_actions_belong_to_plans")]

    operations = [migrations.RunPython(actions_into_plans, migrations.RunPython.noop)]
