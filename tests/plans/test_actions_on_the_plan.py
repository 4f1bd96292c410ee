"""Drafting an action from the plan page, answering items of any of its sources or a wider
area; the action page showing what it answers; a policy officer changing that."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from actions.models import Action
from core.models import AuditEntry
from tests.dates import date_post
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    PlanFactory,
    RecommendationFactory,
    ThemeFactory,
    WiderAreaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_with_two_sources():
    plan = PlanFactory()
    ilacs = InspectionFactory(plan=plan, publication_date=dt.date(2024, 3, 1))
    visit = InspectionFactory(
        plan=plan, inspection_type="focused_visit", publication_date=dt.date(2025, 6, 2)
    )
    old = RecommendationFactory(inspection=ilacs, text="Improve supervision of social workers.")
    new = RecommendationFactory(inspection=visit, text="Improve case recording by managers.")
    return plan, old, new


def checked(body: str) -> set[int]:
    boxes = re.findall(r'<input[^>]*name="(?:answers-)?recommendations"[^>]*>', body)
    return {int(re.search(r'value="(\d+)"', box).group(1)) for box in boxes if " checked" in box}


def offered(body: str) -> list[int]:
    boxes = re.findall(r'<input[^>]*name="(?:answers-)?recommendations"[^>]*>', body)
    return [int(re.search(r'value="(\d+)"', box).group(1)) for box in boxes]


def test_the_plan_page_offers_an_action_to_policy_officers_only(client, officer, reader):
    plan = PlanFactory()
    client.force_login(officer)
    assert (
        f'href="/plans/{plan.pk}/actions/new/"'
        in client.get(plan.get_absolute_url()).content.decode()
    )
    client.force_login(reader)
    assert "Add an action" not in client.get(plan.get_absolute_url()).content.decode()
    assert client.get(f"/plans/{plan.pk}/actions/new/").status_code == 403


def test_the_draft_page_offers_the_items_of_every_source_grouped_by_source(
    client, officer, plan_with_two_sources
):
    plan, old, new = plan_with_two_sources
    RecommendationFactory(inspection=InspectionFactory())  # another plan's item
    client.force_login(officer)

    body = html.unescape(client.get(f"/plans/{plan.pk}/actions/new/").content.decode())

    assert offered(body) == [old.pk, new.pk]
    assert checked(body) == set()
    assert body.index("Inspection of local authority children's services (2024)") < body.index(
        old.text
    )
    assert body.index("Focused visit (2025)") < body.index(new.text)


def test_an_action_answers_items_of_both_sources(client, officer, plan_with_two_sources):
    plan, old, new = plan_with_two_sources
    theme = ThemeFactory(plan=plan, name="Workforce")
    client.force_login(officer)

    response = client.post(
        f"/plans/{plan.pk}/actions/new/",
        {"title": "Supervision audit", "recommendations": [old.pk, new.pk], "theme": theme.pk,
         **date_post("due_date", "2025-09-01")},
    )  # fmt: skip

    assert response.status_code == 302
    action = Action.objects.get(title="Supervision audit")
    assert (action.plan, action.theme, action.due_date) == (plan, theme, dt.date(2025, 9, 1))
    assert set(action.recommendations.all()) == {old, new}
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert old.text in page and new.text in page
    assert f'href="/inspections/{old.inspection_id}/#recommendation-{old.pk}"' in page
    assert f'href="/inspections/{new.inspection_id}/#recommendation-{new.pk}"' in page
    assert "Focused visit, 2 June 2025" in page
    assert f'href="/plans/{plan.pk}/"' in page and "Workforce" in page


def test_an_action_may_answer_a_wider_area_only(client, officer):
    plan = PlanFactory()
    area = WiderAreaFactory(plan=plan, text="Audits do not lead to change.", origin="audit")
    client.force_login(officer)

    response = client.post(
        f"/plans/{plan.pk}/actions/new/",
        {"title": "Audit follow-up", "wider_area": area.pk, **date_post("due_date", "2025-09-01")},
    )

    assert response.status_code == 302
    action = Action.objects.get(title="Audit follow-up")
    assert (action.wider_area, list(action.recommendations.all())) == (area, [])
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Audits do not lead to change." in page and "From audit" in page


def test_an_action_answering_nothing_or_another_plans_item_is_refused(
    client, officer, plan_with_two_sources
):
    plan, _, _ = plan_with_two_sources
    elsewhere = RecommendationFactory(inspection=InspectionFactory())
    client.force_login(officer)
    url = f"/plans/{plan.pk}/actions/new/"
    due = date_post("due_date", "2025-09-01")

    nothing = client.post(url, {"title": "Vague", **due})
    foreign = client.post(url, {"title": "Stray", "recommendations": [elsewhere.pk], **due})

    assert nothing.status_code == foreign.status_code == 200
    assert "Choose the items this action answers, or the wider area" in html.unescape(
        nothing.content.decode()
    )
    assert "There is a problem" in foreign.content.decode()
    assert not Action.objects.exists()


def test_the_old_entry_point_ticks_its_item_and_still_saves(client, officer, plan_with_two_sources):
    plan, old, new = plan_with_two_sources
    client.force_login(officer)

    body = client.get(f"/actions/new/{new.pk}/").content.decode()
    assert checked(body) == {new.pk}
    assert f'action="/plans/{plan.pk}/actions/new/"' in body
    assert checked(
        client.get(f"/plans/{plan.pk}/actions/new/?recommendation={old.pk}").content.decode()
    ) == {old.pk}

    saved = client.post(
        f"/actions/new/{new.pk}/",
        {"title": "Recording audit", **date_post("due_date", "2025-09-01")},
    )
    assert saved.status_code == 302
    assert list(Action.objects.get(title="Recording audit").recommendations.all()) == [new]


def test_an_item_of_a_report_held_as_history_has_no_draft_page(client, officer):
    held = RecommendationFactory(inspection=InspectionFactory(plan=None))
    client.force_login(officer)
    assert client.get(f"/actions/new/{held.pk}/").status_code == 404


def test_a_policy_officer_changes_what_an_action_answers(
    client, officer, director, plan_with_two_sources
):
    plan, old, new = plan_with_two_sources
    area = WiderAreaFactory(plan=plan)
    theme = ThemeFactory(plan=plan)
    action = ActionFactory(plan=plan, answers=[old])
    client.force_login(director)
    assert "Change what it answers" not in client.get(action.get_absolute_url()).content.decode()
    client.force_login(officer)
    body = client.get(action.get_absolute_url()).content.decode()
    assert "Change what it answers" in body and checked(body) == {old.pk}

    response = client.post(
        f"/actions/{action.pk}/answers/",
        {"answers-version": action.version, "answers-recommendations": [new.pk],
         "answers-wider_area": area.pk, "answers-theme": theme.pk},
    )  # fmt: skip

    assert response.status_code == 302
    action.refresh_from_db()
    assert list(action.recommendations.all()) == [new]
    assert (action.wider_area, action.theme) == (area, theme)
    assert AuditEntry.objects.filter(verb="answers", object_id=str(action.pk)).exists()


def test_changing_the_answers_to_nothing_or_from_a_stale_page_is_explained(
    client, officer, director, plan_with_two_sources
):
    plan, old, _ = plan_with_two_sources
    action = ActionFactory(plan=plan, answers=[old])
    client.force_login(officer)
    url = f"/actions/{action.pk}/answers/"

    emptied = client.post(url, {"answers-version": action.version})
    assert emptied.status_code == 400
    assert "Choose the items this action answers" in html.unescape(emptied.content.decode())

    stale = client.post(
        url, {"answers-version": action.version - 1, "answers-recommendations": [old.pk]}
    )
    assert stale.status_code == 409
    assert "Someone else changed this action" in stale.content.decode()

    client.force_login(director)
    assert (
        client.post(
            url, {"answers-version": action.version, "answers-recommendations": [old.pk]}
        ).status_code
        == 403
    )
    assert list(action.recommendations.all()) == [old]
