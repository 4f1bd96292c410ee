from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from tests.factories import ActionFactory, InspectionFactory, RecommendationFactory, UserFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = dt.date


def morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7, 5), tzinfo=LONDON)


def submitted_inspection(**kwargs):
    """An inspection whose plan is already in: no plan reminders to muddle a test."""
    return InspectionFactory(plan_submitted_at=timezone.now(), **kwargs)


def action_due(due: dt.date, *, owner=None, assigned_by=None, inspection=None, **kwargs):
    inspection = inspection or submitted_inspection()
    return ActionFactory(
        recommendation=RecommendationFactory(inspection=inspection),
        due_date=due,
        owner=owner,
        assigned_by=assigned_by,
        **kwargs,
    )


def person(role: str | None, username: str, **kwargs):
    return UserFactory(role=role, username=username, **kwargs)
