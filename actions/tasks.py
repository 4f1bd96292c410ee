"""Background work on actions. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import notifications, plan_summaries, rag
from .models import Action


@shared_task(name="actions.refresh_rag")
def refresh_rag(action_id: int) -> bool:
    """Recompute one action's RAG (and its plan's counts when it changed). Running it
    twice changes nothing; a deleted action is ignored."""
    with transaction.atomic():
        action = Action.objects.filter(pk=action_id).first()
        if action is None:
            return False
        changed = rag.refresh_rag(action, timezone.localdate())
        if changed:
            plan_summaries.refresh_for(action)
    return changed


@shared_task(name="actions.refresh_all_rags")
def refresh_all_rags() -> int:
    """Nightly: time alone turns actions amber and red; then every plan's counts are
    recounted, and the day's RAG counts recorded for the dashboard's chart. Running it
    twice in a day changes nothing more."""
    today = timezone.localdate()
    changed = rag.refresh_all(today)
    plan_summaries.refresh_all()
    rag.record_snapshots(today)
    return changed


@shared_task(
    name="actions.notify_owner_assigned",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def notify_owner_assigned(action_id: int) -> int:
    """E-mail the new owner. Run twice, it sends twice: it is enqueued once per assignment."""
    return notifications.send_owner_assigned(action_id)


@shared_task(
    name="actions.notify_item_returned",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def notify_item_returned(action_id: int, author_id: int, comment: str) -> int:
    """E-mail the author of a returned progress update or evidence item."""
    return notifications.send_item_returned(action_id, author_id, comment)
