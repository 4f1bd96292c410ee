"""The plan page: its sources, its actions by theme, its wider areas and the repeats its
sources bring, and the forms that change them, through the Django test client."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from core.models import AuditEntry
from inspections.models import RecommendationRepeat, RepeatStatus
from plans.models import PlanStatus
from plans.selectors import IMPACT_DID_NOT_LAST
from plans.themes import standard_themes
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    OrganisationFactory,
    PlanFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
    WiderAreaFactory,
)

pytestmark = pytest.mark.django_db


def page_of(client, plan) -> str:
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def plan_with_two_sources():
    """Test Council's plan fed by its 2024 ILACS and its 2025 focused visit."""
    plan = PlanFactory(title="Test Council improvement plan")
    ilacs = InspectionFactory(plan=plan, publication_date=dt.date(2024, 3, 1))
    visit = InspectionFactory(
        plan=plan, inspection_type="focused_visit", publication_date=dt.date(2025, 6, 2)
    )
    return plan, ilacs, visit


def test_a_plan_not_seen_and_a_missing_one_answer_alike(client, reader):
    elsewhere = PlanFactory(local_authority=OrganisationFactory(name="Another Council"))
    client.force_login(reader)
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    assert client.get("/plans/999999/").status_code == 404
    assert client.get(PlanFactory().get_absolute_url()).status_code == 200


def test_the_plan_page_lists_every_source_with_its_own_submission(
    client, reader, plan_with_two_sources
):
    plan, ilacs, visit = plan_with_two_sources
    visit.plan_submitted_at = dt.datetime(2025, 7, 1, 12, tzinfo=dt.UTC)
    visit.save()
    client.force_login(reader)

    page = page_of(client, plan)

    assert "Test Council improvement plan" in page
    assert f'href="/inspections/{ilacs.pk}/"' in page
    assert f'href="/inspections/{visit.pk}/"' in page
    assert "Inspection of local authority children's services" in page
    assert "Focused visit" in page
    assert ilacs.plan_due_date.strftime("%-d %b %Y") in page
    assert "Submitted 1 Jul 2025" in page and "Not yet" in page
    assert "2 reports and letters" in page


def test_a_source_printing_no_publication_date_shows_when_it_was_received(client, reader):
    plan = PlanFactory()
    InspectionFactory(plan=plan, publication_date=None, received_date=dt.date(2025, 8, 5))
    client.force_login(reader)

    page = " ".join(re.sub(r"<[^>]+>", " ", page_of(client, plan)).split())

    assert "Not printed received 5 Aug 2025" in page


def test_actions_are_read_by_theme_with_the_items_they_answer(
    client, reader, plan_with_two_sources
):
    plan, ilacs, visit = plan_with_two_sources
    theme = ThemeFactory(plan=plan, name="Workforce")
    old = RecommendationFactory(inspection=ilacs, text="Improve supervision of social workers.")
    new = RecommendationFactory(inspection=visit, text="Improve case recording by managers.")
    ActionFactory(plan=plan, answers=[old, new], theme=theme, title="Supervision audit")
    ActionFactory(plan=plan, answers=[new], title="Recording training")
    client.force_login(reader)

    page = page_of(client, plan)

    workforce, no_theme = page.index("Workforce</h3>"), page.index("No theme</h3>")
    assert workforce < page.index("Supervision audit") < no_theme
    assert no_theme < page.index("Recording training")
    assert "Improve supervision of social workers." in page
    assert "Focused visit (2025): Improve case recording by managers." in page


def test_wider_areas_are_shown_with_where_they_came_from_and_their_actions(client, reader):
    plan = PlanFactory()
    area = WiderAreaFactory(
        plan=plan, text="Make audits lead to change.", origin="audit", origin_detail="Q3 audit"
    )
    ActionFactory(plan=plan, recommendation=None, wider_area=area, title="Audit follow-up")
    client.force_login(reader)

    page = page_of(client, plan)

    section = page[page.index('id="wider-areas"') : page.index('id="repeats"')]
    assert "Make audits lead to change." in section
    assert "From audit: Q3 audit" in section
    assert "Audit follow-up" in section


def repeat_of(plan, *, earlier_status: str | None, status: str = RepeatStatus.SUGGESTED):
    """An item of a 2025 source of `plan` that repeats an item of a 2019 report held as
    history, answered then by an action of an earlier plan in `earlier_status`."""
    authority = plan.local_authority
    old_report = InspectionFactory(
        local_authority=authority,
        plan=PlanFactory(local_authority=authority, title="2019 plan"),
        publication_date=dt.date(2019, 5, 1),
    )
    earlier = RecommendationFactory(
        inspection=old_report,
        text="Improve the effectiveness of front-line management oversight and supervision.",
    )
    if earlier_status:
        ActionFactory(recommendation=earlier, title="Supervision policy", status=earlier_status)
    source = InspectionFactory(
        local_authority=authority, plan=plan, publication_date=dt.date(2025, 2, 1)
    )
    later = RecommendationFactory(
        inspection=source, text="Improve consistency of case recording and management oversight."
    )
    return RecommendationRepeat.objects.create(
        recommendation=later, earlier=earlier, score=71, status=status
    )


def test_a_suggested_repeat_shows_the_earlier_item_its_report_and_how_its_actions_ended(
    client, director
):
    plan = PlanFactory()
    link = repeat_of(plan, earlier_status="closed")
    client.force_login(director)

    page = page_of(client, plan)

    section = page[page.index('id="repeats"') :]
    assert "Likely repeat" in section
    assert "Improve consistency of case recording and management oversight." in section
    assert "front-line management oversight and supervision." in section
    assert f'href="/inspections/{link.earlier.inspection_id}/"' in section
    assert "Supervision policy</a>: closed" in section
    assert IMPACT_DID_NOT_LAST not in section  # only once confirmed
    assert 'value="confirmed"' in section and 'value="dismissed"' in section


@pytest.mark.parametrize(
    ("earlier_status", "did_not_last"),
    [("closed", True), ("complete", False), ("in_progress", False), (None, False)],
)
def test_a_confirmed_repeat_of_closed_work_says_the_impact_did_not_last(
    client, reader, earlier_status, did_not_last
):
    plan = PlanFactory()
    repeat_of(plan, earlier_status=earlier_status, status=RepeatStatus.CONFIRMED)
    client.force_login(reader)

    page = page_of(client, plan)

    assert (IMPACT_DID_NOT_LAST in page) is did_not_last
    assert 'value="confirmed"' not in page  # a reader decides nothing


def test_an_officer_confirms_a_repeat_and_another_is_dismissed_off_the_page(client, officer):
    plan = PlanFactory()
    first = repeat_of(plan, earlier_status="closed")
    second = repeat_of(plan, earlier_status=None)
    client.force_login(officer)
    url = f"/plans/{plan.pk}/repeats/"

    confirmed = client.post(f"{url}{first.pk}/", {"decision": "confirmed"})
    dismissed = client.post(f"{url}{second.pk}/", {"decision": "dismissed"})

    assert confirmed.status_code == dismissed.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decided_by) == (RepeatStatus.CONFIRMED, officer)
    assert second.status == RepeatStatus.DISMISSED
    page = page_of(client, plan)
    assert IMPACT_DID_NOT_LAST in page
    assert page.count('id="repeat-') == 1


def test_a_reader_cannot_decide_a_repeat_nor_anyone_one_of_another_plan(client, reader, officer):
    plan = PlanFactory()
    link = repeat_of(plan, earlier_status=None)
    client.force_login(reader)
    assert (
        client.post(f"/plans/{plan.pk}/repeats/{link.pk}/", {"decision": "confirmed"}).status_code
        == 403
    )
    client.force_login(officer)
    other = PlanFactory()
    assert (
        client.post(f"/plans/{other.pk}/repeats/{link.pk}/", {"decision": "confirmed"}).status_code
        == 404
    )
    link.refresh_from_db()
    assert link.status == RepeatStatus.SUGGESTED


def test_a_director_changes_the_plans_title_status_and_lead_director(client, director):
    plan = PlanFactory()
    client.force_login(director)
    assert "Change the plan's title, status or lead director" in page_of(client, plan)

    response = client.post(
        f"/plans/{plan.pk}/change/",
        {"plan-title": "One plan for children", "plan-status": "in_delivery",
         "plan-lead_director": director.pk},
    )  # fmt: skip

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.status, plan.lead_director) == (
        "One plan for children",
        PlanStatus.IN_DELIVERY,
        director,
    )
    assert AuditEntry.objects.filter(verb="update", object_type="plans.plan").exists()


def test_an_empty_title_is_explained_and_a_reader_may_change_nothing(client, director, reader):
    plan = PlanFactory(title="Kept")
    client.force_login(director)
    response = client.post(f"/plans/{plan.pk}/change/", {"plan-title": "", "plan-status": "draft"})
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "There is a problem" in body and "Enter the title" in body

    client.force_login(reader)
    assert "Change the plan's title" not in page_of(client, plan)
    assert (
        client.post(
            f"/plans/{plan.pk}/change/", {"plan-title": "x", "plan-status": "draft"}
        ).status_code
        == 403
    )
    plan.refresh_from_db()
    assert plan.title == "Kept"


def test_a_standard_theme_or_one_of_the_councils_own_is_added(client, officer):
    plan = PlanFactory()
    outcome = standard_themes()[3]
    client.force_login(officer)
    assert outcome.name in page_of(client, plan)

    standard = client.post(f"/plans/{plan.pk}/themes/", {"theme-standard": outcome.name})
    own = client.post(
        f"/plans/{plan.pk}/themes/", {"theme-standard": "own", "theme-name": "Workforce"}
    )

    assert standard.status_code == own.status_code == 302
    themes = {t.name: (t.framework_kind, t.framework_number) for t in plan.themes.all()}
    assert themes == {outcome.name: (outcome.kind, outcome.number), "Workforce": ("", None)}
    # a standard theme the plan has is no longer offered
    page = page_of(client, plan)
    assert f'value="{outcome.name}"' not in page


def test_a_theme_without_a_name_or_twice_is_explained(client, officer):
    plan = PlanFactory()
    ThemeFactory(plan=plan, name="Workforce")
    client.force_login(officer)

    empty = client.post(f"/plans/{plan.pk}/themes/", {"theme-standard": "own", "theme-name": ""})
    twice = client.post(
        f"/plans/{plan.pk}/themes/", {"theme-standard": "own", "theme-name": "workforce"}
    )

    assert empty.status_code == twice.status_code == 400
    assert "Enter the name of your own theme" in empty.content.decode()
    assert "The plan already has a theme with this name." in twice.content.decode()
    assert plan.themes.count() == 1


def test_a_wider_area_is_added_with_its_origin_and_theme(client, director):
    plan = PlanFactory()
    theme = ThemeFactory(plan=plan)
    client.force_login(director)

    response = client.post(
        f"/plans/{plan.pk}/wider-areas/",
        {"area-text": "Partners share information late.", "area-origin": "partner_review",
         "area-origin_detail": "Safeguarding partnership review", "area-theme": theme.pk},
    )  # fmt: skip

    assert response.status_code == 302
    area = plan.wider_areas.get()
    assert (area.text, area.origin, area.theme, area.created_by) == (
        "Partners share information late.",
        "partner_review",
        theme,
        director,
    )
    missing = client.post(f"/plans/{plan.pk}/wider-areas/", {"area-text": ""})
    assert missing.status_code == 400
    body = missing.content.decode()
    assert "Enter the area for improvement" in body
    assert "Select where the area for improvement came from" in body


def test_the_plans_list_shows_only_the_plans_the_person_sees(client, reader):
    ours = PlanFactory(title="Our plan")
    InspectionFactory(plan=ours)
    PlanFactory(title="Their plan", local_authority=OrganisationFactory(name="Far Council"))
    client.force_login(reader)

    response = client.get("/plans/")

    body = response.content.decode()
    assert "Our plan" in body and "Their plan" not in body
    assert f'href="/plans/{ours.pk}/"' in body
    assert 'href="/plans/"' in body  # in the navigation


def test_partners_see_the_plan_page(client, db):
    plan = PlanFactory()
    partner = UserFactory(role="Readers", organisation__name="County NHS Trust")
    client.force_login(partner)
    assert client.get(plan.get_absolute_url()).status_code == 404
    partner.organisation.partner_of.add(plan.local_authority)
    assert client.get(plan.get_absolute_url()).status_code == 200
