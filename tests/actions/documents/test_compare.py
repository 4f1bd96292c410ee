import datetime as dt

from actions.documents.compare import compare
from actions.documents.snapshot import build_submission_snapshot
from tests.factories import ActionFactory, JudgementFactory, RecommendationFactory


def test_identical_snapshots_have_no_changes(plan):
    snapshot = build_submission_snapshot(plan.plan, plan.inspection)
    assert compare(snapshot, snapshot)["has_changes"] is False


def test_added_removed_and_changed_actions_and_recommendations(plan):
    september = build_submission_snapshot(
        plan.plan,
        plan.inspection,
        sign_off={"name": "Jo Director", "job_title": "", "date": "2024-09-20"},
    )
    changed, removed = plan.actions[0], plan.actions[4]
    changed.title = "Audit every plan"
    changed.due_date = dt.date(2024, 10, 1)
    changed.owner = plan.actions[3].owner
    changed.save()
    removed.delete()
    added = ActionFactory(
        recommendation=plan.recommendations[1], title="Peer review supervision", order=10
    )
    new_rec = RecommendationFactory(inspection=plan.inspection, order=99, text="A new one.")
    JudgementFactory(inspection=plan.inspection, area="Leadership", grade_text="Good", order=3)

    diff = compare(september, build_submission_snapshot(plan.plan, plan.inspection))

    assert diff["has_changes"]
    assert diff["actions"]["added"] == [{"ref": "2.2", "label": added.title}]
    assert diff["actions"]["removed"] == [
        {"ref": "4.1", "label": "Give every care leaver a health summary"}
    ]
    (item,) = diff["actions"]["changed"]
    assert item["ref"] == "1.1"
    assert {c["field"]: (c["before"], c["after"]) for c in item["changes"]} == {
        "What will be done": (
            "Audit every child in need plan and review those out of date",
            "Audit every plan",
        ),
        "Responsible officer": ("Alice Owner", "Bob Nurse"),
        "Due date": ("15 April 2024", "1 October 2024"),
    }
    assert diff["recommendations"]["added"] == [{"ref": "5", "label": new_rec.text}]
    assert [c["field"] for c in diff["cover"]] == ["Signed off by", "Judgements"]


def test_a_renumbered_action_is_matched_by_identity_not_position(plan):
    before = build_submission_snapshot(plan.plan, plan.inspection)
    first, second = plan.actions[0], plan.actions[1]
    first.order, second.order = 5, 0
    first.save()
    second.save()
    diff = compare(before, build_submission_snapshot(plan.plan, plan.inspection))
    assert diff["actions"]["added"] == [] and diff["actions"]["removed"] == []
    assert diff["actions"]["changed"] == []
