"""Inspections, their recommendations and judgements are read only in the admin: reports
are imported, corrected and planned through the services (audit, deadlines, webhooks)."""

from __future__ import annotations

import pytest

from tests.factories import InspectionFactory, JudgementFactory, RecommendationFactory
from tests.read_only_admin import assert_read_only

pytestmark = pytest.mark.django_db


def test_inspections_are_read_only(admin_client):
    inspection = InspectionFactory()
    JudgementFactory(inspection=inspection)  # shown inline, read only too
    assert_read_only(admin_client, inspection, edit={"title": "Changed in the admin"})


def test_recommendations_are_read_only(admin_client):
    recommendation = RecommendationFactory()
    assert_read_only(admin_client, recommendation, edit={"text": "Changed in the admin"})


def test_judgements_are_read_only(admin_client):
    assert_read_only(admin_client, JudgementFactory(), edit={"area": "Changed"})
