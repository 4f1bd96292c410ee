"""Handing reminders to the broker: after commit, once, and never stuck on a dead broker."""

import pytest
from kombu.exceptions import OperationalError

from actions.reminders import tasks
from actions.reminders.enqueue import enqueue_pending
from actions.reminders.models import Reminder

from .helpers import D, action_due, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    owner = person("Action owners", "owner")
    rows = []
    for n in range(3):
        action = action_due(D(2024, 4, 2), owner=owner)
        rows.append(
            Reminder.objects.create(
                recipient=owner,
                kind="due_today",
                occasion=f"action:{action.pk}:due:2024-04-02:{n}",
                action=action,
                due_date=action.due_date,
                scheduled_for=action.due_date,
            )
        )
    return rows


def test_each_pending_reminder_is_published_once(pending, monkeypatch):
    published = []
    monkeypatch.setattr(
        tasks.send_reminder, "apply_async", lambda args, **kw: published.append(args)
    )
    assert enqueue_pending() == 3
    assert enqueue_pending() == 0  # a second sweep does not publish them again
    assert sorted(published) == [(r.pk,) for r in pending]


def test_with_the_broker_down_nothing_is_lost_and_the_next_sweep_publishes(pending, monkeypatch):
    def down(args, **kw):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(tasks.send_reminder, "apply_async", down)
    assert enqueue_pending() == 0
    assert not Reminder.objects.filter(enqueued_at__isnull=False).exists()

    published = []
    monkeypatch.setattr(
        tasks.send_reminder, "apply_async", lambda args, **kw: published.append(args)
    )
    assert enqueue_pending() == 3
