"""The projection model through its pure surface: history → calibration → Monte Carlo → peak statistics."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from functools import cache

import numpy as np
import pytest

from carbonpeak.energy import accounting, factors, sample
from carbonpeak.projection import loop, model, scenarios
from carbonpeak.projection.model import Assumption, ProjectionError

from ..conftest import BUNDLED_PLAN

FIT_BOUND = 0.03  # the mean absolute fit error on the sample history stated in docs/projection.md


@cache
def sample_history() -> model.History:
    data = sample.generate()
    fs = factors.load_factor_set("national")
    records = [r for rs in data.records.values() for r in rs]
    acc = accounting.account(records, fs, list(data.economy.values()))
    years = [a.to_dict() for a in acc.ordered() if (a.period.first, a.period.last) == (1, 4)]
    published = {}
    for f in fs.factors:
        if f.kind == "grid_co2" and f.key == "江苏" and f.value is not None:
            published[f.year] = fs.grid("江苏", f.year).value
    return model.history_from_periods(years, published, factor_set=fs.label, sample=True)


@cache
def plan_targets() -> dict[str, scenarios.PlanTarget]:
    out: dict[str, scenarios.PlanTarget] = {}
    for t in json.loads(BUNDLED_PLAN.read_text(encoding="utf-8"))["targets"]:
        out.setdefault(t["indicator"], scenarios.PlanTarget(t["indicator"], t["year"], t["value"]))
    return out


def planned() -> model.Scenario:
    return scenarios.built_in(scenarios.PLANNED, plan_targets())


def fixed_everything(scenario: model.Scenario, history: model.History) -> model.Scenario:
    """Every assumption at its central value, trends without their standard error."""
    cal = model.calibrate(history)
    resolved = model.resolve_history(scenario, cal)
    assumptions = {
        k: replace(a, distribution="fixed", mode=a.central, low=None, high=None) for k, a in resolved.items()
    }
    assumptions[model.TREND_SE_SCALE] = replace(assumptions[model.TREND_SE_SCALE], mode=0.0)
    return replace(scenario, assumptions=assumptions)


def test_levers_read_their_targets_from_the_plan():
    s = planned()
    assert s.assumptions["pv.target_mw"].mode == 500
    assert s.assumptions["pv.target_year"].mode == 2025
    assert s.assumptions["fleet.bus_target"].mode == 92
    assert s.assumptions["fleet.taxi_target"].mode == 50
    assert s.assumptions["fleet.public_target"].mode == 80
    assert s.assumptions["buildings.renewable_target"].mode == 8
    assert s.assumptions["dc.pue_target"].mode == 1.3
    assert s.assumptions["oil.peak_year"].mode == 2025
    assert all(s.lever_on(lever.key) for lever in model.LEVERS)
    # a different plan value reaches the model, not a number in code
    changed = dict(plan_targets())
    changed["光伏装机并网容量"] = scenarios.PlanTarget("光伏装机并网容量", 2027, 800.0)
    s2 = scenarios.built_in(scenarios.PLANNED, changed)
    assert (s2.assumptions["pv.target_mw"].mode, s2.assumptions["pv.target_year"].mode) == (800, 2027)


def test_a_lever_without_its_plan_target_is_switched_off_and_said():
    targets = {k: v for k, v in plan_targets().items() if k != "新能源和清洁能源公交车辆占比"}
    s = scenarios.built_in(scenarios.PLANNED, targets)
    assert not s.lever_on("fleets")
    assert any("新能源和清洁能源公交车辆占比" in n for n in s.notes)
    assert any("公交、出租及公共领域车辆电动化" in n for n in s.notes)
    model.project(sample_history(), s, 200, 1)  # still runs


def test_baseline_has_no_levers_and_every_assumption_has_a_source():
    base = scenarios.built_in(scenarios.BASELINE, plan_targets())
    assert not any(base.lever_on(lever.key) for lever in model.LEVERS)
    for name in scenarios.BUILT_IN:
        for a in scenarios.built_in(name, plan_targets()).assumptions.values():
            assert a.source.strip(), a.key


def test_vectorised_model_equals_the_plain_loop_draw_by_draw():
    history = sample_history()
    cal = model.calibrate(history)
    for scenario in (planned(), scenarios.built_in(scenarios.STRONGER, plan_targets())):
        # an oil-peak year after the base year exercises the cap taken from a projected year
        later = dict(scenario.assumptions)
        later["oil.peak_year"] = replace(later["oil.peak_year"], mode=2028.0)
        # and an existing unit retiring, drawn in or out
        retiring = dict(later)
        for part, value, how in (
            ("mw", 1300.0, "fixed"),
            ("year", 2029.0, "fixed"),
            ("probability", 0.5, "bernoulli"),
        ):
            key = f"{model.RETIREMENT}1.{part}"
            retiring[key] = model.Assumption(key, "退役机组", "", how, mode=value)
        for s in (scenario, replace(scenario, assumptions=later), replace(scenario, assumptions=retiring)):
            resolved = model.resolve_history(s, cal)
            years = np.arange(cal.base_year + 1, 2036)
            x = model.sample_inputs(resolved, cal, 6, len(years), seed=7)
            fixed = model.results._fixed_values(resolved)
            levers = {lever.key: s.lever_on(lever.key) for lever in model.LEVERS}
            vectorised = model.paths(cal, x, fixed, levers, years).co2_t
            for d in range(6):
                plain = loop.co2_path(cal, loop.draw_inputs(x, d), fixed, levers, years.tolist())
                np.testing.assert_allclose(vectorised[d], plain, rtol=1e-9)


def test_zero_variance_reproduces_the_deterministic_path():
    history = sample_history()
    s = fixed_everything(planned(), history)
    result = model.project(history, s, 50, 3, sensitivity=False)
    p10, p50, p90 = (result.co2_quantiles[q] for q in ("p10", "p50", "p90"))
    np.testing.assert_allclose(p10, p90, rtol=1e-12)
    cal = model.calibrate(history)
    resolved = model.resolve_history(s, cal)
    x1 = model.sample_inputs(resolved, cal, 1, len(result.years), 0)
    one = loop.co2_path(
        cal,
        loop.draw_inputs(x1, 0),
        {k: resolved[k].central for k in model.FIXED},
        {lever.key: s.lever_on(lever.key) for lever in model.LEVERS},
        list(result.years),
    )
    np.testing.assert_allclose(p50, one, rtol=1e-9)
    assert result.p_peak_by_deadline in (0.0, 1.0)


def _synthetic_history(coal: float, gas: float, growth: float) -> model.History:
    """A city with industrial coal and some gas, no electricity: small enough to solve by hand."""
    years = (2023, 2024, 2025)
    h, s_count, f_count = len(years), len(model.SECTORS), len(model.FAMILIES)
    gdp = 1000 * (1 + growth) ** np.arange(h)
    fuel_tce = np.zeros((h, s_count, f_count))
    other, buildings = model.SECTOR_INDEX["other_industry"], model.SECTOR_INDEX["buildings"]
    fuel_tce[:, other, model.COAL] = coal * gdp / gdp[-1]
    fuel_tce[:, buildings, model.GAS] = gas * gdp / gdp[-1]
    fuel_co2 = fuel_tce.copy()
    fuel_co2[:, :, model.COAL] *= 2.66
    fuel_co2[:, :, model.GAS] *= 1.6
    zeros = np.zeros(h)
    return model.History(
        region="测试市",
        factor_set="test",
        years=years,
        gdp=gdp,
        fuel_tce=fuel_tce,
        fuel_co2=fuel_co2,
        electricity_kwh=np.zeros((h, s_count)),
        coal_generation_kwh=zeros,
        other_fossil_generation_kwh=zeros,
        pv_generation_kwh=zeros,
        other_non_fossil_generation_kwh=zeros,
        net_import_kwh=zeros,
        grid_factor=zeros,
        grid_published={},
        co2_t=fuel_co2.sum(axis=(1, 2)),
        refined_oil_t=zeros,
        electricity_tce_per_kwh=1e-4,
        # no electricity and no purchased heat: the three boundaries are the same
        co2_by_boundary={b: fuel_co2.sum(axis=(1, 2)) for b in model.BOUNDARIES},
    )


def test_a_model_with_a_known_analytic_peak_gives_that_peak():
    # Buildings' gas grows with GDP (ρ) while renewables replace a share rising linearly to T by year ty:
    # CO2(t) = A e^{ρt} (1 − T t / ty), whose maximum is at t* = ty / T − 1 / ρ.
    growth, target, span, gas = 0.10, 0.8, 20, 100_000.0
    history = _synthetic_history(0.0, gas, growth)
    s = fixed_everything(planned(), history)
    values = {
        "gdp.growth": growth * 100,
        "grid.change": 0.0,
        "buildings.renewable_base": 0.0,
        "buildings.renewable_target": target * 100,
        "buildings.renewable_target_year": 2025.0 + span,
        "peak.tolerance": 0.0,  # the exact maximum: no plateau band
    }
    assumptions = {**s.assumptions}
    for key, value in values.items():
        assumptions[key] = replace(assumptions[key], mode=value)
    s = replace(s, assumptions=assumptions)
    for lever in model.LEVERS:
        s = s.with_lever(lever.key, lever.key == "buildings")
    result = model.project(history, s, 20, 1, end_year=2025 + span)

    rho = math.log1p(growth)
    t_star = span / target - 1 / rho

    def co2(t: int) -> float:
        return gas * 1.6 * math.exp(rho * t) * (1 - target * t / span)

    best = max(range(0, span + 1), key=co2)
    assert 0 < best < span and abs(best - t_star) < 1  # the integer peak lies next to the continuous one
    assert result.peak_year_quantiles == {"p10": 2025 + best, "p50": 2025 + best, "p90": 2025 + best}
    assert result.peak_value_quantiles["p50"] == pytest.approx(co2(best), rel=1e-6)
    assert result.p_peak_by_deadline == (1.0 if 2025 + best <= 2030 else 0.0)


def test_a_draw_still_rising_in_the_final_year_has_not_peaked():
    history = _synthetic_history(100_000.0, 0.0, 0.03)
    s = fixed_everything(planned(), history)
    for lever in model.LEVERS:
        s = s.with_lever(lever.key, False)
    assumptions = {**s.assumptions, "gdp.growth": replace(s.assumptions["gdp.growth"], mode=3.0)}
    result = model.project(history, replace(s, assumptions=assumptions), 10, 1)
    assert result.p_peak_by_deadline == 0.0
    assert result.peak_year_quantiles["p50"] is None
    assert result.peak_year_histogram == {"未达峰": 10}


def test_the_same_seed_gives_the_same_numbers():
    history = sample_history()
    a = model.project(history, planned(), 2000, 42).to_json()
    b = model.project(history, planned(), 2000, 42).to_json()
    c = model.project(history, planned(), 2000, 43).to_json()
    assert a == b
    assert a["trajectory"] != c["trajectory"]


def test_strengthening_a_lever_raises_the_probability_of_peaking():
    history = sample_history()
    base = planned()
    p_plan = model.project(history, base, 4000, 5, sensitivity=False).p_peak_by_deadline
    stronger = dict(base.assumptions)
    stronger["industry.extra_efficiency"] = Assumption(
        "industry.extra_efficiency", "工业能耗强度额外年降幅", "%/年", "uniform", 4.0, None, 6.0, "测试"
    )
    p_strong = model.project(history, replace(base, assumptions=stronger), 4000, 5).p_peak_by_deadline
    assert p_strong > p_plan
    p_baseline = model.project(
        history, scenarios.built_in(scenarios.BASELINE, plan_targets()), 4000, 5
    ).p_peak_by_deadline
    assert p_baseline <= p_plan


def test_levers_contribute_and_the_tornado_is_ordered():
    result = model.project(sample_history(), planned(), 2000, 1)
    active = [e for e in result.levers if e.active]
    assert len(active) == len(model.LEVERS)
    assert [abs(e.reduction_2030_t) for e in active] == sorted(
        (abs(e.reduction_2030_t) for e in active), reverse=True
    )
    by_key = {e.key: e for e in result.levers}
    assert by_key["industry"].reduction_2030_t > 0
    assert by_key["pv"].reduction_2030_t > 0  # PV displaces grid electricity
    assert set(result.to_json()["levers"]) == {e.label for e in active}


def test_the_grid_series_defaults_to_the_years_the_accounting_took_its_factors_from():
    data = sample.generate()
    fs = factors.load_factor_set("national")
    acc = accounting.account([r for rs in data.records.values() for r in rs], fs, list(data.economy.values()))
    years = [a.to_dict() for a in acc.ordered() if (a.period.first, a.period.last) == (1, 4)]
    derived = model.history_from_periods(years).grid_published
    assert derived.keys() == sample_history().grid_published.keys() == {2021, 2022, 2023}
    for year, value in derived.items():
        assert value == pytest.approx(sample_history().grid_published[year], rel=1e-6)


def test_fit_error_on_the_sample_history_is_within_the_stated_bound():
    result = model.project(sample_history(), planned(), 100, 1)
    assert result.fit["mape"] <= FIT_BOUND
    assert set(result.fit["years"]) == {"2021", "2022", "2023", "2024", "2025"}


def test_json_has_the_documented_shape():
    out = model.project(sample_history(), planned(), 500, 1).to_json()
    for key in ("scenario", "draws", "p_peak_by_2030", "peak_year", "peak_value_t", "trajectory", "levers"):
        assert key in out
    assert set(out["peak_year"]) == set(out["peak_value_t"]) == {"p10", "p50", "p90"}
    assert list(out["trajectory"]) == [str(y) for y in range(2026, 2036)]
    assert all(q["p10"] <= q["p50"] <= q["p90"] for q in out["trajectory"].values())
    assert 0 <= out["p_peak_by_2030"] <= 1
    assert sum(out["peak_year_histogram"].values()) == 500
    json.dumps(out)


def test_refined_oil_peak_is_judged_without_the_cap_it_imposes():
    history = sample_history()
    s = planned()
    capped = model.project(history, s, 1000, 1)
    uncapped = model.project(history, s.with_lever("oil_peak", False), 1000, 1)
    assert capped.p_oil_peak_by_target == uncapped.p_oil_peak_by_target
    # with the cap the projected oil never exceeds the 2025 level
    assert max(capped.oil_quantiles["p90"]) <= history.refined_oil_t[-1] * (1 + 1e-9)


def test_bad_inputs_are_refused_with_a_clear_message():
    with pytest.raises(ProjectionError, match="下限 5 大于上限 1"):
        Assumption("x", "测试假设", "%", "uniform", 5.0, None, 1.0)
    with pytest.raises(ProjectionError, match="概率须在0与1之间"):
        Assumption("x", "测试假设", "", "bernoulli", None, 1.5, None)
    with pytest.raises(ProjectionError, match="至少需要两个完整年度"):
        model.history_from_periods([], {})
    with pytest.raises(ProjectionError, match="抽样次数"):
        model.project(sample_history(), planned(), 0, 1)
    with pytest.raises(ProjectionError, match="未知情景"):
        scenarios.built_in("乐观情景", plan_targets())


def test_missing_history_is_never_read_as_zero():
    """A year without a grid factor stops the projection; a year marked 数据不全 is said in the result."""
    import copy

    data = sample.generate()
    fs = factors.load_factor_set("national")
    records = [r for rs in data.records.values() for r in rs]
    acc = accounting.account(records, fs, list(data.economy.values()))
    years = [a.to_dict() for a in acc.ordered() if (a.period.first, a.period.last) == (1, 4)]

    no_grid = copy.deepcopy(years)
    no_grid[2]["electricity"]["grid_factor"] = None
    with pytest.raises(ProjectionError, match="没有电网排放因子"):
        model.history_from_periods(no_grid)

    incomplete = copy.deepcopy(years)
    incomplete[-1]["missing"] = [
        "数据不全：交通运输、仓储和邮政业·柴油 前四个季度中报送过，本季度未报（确为零请填 0）"
    ]
    history = model.history_from_periods(incomplete)
    assert history.incomplete_years == (int(incomplete[-1]["period"]),)
    result = model.project(history, planned(), 200, 1)
    assert any("历史数据不全的年份" in n for n in result.notes)


def test_the_assumptions_names_and_units_are_in_the_catalogue():
    """Every assumption's name and unit in ``data/parameters.csv`` is one ``projection.words`` names for the
    translation catalogue (a page says them in the reader's language)."""
    import csv

    from carbonpeak.projection import words
    from carbonpeak.projection.scenarios import PARAMETERS

    with PARAMETERS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["label"] for r in rows} == set(words.PARAMETER_LABELS)
    assert {r["unit"] for r in rows} - {"", "%", "PUE"} == set(words.PARAMETER_UNITS)
