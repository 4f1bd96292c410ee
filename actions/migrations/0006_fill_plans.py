"""Fill what 0005 added: each action's plan and the recommendation it answers, its
place in the plan, and each RAG snapshot's plan (see 0005). A migration of its own:
PostgreSQL does not alter a table in the transaction that filled it."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH = 2000


def actions_into_plans(apps, schema_editor):
    Action = apps.get_model("actions", "Action")
    Recommendation = apps.get_model("inspections", "Recommendation")
    RagSnapshot = apps.get_model("actions", "RagSnapshot")
    Inspection = apps.get_model("inspections", "Inspection")
    Answers = Action.recommendations.through

    plan_of_recommendation = Recommendation.objects.filter(pk=OuterRef("recommendation_id")).values(
        "inspection__plan_id"
    )
    Action.objects.update(plan_id=Subquery(plan_of_recommendation[:1]))
    RagSnapshot.objects.update(
        plan_id=Subquery(Inspection.objects.filter(pk=OuterRef("inspection_id")).values("plan_id")[:1])
    )

    rows = (
        Action.objects.order_by("plan_id", "recommendation__order", "order", "pk")
        .values_list("pk", "plan_id", "recommendation_id")
        .iterator(chunk_size=BATCH)
    )
    answers, reorder, plan, position = [], [], None, 0
    for pk, plan_id, recommendation_id in rows:
        position = position + 1 if plan_id == plan else 1
        plan = plan_id
        answers.append(Answers(action_id=pk, recommendation_id=recommendation_id))
        reorder.append(Action(pk=pk, order=position))
        if len(answers) == BATCH:
            Answers.objects.bulk_create(answers)
            Action.objects.bulk_update(reorder, ["order"])
            answers, reorder = [], []
    Answers.objects.bulk_create(answers)
    Action.objects.bulk_update(reorder, ["order"])


class Migration(migrations.Migration):
    dependencies = [("actions", "0005_actions_belong_to_plans")]

    operations = [migrations.RunPython(actions_into_plans, migrations.RunPython.noop)]
