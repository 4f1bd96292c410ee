"""A policy officer corrects an imported report's facts on the plan, with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from core import deadlines
from core.forms import DATE_PARTS, DateInput
from core.models import AuditEntry
from inspections import corrections
from inspections.models import Inspection
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    JudgementFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection() -> Inspection:
    inspection = InspectionFactory(local_authority=OrganisationFactory(name="Test Council"))
    JudgementFactory(inspection=inspection, area="Overall effectiveness", grade_text="Good")
    RecommendationFactory(inspection=inspection, order=0, number="1", text="Improve visits.")
    RecommendationFactory(inspection=inspection, order=1, number="2", text="Improve plans.")
    return inspection


def url(inspection: Inspection) -> str:
    return f"/inspections/{inspection.pk}/correct/"


def page_data(response) -> dict[str, str]:
    """The correction form as the browser would post it, unchanged."""
    context = response.context
    forms = [
        context["facts"],
        *context["judgements"],
        *context["recommendations"],
        context["reason"],
    ]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, DateInput):
                parts = field.field.widget.decompress(value)
                data.update(
                    {f"{field.html_name}_{p}": v for p, v in zip(DATE_PARTS, parts, strict=True)}
                )
            elif value is True:
                data[field.html_name] = "on"
            elif value not in (None, False):
                data[field.html_name] = value
    for formset in (context["judgements"], context["recommendations"]):
        for field in formset.management_form:
            data[field.html_name] = field.value()
    return data


def set_date(data: dict[str, str], name: str, date: dt.date) -> None:
    data.update(
        {
            f"facts-{name}_day": date.day,
            f"facts-{name}_month": date.month,
            f"facts-{name}_year": date.year,
        }
    )


def test_the_officer_corrects_the_dates_and_the_plan_deadline_moves(client, officer, inspection):
    client.force_login(officer)
    old_deadline = inspection.plan_due_date
    data = page_data(client.get(url(inspection)))
    set_date(data, "publication_date", dt.date(2024, 3, 15))
    set_date(data, "received_date", dt.date(2024, 3, 18))
    data["reason"] = "The publication date was read from the cover letter."

    response = client.post(url(inspection), data)

    assert response.status_code == 302 and response["Location"] == inspection.get_absolute_url()
    inspection.refresh_from_db()
    assert inspection.publication_date == dt.date(2024, 3, 15)
    assert inspection.received_date == dt.date(2024, 3, 18)
    assert inspection.plan_due_date == deadlines.plan_due_date(dt.date(2024, 3, 18))
    assert inspection.plan_due_date != old_deadline
    plan = client.get(inspection.get_absolute_url()).content.decode()
    assert "15 March 2024; received 18 March 2024" in plan


def test_dates_survive_the_round_trip_through_the_page(client, officer, inspection):
    client.force_login(officer)
    form = client.get(url(inspection)).content.decode()
    # The imported dates are shown in the GOV.UK date input's three boxes.
    assert 'name="facts-inspection_start_day" type="text" inputmode="numeric" value="8"' in form
    assert 'name="facts-inspection_start_month" type="text" inputmode="numeric" value="1"' in form
    assert 'name="facts-inspection_start_year" type="text" inputmode="numeric" value="2024"' in form

    data = page_data(client.get(url(inspection)))
    set_date(data, "inspection_start", dt.date(2024, 1, 9))
    set_date(data, "inspection_end", dt.date(2024, 1, 26))
    data["reason"] = "The dates were taken from the draft report."
    client.post(url(inspection), data)

    again = client.get(url(inspection))
    assert page_data(again)["facts-inspection_start_day"] == "9"
    assert page_data(again)["facts-inspection_end_day"] == "26"
    inspection.refresh_from_db()
    assert (inspection.inspection_start, inspection.inspection_end) == (
        dt.date(2024, 1, 9),
        dt.date(2024, 1, 26),
    )


def test_a_reason_is_required(client, officer, inspection):
    client.force_login(officer)
    data = page_data(client.get(url(inspection)))
    set_date(data, "publication_date", dt.date(2024, 3, 15))

    response = client.post(url(inspection), data)

    assert response.status_code == 400
    assert "Enter why the report&#x27;s details are being corrected" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.publication_date == dt.date(2024, 3, 1)
    assert not AuditEntry.objects.filter(verb="correct_report").exists()


def test_the_service_refuses_a_blank_reason(officer, inspection):
    with pytest.raises(corrections.DomainError) as refused:
        corrections.correct_report(
            inspection=inspection,
            by=officer,
            reason="   ",
            facts=corrections.ReportFacts.of(inspection),
        )
    assert refused.value.field == "reason"


def test_a_correction_that_changes_nothing_is_refused(client, officer, inspection):
    client.force_login(officer)
    data = page_data(client.get(url(inspection)))
    data["reason"] = "Checking."

    response = client.post(url(inspection), data)

    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()


def test_a_wrong_date_is_shown_with_the_govuk_message(client, officer, inspection):
    client.force_login(officer)
    data = page_data(client.get(url(inspection)))
    data["facts-publication_date_month"] = ""
    data["reason"] = "Typing."

    response = client.post(url(inspection), data)

    assert response.status_code == 400
    assert "The publication date must include a month" in response.content.decode()
    assert 'href="#id_facts-publication_date"' in response.content.decode()


@pytest.mark.parametrize("role", ["Readers", "Action owners", "Directors"])
def test_people_who_see_the_plan_but_are_not_policy_officers_get_403(client, inspection, role):
    client.force_login(UserFactory(role=role))
    assert client.get(url(inspection)).status_code == 403
    assert client.post(url(inspection), {"reason": "x"}).status_code == 403
    assert "Correct the report" not in client.get(inspection.get_absolute_url()).content.decode()


def test_another_councils_officer_gets_404(client, inspection):
    elsewhere = OrganisationFactory(name="Elsewhere Council")
    client.force_login(UserFactory(role="Policy officers", organisation=elsewhere))
    assert client.get(url(inspection)).status_code == 404
    assert client.post(url(inspection), {"reason": "x"}).status_code == 404


def test_someone_signed_out_is_sent_to_sign_in(client, inspection):
    response = client.get(url(inspection))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_plan_page_links_to_the_correction_for_the_officer(client, officer, inspection):
    client.force_login(officer)
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert f'href="{url(inspection)}">Correct the report\'s details</a>' in page


def test_the_audit_entry_says_what_changed_and_why(client, officer, inspection):
    client.force_login(officer)
    old_deadline = inspection.plan_due_date
    data = page_data(client.get(url(inspection)))
    set_date(data, "publication_date", dt.date(2024, 3, 5))
    data["facts-inspection_type"] = "sif"
    data["reason"] = "Checked against the published PDF."

    client.post(url(inspection), data)

    entry = AuditEntry.objects.get(verb="correct_report")
    inspection.refresh_from_db()
    assert entry.actor == officer and entry.object_id == str(inspection.pk)
    assert entry.summary == (
        "Inspection type: Inspection of local authority children's services → "
        "Single inspection framework; "
        "Publication date: 1 March 2024 → 5 March 2024; "
        f"Plan due: {old_deadline:%-d %B %Y} → {inspection.plan_due_date:%-d %B %Y} "
        "(Checked against the published PDF.)"
    )
    assert entry.before["inspection"]["publication_date"] == "2024-03-01"
    assert entry.after["inspection"]["publication_date"] == "2024-03-05"
    assert entry.after["inspection"]["inspection_type"] == "sif"
    assert entry.after["reason"] == "Checked against the published PDF."


def test_correcting_a_recommendations_text_keeps_its_actions(client, officer, inspection):
    first = inspection.recommendations.get(number="1")
    action = ActionFactory(recommendation=first)
    client.force_login(officer)
    data = page_data(client.get(url(inspection)))
    data["recommendations-0-text"] = "Improve the timeliness of visits to children in care."
    data["recommendations-0-timescale"] = "three_months"
    data["recommendations-0-addressee"] = "Test Council"
    data["reason"] = "The text was cut at a page break."

    client.post(url(inspection), data)

    first.refresh_from_db()
    action.refresh_from_db()
    assert first.text == "Improve the timeliness of visits to children in care."
    assert first.timescale == "three_months"
    assert first.addressee_organisation == inspection.local_authority
    assert list(action.recommendations.all()) == [first]
    assert list(first.actions.all()) == [action]
    summary = AuditEntry.objects.get(verb="correct_report").summary
    assert summary.startswith(
        "Recommendation 1: text corrected; "
        "Recommendation 1 timescale: None given → Within three months; "
        "Recommendation 1 addressed to: not named → Test Council"
    )
    assert inspection.recommendations.get(number="2").text == "Improve plans."


def test_judgements_are_corrected_added_and_removed(client, officer, inspection):
    client.force_login(officer)
    data = page_data(client.get(url(inspection)))
    data["judgements-0-grade_text"] = "Requires improvement to be good"
    data["judgements-0-grade"] = "requires_improvement"
    data["judgements-1-area"] = "The experiences and progress of care leavers"
    data["judgements-1-grade_text"] = "Good"
    data["judgements-1-grade"] = "good"
    data["reason"] = "The 2026 framework's fourth judgement was missed."

    assert client.post(url(inspection), data).status_code == 302

    judgements = list(inspection.judgements.values_list("area", "grade_text", "grade"))
    assert judgements == [
        ("Overall effectiveness", "Requires improvement to be good", "requires_improvement"),
        ("The experiences and progress of care leavers", "Good", "good"),
    ]
    data = page_data(client.get(url(inspection)))
    data["judgements-1-DELETE"] = "on"
    data["reason"] = "Added to the wrong plan."
    client.post(url(inspection), data)
    assert inspection.judgements.count() == 1
    assert "Judgement removed: The experiences and progress of care leavers (Good)" in (
        AuditEntry.objects.filter(verb="correct_report").first().summary
    )


def test_a_focused_visit_with_priority_actions_gains_its_draft_plan_deadline(officer):
    inspection = InspectionFactory(inspection_type="ilacs")
    RecommendationFactory(inspection=inspection, priority=True, order=0)
    assert inspection.draft_plan_due_date is None
    facts = corrections.ReportFacts.of(inspection)

    corrections.correct_report(
        inspection=inspection,
        by=officer,
        reason="This was a focused visit.",
        facts=corrections.ReportFacts(**{**vars(facts), "inspection_type": "focused_visit"}),
    )

    inspection.refresh_from_db()
    assert inspection.draft_plan_required
    assert inspection.draft_plan_due_date == deadlines.draft_plan_due_date(
        inspection.publication_date
    )


def test_a_recommendation_of_another_plan_cannot_be_corrected(officer, inspection):
    other = RecommendationFactory(inspection=InspectionFactory(), order=0)
    with pytest.raises(corrections.DomainError):
        corrections.correct_report(
            inspection=inspection,
            by=officer,
            reason="Trying.",
            facts=corrections.ReportFacts.of(inspection),
            recommendations=[
                corrections.RecommendationFacts(id=other.pk, text="Changed.", timescale="none")
            ],
        )
    other.refresh_from_db()
    assert other.text != "Changed."
