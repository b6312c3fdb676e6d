"""Grading rules: worked cases and properties."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from carbonpeak.monitoring import grading
from carbonpeak.monitoring.grading import (
    DataState,
    Grade,
    GradingTarget,
    Point,
    Rule,
    data_state,
    expected_at,
    grade,
    latest_due_period,
)

SHARE = GradingTarget(Rule.LEVEL, True, 2025, 13.0, 2020, 8.0, "%")  # 8 % in 2020 → 13 % by 2025
PUE = GradingTarget(Rule.LEVEL, False, 2025, 1.3, 2020, 1.6)
INTENSITY = GradingTarget(Rule.INTENSITY, False, 2025, 14.5, 2020, 0.50)


def test_linear_path_pro_rated_by_quarter():
    assert expected_at(SHARE, 2020) == 8.0
    assert expected_at(SHARE, 2023) == pytest.approx(11.0)
    assert expected_at(SHARE, 2023, 2) == pytest.approx(10.5)  # 1–6月 2023: 2.5 years in
    assert expected_at(SHARE, 2027) == 13.0  # past the target year the path stays at the target


def test_level_grades():
    assert grade(SHARE, [Point(2023, 4, 11.0)]).grade == Grade.GREEN
    assert grade(SHARE, [Point(2023, 4, 10.0)]).grade == Grade.YELLOW  # 1.0 behind ≤ 1.3 (10 % of 13)
    assessment = grade(SHARE, [Point(2023, 4, 9.5)])
    assert assessment.grade == Grade.RED
    assert "落后 1.5%" in assessment.reason and "超过目标值的10%" in assessment.reason


def test_lower_is_better_levels():
    assert grade(PUE, [Point(2025, 4, 1.3)]).grade == Grade.GREEN
    assert grade(PUE, [Point(2025, 4, 1.4)]).grade == Grade.YELLOW
    assert grade(PUE, [Point(2025, 4, 1.5)]).grade == Grade.RED


def test_intensity_grades_on_the_same_period_last_year():
    rate = INTENSITY.required_annual_rate()
    assert rate == pytest.approx(1 - 0.855**0.2)  # ≈ 3.1 % a year
    rose = grade(INTENSITY, [Point(2023, 3, 0.40), Point(2024, 3, 0.41)])
    assert rose.grade == Grade.RED and "上升 2.5%" in rose.reason
    slow = grade(INTENSITY, [Point(2023, 3, 0.40), Point(2024, 3, 0.39)])
    assert slow.grade == Grade.YELLOW and "低于年均应降 3.1%" in slow.reason
    fast = grade(INTENSITY, [Point(2023, 3, 0.40), Point(2024, 3, 0.38)])
    assert fast.grade == Grade.GREEN


def test_intensity_without_a_target_value_only_checks_the_direction():
    unknown = GradingTarget(Rule.INTENSITY, False)
    assert grade(unknown, [Point(2023, 4, 1.0), Point(2024, 4, 0.99)]).grade == Grade.GREEN
    assert grade(unknown, [Point(2023, 4, 1.0), Point(2024, 4, 1.01)]).grade == Grade.RED


def test_direction_targets():
    up = GradingTarget(Rule.DIRECTION, True, unit="%")
    assert grade(up, [Point(2023, 4, 1.0), Point(2024, 4, 1.2)]).grade == Grade.GREEN
    assert grade(up, [Point(2023, 4, 1.0), Point(2024, 4, 1.0)]).grade == Grade.YELLOW
    assert grade(up, [Point(2023, 4, 1.2), Point(2024, 4, 1.0)]).grade == Grade.RED
    assert grade(up, [Point(2024, 4, 1.0)]).grade == Grade.UNGRADED


def test_missing_peak_and_rules_are_ungraded_with_a_reason():
    assert grade(SHARE, []).reason == "尚无数据，无法评估"
    assert grade(GradingTarget(Rule.PEAK), []).grade == Grade.UNGRADED
    assert grade(GradingTarget(Rule.PEAK, target_year=2030, peak_probability=0.9), []).grade == Grade.GREEN
    assert grade(GradingTarget(Rule.NONE), [Point(2024, 4, 1)]).grade == Grade.UNGRADED


def test_grade_as_of_ignores_later_observations():
    points = [Point(2023, 4, 11.0), Point(2024, 4, 5.0)]
    assert grade(SHARE, points, as_of=(2023, 4)).grade == Grade.GREEN
    assert grade(SHARE, points).grade == Grade.RED


def test_data_state():
    assert data_state([], (2025, 3)) == DataState.MISSING
    assert data_state([Point(2025, 3, 1)], (2025, 3)) == DataState.ON_TIME
    assert data_state([Point(2025, 2, 1)], (2025, 3)) == DataState.OVERDUE


def test_latest_due_period():
    assert latest_due_period(2026, 11, 24, quarterly=True, due_days=30) == (2026, 3)
    assert latest_due_period(2026, 10, 20, quarterly=True, due_days=30) == (2026, 2)
    assert latest_due_period(2026, 11, 24, quarterly=False, due_days=120) == (2025, 4)


levels = st.builds(
    lambda higher, base, target, year: GradingTarget(Rule.LEVEL, higher, year, target, 2020, base),
    st.booleans(),
    st.floats(1, 100),
    st.floats(1, 100),
    st.integers(2021, 2030),
)
when = st.tuples(st.integers(2020, 2031), st.integers(1, 4))


@given(levels, when)
def test_a_value_exactly_on_the_path_is_green(target, at):
    expected = expected_at(target, *at)
    assert grade(target, [Point(at[0], at[1], expected)]).grade == Grade.GREEN


@given(levels, when, st.floats(-50, 50), st.floats(0, 50))
def test_moving_a_value_against_the_target_never_improves_the_grade(target, at, value, worse_by):
    worse = value - worse_by if target.higher_is_better else value + worse_by
    before = grade(target, [Point(at[0], at[1], value)]).grade
    after = grade(target, [Point(at[0], at[1], worse)]).grade
    assert after.rank <= before.rank


@given(st.floats(0.1, 2), st.floats(0.1, 2), st.floats(0, 0.5))
def test_intensity_rising_more_never_improves_the_grade(last_year, now, more):
    assume(now + more > 0)
    target = INTENSITY
    before = grade(target, [Point(2023, 4, last_year), Point(2024, 4, now)]).grade
    after = grade(target, [Point(2023, 4, last_year), Point(2024, 4, now + more)]).grade
    assert after.rank <= before.rank


def test_rules_the_barometer_does_not_give_say_they_are_the_platforms():
    assert "本平台规则" in grade(SHARE, [Point(2023, 4, 10.0)]).reason  # the 10 % band
    assert "本平台规则" in grade(SHARE, [Point(2023, 4, 9.5)]).reason
    direction = GradingTarget(Rule.DIRECTION, True)
    assert "本平台规则" in grade(direction, [Point(2023, 4, 5.0), Point(2024, 4, 5.0)]).reason  # flat
    peak = GradingTarget(Rule.PEAK, False, 2030, peak_probability=0.6)
    assert "本平台规则" in grade(peak, []).reason
    # the barometer's own intensity rule is not labelled as the platform's
    assert "本平台规则" not in grade(INTENSITY, [Point(2023, 3, 0.40), Point(2024, 3, 0.39)]).reason


def test_cumulative_progress_is_a_second_line_of_an_intensity_target():
    """−14.5 % on 2020 by 2025: by 2023 the cumulative fall due is 1 − 0.855^(3/5) ≈ 8.97 %."""
    from carbonpeak.monitoring.grading import grade_progress

    due = 1 - 0.855**0.6
    on_track = grade_progress(INTENSITY, [Point(2023, 4, 0.50 * (1 - due) - 0.001)])
    assert on_track.grade == Grade.GREEN and "进度要求下降 9.0%" in on_track.reason
    slow = grade_progress(INTENSITY, [Point(2023, 4, 0.48)])  # fell 4 %
    assert slow.grade == Grade.YELLOW and "2023年比2020年下降 4.0%" in slow.reason
    assert grade_progress(INTENSITY, [Point(2023, 4, 0.51)]).grade == Grade.RED
    # only full years count, and only up to the date asked for
    assert grade_progress(INTENSITY, [Point(2023, 3, 0.40)]) is None
    assert (
        grade_progress(INTENSITY, [Point(2023, 4, 0.48), Point(2024, 4, 0.40)], as_of=(2023, 4)).period
        == "2023年"
    )
    assert (
        grade_progress(GradingTarget(Rule.INTENSITY, False), [Point(2023, 4, 1.0)]) is None
    )  # no target value


CAP = GradingTarget(Rule.CAP, False, 2025, 400.0, None, None, "万吨标准煤")  # 下达 2025 total: 400


def test_a_total_handed_down_is_a_cap_for_its_year():
    assert grade(CAP, [Point(2025, 4, 400.0)]).grade == Grade.GREEN
    yellow = grade(CAP, [Point(2025, 4, 430.0)])  # 30 over ≤ 40 (10 % of the allowance)
    assert yellow.grade == Grade.YELLOW and "超出 30" in yellow.reason and "本平台规则" in yellow.reason
    assert grade(CAP, [Point(2025, 4, 441.0)]).grade == Grade.RED


def test_a_year_to_date_total_is_graded_on_the_quarters_elapsed_and_says_it_is_the_platforms():
    half = grade(CAP, [Point(2025, 2, 190.0)])
    assert half.grade == Grade.GREEN and half.expected == 200.0
    assert "按2/4分摊：本平台规则" in half.reason
    assert grade(CAP, [Point(2025, 2, 215.0)]).grade == Grade.YELLOW


def test_a_cap_for_another_year_is_not_graded_on_this_years_data():
    other = grade(CAP, [Point(2024, 4, 999.0)])
    assert other.grade == Grade.UNGRADED and "2025年数据尚无" in other.reason


@pytest.mark.parametrize(
    ("previous", "new", "warns"),
    [
        (None, "green", False),  # a first grade
        ("ungraded", "red", False),  # a grade after 未评估
        ("green", "ungraded", False),  # a fall to 未评估: missing or overdue data warn on their own
        ("green", "green", False),
        ("green", "yellow", True),
        ("red", "green", True),
    ],
)
def test_only_a_move_between_two_grades_warns(previous, new, warns):
    assert grading.grade_changed(previous, new) is warns
