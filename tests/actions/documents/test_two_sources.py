"""A plan fed by two reports: a submission per source, the progress report per plan and
theme, one tracker, one calendar feed."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from actions.calendar import feed as calendar
from actions.documents import services
from actions.documents.progress_report import build_progress_snapshot
from actions.documents.snapshot import build_plan_snapshot, build_submission_snapshot
from actions.models import Action
from actions.tracker import imports as tracker_import
from actions.tracker import workbook
from core.errors import DomainError
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    MeasureFactory,
    RecommendationFactory,
    ThemeFactory,
    WiderAreaFactory,
)

from .helpers import docx_blocks


@pytest.fixture
def two(plan):
    """The plan's 2024 report, then a focused visit of 2025 as its second source; one
    action answers an item of each, one answers a wider area; two themes."""
    visit = InspectionFactory(
        plan=plan.plan,
        local_authority=plan.inspection.local_authority,
        inspection_type="focused_visit",
        publication_date=dt.date(2025, 2, 1),
        stated_plan_due_date=dt.date(2025, 3, 3),
        stated_draft_plan_due_date=dt.date(2025, 2, 20),
    )
    recording = RecommendationFactory(
        inspection=visit, order=1, text="Improve the consistency of case recording."
    )
    oversight = RecommendationFactory(
        inspection=visit, order=2, text="Strengthen management oversight of supervision."
    )
    practice, leadership = (
        ThemeFactory(plan=plan.plan, name="Practice", order=1),
        ThemeFactory(plan=plan.plan, name="Leadership", order=2),
    )
    both = ActionFactory(
        plan=plan.plan,
        answers=[plan.recommendations[1], oversight],
        theme=leadership,
        title="One supervision model, audited monthly",
        owner=plan.actions[0].owner,
        due_date=dt.date(2025, 6, 30),
        expected_outcome="Reflective supervision everywhere.",
    )
    MeasureFactory(action=both)
    only_visit = ActionFactory(
        recommendation=recording, theme=practice, title="Recording standard and audit"
    )
    area = WiderAreaFactory(plan=plan.plan, text="Sufficiency of foster carers", origin="audit")
    wider = ActionFactory(
        recommendation=None, plan=plan.plan, wider_area=area, title="Recruit foster carers"
    )
    Action.objects.filter(pk=plan.actions[3].pk).update(theme=practice)
    return {
        "plan": plan,
        "visit": visit,
        "items": (recording, oversight),
        "themes": (practice, leadership),
        "both": both,
        "only_visit": only_visit,
        "wider": wider,
    }


def _titles(snapshot):
    return {a["title"] for rec in snapshot["recommendations"] for a in rec["actions"]}


def test_each_sources_submission_lists_its_own_items_only(two):
    plan = two["plan"]
    first = build_submission_snapshot(plan.plan, plan.inspection)
    second = build_submission_snapshot(plan.plan, two["visit"])
    assert [r["id"] for r in first["recommendations"]] == [r.pk for r in plan.recommendations]
    assert [r["id"] for r in second["recommendations"]] == [r.pk for r in two["items"]]
    assert second["inspection"]["id"] == two["visit"].pk
    assert first["plan"]["id"] == second["plan"]["id"] == plan.plan.pk
    assert "Recording standard and audit" in _titles(second)
    assert "Recording standard and audit" not in _titles(first)
    assert "Recruit foster carers" not in _titles(first) | _titles(second)


def test_an_action_answering_items_of_both_sources_appears_in_both(two):
    plan, both = two["plan"], two["both"]
    first = build_submission_snapshot(plan.plan, plan.inspection)
    second = build_submission_snapshot(plan.plan, two["visit"])
    assert both.title in _titles(first) and both.title in _titles(second)
    (shown,) = [a for a in first["recommendations"][1]["actions"] if a["id"] == both.pk]
    assert [(i["ref"], i["source_id"]) for i in shown["answers"]] == [
        ("S1.2", plan.inspection.pk),
        ("S2.2", two["visit"].pk),
    ]
    # The Word document of the first source says what else the action answers.
    version = services.request_document(
        plan=plan.plan, inspection=plan.inspection, by=None, kind="submission", fmt="docx"
    )
    with version.file.open("rb") as handle:
        text = " ".join(docx_blocks(handle.read()))
    assert "Also answers S2.2 of the Focused visit (2025)" in text


def test_readiness_is_per_source(two):
    plan = two["plan"]
    first = build_submission_snapshot(plan.plan, plan.inspection)["readiness"]
    second = build_submission_snapshot(plan.plan, two["visit"])["readiness"]
    assert first["ready"] and first["actions"] == 6
    assert not second["ready"]
    assert {gap["label"] for gap in second["gaps"]} == {"Recording standard and audit"}


def test_a_submission_answers_a_source_of_the_plan(two, lead):
    plan = two["plan"]
    other = InspectionFactory()
    with pytest.raises(DomainError, match="not a source of the plan"):
        services.request_document(
            plan=plan.plan, inspection=other, by=lead, kind="submission", fmt="docx"
        )
    held = InspectionFactory(plan=None, local_authority=plan.inspection.local_authority)
    with pytest.raises(DomainError, match="not a source of the plan"):
        services.request_document(inspection=held, by=lead, kind="submission", fmt="docx")
    with pytest.raises(DomainError, match="Choose the report"):
        services.request_document(plan=plan.plan, by=lead, kind="submission", fmt="docx")


def test_marking_a_sources_submission_submitted_marks_that_source_only(two, lead):
    plan = two["plan"]
    Action.objects.filter(pk=two["only_visit"].pk).update(
        owner=plan.actions[0].owner, expected_outcome="Records that say what happened."
    )
    MeasureFactory(action=two["only_visit"])
    version = services.request_document(
        plan=plan.plan, inspection=two["visit"], by=lead, kind="submission", fmt="docx"
    )
    assert version.plan == plan.plan and version.inspection == two["visit"]
    assert "focused-visit-2025" in version.download_name
    assert plan.plan.status == "draft"
    services.mark_submitted(version=version, by=lead)
    two["visit"].refresh_from_db()
    plan.inspection.refresh_from_db()
    plan.plan.refresh_from_db()
    assert two["visit"].plan_submitted_at is not None
    assert plan.inspection.plan_submitted_at is None
    assert plan.plan.status == "submitted"  # the plan's first submission moves it on


def test_the_plan_snapshot_reads_by_theme_with_sources_and_wider_areas(two):
    plan = two["plan"]
    snapshot = build_plan_snapshot(plan.plan)
    assert [(t["ref"], t["name"]) for t in snapshot["themes"]] == [
        ("1", "Practice"),
        ("2", "Leadership"),
        ("3", "Not filed under a theme"),
    ]
    practice = snapshot["themes"][0]["actions"]
    assert [a["title"] for a in practice] == [  # in the plan's order of actions
        "Recording standard and audit",
        "Book health assessments for every child without one",
    ]
    assert [a["ref"] for a in practice] == ["1.1", "1.2"]
    assert [s["ref"] for s in snapshot["sources"]] == ["S1", "S2"]
    (wider,) = [a for a in snapshot["themes"][2]["actions"] if a["wider_area"]]
    assert wider["wider_area"]["text"] == "Sufficiency of foster carers"
    assert wider["answers"] == []
    ids = [a["id"] for t in snapshot["themes"] for a in t["actions"]]
    assert len(ids) == len(set(ids)) == 8  # each action once


def test_the_progress_report_of_one_theme_keeps_the_plans_numbering(two):
    plan = two["plan"]
    leadership = two["themes"][1]
    whole = build_progress_snapshot(
        plan.plan, start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30), today=dt.date(2024, 7, 1)
    )
    one = build_progress_snapshot(
        plan.plan,
        start=dt.date(2024, 4, 1),
        end=dt.date(2024, 6, 30),
        theme=leadership,
        today=dt.date(2024, 7, 1),
    )
    assert whole["totals"] == {"recommendations": 6, "sources": 2, "wider_areas": 1, "actions": 8}
    assert one["theme"] == {"id": leadership.pk, "name": "Leadership"}
    assert [t["name"] for t in one["themes"]] == ["Leadership"]
    (action,) = one["themes"][0]["actions"]
    assert action["ref"] == "2.1" and action["title"] == two["both"].title
    assert [i["ref"] for i in action["answers"]] == ["S1.2", "S2.2"]
    assert one["totals"]["actions"] == 1


def test_a_progress_report_version_for_one_theme(two, lead):
    plan, practice = two["plan"], two["themes"][0]
    version = services.request_document(
        plan=plan.plan,
        by=lead,
        kind="progress",
        fmt="docx",
        theme=practice,
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2024, 6, 30),
    )
    assert version.inspection is None and version.plan == plan.plan
    assert "-progress-report-practice-" in version.download_name
    with version.file.open("rb") as handle:
        blocks = docx_blocks(handle.read())
    assert "1 Practice" in blocks and "2 Leadership" not in blocks
    other = ThemeFactory()
    with pytest.raises(DomainError, match="themes"):
        services.request_document(
            plan=plan.plan, by=lead, kind="progress", fmt="docx", theme=other,
            period_start=dt.date(2024, 4, 1), period_end=dt.date(2024, 6, 30),
        )  # fmt: skip


def test_the_tracker_has_a_row_per_action_with_the_items_it_answers(two):
    plan = two["plan"]
    book = load_workbook(io.BytesIO(workbook.to_xlsx(build_plan_snapshot(plan.plan))))
    rows = list(book["Actions"].iter_rows(values_only=True))
    by_id = {row[6]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(by_id) == 8
    both = by_id[two["both"].pk]
    assert (both["Theme"], both["Items answered"]) == ("Leadership", "S1.2; S2.2")
    wider = by_id[two["wider"].pk]
    assert (wider["Items answered"], wider["Wider area ref"]) == (None, "W1")
    assert wider["Wider area"] == "Sufficiency of foster carers"


def test_the_tracker_adds_and_changes_what_actions_answer(two, lead):
    plan = two["plan"]
    book = load_workbook(io.BytesIO(workbook.to_xlsx(build_plan_snapshot(plan.plan))))
    sheet = book["Actions"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=columns["Action ID"]).value == two["only_visit"].pk:
            sheet.cell(row=row, column=columns["Items answered"], value="S2.1, S1.3")
            sheet.cell(row=row, column=columns["Theme"], value="leadership")
    new = sheet.max_row + 1
    sheet.cell(row=new, column=columns["Wider area ref"], value="W1")
    sheet.cell(row=new, column=columns["What will be done"], value="Foster carer campaign")
    buffer = io.BytesIO()
    book.save(buffer)
    result = tracker_import.validate(buffer.getvalue(), plan=plan.plan, by=lead)
    assert result.ok, result.errors
    assert len(result.creates) == 1 and len(result.updates) == 1
    assert result.updates[0].changes == [
        "Answers: S2.1 → S1.3; S2.1",
        "Theme: “Practice” → “Leadership”",
    ]
    tracker_import.apply(result, by=lead)
    changed = Action.objects.get(pk=two["only_visit"].pk)
    assert set(changed.recommendations.all()) == {two["items"][0], plan.recommendations[2]}
    assert changed.theme == two["themes"][1]
    added = Action.objects.get(title="Foster carer campaign")
    assert added.plan == plan.plan and added.wider_area.text == "Sufficiency of foster carers"
    assert not added.recommendations.exists()


def test_a_new_tracker_row_must_answer_something(two, lead):
    plan = two["plan"]
    book = load_workbook(io.BytesIO(workbook.to_xlsx(build_plan_snapshot(plan.plan))))
    sheet = book["Actions"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    new = sheet.max_row + 1
    sheet.cell(row=new, column=columns["What will be done"], value="Something")
    buffer = io.BytesIO()
    book.save(buffer)
    result = tracker_import.validate(buffer.getvalue(), plan=plan.plan, by=lead)
    assert [(e.cell, e.message) for e in result.errors] == [
        (f"B{new}", "Enter the items the action answers, or its wider area (Wider area ref).")
    ]


def test_the_plan_feed_has_each_sources_deadlines_and_every_action(two, client):
    plan = two["plan"]
    alice = plan.actions[0].owner
    token = calendar.new_feed(user=alice)
    body = client.get(reverse("documents-calendar-plan", args=[token, plan.plan.pk])).content
    events = {str(e["uid"]).split("@")[0]: e for e in Calendar.from_ical(body).walk("VEVENT")}
    visit = two["visit"]
    assert events[f"plan-due-{visit.pk}"]["dtstart"].dt == dt.date(2025, 3, 3)
    assert events[f"draft-plan-due-{visit.pk}"]["dtstart"].dt == dt.date(2025, 2, 20)
    assert f"plan-due-{plan.inspection.pk}" in events
    assert f"action-{two['wider'].pk}" in events and f"action-{two['both'].pk}" in events
    # A link made when the report stood for the plan gives the plan's feed.
    old = client.get(f"/documents/calendar/{token}/inspections/{visit.pk}.ics")
    assert old.status_code == 200 and f"action-{two['wider'].pk}".encode() in old.content


def test_the_plan_page_lists_each_source_and_the_source_page_generates_its_submission(
    two, client, officer
):
    plan, visit = two["plan"], two["visit"]
    client.force_login(officer)
    body = client.get(reverse("documents-plan", args=[plan.plan.pk])).content.decode()
    for source in (plan.inspection, visit):
        assert reverse("documents-source", args=[plan.plan.pk, source.pk]) in body
    page = client.get(reverse("documents-source", args=[plan.plan.pk, visit.pk]))
    assert "Submission: Focused visit (2025)" in page.content.decode()
    response = client.post(
        reverse("documents-generate-submission", args=[plan.plan.pk, visit.pk]),
        {"format": "docx"},
    )
    assert response.status_code == 302
    assert services.DocumentVersion.objects.get().inspection == visit
    stranger = InspectionFactory(local_authority=plan.inspection.local_authority)
    missing = client.get(reverse("documents-source", args=[plan.plan.pk, stranger.pk]))
    assert missing.status_code == 404


def test_the_draft_a_focused_visit_asked_for_is_recorded_as_sent_on_its_page(client, two, lead):
    visit = two["visit"]
    page_url = reverse("documents-source", args=[two["plan"].plan.pk, visit.pk])
    sent_url = reverse("documents-draft-sent", args=[two["plan"].plan.pk, visit.pk])
    client.force_login(lead)
    assert "Record that the draft plan was sent" in client.get(page_url).content.decode()

    response = client.post(sent_url)

    assert response.status_code == 302 and response["Location"] == page_url
    visit.refresh_from_db()
    assert visit.draft_plan_sent_at is not None
    page = client.get(page_url).content.decode()
    assert "Record that the draft plan was sent" not in page
    assert f"Sent {visit.draft_plan_sent_at:%-d %B %Y}" in page


def test_only_those_who_produce_documents_record_a_draft_sent(client, two, outsider):
    visit = two["visit"]
    client.force_login(outsider)
    sent_url = reverse("documents-draft-sent", args=[two["plan"].plan.pk, visit.pk])
    assert client.post(sent_url).status_code == 404
    visit.refresh_from_db()
    assert visit.draft_plan_sent_at is None
