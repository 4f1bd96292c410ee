"""The occasion arithmetic, without a database."""

import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from actions.reminders.policy import (
    Policy,
    Window,
    action_due_ranges,
    action_occasions,
    plan_due_ranges,
    plan_occasion,
    upcoming_action_dates,
)
from core.deadlines import add_working_days, is_working_day

D = dt.date
POLICY = Policy(
    days_before=(10, 5, 1),
    on_due_date=True,
    overdue_every=5,
    escalate_after=10,
    plan_days_before=(20, 10, 5, 1),
    digest_weekday=0,
)


def occasions(due, start, end, policy=POLICY):
    return action_occasions(action_id=7, due=due, policy=policy, window=Window(start, end))


def test_only_the_latest_missed_occasion_of_a_series_is_kept():
    due = D(2024, 4, 2)
    # Sweeps stopped on 8 March and resumed on 26 March: 10- and 5-days-before both fell.
    found = occasions(due, D(2024, 3, 9), D(2024, 3, 26))
    assert [(o.kind, o.days, o.fires_on) for o in found] == [("before_due", 5, D(2024, 3, 22))]
    assert found[0].key == "action:7:due:2024-04-02:before:5"


def test_days_before_reminders_stop_once_the_action_is_overdue():
    found = occasions(D(2024, 4, 2), D(2024, 3, 27), D(2024, 4, 3))
    assert [o.kind for o in found] == ["overdue"]


def test_overdue_repeats_are_numbered_and_fall_every_n_working_days():
    due = D(2024, 4, 2)
    assert [o.key for o in occasions(due, D(2024, 4, 10), D(2024, 4, 10))] == [
        "action:7:due:2024-04-02:overdue:1"
    ]
    assert occasions(due, D(2024, 4, 11), D(2024, 4, 11)) == []


def test_the_escalation_falls_once_k_working_days_after_the_due_date():
    found = occasions(D(2024, 4, 2), D(2024, 4, 16), D(2024, 4, 16))
    assert [(o.kind, o.key) for o in found] == [("escalation", "action:7:due:2024-04-02")]


def test_a_moved_due_date_starts_a_new_series():
    first = occasions(D(2024, 4, 2), D(2024, 3, 28), D(2024, 3, 28))[0].key
    second = occasions(D(2024, 4, 3), D(2024, 4, 2), D(2024, 4, 2))[0].key
    assert (first, second) == (
        "action:7:due:2024-04-02:before:1",
        "action:7:due:2024-04-03:before:1",
    )


def test_plan_occasions_use_the_plan_offsets():
    found = plan_occasion(
        inspection_id=3,
        due=D(2024, 4, 2),
        policy=POLICY,
        window=Window(D(2024, 3, 1), D(2024, 3, 1)),
    )
    assert found is not None and found.kind == "plan_due" and found.days == 20


def test_upcoming_dates_list_what_is_still_to_fall():
    found = upcoming_action_dates(due=D(2024, 4, 2), policy=POLICY, after=D(2024, 3, 22))
    assert [(o.kind, o.fires_on) for o in found] == [
        ("before_due", D(2024, 3, 28)),
        ("due_today", D(2024, 4, 2)),
        ("overdue", D(2024, 4, 3)),
        ("escalation", D(2024, 4, 16)),
    ]


def test_upcoming_dates_of_an_overdue_action_give_the_next_repeat():
    found = upcoming_action_dates(due=D(2024, 4, 2), policy=POLICY, after=D(2024, 4, 4))
    assert [(o.kind, o.days, o.fires_on) for o in found] == [
        ("overdue", 1, D(2024, 4, 10)),
        ("escalation", 10, D(2024, 4, 16)),
    ]


dates = st.dates(min_value=D(2022, 1, 1), max_value=D(2026, 12, 31))
policies = st.builds(
    Policy,
    days_before=st.lists(st.integers(1, 30), max_size=4, unique=True).map(
        lambda xs: tuple(sorted(xs, reverse=True))
    ),
    on_due_date=st.booleans(),
    overdue_every=st.integers(1, 10),
    escalate_after=st.integers(1, 25),
    plan_days_before=st.lists(st.integers(1, 30), max_size=4, unique=True).map(
        lambda xs: tuple(sorted(xs, reverse=True))
    ),
    digest_weekday=st.just(0),
)


def in_ranges(day, ranges):
    return any(low <= day <= high for low, high in ranges)


@settings(max_examples=300, deadline=None)
@given(due=dates, end=dates, span=st.integers(0, 25), policy=policies)
def test_the_sweep_query_finds_every_action_with_an_occasion_in_its_window(due, end, span, policy):
    assume(is_working_day(end))
    window = Window(end - dt.timedelta(days=span), end)
    oldest = min(due, end)
    if occasions(due, window.start, window.end, policy):
        assert in_ranges(due, action_due_ranges(window, policy, oldest))


@settings(max_examples=200, deadline=None)
@given(due=dates, end=dates, span=st.integers(0, 25), policy=policies)
def test_the_plan_query_finds_every_plan_with_an_occasion_in_its_window(due, end, span, policy):
    assume(is_working_day(end))
    window = Window(end - dt.timedelta(days=span), end)
    if plan_occasion(inspection_id=1, due=due, policy=policy, window=window):
        assert in_ranges(due, plan_due_ranges(window, policy))


@settings(max_examples=200, deadline=None)
@given(end=dates, policy=policies)
def test_a_one_day_window_asks_for_few_due_dates(end, policy):
    """Cost grows with what is due: a normal day's query covers a handful of dates per
    offset, not every date."""
    assume(is_working_day(end))
    window = Window(end, end)
    ranges = action_due_ranges(window, policy, oldest=end - dt.timedelta(days=365))
    covered = sum((high - low).days + 1 for low, high in ranges)
    offsets = len(policy.days_before) + 2 + 260 // policy.overdue_every + 1
    assert covered <= 5 * offsets  # at most a long weekend or Easter per offset


def test_windows_without_working_days_find_nothing():
    easter = Window(D(2024, 3, 29), D(2024, 4, 1))
    assert easter.working_bounds() is None
    assert action_due_ranges(easter, POLICY, D(2020, 1, 1)) == []
    assert add_working_days(D(2024, 3, 28), 1) == D(2024, 4, 2)
