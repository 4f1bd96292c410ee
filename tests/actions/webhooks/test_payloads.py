"""Event payloads are the domain's own representation: the shapes docs/webhooks.md
documents, equal to what the API's reads show, built without the API's serializers."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from actions import services
from actions.webhooks import payloads
from actions.webhooks.models import Delivery
from core.tokens.services import create_token
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    RecommendationFactory,
    ThemeFactory,
    WiderAreaFactory,
)

from .helpers import subscribe

pytestmark = pytest.mark.django_db
URL = "https://receiver.example.org/hooks"
ROOT = Path(__file__).resolve().parents[3]
WEBHOOKS = ROOT / "actions" / "webhooks"
PRESENTATION = ("actions.api", "core.api", "rest_framework", "drf_spectacular")


def documented_event() -> dict:
    """The pretty-printed body in docs/webhooks.md, "The request"."""
    text = (ROOT / "docs" / "webhooks.md").read_text()
    block = re.search(r"The body, pretty-printed:\s*```json\n(.*?)```", text, re.S)
    assert block, "docs/webhooks.md shows an example body"
    return json.loads(block.group(1))


def api_read(user, path: str) -> dict:
    client = APIClient()
    secret = create_token(name="check", user=user, scope="read")[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get(path)
    assert response.status_code == 200
    return response.json()


def only_event() -> dict:
    [delivery] = Delivery.objects.all()
    Delivery.objects.all().delete()
    return delivery.data


@pytest.fixture
def action(owner):
    inspection = InspectionFactory()
    return ActionFactory(recommendation=RecommendationFactory(inspection=inspection), owner=owner)


def test_a_progress_event_has_the_documented_shape(action, owner, reader):
    subscribe(reader, URL)
    services.record_progress(action=action, by=owner, text="Audit of 40 cases")

    event = only_event()
    documented = documented_event()

    assert event.keys() == documented.keys()
    assert event["data"].keys() == documented["data"].keys()
    for key in ("action", "progress_update"):
        assert event["data"][key].keys() == documented["data"][key].keys(), key
        for name, example in documented["data"][key].items():
            value = event["data"][key][name]
            if example is not None and value is not None:  # nulls stand for any type
                assert isinstance(value, type(example)), (key, name)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z", event["timestamp"])


def test_each_item_is_as_the_api_shows_it(action, owner, officer, director, reader):
    subscribe(reader, URL)
    shown = {}

    def check(key: str, path: str) -> None:
        shown[key] = api_read(reader, path)
        assert only_event()["data"][key] == shown[key], key

    update = services.record_progress(action=action, by=owner, text="Audit of 40 cases")
    check("progress_update", f"/api/v1/progress-updates/{update.pk}/")
    evidence = services.add_evidence(
        action=action, by=owner, description="Audit report", link="https://e.org/audit"
    )
    check("evidence", f"/api/v1/evidence/{evidence.pk}/")
    measure = services.add_measure(
        action=action,
        by=officer,
        name="Visits on time",
        unit="%",
        baseline=Decimal("60.5"),
        baseline_date=dt.date(2024, 1, 31),
        target=Decimal("90"),
        direction="higher",
    )
    check("measure", f"/api/v1/measures/{measure.pk}/")
    reading = services.record_reading(
        measure=measure, by=owner, date=dt.date(2024, 6, 1), value=Decimal("75.25")
    )
    check("reading", f"/api/v1/readings/{reading.pk}/")
    services.return_item(item=evidence, by=director, comment="Add the sample size")
    check("evidence", f"/api/v1/evidence/{evidence.pk}/")

    assert shown["measure"]["baseline"] == "60.50" and shown["reading"]["value"] == "75.25"
    assert shown["evidence"]["return_comment"] == "Add the sample size"


def test_an_action_is_as_the_api_shows_it(action, officer, reader):
    """Its plan, the items it answers (of two sources, in report order), its wider area
    and theme, as GET /api/v1/actions/{id}/ gives them."""
    plan = action.plan
    later = RecommendationFactory(inspection=InspectionFactory(plan=plan), order=0)
    area = WiderAreaFactory(plan=plan)
    theme = ThemeFactory(plan=plan)
    services.change_answers(
        action=action,
        by=officer,
        recommendations=[later, *action.recommendations.all()],
        wider_area=area,
        theme=theme,
    )
    action.refresh_from_db()
    shown = api_read(reader, f"/api/v1/actions/{action.pk}/")
    assert payloads.action(action) == shown
    first = action.recommendations.exclude(pk=later.pk).get()
    assert shown["plan"] == plan.pk and shown["recommendations"] == [first.pk, later.pk]
    assert (shown["wider_area"], shown["theme"]) == (area.pk, theme.pk)


def test_a_measure_with_readings_is_as_the_api_shows_it(action, officer, owner, reader):
    measure = services.add_measure(
        action=action, by=officer, name="Plans on time", baseline=10, target=0, direction="lower"
    )
    for day, value in [(dt.date(2024, 6, 1), Decimal("4.5")), (dt.date(2024, 3, 1), 7)]:
        services.record_reading(measure=measure, by=owner, date=day, value=value)

    shown = api_read(reader, f"/api/v1/measures/{measure.pk}/")

    assert payloads.measure(measure) == shown
    assert [reading["value"] for reading in shown["readings"]] == ["7.00", "4.50"]


def test_no_webhook_module_depends_on_the_api_or_its_serializers():
    imports = {}
    for path in sorted(WEBHOOKS.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith(PRESENTATION):
                    imports.setdefault(path.relative_to(ROOT).as_posix(), []).append(name)
    assert imports == {}
