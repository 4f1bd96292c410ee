"""Versions generated before plans keep the snapshot the code wrote then (schema 1): one
inspection as "the plan", no plan facts, no themes, no wider areas, no source label, and
actions that answer only the recommendation they sit under. Their pages still read them:
the version page, the printable page, the comparison with today, the documents pages
listing them, and their download, whether the file was stored then or is generated again
now from that snapshot.

The snapshots here are written by hand in the shape of actions/documents/snapshot.py and
progress_report.py as they stood before plans (git show df577b2^:actions/documents/...).
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from actions.documents.models import DocumentVersion, GenerationStatus

from .helpers import docx_blocks, pdf_table_rows, pdf_text, squash

pytestmark = pytest.mark.django_db

SUPERVISION = "Adopt one supervision model and train all managers"
# How a progress report of the time opens: of one inspection, not of a plan.
RESPONSE = (
    "Our response to the Safeguarding and looked after children (2009–12), published "
    "1 March 2024: 2 recommendations and 2 actions."
)


def document_text(data: bytes, fmt: str) -> str:
    """A downloaded document's words: paragraphs, and table cells whole (a PDF's cells
    wrap across lines)."""
    if fmt == "docx":
        return " ".join(docx_blocks(data))
    return " ".join([pdf_text(data), *(cell for row in pdf_table_rows(data) for cell in row)])


def old_action(action, ref: str, *, measures: list | None = None) -> dict:
    """An action as the pre-plan snapshot wrote it: no theme, answers or wider area."""
    return {
        "id": action.pk,
        "ref": ref,
        "url": f"/actions/{action.pk}/",
        "title": action.title,
        "description": "",
        "owner": {
            "id": action.owner_id,
            "name": "Alice Owner",
            "email": "alice@example.org",
            "job_title": "Head of safeguarding",
        },
        "organisation": "Test Council",
        "due_date": "2024-04-15",
        "status": "in_progress",
        "status_label": "In progress",
        "rag": "amber",
        "rag_label": "Amber",
        "rag_reason": "Due within 20 working days",
        "expected_outcome": "Every plan reviewed on time.",
        "resources": "Two team managers' time",
        "risks": "Staff turnover",
        "completed_on": None,
        "signed_off_on": None,
        "measures": measures or [],
        "evidence": [
            {
                "id": 9001,
                "description": "Audit report to the board",
                "file_name": "",
                "link": "https://intranet.example.org/audit",
                "added_on": "2024-04-02",
                "added_by": "Alice Owner",
            }
        ],
        "due_date_changes": [
            {
                "old_date": "2024-03-29",
                "new_date": "2024-04-15",
                "reason": "Audit team on leave",
                "changed_on": "2024-03-20",
                "changed_by": "Lead Director",
            }
        ],
    }


def old_measure(ref: str) -> dict:
    return {
        "id": 9101,
        "ref": ref,
        "name": "Plans reviewed on time",
        "unit": "%",
        "baseline": "60.00",
        "baseline_date": "2024-03-01",
        "target": "90.00",
        "direction": "higher",
        "direction_label": "Higher is better",
        "readings": [
            {"date": "2024-04-01", "value": "65.00", "note": ""},
            {"date": "2024-05-01", "value": "72.00", "note": "After the first audit"},
        ],
        "latest": {"date": "2024-05-01", "value": "72.00"},
        "travel_vs_previous": "improving",
        "travel_vs_baseline": "improving",
        "target_met": False,
    }


def old_inspection_facts(inspection) -> dict:
    """The cover facts as written before plans: no "label", no "plan_submitted_on"."""
    return {
        "id": inspection.pk,
        "title": "Inspection of safeguarding and looked after children services",
        "authority": "Test Council",
        "type": "safeguarding_lac",
        "type_label": "Safeguarding and looked after children (2009–12)",
        "inspection_start": "2024-01-08",
        "inspection_end": "2024-01-19",
        "publication_date": "2024-03-01",
        "received_date": None,
        "lead_inspector": "A. Inspector",
        "plan_due_date": "2024-06-10",
        "plan_due_basis": "formula",
        "plan_due_basis_label": "Working days from receipt",
        "plan_due_override_reason": "",
        "url": f"/inspections/{inspection.pk}/",
    }


def pre_plan_submission(plan) -> dict:
    """A submission snapshot in the pre-plan shape (schema 1) of the fixture's report:
    its first two recommendations, each with one of its actions."""
    first, second = plan.recommendations[:2]
    audit, supervision = plan.actions[0], plan.actions[2]
    recommendations = [
        {
            "id": first.pk,
            "ref": "1",
            "url": f"/inspections/{plan.inspection.pk}/#rec-{first.pk}",
            "order": first.order,
            "number": "",
            "section": first.section,
            "timescale": first.timescale,
            "timescale_label": "Immediately",
            "addressee": "",
            "priority": False,
            "text": first.text,
            "actions": [old_action(audit, "1.1", measures=[old_measure("1.1.1")])],
        },
        {
            "id": second.pk,
            "ref": "2",
            "url": f"/inspections/{plan.inspection.pk}/#rec-{second.pk}",
            "order": second.order,
            "number": "",
            "section": second.section,
            "timescale": second.timescale,
            "timescale_label": "Within three months",
            "addressee": "",
            "priority": False,
            "text": second.text,
            "actions": [old_action(supervision, "2.1", measures=[old_measure("2.1.1")])],
        },
    ]
    return {
        "schema": 1,
        "kind": "submission",
        "data_as_at": "2024-05-20",
        "inspection": old_inspection_facts(plan.inspection),
        "judgements": [
            {
                "area": "Overall effectiveness (safeguarding)",
                "section": "",
                "grade_text": "Grade 3 (Adequate)",
                "grade": "requires_improvement",
                "grade_label": "Requires improvement / adequate",
            }
        ],
        "sign_off": {
            "name": "Lead Director",
            "job_title": "Director of children's services",
            "date": "2024-05-20",
        },
        "recommendations": recommendations,
        "readiness": {"ready": True, "gaps": [], "recommendations": 2, "actions": 2},
    }


def pre_plan_progress(plan) -> dict:
    """A progress report snapshot in the pre-plan shape: of the inspection, no "plan",
    no "theme", totals of recommendations and actions."""

    def brief(ref: str, title: str) -> dict:
        return {
            "ref": ref,
            "title": title,
            "owner": "Alice Owner",
            "organisation": "Test Council",
            "due_date": "2024-04-15",
            "status_label": "In progress",
            "rag": "red",
            "rag_label": "Red",
        }

    audit_title = plan.actions[0].title
    return {
        "schema": 1,
        "kind": "progress",
        "data_as_at": "2024-06-30",
        "period": {"start": "2024-04-01", "end": "2024-06-30", "as_at": "2024-06-30"},
        "inspection": old_inspection_facts(plan.inspection),
        "totals": {"recommendations": 2, "actions": 2},
        "rag_summary": [
            {"rag": "red", "label": "Red", "count": 1},
            {"rag": "amber", "label": "Amber", "count": 1},
            {"rag": "green", "label": "Green", "count": 0},
            {"rag": "blue", "label": "Blue", "count": 0},
        ],
        "status_summary": [
            {"status": "not_started", "label": "Not started", "count": 0},
            {"status": "in_progress", "label": "In progress", "count": 2},
            {"status": "complete", "label": "Complete", "count": 0},
            {"status": "signed_off", "label": "Signed off", "count": 0},
            {"status": "closed", "label": "Closed", "count": 0},
        ],
        "completed": [{**brief("2.1", SUPERVISION), "completed_on": "2024-05-02"}],
        "slipped": [brief("1.1", audit_title)],
        "moved": [
            {
                **brief("1.1", audit_title),
                "old_date": "2024-03-29",
                "new_date": "2024-04-15",
                "reason": "Audit team on leave",
                "changed_on": "2024-04-03",
                "changed_by": "Lead Director",
            }
        ],
        "measures": [
            {
                "ref": "1.1.1",
                "name": "Plans reviewed on time",
                "action_ref": "1.1",
                "action_title": audit_title,
                "unit": "%",
                "baseline": "60.00",
                "target": "90.00",
                "direction": "higher",
                "direction_label": "Higher is better",
                "readings": [
                    {"date": "2024-04-01", "value": "65.00", "note": ""},
                    {"date": "2024-05-01", "value": "72.00", "note": ""},
                ],
                "readings_in_period": 2,
                "latest": {"date": "2024-05-01", "value": "72.00"},
                "change_in_period": "improving",
                "travel_vs_baseline": "improving",
                "target_met": False,
            }
        ],
        "overdue": [{**brief("1.1", audit_title), "working_days_overdue": 54}],
    }


def old_version(plan, snapshot: dict, *, fmt: str, status: str, lead, **extra):
    """A version row as the migration left it: naming the plan and, as before, the
    inspection; its file and name as made then."""
    kind = snapshot["kind"]
    version = DocumentVersion(
        plan=plan.plan,
        inspection=plan.inspection,
        kind=kind,
        format=fmt,
        status=status,
        download_name=f"test-council-{kind}-2024-05-20.{fmt}",
        snapshot=snapshot,
        action_count=2,
        generated_by=lead,
        **extra,
    )
    if status == GenerationStatus.READY:
        version.file.save(f"old.{fmt}", ContentFile(b"%PDF-1.4 made before plans"), save=False)
        version.size, version.sha256 = 26, "0" * 64
        version.generated_at = dt.datetime(2024, 5, 20, 10, tzinfo=dt.UTC)
    else:
        version.message = "The document could not be generated."
    version.save()
    return version


def test_a_pre_plan_submission_version_reads_on_its_pages(client, plan, lead):
    version = old_version(
        plan, pre_plan_submission(plan), fmt="pdf", status=GenerationStatus.READY, lead=lead
    )
    client.force_login(lead)

    page = client.get(version.get_absolute_url())
    assert page.status_code == 200
    assert f"Download {version.download_name}" in page.content.decode()

    printed = client.get(reverse("documents-version-print", args=[version.pk]))
    assert printed.status_code == 200
    text = squash(printed.content.decode())
    assert plan.recommendations[0].text in text and SUPERVISION in text
    assert "Plans reviewed on time" in text
    assert '<th scope="row">Local authority</th><td>Test Council</td>' in text
    assert '<th scope="row">Improvement plan</th>' not in text  # there was none then

    download = client.get(reverse("documents-version-download", args=[version.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 made before plans"

    for listing in (
        reverse("documents-plan", args=[plan.plan.pk]),
        reverse("documents-source", args=[plan.plan.pk, plan.inspection.pk]),
    ):
        shown = client.get(listing)
        assert shown.status_code == 200 and version.get_absolute_url() in shown.content.decode()


def test_a_pre_plan_submission_compares_with_today(client, plan, lead):
    version = old_version(
        plan, pre_plan_submission(plan), fmt="docx", status=GenerationStatus.READY, lead=lead
    )
    client.force_login(lead)

    response = client.get(reverse("documents-compare", args=[plan.plan.pk]), {"old": version.pk})

    assert response.status_code == 200
    diff = response.context["diff"]
    assert diff["has_changes"]
    # The items left out of the old snapshot are new since; the ones in it are matched.
    added = {item["label"] for item in diff["recommendations"]["added"]}
    assert added == {r.text for r in plan.recommendations[2:]}
    assert diff["recommendations"]["removed"] == []


def regenerated_text(client, version, fmt: str) -> str:
    """Generate a failed version again from its stored snapshot, download it, and read it."""
    again = client.post(reverse("documents-version-generate-now", args=[version.pk]))
    assert again.status_code == 302
    version.refresh_from_db()
    assert version.status == GenerationStatus.READY, version.message
    download = client.get(reverse("documents-version-download", args=[version.pk]))
    assert download.status_code == 200
    return document_text(b"".join(download.streaming_content), fmt)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_pre_plan_submission_generated_again_downloads(client, plan, lead, fmt):
    version = old_version(
        plan, pre_plan_submission(plan), fmt=fmt, status=GenerationStatus.FAILED, lead=lead
    )
    client.force_login(lead)

    text = regenerated_text(client, version, fmt)
    assert plan.recommendations[1].text in text
    assert SUPERVISION in text and "Lead Director" in text


def test_a_pre_plan_progress_report_reads_and_downloads(client, plan, lead):
    snapshot = pre_plan_progress(plan)
    period = {"period_start": dt.date(2024, 4, 1), "period_end": dt.date(2024, 6, 30)}
    ready = old_version(
        plan, snapshot, fmt="pdf", status=GenerationStatus.READY, lead=lead, **period
    )
    client.force_login(lead)

    assert client.get(ready.get_absolute_url()).status_code == 200
    printed = client.get(reverse("documents-version-print", args=[ready.pk]))
    assert printed.status_code == 200
    text = squash(printed.content.decode())
    assert SUPERVISION in text and "Plans reviewed on time" in text
    assert RESPONSE in html.unescape(text)
    assert client.get(reverse("documents-plan", args=[plan.plan.pk])).status_code == 200

    for fmt in ("docx", "pdf"):
        failed = old_version(
            plan, snapshot, fmt=fmt, status=GenerationStatus.FAILED, lead=lead, **period
        )
        text = regenerated_text(client, failed, fmt)
        assert SUPERVISION in text and "Audit team on leave" in text
        assert RESPONSE in text
