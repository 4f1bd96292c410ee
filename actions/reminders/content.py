"""What a reminder says, decided when it is sent: still needed? to whom, why, and the text.

The wording lives in templates/emails/ (plain text and HTML); this module only decides
whether a reminder is still relevant and gathers the facts the templates print.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string

from core.deadlines import working_days_between
from core.mail import email_subject
from core.words import counted
from plans.permissions import can

from .models import Kind, Reminder, ReminderStatus
from .policy import is_draft_occasion
from .recipients import Recipients

# What building a reminder reads, loaded with it (delivery and digests use these).
RELATED = (
    "recipient",
    "action__owner",
    "action__wider_area",
    "action__plan__local_authority",
    "inspection__plan__local_authority",
    "inspection__local_authority",
)
PREFETCHED = ("action__recommendations",)

ACTION_KINDS = {Kind.BEFORE_DUE, Kind.DUE_TODAY, Kind.OVERDUE, Kind.ESCALATION}
BEFORE_KINDS = {Kind.BEFORE_DUE, Kind.DUE_TODAY, Kind.PLAN_DUE}


@dataclasses.dataclass(frozen=True)
class Content:
    subject: str
    text: str
    html: str


def state_of(due: dt.date, today: dt.date) -> str:
    """ "due today", "due in 3 working days", "4 working days overdue"."""
    if due == today:
        return "due today"
    if due > today:
        return f"due in {counted(working_days_between(today, due), 'working day')}"
    late = working_days_between(due, today)
    return f"{counted(late, 'working day')} overdue" if late else "overdue"


def is_relevant(reminder: Reminder, today: dt.date, people: Recipients, *, strict: bool) -> bool:
    """Is this reminder still worth sending today?

    Strict (single e-mails): the deadline has not moved and the occasion still applies
    (an "N days before" reminder is not sent once the action is overdue). Digest items are
    looser: they are listed with their state on the digest day while the deadline stands.
    """
    recipient = reminder.recipient
    if not people.still_reminded(recipient):
        return False
    if reminder.kind in ACTION_KINDS:
        action = reminder.action
        if action is None or not action.is_open:
            return False
        if action.due_date != reminder.due_date:
            return False  # moved: the new date has its own series
        if reminder.kind == Kind.ESCALATION:
            if not can(recipient, "actions.view_action", action):
                return False
        elif action.owner_id != recipient.pk:
            return False
    elif reminder.kind == Kind.PLAN_DUE:
        source = reminder.inspection
        if source is None or source.plan_id is None or source.plan_submitted_at is not None:
            return False  # submitted, or no longer a source of any plan
        if is_draft_occasion(reminder.occasion) and source.draft_plan_sent_at is not None:
            return False  # the draft has been sent
        if _deadline_of(reminder) != reminder.due_date:
            return False  # moved: the new date has its own series
        if not can(recipient, "plans.view_plan", source.plan):
            return False
    if strict and reminder.kind in BEFORE_KINDS:
        return today <= reminder.due_date
    return True


def _deadline_of(reminder: Reminder) -> dt.date | None:
    """The source's current deadline a plan-submission reminder is about: its draft's or
    its plan's (the occasion's key says which)."""
    source = reminder.inspection
    if is_draft_occasion(reminder.occasion):
        return source.draft_plan_due_date
    return source.plan_due_date


def _link(obj) -> str:
    return f"{settings.SITE_URL}{obj.get_absolute_url()}"


def _answers(action) -> list[str]:
    """What the action answers, in words: its items' texts, else its wider area's."""
    texts = [item.text for item in action.recommendations.all()]
    if not texts and action.wider_area is not None:
        texts = [f"Wider area for improvement: {action.wider_area.text}"]
    return texts


def facts(reminder: Reminder, today: dt.date) -> dict:
    """Template context for one reminder (also one item of a digest).

    `plan` is the plan the reminder is about (the action's, or the plan the source feeds);
    `source` the report whose submission is due (plan-submission reminders only); `draft`
    says whether it is the draft submission."""
    action = reminder.action
    source = None if action else reminder.inspection
    plan = action.plan if action else source.plan
    return {
        "reminder": reminder,
        "kind": reminder.kind,
        "action": action,
        "answers": _answers(action) if action else [],
        "plan": plan,
        "source": source,
        "authority": plan.local_authority,
        "draft": bool(source) and is_draft_occasion(reminder.occasion),
        "due_date": reminder.due_date,
        "state": state_of(reminder.due_date, today),
        "link": _link(action or plan),
        "assigned_by_you": bool(action and action.assigned_by_id == reminder.recipient_id),
    }


def _subject(reminder: Reminder, today: dt.date) -> str:
    state = state_of(reminder.due_date, today)
    if reminder.kind == Kind.PLAN_DUE:
        source = reminder.inspection
        what = "Draft DfE submission" if is_draft_occasion(reminder.occasion) else "DfE submission"
        return f"{what} {state}: {source.plan} for the {source}"
    if reminder.kind == Kind.ESCALATION:
        return f"Escalation: action {state}: {reminder.action.title}"
    return f"Action {state}: {reminder.action.title}"


def build(reminder: Reminder, today: dt.date, people: Recipients | None = None) -> Content | None:
    """The e-mail for a reminder or a digest, or None when nothing is worth sending."""
    people = people or Recipients()
    context = {
        "person": reminder.recipient,
        "site_url": settings.SITE_URL,
        "preferences": "single" if reminder.kind != Kind.DIGEST else "digest",
    }
    if reminder.kind == Kind.DIGEST:
        items = [
            item
            for item in reminder.items.select_related(*RELATED)
            .prefetch_related(*PREFETCHED)
            .order_by("due_date", "id")
            if item.status == ReminderStatus.HELD and is_relevant(item, today, people, strict=False)
        ]
        if not items:
            return None
        context["items"] = [facts(item, today) for item in items]
        subject = f"Your weekly reminders: {counted(len(items), 'item')}"
        template = "emails/digest"
    else:
        if not is_relevant(reminder, today, people, strict=True):
            return None
        context.update(facts(reminder, today))
        subject = _subject(reminder, today)
        template = "emails/reminder"
    subject = email_subject(subject)
    context["subject"] = subject
    return Content(
        subject=subject,
        text=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
    )
