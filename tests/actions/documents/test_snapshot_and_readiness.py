import datetime as dt

from actions.documents.readiness import check
from actions.documents.snapshot import (
    build_plan_snapshot,
    build_submission_snapshot,
    groups,
    sign_off_for,
    travel,
)
from tests.factories import ActionFactory, MeasureFactory

from .conftest import REPORT, build_plan


def test_the_snapshot_lists_recommendations_in_report_order_whatever_the_creation_order(plan):
    snapshot = build_submission_snapshot(plan.plan, plan.inspection)
    assert [rec["text"] for rec in snapshot["recommendations"]] == [r[3] for r in REPORT]
    assert [rec["ref"] for rec in snapshot["recommendations"]] == ["1", "2", "3", "4"]
    assert [a["ref"] for a in snapshot["recommendations"][0]["actions"]] == ["1.1", "1.2"]


def test_recommendations_are_grouped_by_section_and_timescale_in_report_order(plan):
    snapshot = build_submission_snapshot(plan.plan, plan.inspection)
    assert [(g["section"], g["timescale"]) for g in groups(snapshot)] == [
        ("Safeguarding: areas for improvement", "immediately"),
        ("Safeguarding: areas for improvement", "three_months"),
        ("Looked after children: areas for improvement", "immediately"),
        ("Looked after children: areas for improvement", "six_months"),
    ]


def test_the_snapshot_is_plain_json(plan):
    import json

    snapshot = build_submission_snapshot(
        plan.plan, plan.inspection, sign_off={"name": "A", "job_title": "", "date": "2024-05-01"}
    )
    assert json.loads(json.dumps(snapshot)) == snapshot
    whole = build_plan_snapshot(plan.plan)
    assert json.loads(json.dumps(whole)) == whole


def test_each_measure_shows_its_latest_reading_and_direction_of_travel(plan):
    snapshot = build_submission_snapshot(plan.plan, plan.inspection)
    measure = snapshot["recommendations"][0]["actions"][0]["measures"][0]
    assert [r["value"] for r in measure["readings"]] == ["65.00", "72.00", "70.00"]
    assert measure["latest"] == {"date": "2024-06-01", "value": "70.00"}
    assert measure["travel_vs_previous"] == "worsening"
    assert measure["travel_vs_baseline"] == "improving"
    assert measure["target_met"] is False


def test_direction_of_travel_respects_which_way_is_better():
    assert travel("higher", 5, 4) == "improving"
    assert travel("lower", 5, 4) == "worsening"
    assert travel("lower", 3, 4) == "improving"
    assert travel("higher", 4, 4) == "no change"


def test_evidence_gives_its_description_and_file_name_or_link(plan):
    snapshot = build_submission_snapshot(plan.plan, plan.inspection)
    first = snapshot["recommendations"][0]["actions"][0]["evidence"][0]
    assert (first["description"], first["link"]) == (
        "Audit report to the board",
        "https://intranet.example.org/audit",
    )
    tracker = snapshot["recommendations"][2]["actions"][0]["evidence"][0]
    assert tracker["file_name"] == "tracker.xlsx"


def test_a_complete_plan_is_ready(plan):
    readiness = build_submission_snapshot(plan.plan, plan.inspection)["readiness"]
    assert readiness == {"ready": True, "gaps": [], "recommendations": 4, "actions": 5}


def test_gaps_name_what_is_missing_and_link_to_where_it_is_answered(incomplete_plan):
    readiness = build_submission_snapshot(incomplete_plan.plan, incomplete_plan.inspection)[
        "readiness"
    ]
    assert readiness["ready"] is False
    action, recommendation = readiness["gaps"]
    gap_action = incomplete_plan.actions[2]
    assert action["url"] == gap_action.get_absolute_url()
    assert action["missing"] == [
        "a responsible officer",
        "an expected outcome (what difference it will make)",
    ]
    assert recommendation["url"] == incomplete_plan.recommendations[-1].get_absolute_url()
    assert recommendation["missing"] == ["an action"]


def test_an_action_without_a_measure_is_a_gap(plan):
    ActionFactory(recommendation=plan.recommendations[0], owner=plan.actions[0].owner)
    readiness = build_submission_snapshot(plan.plan, plan.inspection)["readiness"]
    assert readiness["gaps"][0]["missing"] == ["a measure (how we will know)"]


def test_a_plan_without_recommendations_is_not_ready():
    snapshot = {"recommendations": [], "inspection": {"url": "/inspections/1/"}}
    assert check(snapshot)["ready"] is False


def test_the_snapshot_is_read_in_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    small = build_plan()
    with django_assert_max_num_queries(20) as small_queries:
        build_submission_snapshot(small.plan, small.inspection)
    with django_assert_max_num_queries(20) as small_plan_queries:
        build_plan_snapshot(small.plan)
    large = build_plan()
    for rec in large.inspection.recommendations.all():
        for _ in range(10):
            MeasureFactory(action=ActionFactory(recommendation=rec))
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        build_submission_snapshot(large.plan, large.inspection)
    with django_assert_max_num_queries(len(small_plan_queries.captured_queries)):
        build_plan_snapshot(large.plan)


def test_the_sign_off_comes_from_the_director_and_date_given(director):
    director.job_title = "Director of children's services"
    assert sign_off_for(director, dt.date(2024, 5, 1)) == {
        "name": str(director),
        "job_title": "Director of children's services",
        "date": "2024-05-01",
    }
    assert sign_off_for(None, None) is None
