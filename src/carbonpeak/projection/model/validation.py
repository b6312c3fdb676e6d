"""How well the model earns its band: the in-sample backcast and the out-of-sample check on held-out years."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .calibration import Calibration, calibrate, resolve_history, sample_inputs
from .history import History
from .levers import LEVERS, Assumption, Scenario
from .paths import paths
from .results import _fixed_values, _round
from .shapes import BOUNDARY_NAMES, HOLDOUT_YEARS, UNRESOLVED, ProjectionError


def backcast(history: History, cal: Calibration, assumptions: dict[str, Assumption]) -> dict:
    """Run the model from the first history year with the observed GDP, generation and grid factor and
    the fitted trends; the gap to the accounted CO2 is the fit error."""
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
        return {"mape": None, "years": {}}
    x = sample_inputs(assumptions, cal, 1, len(years), 0)
    x["elasticity"] = cal.elasticity[None]
    exo = {
        "gdp": (history.gdp[1:] / history.gdp[:-1] - 1)[None],
        "coal_generation": history.coal_generation_kwh[1:][None],
        "pv_generation": history.pv_generation_kwh[1:][None],
        "grid_factor": history.grid_factor[1:][None],
    }
    modelled = paths(first, x, _fixed_values(assumptions), {}, years, exo).co2_t[0]
    observed = history.co2_t[1:]
    errors = (modelled - observed) / observed
    return {
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
    raise ProjectionError(f"核算结果没有{BOUNDARY_NAMES.get(boundary, boundary)}的历史排放（请重新核算）")


def validate(
    history: History,
    scenario: Scenario,
    draws: int,
    seed: int,
    boundary: str = "assessed",
    holdout: int = HOLDOUT_YEARS,
) -> dict:
    """Out of sample: calibrate on all but the last ``holdout`` accounted years, predict them with every
    input drawn as in a projection, and compare with what was accounted: the share of held-out years inside
    the 80 % interval (P10–P90) and the median absolute error of the median, relative. The measures are
    taken as under way (every lever whose inputs exist is on, at the scenario's values), whatever the
    scenario: a counterfactual such as 基准情景 says what would have happened, not what did."""
    if len(history.years) < holdout + 3:
        return {
            "holdout_years": [],
            "coverage_80": None,
            "median_abs_error": None,
            "note": f"完整年度少于{holdout + 3}个，无法留出{holdout}年做样本外检验",
        }
    train = _truncate(history, len(history.years) - holdout)
    cal = calibrate(train)
    assumptions = resolve_history(scenario, cal)
    years = np.array(history.years[-holdout:])
    x = sample_inputs(assumptions, cal, draws, len(years), seed)
    levers = {
        lever.key: all(
            assumptions.get(key) is not None and assumptions[key].source != UNRESOLVED
            for key in lever.parameters
        )
        for lever in LEVERS
    }
    predicted = paths(cal, x, _fixed_values(assumptions), levers, years).by_boundary[boundary]
    observed = _boundary_history(history, boundary)[-holdout:]
    q = np.quantile(predicted, [0.1, 0.5, 0.9], axis=0)
    inside = (observed >= q[0]) & (observed <= q[2])
    errors = np.abs(q[1] - observed) / np.abs(observed)
    return {
        "holdout_years": [int(y) for y in years],
        "calibration_years": [int(y) for y in train.years],
        "measures": "方案措施按本情景取值全部计入（检验模型对已发生年份的预测能力，与情景是否假设新措施无关）",
        "coverage_80": _round(float(inside.mean()), 4),
        "median_abs_error": _round(float(np.median(errors)), 4),
        "years": {
            str(int(y)): {
                "observed_t": _round(o, 0),
                "p10_t": _round(lo, 0),
                "p50_t": _round(mid, 0),
                "p90_t": _round(hi, 0),
            }
            for y, o, lo, mid, hi in zip(years, observed, q[0], q[1], q[2], strict=True)
        },
    }
