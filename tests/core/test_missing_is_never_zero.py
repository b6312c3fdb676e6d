"""Missing is never zero, property by property: every pure core fed inputs some of which are missing gives
缺失 (None, a refusal, an ungraded assessment) for each figure that needs them — never a number computed as if
the missing input were 0."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.budgets import allocation
from carbonpeak.budgets.review import MISSING_LEVEL, review_level, thresholds
from carbonpeak.enterprises import mrv
from carbonpeak.monitoring import grading
from carbonpeak.sinks import engine

amounts = st.floats(min_value=1.0, max_value=1e6, allow_nan=False)
maybe = st.one_of(st.none(), amounts)


def _forest_set() -> engine.SinkFactorSet:
    return engine.SinkFactorSet("sinks", "test", "温带", "测试选择", engine.bundled_factors())


@settings(max_examples=60, deadline=None)
@given(area=maybe, stock=maybe, increment=maybe, harvest=st.one_of(st.none(), st.floats(0, 1e4)))
def test_a_forest_sink_with_a_missing_input_is_missing(area, stock, increment, harvest):
    record = engine.LandRecord(
        "港区",
        2025,
        "forest",
        "杨树",
        "阔叶",
        area_ha=area,
        growing_stock_m3=stock,
        increment_m3=increment,
        harvest_m3=harvest,
    )
    before = engine.LandRecord("港区", 2024, "forest", "杨树", "阔叶", area_ha=area, growing_stock_m3=stock)
    results = engine.compute([before, record], _forest_set())
    for r in results:
        if r.method == engine.GAIN_LOSS and None in (area, stock, increment, harvest):
            assert r.sink_tco2 is None and r.missing
        if r.method == engine.STOCK_DIFFERENCE and None in (area, stock):
            assert r.sink_tco2 is None and r.stock_tc is None


@settings(max_examples=40, deadline=None)
@given(tce=st.floats(min_value=0, max_value=999.9), co2=maybe)
def test_a_small_projects_review_level_without_its_electricity_is_missing(tce, co2):
    assert tce < thresholds()["no_separate_review_tce"].value
    assert review_level(tce, None, co2).level == MISSING_LEVEL


@settings(max_examples=40, deadline=None)
@given(bought=maybe, sold=maybe, generated=maybe)
def test_an_enterprises_electricity_with_bought_or_sold_missing_is_missing(bought, sold, generated):
    report = mrv.ReportInput("91320585MA1XXXXX0X", "造纸和纸制品业", 2025, (), bought, sold, generated)
    consumed = mrv.consumption(report)
    assert (consumed is None) == (bought is None or sold is None)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(maybe, min_size=2, max_size=6), method=st.sampled_from(list(allocation.Method)))
def test_an_allocation_with_a_missing_part_is_refused_not_shared_as_zero(values, method):
    parts = [
        allocation.PartBasis(
            f"区{i}",
            base_tco2=v if method != allocation.Method.MANUAL else 1000.0,
            growth_pct=5.0,
            manual_tco2=v if method == allocation.Method.MANUAL else None,
        )
        for i, v in enumerate(values)
    ]
    whole = sum(v for v in values if v is not None) or 1000.0
    if None in values:
        with pytest.raises(allocation.BudgetError):
            allocation.allocate(whole, method, parts)


@settings(max_examples=60, deadline=None)
@given(
    rule=st.sampled_from([grading.Rule.LEVEL, grading.Rule.CAP, grading.Rule.INTENSITY]),
    value=amounts,
    higher=st.booleans(),
)
def test_a_target_without_its_value_is_not_graded(rule, value, higher):
    target = grading.GradingTarget(rule, higher_is_better=higher, target_year=2030, baseline_year=2020)
    assessment = grading.grade(target, [grading.Point(2025, 4, value)])
    assert assessment.grade == grading.Grade.UNGRADED and assessment.expected is None
