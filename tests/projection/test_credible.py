"""What makes P(peak) believable: no seam at the first projected year, a robust peak rule, the three
boundaries side by side, and an out-of-sample check that can fail."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from carbonpeak.projection import model, scenarios

from .test_model import plan_targets, planned, sample_history


def _scenario(name: str) -> model.Scenario:
    return planned() if name == scenarios.PLANNED else scenarios.built_in(name, plan_targets())


def _without_new_units(s: model.Scenario) -> model.Scenario:
    a = dict(s.assumptions)
    a["power.new_coal_probability"] = replace(a["power.new_coal_probability"], distribution="fixed", mode=0.0)
    return replace(s, assumptions=a)


@pytest.mark.parametrize("name", scenarios.BUILT_IN)
def test_no_seam_between_the_last_accounted_year_and_the_first_projected_one(name):
    """On every boundary the median first projected year moves from the last accounted year by no more than
    the largest year-on-year change of the history, once the one dated event (new coal units) is set aside;
    with the event in, the projection names it in its year."""
    history = sample_history()
    result = model.project(
        history, _without_new_units(_scenario(name)), 2000, 3, sensitivity=False, validation=False
    )
    first = {result.boundary: (result.co2_quantiles["p50"][0], result.history_co2_t)}
    first |= {b: (f["quantiles"]["p50"][0], f["history"]) for b, f in result.by_boundary.items()}
    assert set(first) == set(model.BOUNDARIES)
    for boundary, (p50, past) in first.items():
        past = np.array(past)
        largest = np.abs(np.diff(past) / past[:-1]).max()
        assert abs(p50 / past[-1] - 1) <= largest, (boundary, p50 / past[-1] - 1, largest)
    with_event = model.project(history, _scenario(name), 500, 3, sensitivity=False, validation=False)
    assert [e["year"] for e in with_event.events] == [2026]
    assert "新增燃煤机组" in with_event.events[0]["label"] and with_event.events[0]["probability"] == 0.5


def test_the_grid_factor_continues_from_the_value_the_last_account_used():
    history = sample_history()
    cal = model.calibrate(history)
    assert (cal.grid_year, cal.grid_value) == (history.years[-1], pytest.approx(history.grid_factor[-1]))


YEARS = np.arange(2020, 2031)


def _peak(path, tolerance=0.01):
    year, value = model._peaks(np.array([]), np.array([path], dtype=float), YEARS, tolerance)
    return int(year[0]), float(value[0])


def test_the_peak_is_the_first_year_nothing_later_exceeds_by_more_than_the_tolerance():
    rising_then_flat = [100, 104, 108, 110, 110.5, 110.8, 110.2, 109, 108, 107, 106]
    assert _peak(rising_then_flat) == (2023, 110)  # 110.8 is within 1 % of 110: the plateau starts in 2023
    assert _peak(rising_then_flat, tolerance=0.0) == (2025, 110.8)
    noisy_rise = [100, 99, 102, 101, 104, 103, 106, 105, 108, 107, 110]
    assert _peak(noisy_rise)[0] == 0  # still rising by the end: not peaked, however noisy
    early = [120, 110, 100, 100, 100, 100, 100, 100, 100, 100, 100]
    assert _peak(early) == (2020, 120)  # a history year is a peak when everything after stays below it
    dip_then_higher = [110, 100, 100, 100, 100, 100, 100, 100, 100, 100, 115]
    assert _peak(dip_then_higher)[0] == 0  # the final year is never a peak: nothing shows it was one


def test_three_boundaries_side_by_side_with_the_accounted_history_of_each():
    history = sample_history()
    result = model.project(history, planned(), 1000, 1, sensitivity=False, validation=False).to_json()
    assert result["boundary"] == "assessed" and set(result["boundaries"]) == {"territorial", "consumption"}
    for b, figures in result["boundaries"].items():
        accounted = history.co2_by_boundary[b]
        assert list(figures["history"].values()) == [round(v) for v in accounted]
        assert 0 <= figures["p_peak_by_2030"] <= 1
    assert list(result["history"].values()) == [round(v) for v in history.co2_by_boundary["assessed"]]
    assert "净调出" in result["boundary_sentence"]
    territorial = model.project(history, planned(), 1000, 1, boundary="territorial", sensitivity=False)
    assert territorial.p_peak_by_deadline == result["boundaries"]["territorial"]["p_peak_by_2030"]
    with pytest.raises(model.ProjectionError, match="口径须为"):
        model.project(history, planned(), 10, 1, boundary="全口径")


def test_out_of_sample_the_80_percent_interval_covers_and_the_median_is_close():
    """Calibrated on 2020–2023, the model predicts 2024 and 2025 of the sample history: both inside the
    P10–P90 band and the median within 5 % of what was accounted."""
    result = model.project(sample_history(), planned(), 4000, 1, sensitivity=False)
    v = result.validation
    assert v["holdout_years"] == [2024, 2025] and v["calibration_years"] == [2020, 2021, 2022, 2023]
    assert v["coverage_80"] >= 0.5
    assert v["median_abs_error"] <= 0.05


def test_a_widened_band_without_an_event_is_its_median_plus_the_factor_times_the_spread():
    """With the unit's fate settled (no branches) every draw moves from the median by the factor: the band is
    exactly the plain one stretched about its median."""
    history = sample_history()
    settled = _with(planned(), **{"power.new_coal_probability": 0.0})
    plain = model.project(
        history, settled, 2000, 1, sensitivity=False, validation=False, boundary="consumption"
    )
    shown = model.project(history, settled, 2000, 1, sensitivity=False, boundary="consumption")
    factor = shown.validation["by_boundary"]["consumption"]["band_factor_80"]
    if factor > 1:
        p10, p50 = plain.co2_quantiles["p10"][3], plain.co2_quantiles["p50"][3]
        assert shown.co2_quantiles["p10"][3] == pytest.approx(p50 - factor * (p50 - p10), rel=1e-6)


def test_the_backtest_rolls_its_origin_over_every_year_and_every_boundary():
    """Calibrated on 2020–22, 2020–23 and 2020–24, each origin predicts the two years that follow: five
    predicted years per boundary, with both bands' coverage and the error — and a boundary whose 80 % band
    held too few of them gets its fan widened by the factor that would have held 80 % (stated)."""
    history = sample_history()
    result = model.project(history, planned(), 2000, 1, sensitivity=False)
    v = result.validation
    assert v["origins"] == [2022, 2023, 2024]
    for boundary in model.BOUNDARIES:
        test = v["by_boundary"][boundary]
        assert test["points"] == 5 and {"coverage_80", "coverage_50", "median_abs_error"} <= set(test)
        assert 0 <= test["coverage_50"] <= test["coverage_80"] <= 1
    short = min(model.BOUNDARIES, key=lambda b: v["by_boundary"][b]["coverage_80"])
    factor = v["by_boundary"][short]["band_factor_80"]
    if v["by_boundary"][short]["coverage_80"] < 0.8:
        assert factor > 1
        plain = model.project(
            history, planned(), 2000, 1, sensitivity=False, boundary=short, validation=False
        )
        shown = model.project(history, planned(), 2000, 1, sensitivity=False, boundary=short)
        plain_q, shown_q = plain.co2_quantiles, shown.co2_quantiles
        for i in range(len(plain.years)):  # wider every year, each draw about its own branch's median
            assert shown_q["p90"][i] - shown_q["p10"][i] > plain_q["p90"][i] - plain_q["p10"][i]
        assert any("放宽为原来的" in n and "本平台规则" in n for n in shown.notes)
        assert shown.p_peak_by_deadline == plain.p_peak_by_deadline  # P is counted on the draws as they are


def test_the_in_sample_fit_is_labelled_and_on_the_boundary_shown():
    history = sample_history()
    for boundary in model.BOUNDARIES:
        fit = model.project(
            history, planned(), 200, 1, sensitivity=False, validation=False, boundary=boundary
        ).fit
        assert fit["in_sample"] and fit["boundary"] == boundary
        observed = [fit["years"][str(y)]["observed_t"] for y in history.years[1:]]
        assert observed == [round(v) for v in history.co2_by_boundary[boundary][1:]]


def test_too_short_a_history_says_why_there_is_no_validation():
    history = model._truncate(sample_history(), 4)
    v = model.validate(history, planned(), 100, 1)
    assert v["coverage_80"] is None and "无法留出2年" in v["note"]


def _with(s: model.Scenario, **values: float) -> model.Scenario:
    a = dict(s.assumptions)
    for key, value in values.items():
        a[key] = replace(a[key], distribution="fixed", mode=value, low=None, high=None)
    return replace(s, assumptions=a)


def _inputs(s: model.Scenario, draws: int = 4000) -> dict:
    history = sample_history()
    cal = model.calibrate(history)
    return cal, model.sample_inputs(model.resolve_history(s, cal), cal, draws, 10, 7)


@pytest.mark.parametrize("phi", [0.0, 0.8])
def test_gdp_growth_shocks_persist_as_the_setting_says_and_keep_their_spread(phi):
    s = _with(planned(), **{"gdp.persistence": phi})
    cal, x = _inputs(s)
    g = x["gdp.growth"]
    lag1 = np.corrcoef(g[:, 4], g[:, 5])[0, 1]
    assert lag1 == pytest.approx(phi, abs=0.05)
    growth = model.resolve_history(s, cal)["gdp.growth"]
    sigma = (growth.high - growth.low) / (2 * model.Z90)
    assert g[:, 7].std() == pytest.approx(sigma, rel=0.05) and g.mean() == pytest.approx(growth.mode, abs=0.1)


@pytest.mark.parametrize("rho", [0.0, 1.0])
def test_sector_elasticities_move_together_through_one_common_factor(rho):
    s = _with(planned(), **{"elasticity.correlation": rho})
    cal, x = _inputs(s)
    uncertain = list(zip(*np.nonzero(cal.elasticity_se > 0), strict=True))
    (s1, f1), (s2, f2) = uncertain[0], uncertain[-1]
    corr = np.corrcoef(x["elasticity"][:, s1, f1], x["elasticity"][:, s2, f2])[0, 1]
    assert corr == pytest.approx(rho, abs=0.05)


def test_energy_follows_gdp_through_the_fitted_elasticity():
    """A city whose gas grew as GDP^0.5: the fitted elasticity is 0.5 and, GDP growing 6 % a year with no
    uncertainty, the projected CO2 grows as 1.06^(0.5·k)."""
    from .test_model import _synthetic_history, fixed_everything

    history = _synthetic_history(0.0, 100_000.0, 0.06)
    ratio = history.gdp / history.gdp[-1]
    fuel_tce, fuel_co2 = history.fuel_tce.copy(), history.fuel_co2.copy()
    fuel_tce[:, :, model.GAS] *= ratio[:, None] ** -0.5  # was ∝ GDP: now ∝ GDP^0.5
    fuel_co2[:, :, model.GAS] *= ratio[:, None] ** -0.5
    co2 = fuel_co2.sum(axis=(1, 2))
    history = replace(
        history,
        fuel_tce=fuel_tce,
        fuel_co2=fuel_co2,
        co2_t=co2,
        co2_by_boundary={b: co2 for b in model.BOUNDARIES},
    )
    assert model.calibrate(history).elasticity[model.BUILDINGS, model.GAS] == pytest.approx(0.5)
    s = fixed_everything(planned(), history)
    s = replace(
        s, assumptions={**s.assumptions, "gdp.growth": replace(s.assumptions["gdp.growth"], mode=6.0)}
    )
    for lever in model.LEVERS:
        s = s.with_lever(lever.key, False)
    result = model.project(history, s, 5, 1, sensitivity=False, validation=False)
    expected = [co2[-1] * 1.06 ** (0.5 * k) for k in range(1, len(result.years) + 1)]
    np.testing.assert_allclose(result.co2_quantiles["p50"], expected, rtol=1e-9)


def test_an_unconfirmed_unit_is_two_branches_each_with_its_own_probability_and_band():
    """The 2,000 MW unit drawn in or out (未确认): each branch's P(peak) and band, whose mixture is the headline
    P; confirmed (1) or cancelled (0), one path and no branches."""
    history = sample_history()
    result = model.project(history, _scenario("规划情景"), 2000, 1, sensitivity=False, validation=False)
    (event,) = result.to_json()["events"]
    assert event["status"] == "未确认" and {"year", "name", "probability", "source"} <= set(event)
    built, not_built = event["branches"]
    assert (built["label"], not_built["label"]) == ("投运", "不投运")
    assert built["share"] + not_built["share"] == pytest.approx(1)
    mixture = built["share"] * built["p_peak_by_2030"] + not_built["share"] * not_built["p_peak_by_2030"]
    assert mixture == pytest.approx(result.p_peak_by_deadline, abs=1e-3)
    assert built["quantiles"]["p50"][-1] > not_built["quantiles"]["p50"][-1]  # the unit's coal, every year
    for probability, status in ((1.0, "确认投运"), (0.0, "不投运")):
        s = _with(_scenario("规划情景"), **{"power.new_coal_probability": probability})
        (fixed,) = model.project(history, s, 200, 1, sensitivity=False, validation=False).to_json()["events"]
        assert fixed["status"] == status and "branches" not in fixed


def test_each_boundary_names_the_two_assumptions_that_move_its_probability_most():
    """0.6 % and 79 % read as consequences: on each boundary one sentence names the assumptions whose top
    third of draws against their bottom third moves P most — and which boundary grades the target."""
    result = model.project(
        sample_history(), planned(), 4000, 1, sensitivity=False, validation=False
    ).to_json()
    for boundary in model.BOUNDARIES:
        driver = result["drivers"][boundary]
        assert len(driver["assumptions"]) == 2 and model.BOUNDARY_NAMES[boundary] in driver["sentence"]
        first, second = driver["assumptions"]
        assert abs(first["delta_p"]) >= abs(second["delta_p"])
    # the consumption boundary's P rests on the grid factor's trend (the finding)
    assert result["drivers"]["consumption"]["assumptions"][0]["key"] == "grid.change"
    assert "净调入口径" in result["grading_sentence"] and "考核口径" in result["grading_sentence"]


def test_a_calibrated_trend_says_it_is_a_model_assumption_and_the_years_it_rests_on():
    rows = {
        a["key"]: a
        for a in model.project(
            sample_history(), planned(), 100, 1, sensitivity=False, validation=False
        ).assumptions
    }
    assert "模型假设：按2020–2025年6个年份拟合" in rows["gdp.growth"]["source"]
    grid = rows["grid.change"]["source"]
    assert "2021–2023年3个年份" in grid and "少于5年" in grid and "区间随年份加宽" in grid


def test_shapley_shares_split_an_interaction_evenly_and_add_up():
    """Two measures that only peak the path together: each gets half; shares always sum to P(all) − P(none)."""
    from carbonpeak.projection.model.simulate import shapley

    def together(on: dict[str, bool], draws: int) -> np.ndarray:
        return np.full(draws, on["a"] and on["b"])

    got = shapley(["a", "b"], together, 400)
    assert got["shares"] == pytest.approx({"a": 0.5, "b": 0.5})
    assert got["sum_of_shares"] == 1.0 and got["p_all_levers"] == 1.0 and got["p_no_levers"] == 0.0

    def additive(on: dict[str, bool], draws: int) -> np.ndarray:
        rank = np.arange(draws) / draws  # a draw peaks below a threshold the measures raise
        return rank < 0.1 + 0.2 * on["a"] + 0.3 * on["b"] + 0.1 * on["c"]

    got = shapley(["a", "b", "c"], additive, 2000)
    assert got["shares"] == pytest.approx({"a": 0.2, "b": 0.3, "c": 0.1}, abs=1e-3)


def test_the_levers_shares_sum_to_the_planned_less_the_baseline_probability():
    """On the consumption boundary the switched-off effects summed to 0.234 where P(规划) − P(基准) was 0.262:
    the Shapley shares add up to the difference, each with its sampling error."""
    history = sample_history()
    planned_run = model.project(history, planned(), 4000, 1, boundary="consumption", validation=False)
    baseline = model.project(
        history,
        _scenario(scenarios.BASELINE),
        4000,
        1,
        boundary="consumption",
        sensitivity=False,
        validation=False,
    )
    shares = [e.delta_probability for e in planned_run.levers if e.active]
    assert sum(shares) == pytest.approx(
        planned_run.p_peak_by_deadline - baseline.p_peak_by_deadline, abs=1e-9
    )
    assert all(e.error is not None and e.error >= 0 for e in planned_run.levers if e.active)
    out = planned_run.to_json()
    assert out["attribution"]["method"] == "Shapley" and "合计等于" in out["attribution"]["text"]
    assert {"delta_p_error", "delta_p_switched_off"} <= set(out["lever_details"][0])


def _retiring(s: model.Scenario, mw: float, year: int, probability: float, n: int = 1) -> model.Scenario:
    """An existing unit entered as retiring, the way the coordinator's entry reaches the model."""
    prefix = f"{model.RETIREMENT}{n}"
    a = dict(s.assumptions)
    a[f"{prefix}.mw"] = model.Assumption(f"{prefix}.mw", "太仓港电厂机组", "兆瓦", "fixed", mode=mw)
    a[f"{prefix}.year"] = model.Assumption(f"{prefix}.year", "退役年份", "年", "fixed", mode=year)
    kind = "fixed" if probability in (0.0, 1.0) else "bernoulli"
    a[f"{prefix}.probability"] = model.Assumption(
        f"{prefix}.probability", "退役的概率", "概率", kind, mode=probability
    )
    return replace(s, assumptions=a)


def test_a_retiring_unit_takes_its_share_of_the_existing_units_coal_from_its_year():
    """Confirmed, a 1,300 MW unit of the 5,050 MW existing takes 1,300/5,050 of their coal generation — and of
    the power sector's fuel — from its year on, and nothing before; it is listed as an event."""
    history = sample_history()
    base = _without_new_units(_scenario("规划情景"))
    year = history.years[-1] + 3
    kept = model.project(history, base, 400, 3, sensitivity=False, validation=False)
    gone = model.project(
        history, _retiring(base, 1300, year, 1.0), 400, 3, sensitivity=False, validation=False
    )
    power = model.SECTORS[model.POWER].label
    before, after = np.array(kept.sector_p50_t[power]), np.array(gone.sector_p50_t[power])
    from_year = np.array(kept.years) >= year
    np.testing.assert_allclose(after[~from_year], before[~from_year], rtol=1e-9)
    np.testing.assert_allclose(after[from_year], before[from_year] * (1 - 1300 / 5050), rtol=1e-9)
    (event,) = [e for e in gone.to_json()["events"] if e["kind"] == "退役"]
    assert event["status"] == "确认退役" and event["year"] == year and "branches" not in event
    assert gone.to_json()["cases"] == []


def test_two_unconfirmed_events_make_four_cases_whose_mixture_is_the_headline():
    """The new unit and a retirement both unconfirmed: each event has its own two branches, and the four
    combinations are the cases the chart draws (no median through a gap); shares and P mix to the headline."""
    history = sample_history()
    year = history.years[-1] + 2
    s = _retiring(_scenario("规划情景"), 1300, year, 0.5)
    result = model.project(history, s, 2000, 1, sensitivity=False, validation=False).to_json()
    enters, retires = result["events"]
    assert (enters["status"], retires["status"]) == ("未确认", "未确认")
    assert [b["label"] for b in retires["branches"]] == ["退役", "不退役"]
    cases = result["cases"]
    assert len(cases) == 4 and sum(c["share"] for c in cases) == pytest.approx(1)
    assert sum(c["share"] * c["p_peak_by_2030"] for c in cases) == pytest.approx(
        result["p_peak_by_2030"], abs=1e-3
    )
    labels = {c["label"] for c in cases}
    assert "新增燃煤机组 2000 兆瓦投运、太仓港电厂机组 1300 兆瓦不退役" in labels
    worst = next(c for c in cases if c["label"].endswith("兆瓦投运、太仓港电厂机组 1300 兆瓦不退役"))
    best = next(c for c in cases if c["label"].endswith("兆瓦不投运、太仓港电厂机组 1300 兆瓦退役"))
    assert worst["quantiles"]["p50"][-1] > best["quantiles"]["p50"][-1]


def test_a_retirement_moves_the_drivers_when_it_is_uncertain():
    """The new unit confirmed and a 2,000 MW retirement drawn in or out four years later: on the assessed
    boundary the retirement is the assumption that moves P most, named as an event."""
    history = sample_history()
    confirmed = _with(_scenario("规划情景"), **{"power.new_coal_probability": 1.0})
    s = _retiring(confirmed, 2000, history.years[-1] + 4, 0.5)
    result = model.project(history, s, 2000, 1, sensitivity=False, validation=False, boundary="assessed")
    top = result.drivers["assessed"]["assumptions"][0]
    assert top["key"] == f"{model.RETIREMENT}1.probability" and top["event"] and top["delta_p"] > 0.1
    assert "发生比不发生" in result.drivers["assessed"]["sentence"]
