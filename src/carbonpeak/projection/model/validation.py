"""How well the model earns its band: the in-sample backcast and the out-of-sample backtest by rolling origin."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from carbonpeak.core.text import Message, gettext_noop

from .calibration import Calibration, calibrate, resolve_history, sample_inputs
from .history import History
from .levers import LEVERS, Assumption, Scenario
from .paths import paths
from .results import _fixed_values, _round
from .shapes import BOUNDARIES, BOUNDARY_NAMES, HOLDOUT_YEARS, UNRESOLVED, ProjectionError


def backcast(
    history: History, cal: Calibration, assumptions: dict[str, Assumption], boundary: str = "assessed"
) -> dict:
    """In sample: run the model from the first history year with the observed GDP, generation and grid
    factor and the trends fitted on those same years; the gap to the accounted CO2 on ``boundary`` is the fit
    error (it says how well the model can describe the past, not how well it predicts: that is ``validate``)."""
    first = replace(
        cal,
        base_year=history.years[0],
        energy0=np.concatenate([history.fuel_tce[0], history.electricity_kwh[0][:, None]], axis=1),
        coal_generation0=float(history.coal_generation_kwh[0]),
        other_generation0=float(
            history.other_fossil_generation_kwh[0] + history.other_non_fossil_generation_kwh[0]
        ),
        pv0=float(history.pv_generation_kwh[0]),
    )
    years = np.array(history.years[1:])
    if not len(years):
        return {"mape": None, "years": {}, "in_sample": True, "boundary": boundary}
    x = sample_inputs(assumptions, cal, 1, len(years), 0)
    x["elasticity"] = cal.elasticity[None]
    exo = {
        "gdp": (history.gdp[1:] / history.gdp[:-1] - 1)[None],
        "coal_generation": history.coal_generation_kwh[1:][None],
        "pv_generation": history.pv_generation_kwh[1:][None],
        "grid_factor": history.grid_factor[1:][None],
    }
    modelled = paths(first, x, _fixed_values(assumptions), {}, years, exo).by_boundary[boundary][0]
    observed = _boundary_history(history, boundary)[1:]
    errors = (modelled - observed) / observed
    return {
        "in_sample": True,
        "boundary": boundary,
        "mape": _round(float(np.abs(errors).mean()), 4),
        "max_abs_error": _round(float(np.abs(errors).max()), 4),
        "years": {
            str(y): {"observed_t": _round(o, 0), "modelled_t": _round(m, 0)}
            for y, o, m in zip(years, observed, modelled, strict=True)
        },
    }


def _truncate(history: History, keep: int) -> History:
    """The first ``keep`` years of a history (validation calibrates on them)."""
    cut = slice(0, keep)
    arrays = {
        name: getattr(history, name)[cut]
        for name in (
            "gdp",
            "fuel_tce",
            "fuel_co2",
            "electricity_kwh",
            "coal_generation_kwh",
            "other_fossil_generation_kwh",
            "pv_generation_kwh",
            "other_non_fossil_generation_kwh",
            "net_import_kwh",
            "grid_factor",
            "co2_t",
            "refined_oil_t",
        )
    }
    last = history.years[keep - 1]
    return replace(
        history,
        years=history.years[:keep],
        grid_published={y: v for y, v in history.grid_published.items() if y <= last},
        co2_by_boundary={b: v[cut] for b, v in history.co2_by_boundary.items()},
        **arrays,
    )


def _boundary_history(history: History, boundary: str) -> np.ndarray:
    found = history.co2_by_boundary.get(boundary)
    if found is not None and len(found):
        return found
    if boundary == "assessed":
        return history.co2_t
    raise ProjectionError(
        Message(
            gettext_noop("核算结果没有%(boundary)s的历史排放（请重新核算）"),
            boundary=Message(BOUNDARY_NAMES.get(boundary, boundary)),
        )
    )


#: the fewest accounted years a calibration is made on in the backtest (the trends need three)
MIN_TRAIN_YEARS = 3
#: the years ahead each backtest origin predicts
HORIZONS = 2
#: draws per backtest origin: the coverage is counted over a handful of years, not over draws
BACKTEST_DRAWS = 4000


def _measures_under_way(assumptions: dict[str, Assumption]) -> dict[str, bool]:
    """Every lever whose inputs exist is on, at the scenario's values: a backtest asks what did happen."""
    return {
        lever.key: all(
            assumptions.get(key) is not None and assumptions[key].source != UNRESOLVED
            for key in lever.parameters
        )
        for lever in LEVERS
    }


def _band_factor(points: list[dict], low: str, high: str, share: float) -> float:
    """How much the band (``low``–``high`` around P50) must widen for ``share`` of the backtest's observed
    years to fall inside it; 1 when they already do."""
    needed = []
    for p in points:
        side = p[high] - p["p50_t"] if p["observed_t"] >= p["p50_t"] else p["p50_t"] - p[low]
        gap = abs(p["observed_t"] - p["p50_t"])
        needed.append(gap / side if side > 0 else (0.0 if gap == 0 else float("inf")))
    if not needed:
        return 1.0
    factor = float(np.quantile(needed, share, method="inverted_cdf"))
    return max(1.0, factor) if np.isfinite(factor) else float("inf")


def _summary(points: list[dict]) -> dict:
    inside80 = [p["p10_t"] <= p["observed_t"] <= p["p90_t"] for p in points]
    inside50 = [p["p25_t"] <= p["observed_t"] <= p["p75_t"] for p in points]
    errors = [abs(p["p50_t"] - p["observed_t"]) / abs(p["observed_t"]) for p in points if p["observed_t"]]
    factor = _band_factor(points, "p10_t", "p90_t", 0.8)
    return {
        "points": len(points),
        "coverage_80": _round(float(np.mean(inside80)), 4) if points else None,
        "coverage_50": _round(float(np.mean(inside50)), 4) if points else None,
        "median_abs_error": _round(float(np.median(errors)), 4) if errors else None,
        "band_factor_80": _round(factor, 3) if np.isfinite(factor) else None,
    }


def validate(
    history: History,
    scenario: Scenario,
    draws: int,
    seed: int,
    boundary: str = "assessed",
    holdout: int = HOLDOUT_YEARS,
) -> dict:
    """Out of sample, by rolling origin: for every year t the history allows (at least three years to
    calibrate on), calibrate on the years up to t and predict t+1 and t+2 with every input drawn as in a
    projection; on every boundary, the share of the predicted years inside the 80 % and 50 % intervals, the
    median absolute error of the median (relative), and how much the 80 % band would have to widen to earn
    its name. The table shows the last origin's ``holdout`` years. The measures are taken as under way
    (every lever whose inputs exist is on), whatever the scenario: a counterfactual such as 基准情景 says what
    would have happened, not what did."""
    n = len(history.years)
    if n < holdout + MIN_TRAIN_YEARS:
        return {
            "holdout_years": [],
            "coverage_80": None,
            "coverage_50": None,
            "median_abs_error": None,
            "note": Message(
                gettext_noop("完整年度少于%(years)s个，无法留出%(holdout)s年做样本外检验"),
                years=holdout + MIN_TRAIN_YEARS,
                holdout=holdout,
            ),
        }
    points: dict[str, list[dict]] = {b: [] for b in BOUNDARIES}
    table: dict[str, dict] = {}
    origins = []
    for keep in range(MIN_TRAIN_YEARS, n):
        train = _truncate(history, keep)
        cal = calibrate(train)
        assumptions = resolve_history(scenario, cal)
        years = np.array(history.years[keep : keep + HORIZONS])
        x = sample_inputs(assumptions, cal, min(draws, BACKTEST_DRAWS), len(years), seed)
        run = paths(cal, x, _fixed_values(assumptions), _measures_under_way(assumptions), years)
        origins.append(int(train.years[-1]))
        for b in BOUNDARIES:
            observed = _boundary_history(history, b)[keep : keep + len(years)]
            q = np.quantile(run.by_boundary[b], [0.1, 0.25, 0.5, 0.75, 0.9], axis=0)
            for j, year in enumerate(years):
                point = {
                    "origin": int(train.years[-1]),
                    "year": int(year),
                    "horizon": j + 1,
                    "observed_t": float(observed[j]),
                    **{
                        f"{name}_t": float(q[i][j])
                        for i, name in enumerate(("p10", "p25", "p50", "p75", "p90"))
                    },
                }
                points[b].append(point)
                if b == boundary and keep == n - holdout:
                    table[str(int(year))] = {
                        k: _round(point[k], 0) for k in ("observed_t", "p10_t", "p50_t", "p90_t")
                    }
    by_boundary = {b: _summary(points[b]) for b in BOUNDARIES}
    return {
        "holdout_years": [int(y) for y in history.years[-holdout:]],
        "calibration_years": [int(y) for y in history.years[: n - holdout]],
        "origins": origins,
        "measures": Message(
            gettext_noop(
                "方案措施按本情景取值全部计入（检验模型对已发生年份的预测能力，与情景是否假设新措施无关）"
            )
        ),
        **by_boundary[boundary],
        "by_boundary": by_boundary,
        "years": table,
    }
