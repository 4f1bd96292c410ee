import datetime as dt

from inspections.models import DeadlineBasis
from tests.factories import InspectionFactory

D = dt.date


def test_plan_due_date_defaults_to_70_working_days_from_publication(db):
    inspection = InspectionFactory(publication_date=D(2017, 6, 13))
    assert inspection.plan_due_date == D(2017, 9, 20)
    assert inspection.plan_due_basis == DeadlineBasis.FORMULA
    assert inspection.draft_plan_due_date is None


def test_received_date_counts_when_known(db):
    inspection = InspectionFactory(publication_date=D(2011, 5, 9), received_date=D(2011, 5, 6))
    assert inspection.plan_due_date == D(2011, 8, 15)


def test_a_date_stated_in_the_report_wins_over_the_formula(db):
    inspection = InspectionFactory(
        publication_date=D(2022, 8, 30), stated_plan_due_date=D(2022, 10, 25)
    )
    assert inspection.plan_due_date == D(2022, 10, 25)
    assert inspection.plan_due_basis == DeadlineBasis.STATED


def test_a_policy_officers_override_wins_over_everything(db):
    inspection = InspectionFactory(
        publication_date=D(2022, 8, 30),
        stated_plan_due_date=D(2022, 10, 25),
        plan_due_override=D(2022, 11, 1),
        plan_due_override_reason="Agreed with DfE on 1 October",
    )
    assert inspection.plan_due_date == D(2022, 11, 1)
    assert inspection.plan_due_basis == DeadlineBasis.OVERRIDE


def test_draft_plan_date_only_where_asked(db):
    inspection = InspectionFactory(
        inspection_type="focused_visit", publication_date=D(2018, 8, 8), draft_plan_required=True
    )
    assert inspection.draft_plan_due_date == D(2018, 9, 6)
    stated = InspectionFactory(
        publication_date=D(2018, 8, 8), stated_draft_plan_due_date=D(2018, 9, 10)
    )
    assert stated.draft_plan_due_date == D(2018, 9, 10)
    assert stated.draft_plan_due_basis == DeadlineBasis.STATED


def test_no_dates_no_deadline(db):
    inspection = InspectionFactory(publication_date=None)
    assert inspection.plan_due_date is None
    assert inspection.plan_due_basis == ""


def test_a_monitoring_letter_asks_for_no_plan_unless_it_states_a_date(db):
    letter = InspectionFactory(inspection_type="monitoring_visit", publication_date=D(2025, 3, 4))
    assert letter.plan_due_date is None and letter.plan_due_basis == ""
    stated = InspectionFactory(
        inspection_type="monitoring_visit",
        publication_date=D(2025, 3, 4),
        stated_plan_due_date=D(2025, 6, 2),
    )
    assert stated.plan_due_date == D(2025, 6, 2)
    assert stated.plan_due_basis == DeadlineBasis.STATED


def test_a_focused_visit_asks_for_a_plan_only_with_areas_for_priority_action(db):
    plain = InspectionFactory(inspection_type="focused_visit", publication_date=D(2025, 1, 28))
    assert plain.plan_due_date is None and plain.draft_plan_due_date is None
    priority = InspectionFactory(
        inspection_type="focused_visit", publication_date=D(2025, 1, 28), draft_plan_required=True
    )
    assert priority.plan_due_basis == DeadlineBasis.FORMULA and priority.plan_due_date
    assert priority.draft_plan_due_date is not None
