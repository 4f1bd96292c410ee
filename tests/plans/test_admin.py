"""Plans, their themes and their wider areas are read only in the admin: they change
through the plan's pages and API (plans.services, with audit and version checks)."""

from __future__ import annotations

import pytest

from tests.factories import PlanFactory, ThemeFactory, WiderAreaFactory
from tests.read_only_admin import assert_read_only

pytestmark = pytest.mark.django_db


def test_plans_are_read_only(admin_client):
    assert_read_only(admin_client, PlanFactory(), edit={"title": "Changed in the admin"})


def test_themes_are_read_only(admin_client):
    assert_read_only(admin_client, ThemeFactory(), edit={"name": "Changed in the admin"})


def test_wider_areas_are_read_only(admin_client):
    assert_read_only(admin_client, WiderAreaFactory(), edit={"text": "Changed in the admin"})
