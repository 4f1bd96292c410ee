import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import deadlines

D = dt.date
dates = st.dates(min_value=D(2005, 1, 1), max_value=D(2035, 12, 31))


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2017, 6, 13), D(2017, 9, 20)),  # Derby 2017: the August bank holiday falls inside
        (D(2011, 5, 6), D(2011, 8, 15)),
        (D(2012, 1, 25), D(2012, 5, 4)),  # Good Friday and Easter Monday inside
    ],
)
def test_plan_is_due_70_working_days_after_receipt(received, due):
    assert deadlines.plan_due_date(received) == due


def test_one_off_bank_holidays_are_not_working_days():
    assert not deadlines.is_working_day(D(2022, 9, 19))  # state funeral
    assert not deadlines.is_working_day(D(2023, 5, 8))  # coronation
    assert deadlines.is_working_day(D(2022, 9, 20))


@pytest.mark.parametrize("day", [D(2024, 12, 25), D(2024, 3, 29), D(2024, 12, 28)])
def test_christmas_good_friday_and_weekends_are_not_working_days(day):
    assert not deadlines.is_working_day(day)


def test_the_starting_day_is_not_counted():
    assert deadlines.add_working_days(D(2024, 6, 3), 1) == D(2024, 6, 4)  # Monday → Tuesday
    assert deadlines.add_working_days(D(2024, 6, 7), 1) == D(2024, 6, 10)  # Friday → Monday
    assert deadlines.add_working_days(D(2024, 6, 8), 1) == D(2024, 6, 10)  # Saturday → Monday


def test_extra_closure_days_from_settings_are_skipped(settings):
    settings.EXTRA_CLOSURE_DAYS = ["2024-06-04"]
    assert deadlines.add_working_days(D(2024, 6, 3), 1) == D(2024, 6, 5)
    assert not deadlines.is_working_day(D(2024, 6, 4))


def test_the_plan_period_is_a_setting(settings):
    settings.PLAN_DUE_WORKING_DAYS = 5
    assert deadlines.plan_due_date(D(2024, 6, 3)) == D(2024, 6, 10)


def test_draft_plan_is_due_20_working_days_after_receipt():
    assert deadlines.draft_plan_due_date(D(2018, 8, 8)) == D(2018, 9, 6)  # 27 August inside


@pytest.mark.parametrize(
    ("timescale", "due"),
    [
        ("immediately", D(2011, 5, 20)),
        ("three_months", D(2011, 8, 8)),  # 6 August 2011 is a Saturday
        ("six_months", D(2011, 11, 7)),  # 6 November 2011 is a Sunday
        ("longer_term", D(2012, 5, 8)),  # Sunday 6, then the May bank holiday
        ("none", D(2011, 11, 7)),
    ],
)
def test_default_action_due_dates_follow_the_timescale_to_a_working_day(timescale, due):
    due_date = deadlines.default_action_due_date(
        timescale, report_date=D(2011, 5, 6), today=D(2011, 5, 6)
    )
    assert due_date == due
    assert deadlines.is_working_day(due_date)


def test_default_action_due_dates_count_from_today_once_the_report_is_old():
    due_date = deadlines.default_action_due_date(
        "three_months", report_date=D(2011, 5, 6), today=D(2026, 12, 3)
    )
    assert due_date == D(2027, 3, 3)


def test_default_action_due_dates_count_from_today_without_a_report_date():
    due_date = deadlines.default_action_due_date("none", report_date=None, today=D(2026, 12, 3))
    assert due_date == D(2027, 6, 3)


def test_action_offsets_are_settings(settings):
    settings.ACTION_DUE_OFFSETS = {**settings.ACTION_DUE_OFFSETS, "immediately": "14d"}
    due_date = deadlines.default_action_due_date(
        "immediately", report_date=D(2024, 1, 1), today=D(2023, 12, 1)
    )
    assert due_date == D(2024, 1, 15)


def test_a_working_day_is_its_own_next_working_day():
    assert deadlines.working_day_on_or_after(D(2024, 12, 24)) == D(2024, 12, 24)
    assert deadlines.working_day_on_or_after(D(2024, 12, 25)) == D(2024, 12, 27)


def test_months_are_clamped_to_the_end_of_short_months():
    assert deadlines.add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)


@pytest.mark.parametrize("bad", ["", "ten", "3 weeks", "-1wd"])
def test_bad_offsets_are_refused_with_a_message(bad):
    with pytest.raises(ValueError, match="Not a due-date offset"):
        deadlines.parse_offset(bad)


@given(start=dates, n=st.integers(min_value=0, max_value=400))
def test_adding_n_working_days_lands_on_a_working_day_n_days_on(start, n):
    end = deadlines.add_working_days(start, n)
    assert end >= start
    assert deadlines.working_days_between(start, end) == n
    if n:
        assert deadlines.is_working_day(end)


@given(start=dates, n=st.integers(min_value=1, max_value=300))
def test_going_forward_then_back_returns_to_a_working_start(start, n):
    if deadlines.is_working_day(start):
        assert deadlines.add_working_days(deadlines.add_working_days(start, n), -n) == start


@given(start=dates, a=st.integers(0, 150), b=st.integers(0, 150))
def test_working_days_add_up(start, a, b):
    assert deadlines.add_working_days(deadlines.add_working_days(start, a), b) == (
        deadlines.add_working_days(start, a + b)
    )


@given(a=dates, b=dates)
def test_working_days_between_is_antisymmetric_and_bounded(a, b):
    forward = deadlines.working_days_between(a, b)
    assert forward == -deadlines.working_days_between(b, a)
    assert abs(forward) <= abs((b - a).days)
