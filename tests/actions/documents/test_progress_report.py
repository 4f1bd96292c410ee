import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from docx import Document

from actions.documents import charts, progress_docx, progress_pdf
from actions.documents.progress_report import build_progress_snapshot
from actions.models import DueDateChange

from .helpers import docx_blocks, pdf_table_rows, pdf_text

START, END, TODAY = dt.date(2024, 4, 1), dt.date(2024, 6, 30), dt.date(2024, 7, 1)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def report(plan, lead):
    a = plan.actions
    a[1].status, a[1].completed_at = "complete", _at(dt.date(2024, 5, 10))
    a[2].status, a[2].completed_at = "complete", _at(dt.date(2024, 6, 20))
    for action in a[1:3]:
        action.save()
    moved = DueDateChange.objects.create(
        action=a[3],
        old_date=dt.date(2024, 6, 15),
        new_date=a[3].due_date,
        reason="The health provider asked for a month more.",
        changed_by=lead,
    )
    DueDateChange.objects.filter(pk=moved.pk).update(changed_at=_at(dt.date(2024, 6, 1)))
    before = DueDateChange.objects.create(
        action=a[4], old_date=dt.date(2024, 1, 1), new_date=a[4].due_date, reason="Earlier"
    )
    DueDateChange.objects.filter(pk=before.pk).update(changed_at=_at(dt.date(2024, 3, 1)))
    return build_progress_snapshot(plan.plan, start=START, end=END, today=TODAY)


def test_completed_actions_are_those_completed_in_the_period(report):
    assert [(a["ref"], a["completed_on"]) for a in report["completed"]] == [
        ("1.2", "2024-05-10"),
        ("1.3", "2024-06-20"),
    ]


def test_slipped_actions_became_overdue_in_the_period(report):
    # 1.1 was due 15 April and is not done; 1.3 was done five days late. (The plan has
    # no themes: its actions are numbered in the one group of actions under no theme.)
    assert [a["ref"] for a in report["slipped"]] == ["1.1", "1.3"]


def test_moved_due_dates_come_with_their_reasons_and_only_from_the_period(report, lead):
    assert [(m["ref"], m["old_date"], m["new_date"], m["reason"]) for m in report["moved"]] == [
        ("1.4", "2024-06-15", "2024-07-15", "The health provider asked for a month more."),
    ]
    assert report["moved"][0]["changed_by"] == str(lead)


def test_overdue_items_are_open_past_due_at_the_end_of_the_period_with_owners(report):
    assert [(a["ref"], a["owner"]) for a in report["overdue"]] == [("1.1", "Alice Owner")]
    assert report["overdue"][0]["working_days_overdue"] > 0


def test_rag_summary_counts_every_action(report):
    assert sum(row["count"] for row in report["rag_summary"]) == 5
    assert [row["rag"] for row in report["rag_summary"]] == ["red", "amber", "green", "blue"]


def test_measures_show_readings_to_the_end_of_the_period_and_change_in_it(report):
    first = report["measures"][0]
    assert [r["date"] for r in first["readings"]] == ["2024-04-01", "2024-05-01", "2024-06-01"]
    assert first["readings_in_period"] == 3
    assert first["change_in_period"] == "improving"  # 70 against the 60 baseline
    assert first["target_met"] is False
    assert report["measures"][-1]["latest"] is None


def test_the_rag_chart_is_an_image_with_words_and_the_same_figures(report):
    svg = charts.rag_bar_chart("rag", report["rag_summary"])
    assert 'role="img"' in svg and 'aria-labelledby="rag-title rag-desc"' in svg
    assert '<title id="rag-title">Actions by RAG status</title>' in svg
    counts = "; ".join(f"{r['label']}: {r['count']}" for r in report["rag_summary"])
    assert counts in svg


def test_a_measure_chart_escapes_names_and_describes_every_reading(report):
    measure = {**report["measures"][0], "name": "<script>alert(1)</script>"}
    svg = charts.measure_line_chart("m1", measure)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "1 Apr 2024: 65%; 1 May 2024: 72%; 1 Jun 2024: 70%" in svg
    assert len(re.findall("<circle", svg)) == 3


def test_the_html_report_has_charts_and_tables_and_no_script(report):
    html = progress_pdf.render_html(report, stylesheet_url="/documents/document.css")
    assert html.count('role="img"') == 1 + len(report["measures"])
    assert "<script" not in html and "<style>" not in html
    assert "Actions by RAG status, as at" in html


def test_the_pdf_report_reads_as_the_html(report, tmp_path):
    data = progress_pdf.render(report)
    (tmp_path / "progress.pdf").write_bytes(data)
    rows = [r for r in pdf_table_rows(data) if r[0] == "1.4" and len(r) == 6]
    assert "The health provider asked for a month more." in [r[4] for r in rows]
    text = pdf_text(data)
    for words in (
        "What changed in the period",
        "Actions completed (2)",
        "Actions that slipped (2)",
        "RAG summary",
        "Measures against targets",
        "Overdue at 30 June 2024 (1)",
    ):
        assert words in text


def test_the_word_report_gives_charts_as_tables(report):
    data = progress_docx.render(report)
    blocks = docx_blocks(data)
    assert "Actions completed (2)" in blocks
    assert "The health provider asked for a month more." in blocks
    assert "Red" in blocks and "RAG summary" in blocks
    assert "Overdue at 30 June 2024 (1)" in blocks
    assert Document(io.BytesIO(data)).core_properties.title.endswith("progress report")
