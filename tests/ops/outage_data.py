"""What the database outage test writes into its own cluster before the outage, run in a
child process with the production settings (`manage.py shell -c`): an action owner who
can sign in, two actions of theirs (one the scheduler's RAG refresh will be watched on),
a read-write API token, and the nightly RAG refresh scheduled every second instead.
Prints what the test needs as one JSON line."""

import datetime as dt
import json

from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from core.tokens.services import create_token
from tests.factories import ActionFactory, UserFactory


def create() -> None:
    owner = UserFactory(role="Action owners", username="owner")
    in_a_month = timezone.localdate() + dt.timedelta(days=30)
    action = ActionFactory(owner=owner, due_date=in_a_month)
    watched = ActionFactory(
        owner=owner,
        recommendation=None,
        answers=action.recommendations.all(),
        plan=action.plan,
        due_date=in_a_month,
    )
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="RAG refresh (outage test)", task="actions.refresh_all_rags", interval=every_second
    )
    _, secret = create_token(name="Case system", user=owner, scope="read-write")
    print(json.dumps({"token": secret, "action": action.pk, "watched": watched.pk}))
