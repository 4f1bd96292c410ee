"""Background work on actions. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import notifications, rag
from .models import Action


@shared_task(name="actions.refresh_rag")
def refresh_rag(action_id: int) -> bool:
    """Recompute one action's RAG. Running it twice changes nothing; a deleted action is
    ignored."""
    action = Action.objects.filter(pk=action_id).first()
    if action is None:
        return False
    return rag.refresh_rag(action, timezone.localdate())


@shared_task(name="actions.refresh_all_rags")
def refresh_all_rags() -> int:
    """Nightly: time alone turns actions amber and red; also records the day's RAG counts
    for the dashboard's chart. Running it twice in a day changes nothing more."""
    today = timezone.localdate()
    changed = rag.refresh_all(today)
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
