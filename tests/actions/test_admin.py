"""Actions and their measures, readings, updates, evidence and due-date history are read
only in the admin: writes go through the services (audit, version check, due-date
history, four-eyes rule, webhooks), never around them."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.models import DueDateChange, Evidence
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    ProgressUpdateFactory,
)
from tests.read_only_admin import assert_read_only

pytestmark = pytest.mark.django_db


def test_actions_are_read_only(admin_client):
    action = ActionFactory(title="Audit supervision")
    MeasureFactory(action=action)  # shown inline, read only too
    assert_read_only(admin_client, action, edit={"title": "Changed in the admin"})


def test_measures_are_read_only(admin_client):
    assert_read_only(admin_client, MeasureFactory(), edit={"name": "Changed in the admin"})


def test_readings_are_read_only(admin_client):
    assert_read_only(admin_client, MeasureReadingFactory(), edit={"value": "1"})


def test_progress_updates_are_read_only(admin_client):
    assert_read_only(admin_client, ProgressUpdateFactory(), edit={"text": "Changed"})


def test_evidence_is_read_only(admin_client):
    evidence = Evidence.objects.create(
        action=ActionFactory(), description="Audit report", link="https://example.org/audit"
    )
    assert_read_only(admin_client, evidence, edit={"description": "Changed"})


def test_due_date_history_is_read_only(admin_client):
    change = DueDateChange.objects.create(
        action=ActionFactory(),
        old_date=dt.date(2024, 6, 1),
        new_date=dt.date(2024, 9, 1),
        reason="Waiting for the new case system",
    )
    assert_read_only(admin_client, change, edit={"reason": "Changed"})
