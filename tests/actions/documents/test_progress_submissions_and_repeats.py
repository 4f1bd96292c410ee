"""The progress report tells the board what it most needs: each report's plan submission
to Ofsted (due, overdue or made) and the items Ofsted raised again, with whether the
actions that answered them before were closed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.documents import progress_docx, progress_pdf, services
from actions.documents.progress_report import build_progress_snapshot
from inspections.models import RecommendationRepeat, RepeatStatus
from tests.dates import date_post
from tests.factories import ActionFactory, InspectionFactory, RecommendationFactory, ThemeFactory

from .helpers import docx_blocks, in_order, squash

# The period ends on Sunday 30 June 2024, before the day of the report: its figures are
# as at 30 June.
START, END, TODAY = dt.date(2024, 4, 1), dt.date(2024, 6, 30), dt.date(2024, 7, 1)
ILACS = "Inspection of local authority children's services (2024)"
CLOSED_THEN = (
    "All closed (2 actions). The impact did not last: this was answered before and has "
    "been raised again."
)


@pytest.fixture
def board(db):
    """A plan fed by four reports: an ILACS whose plan was due Friday 21 June and is not
    submitted, a focused visit due Friday 5 July, a joint inspection asking for a plan
    by a date not known yet, a monitoring visit letter asking for none, and a focused
    visit whose plan was submitted. Two of the ILACS's items repeat earlier ones (one
    confirmed of an old report whose actions were all closed, one confirmed of an item
    of the plan still open); a suggestion and a dismissed one are not repeats."""
    ilacs = InspectionFactory(
        inspection_type="ilacs",
        publication_date=dt.date(2024, 3, 1),
        stated_plan_due_date=dt.date(2024, 6, 21),
    )
    plan, council = ilacs.plan, ilacs.local_authority
    submitted = InspectionFactory(
        plan=plan,
        local_authority=council,
        inspection_type="focused_visit",
        draft_plan_required=True,
        publication_date=dt.date(2023, 11, 1),
        stated_plan_due_date=dt.date(2024, 1, 31),
        plan_submitted_at=timezone.make_aware(dt.datetime(2024, 1, 29, 10)),
    )
    visit = InspectionFactory(
        plan=plan,
        local_authority=council,
        inspection_type="focused_visit",
        draft_plan_required=True,
        publication_date=dt.date(2024, 4, 2),
        stated_plan_due_date=dt.date(2024, 7, 5),
    )
    InspectionFactory(
        plan=plan,
        local_authority=council,
        inspection_type="jtai",
        inspection_start=dt.date(2024, 5, 6),
        inspection_end=dt.date(2024, 5, 10),
        publication_date=None,
    )
    InspectionFactory(
        plan=plan,
        local_authority=council,
        inspection_type="monitoring_visit",
        publication_date=dt.date(2024, 5, 1),
    )
    old = InspectionFactory(local_authority=council, publication_date=dt.date(2019, 6, 1))
    old_item = RecommendationFactory(
        inspection=old,
        order=1,
        number="12",
        text="Ensure that return home interviews are offered to every child who goes missing.",
    )
    for _ in range(2):
        ActionFactory(recommendation=old_item, status="closed")
    missing = RecommendationFactory(
        inspection=ilacs,
        order=1,
        text="Ensure that return home interviews are offered to children who go missing.",
    )
    supervision = RecommendationFactory(
        inspection=ilacs, order=2, text="Improve the quality of supervision."
    )
    recording = RecommendationFactory(
        inspection=visit, order=1, text="Improve the recording of supervision."
    )
    practice, leadership = (
        ThemeFactory(plan=plan, name="Practice", order=1),
        ThemeFactory(plan=plan, name="Leadership", order=2),
    )
    ActionFactory(recommendation=missing, theme=practice, title="Return home interviews")
    ActionFactory(recommendation=supervision, theme=leadership, title="Supervision model")
    ActionFactory(recommendation=recording, theme=leadership, title="Recording standard")
    confirmed = {"status": RepeatStatus.CONFIRMED, "score": 90}
    RecommendationRepeat.objects.create(recommendation=missing, earlier=old_item, **confirmed)
    RecommendationRepeat.objects.create(recommendation=recording, earlier=supervision, **confirmed)
    RecommendationRepeat.objects.create(recommendation=supervision, earlier=old_item, score=60)
    RecommendationRepeat.objects.create(
        recommendation=recording, earlier=old_item, status=RepeatStatus.DISMISSED, score=50
    )
    return {"plan": plan, "themes": (practice, leadership), "submitted": submitted}


def _report(board, theme=None):
    return build_progress_snapshot(board["plan"], start=START, end=END, theme=theme, today=TODAY)


def _rows(blocks: list[str], first: str, width: int) -> list[list[str]]:
    """The table rows (cells of `width`) from the block `first` on."""
    at = blocks.index(first)
    return [blocks[i : i + width] for i in range(at, at + width * 8, width)]


def test_the_word_report_gives_each_reports_submission_due_overdue_or_made(board):
    blocks = docx_blocks(progress_docx.render(_report(board)))
    assert "Submissions to Ofsted" in blocks
    assert "Each report's plan submission as at 30 June 2024, in working days." in blocks
    rows = _rows(blocks, "Report", 3)[:5]
    assert rows == [
        ["Report", "Plan due", "Where it stands"],
        ["S1 Focused visit (2023)", "31 January 2024", "Submitted on 29 January 2024"],
        [f"S2 {ILACS}", "21 June 2024", "Not submitted: overdue by 5 working days"],
        ["S3 Focused visit (2024)", "5 July 2024", "Not submitted: due in 5 working days"],
        [
            "S5 Joint targeted area inspection (2024)",
            "Not known",
            "Not submitted: the due date is not known yet",
        ],
    ]
    assert not any("Monitoring visit" in block for block in rows[4:])  # asks for no plan
    # Before the plan by theme: what the board most needs comes first.
    assert blocks.index("Submissions to Ofsted") < blocks.index("The plan by theme")


def test_the_word_report_gives_the_items_raised_again_and_whether_the_impact_lasted(board):
    blocks = docx_blocks(progress_docx.render(_report(board)))
    assert "Raised again by Ofsted (2)" in blocks
    assert _rows(blocks, "Raised again", 3)[:3] == [
        ["Raised again", "Raised before", "Its actions then"],
        [
            f"S2.1 ({ILACS}): Ensure that return home interviews are offered to children who "
            "go missing.",
            "Inspection of local authority children's services (2019), paragraph 12: Ensure "
            "that return home interviews are offered to every child who goes missing.",
            CLOSED_THEN,
        ],
        [
            "S3.1 (Focused visit (2024)): Improve the recording of supervision.",
            f"S2.2 ({ILACS}): Improve the quality of supervision.",
            "Answered by 1 action, not all closed.",
        ],
    ]
    # A suggestion not yet confirmed and a dismissed one are no repeats: two rows only.


def test_the_printable_page_gives_both_sections_like_word(client, board, lead):
    client.force_login(lead)
    response = client.get(
        reverse("documents-progress-print", args=[board["plan"].pk]),
        {**date_post("start", START), **date_post("end", END)},
    )
    assert response.status_code == 200
    text = squash(response.content.decode().replace("&#x27;", "'"))
    assert in_order(
        text,
        [
            "<h2>Submissions to Ofsted</h2>",
            "<td>S1 Focused visit (2023)</td><td>31 January 2024</td>"
            "<td>Submitted on 29 January 2024</td>",
            "<strong>Not submitted: overdue by ",
            "<td>S3 Focused visit (2024)</td><td>5 July 2024</td>",
            "<h2>Raised again by Ofsted (2)</h2>",
            f"<strong>{CLOSED_THEN}</strong>",
            "Answered by 1 action, not all closed.",
            "<h2>The plan by theme</h2>",
        ],
    )
    assert "Monitoring visit" not in text.split("<h2>Raised again")[0].split("Ofsted</h2>")[1]


def test_a_themes_report_gives_its_own_items_raised_again_and_no_submissions(board):
    practice, leadership = board["themes"]
    one = progress_pdf.render_html(_report(board, practice), stylesheet_url="/d.css")
    assert "Submissions to Ofsted" not in one  # a submission answers a report, not a theme
    assert "Raised again by Ofsted (1)" in one and "S2.1 (" in one and "S3.1 (" not in one
    other = docx_blocks(progress_docx.render(_report(board, leadership)))
    assert "Submissions to Ofsted" not in other
    assert "Raised again by Ofsted (1)" in other
    assert any(block.startswith("S3.1 (Focused visit (2024))") for block in other)


def test_a_plan_with_nothing_to_submit_and_no_repeat_says_so(board):
    RecommendationRepeat.objects.all().delete()
    board["plan"].sources.exclude(inspection_type="monitoring_visit").update(plan=None)
    blocks = docx_blocks(progress_docx.render(_report(board)))
    assert "No report of this plan asks for a plan to be submitted." in blocks
    assert "Raised again by Ofsted (0)" in blocks
    assert "No item has been confirmed as raising again what an earlier report asked." in blocks


def test_a_version_stored_before_these_sections_still_renders_without_them(board, lead):
    version = services.request_document(
        plan=board["plan"], by=lead, kind="progress", fmt="docx",
        period_start=START, period_end=END,
    )  # fmt: skip
    assert "Submissions to Ofsted" in progress_pdf.render_html(version.snapshot)
    kept = {k: v for k, v in version.snapshot.items() if k not in ("submissions", "repeats")}
    html = progress_pdf.render_html(kept, stylesheet_url="/d.css")
    blocks = docx_blocks(progress_docx.render(kept))
    for shown in (html, "\n".join(blocks)):
        assert "Submissions to Ofsted" not in shown and "Raised again" not in shown
        assert "The plan by theme" in shown and "Overdue at 30 June 2024" in shown
