"""E-mails people get when something happens to them (not the scheduled reminders).

Sent by a Celery task (actions.tasks) after the transaction commits. A request never
waits on the broker: if it cannot be reached, the e-mail is sent in the request instead
(core.work_queue.publish_on_commit).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from core.mail import email_subject
from core.models import User
from core.work_queue import publish_on_commit

from .models import Action

logger = logging.getLogger(__name__)


def send_templated(*, to: User, subject: str, template: str, context: dict) -> int:
    """Plain text plus HTML, from templates/emails/<template>.txt and .html."""
    if not to.email:
        logger.warning("No e-mail address for %s: %s not sent", to.username, template)
        return 0
    context = {"recipient": to, "site_url": settings.SITE_URL, **context}
    message = EmailMultiAlternatives(
        subject=email_subject(subject),
        body=render_to_string(f"emails/{template}.txt", context),
        to=[to.email],
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message.send()


def owner_assigned_on_commit(action_id: int) -> None:
    publish_on_commit("actions.notify_owner_assigned", action_id)


def item_returned_on_commit(action_id: int, author_id: int | None, comment: str) -> None:
    if author_id is None:
        return
    publish_on_commit("actions.notify_item_returned", action_id, author_id, comment)


def send_owner_assigned(action_id: int) -> int:
    action = (
        Action.objects.select_related("owner", "assigned_by", "plan", "wider_area")
        .prefetch_related("recommendations__inspection__local_authority")
        .filter(pk=action_id)
        .first()
    )
    if action is None or action.owner is None:
        return 0
    return send_templated(
        to=action.owner,
        subject=f"You are responsible for an action: {action.title}",
        template="owner_assigned",
        context={"action": action},
    )


def send_item_returned(action_id: int, author_id: int, comment: str) -> int:
    action = Action.objects.filter(pk=action_id).first()
    author = User.objects.filter(pk=author_id).first()
    if action is None or author is None:
        return 0
    return send_templated(
        to=author,
        subject=f"Returned to you: {action.title}",
        template="item_returned",
        context={"action": action, "comment": comment},
    )
