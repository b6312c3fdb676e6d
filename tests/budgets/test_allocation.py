"""The pure budget arithmetic: the city's budget from an intensity target, the quarters, and allocation by
each method summing to the whole exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbonpeak.budgets import allocation as pure
from carbonpeak.budgets.review import budget_share, review_level
from carbonpeak.budgets.tracking import SectorUse, attribute_to_sectors, track


def test_budget_from_intensity_by_hand():
    basis = pure.IntensityBasis(
        baseline_year=2023,
        baseline_intensity=1.2,
        target_year=2024,
        reduction_pct=3.9,
        previous_gdp_constant=1500.0,
        growth_pct=7.0,
        price_year=2020,
    )
    got = pure.budget_from_intensity(2024, basis)
    # 1.2 t/万元 × (1 − 0.039) = 1.1532; 1500 亿元 × 1.07 = 1605 亿元 = 1605e4 万元
    assert got.allowed_intensity == pytest.approx(1.1532)
    assert got.gdp_constant == pytest.approx(1605.0)
    assert got.tco2 == round(1.1532 * 1605e4)
    assert "本平台规则" in got.words
    assert "2023年地区生产总值（2020年不变价）" in got.words  # the GDP's own price base, not the target's


def test_budget_from_intensity_over_several_years_falls_at_the_equal_rate():
    basis = pure.IntensityBasis(2020, 2.0, 2025, 18.0, 1000.0, 5.0, 2020)
    rate = 1 - 0.82 ** (1 / 5)
    got = pure.budget_from_intensity(2023, basis)
    assert got.allowed_intensity == pytest.approx(2.0 * (1 - rate) ** 3)


def test_budget_outside_the_target_period_is_refused():
    basis = pure.IntensityBasis(2020, 2.0, 2025, 18.0, 1000.0, 5.0, 2020)
    with pytest.raises(pure.BudgetError, match="下一期"):
        pure.budget_from_intensity(2026, basis)


def test_quarters_follow_the_base_year_or_are_equal_by_platform_rule():
    shares, words = pure.quarter_shares([30.0, 20.0, 20.0, 30.0])
    assert shares == pytest.approx((0.3, 0.2, 0.2, 0.3)) and "基年" in words
    shares, words = pure.quarter_shares([30.0, None, 20.0, 30.0])
    assert shares == (0.25,) * 4 and "本平台规则" in words


parts_strategy = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1e8, allow_nan=False),
        st.floats(min_value=-20, max_value=40, allow_nan=False),
    ),
    min_size=1,
    max_size=12,
).filter(lambda rows: sum(r[0] for r in rows) > 1e-3)


@given(whole=st.floats(min_value=0, max_value=1e9, allow_nan=False), rows=parts_strategy)
def test_historical_allocation_sums_to_the_whole(whole, rows):
    parts = [pure.PartBasis(f"p{i}", base) for i, (base, _) in enumerate(rows)]
    shares = pure.allocate(whole, pure.Method.HISTORICAL, parts)
    assert sum(s.tco2 for s in shares) == round(whole)
    assert all(s.tco2 >= 0 for s in shares)


@given(whole=st.floats(min_value=0, max_value=1e9, allow_nan=False), rows=parts_strategy)
def test_intensity_allocation_sums_to_the_whole(whole, rows):
    parts = [pure.PartBasis(f"p{i}", base, growth) for i, (base, growth) in enumerate(rows)]
    shares = pure.allocate(whole, pure.Method.INTENSITY, parts)
    assert sum(s.tco2 for s in shares) == round(whole)


@given(values=st.lists(st.integers(min_value=0, max_value=10**8), min_size=1, max_size=10))
def test_manual_allocation_is_kept_when_it_sums_and_refused_otherwise(values):
    parts = [pure.PartBasis(f"p{i}", manual_tco2=v) for i, v in enumerate(values)]
    shares = pure.allocate(sum(values), pure.Method.MANUAL, parts)
    assert [s.tco2 for s in shares] == values
    with pytest.raises(pure.BudgetError, match="相差 1 吨"):
        pure.allocate(sum(values) + 1, pure.Method.MANUAL, parts)


def test_historical_allocation_by_hand_and_its_rounding():
    parts = [pure.PartBasis("甲", 1.0), pure.PartBasis("乙", 1.0), pure.PartBasis("丙", 1.0)]
    assert [s.tco2 for s in pure.allocate(100, pure.Method.HISTORICAL, parts)] == [34, 33, 33]
    parts = [pure.PartBasis("甲", 300.0, 10.0), pure.PartBasis("乙", 100.0, -10.0)]
    # weights 330 and 90: 1000 × 330/420 = 785.71 → 786, 214.29 → 214
    assert [s.tco2 for s in pure.allocate(1000, pure.Method.INTENSITY, parts)] == [786, 214]


def test_a_part_without_base_data_is_named_not_taken_as_zero():
    parts = [pure.PartBasis("甲", 10.0), pure.PartBasis("乙", None)]
    with pytest.raises(pure.BudgetError, match="乙：基年排放缺失"):
        pure.allocate(100, pure.Method.HISTORICAL, parts)
    with pytest.raises(pure.BudgetError, match="预期地区生产总值增速缺失"):
        pure.allocate(100, pure.Method.INTENSITY, [pure.PartBasis("甲", 10.0)])


def test_sector_attribution_sums_to_the_assessed_total():
    sectors = {
        "电力、热力生产和供应业": SectorUse(800.0, 0.0),
        "工业A": SectorUse(100.0, 600.0),
        "居民": SectorUse(50.0, 400.0),
    }
    got, factor = attribute_to_sectors(1000.0, sectors, "电力、热力生产和供应业")
    # the rest of the total (1000 − 100 − 50 = 850) over 1000 kWh
    assert factor == pytest.approx(0.85)
    assert got == pytest.approx({"电力、热力生产和供应业": 0.0, "工业A": 610.0, "居民": 390.0})
    assert sum(got.values()) == pytest.approx(1000.0)


def test_tracking_against_the_seasonal_share():
    shares = (0.3, 0.2, 0.2, 0.3)
    got = track("港区", 2024, 1000.0, {1: 290.0, 2: 520.0}, shares, "按基年各季度排放占比")
    assert got.expected_tco2 == pytest.approx(500.0) and got.remaining_tco2 == pytest.approx(480.0)
    assert got.assessment.grade == "yellow"  # 4 % over the half-year's 500
    assert track("港区", 2024, 1000.0, {4: 990.0}, shares, "").assessment.grade == "green"
    assert track("港区", 2024, 1000.0, {4: 1200.0}, shares, "").assessment.grade == "red"
    missing = track("港区", 2024, 1000.0, {4: None}, shares, "")
    assert missing.used_tco2 is None and missing.remaining_tco2 is None
    assert missing.assessment.grade == "ungraded"


def test_a_projects_share_of_the_remaining_budget_by_hand():
    got = budget_share(50_000.0, 1_000_000.0, 800_000.0, "港区")
    assert got.remaining_tco2 == 200_000.0 and got.share == pytest.approx(0.25)
    assert budget_share(1.0, None, None, "港区").share is None
    spent = budget_share(1.0, 100.0, 120.0, "港区")
    assert spent.share is None and "已用完" in spent.words


def test_review_levels_from_the_reference_thresholds():
    assert review_level(12_000, 0, None).level == "省级节能审查"
    assert review_level(999, 4_999_999, None).level == "不单独进行节能审查"
    assert review_level(999, 5_000_000, None).level == "地方节能审查"
    assert "年用电量 500.00 万千瓦时 ≥ 500" in review_level(999, 5_000_000, None).reasons[0]
    # an unreported 年用电量 is not 0 kWh: the small project's level cannot be decided
    unreported = review_level(999, None, None)
    assert unreported.level == "缺失（年用电量未报）" and "年用电量未报" in unreported.reasons[0]
    assert "0.0 万千瓦时" not in unreported.reasons[0]
    assert review_level(1_500, None, None).level == "地方节能审查"  # decided by its energy alone
    big = review_level(6_000, 0, 14_000)
    assert any("碳排放报告门槛" in n for n in big.notes)
    assert any("未找到" in n for n in big.notes)  # the 2025 办法's thresholds are not guessed
