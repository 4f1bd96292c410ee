"""Due dates as iCalendar feeds, so they appear in Outlook: one per person, one per plan.

A calendar program cannot sign in, so each person gets a secret link. Only the link's
hash is stored; making a new link ends the old one, and turning the feed off deletes
it. The feed still obeys the person's permissions at every fetch: someone who can no
longer see a plan stops seeing its dates.

Every due date appears once: one all-day event per action (closed actions, whose loop
is closed, are left out), plus, in a plan's feed, each source's submission deadlines
(the draft and the plan, until the source's submission is made). Event UIDs are
stable, so a moved date moves the event instead of adding another.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from actions.documents.models import CalendarFeed, hash_token
from actions.models import Action, Status
from core.models import User
from plans.models import Plan

PRODID = "-//Closing the loop//Improvement plan deadlines//EN"


@transaction.atomic
def new_feed(*, user: User) -> str:
    """A new secret token for `user` (the old one stops working). Shown once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": hash_token(token), "last_used_at": None}
    )
    return token


def turn_off_feed(*, user: User) -> bool:
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def user_for_token(token: str) -> User | None:
    """The active person whose feed this is, or None (unknown, revoked or inactive)."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > dt.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(uid: str, day: dt.date, summary: str, description: str, url: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{_host()}")
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", f"{settings.SITE_URL}{url}")
    event.add("transp", "TRANSPARENT")
    return event


def _action_events(calendar: Calendar, actions: Iterable[Action]) -> None:
    for action in actions:
        plan = action.plan
        owner = str(action.owner) if action.owner else "not assigned"
        calendar.add_component(
            _event(
                f"action-{action.pk}",
                action.due_date,
                f"Due: {action.title}",
                f"{plan.local_authority}: {plan.title}. Responsible officer: {owner}. "
                f"Status: {action.get_status_display()}.",
                action.get_absolute_url(),
            )
        )


def _actions(queryset) -> Iterable[Action]:
    return (
        queryset.exclude(status=Status.CLOSED)
        .select_related("owner", "plan__local_authority")
        .order_by("due_date", "pk")
    )


def person_feed(user: User) -> bytes:
    """The due dates of the actions `user` is responsible for, in plans they can see."""
    calendar = _calendar(f"My improvement plan actions ({user})")
    _action_events(calendar, _actions(Action.objects.seen_by(user).filter(owner=user)))
    return calendar.to_ical()


def _source_events(calendar: Calendar, plan: Plan) -> None:
    """Each source's statutory deadlines, until its submission is made."""
    for source in plan.sources.filter(plan_submitted_at__isnull=True).order_by("pk"):
        what = f"{source.get_inspection_type_display()} of {source.local_authority}"
        if source.draft_plan_due_date:
            calendar.add_component(
                _event(
                    f"draft-plan-due-{source.pk}",
                    source.draft_plan_due_date,
                    f"Draft plan due to Ofsted: {what}",
                    f"{plan.title}. Basis: {source.draft_plan_due_basis_words}.",
                    source.get_absolute_url(),
                )
            )
        if source.plan_due_date:
            calendar.add_component(
                _event(
                    f"plan-due-{source.pk}",
                    source.plan_due_date,
                    f"Improvement plan due to DfE and Ofsted: {what}",
                    f"{plan.title}. Basis: {source.plan_due_basis_words}.",
                    source.get_absolute_url(),
                )
            )


def plan_feed(plan: Plan) -> bytes:
    """Every action's due date in one plan, and its sources' submission deadlines."""
    plan = Plan.objects.select_related("local_authority").get(pk=plan.pk)
    calendar = _calendar(f"{plan.local_authority}: {plan.title} deadlines")
    _source_events(calendar, plan)
    _action_events(calendar, _actions(Action.objects.filter(plan=plan)))
    return calendar.to_ical()
