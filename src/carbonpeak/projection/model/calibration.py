"""Calibration on the history (trends and GDP elasticities with their standard errors) and the draws of every input."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from carbonpeak.core.text import Message, gettext_noop

from .history import History
from .levers import (
    CORRELATION,
    DRAWN,
    FIXED,
    LEVERS,
    PERSISTENCE,
    TREND_SE_SCALE,
    Assumption,
    Scenario,
    retirements,
    stream,
)
from .shapes import REFINED, SECTORS, Z90, F, ProjectionError

# ------------------------------------------------------------------ calibration


@dataclass(frozen=True)
class Calibration:
    """What the history says: base-year levels, trends (log-rates) with standard errors, emission ratios."""

    base_year: int
    energy0: np.ndarray  # (S, F+1): tce by family, kWh electricity
    co2_per_tce: np.ndarray  # (S, F)
    elasticity: np.ndarray  # (S, F+1) d ln(energy) / d ln(GDP), fitted on the history
    elasticity_se: np.ndarray  # (S, F+1)
    gdp_growth_mean: float
    gdp_growth_sd: float
    coal_change: float
    coal_change_se: float
    grid_change: float
    grid_year: int
    grid_value: float
    coal_generation0: float
    other_generation0: float  # other fossil + non-PV non-fossil
    pv0: float
    pv_addition_kwh: float
    pv_addition_sd_kwh: float
    balance_residual: float  # reported net import − (consumption − generation), held at the base year's
    refined_t_per_tce: float
    kwh_per_tce: float
    fit_years: tuple[int, ...] = ()  # the accounted years the trends were fitted on
    grid_fit_years: tuple[int, ...] = ()  # the years of the published grid factors its trend was fitted on


def _trend(series: np.ndarray, years: np.ndarray) -> tuple[float, float]:
    """Log-linear slope and its standard error; (0, 0) for a series with zeros or too few points."""
    if len(series) < 2 or np.any(series <= 0):
        return 0.0, 0.0
    y = np.log(series)
    t = years - years.mean()
    slope = float((t * (y - y.mean())).sum() / (t * t).sum())
    if len(series) < 3:
        return slope, 0.0
    resid = y - y.mean() - slope * t
    return slope, float(math.sqrt((resid**2).sum() / (len(series) - 2) / (t * t).sum()))


def _elasticity(series: np.ndarray, gdp: np.ndarray) -> tuple[float, float]:
    """Energy's elasticity to GDP (slope of ln E on ln GDP) and its standard error; (1, 0) for a series with
    zeros (a fuel that appears or disappears follows GDP) or a GDP that does not move."""
    if len(series) < 2 or np.any(series <= 0):
        return 1.0, 0.0
    x, y = np.log(gdp), np.log(series)
    dx = x - x.mean()
    if (dx * dx).sum() < 1e-12:
        return 1.0, 0.0
    slope = float((dx * (y - y.mean())).sum() / (dx * dx).sum())
    if len(series) < 3:
        return slope, 0.0
    resid = y - y.mean() - slope * dx
    return slope, float(math.sqrt((resid**2).sum() / (len(series) - 2) / (dx * dx).sum()))


def calibrate(history: History) -> Calibration:
    years = np.array(history.years, dtype=float)
    energy = np.concatenate([history.fuel_tce, history.electricity_kwh[:, :, None]], axis=2)  # (H,S,F+1)
    s_count = len(SECTORS)
    elasticity = np.ones((s_count, F + 1))
    elasticity_se = np.zeros((s_count, F + 1))
    for s in range(s_count):
        for f in range(F + 1):
            elasticity[s, f], elasticity_se[s, f] = _elasticity(energy[:, s, f], history.gdp)
    family_ratio = np.divide(
        history.fuel_co2.sum(axis=(0, 1)),
        history.fuel_tce.sum(axis=(0, 1)),
        out=np.zeros(F),
        where=history.fuel_tce.sum(axis=(0, 1)) > 0,
    )
    base_tce, base_co2 = history.fuel_tce[-1], history.fuel_co2[-1]
    co2_per_tce = np.where(base_tce > 0, base_co2 / np.where(base_tce > 0, base_tce, 1), family_ratio)
    growth = history.gdp[1:] / history.gdp[:-1] - 1
    coal_change, coal_se = _trend(history.coal_generation_kwh, years)
    published = sorted(history.grid_published.items())
    grid_change = 0.0
    if published:
        g_years = np.array([y for y, _ in published], dtype=float)
        grid_change, _ = _trend(np.array([v for _, v in published]), g_years)
    # anchored on the factor the base year's account actually used: the path continues from it at the
    # published series' trend, so the first projected year does not jump to a trend value (no seam)
    grid_year, grid_value = history.years[-1], float(history.grid_factor[-1])
    generation = (
        history.coal_generation_kwh
        + history.other_fossil_generation_kwh
        + history.pv_generation_kwh
        + history.other_non_fossil_generation_kwh
    )
    residual = history.net_import_kwh - (history.electricity_kwh.sum(axis=1) - generation)
    pv_steps = np.diff(history.pv_generation_kwh)
    refined_tce = history.fuel_tce[-1, :, REFINED].sum()
    return Calibration(
        base_year=history.years[-1],
        energy0=energy[-1],
        co2_per_tce=co2_per_tce,
        elasticity=elasticity,
        elasticity_se=elasticity_se,
        gdp_growth_mean=float(growth.mean()),
        gdp_growth_sd=float(growth.std(ddof=1)) if len(growth) > 1 else 0.0,
        coal_change=coal_change,
        coal_change_se=coal_se,
        grid_change=grid_change,
        grid_year=int(grid_year),
        grid_value=float(grid_value),
        coal_generation0=float(history.coal_generation_kwh[-1]),
        other_generation0=float(
            history.other_fossil_generation_kwh[-1] + history.other_non_fossil_generation_kwh[-1]
        ),
        pv0=float(history.pv_generation_kwh[-1]),
        pv_addition_kwh=float(pv_steps.mean()) if len(pv_steps) else 0.0,
        pv_addition_sd_kwh=float(pv_steps.std(ddof=1)) if len(pv_steps) > 1 else 0.0,
        balance_residual=float(residual[-1]),
        refined_t_per_tce=float(history.refined_oil_t[-1] / refined_tce) if refined_tce > 0 else 0.0,
        kwh_per_tce=1.0 / history.electricity_tce_per_kwh,
        fit_years=tuple(int(y) for y in history.years),
        grid_fit_years=tuple(int(y) for y, _ in published),
    )


def _normal(a: Assumption, mean: float, sd: float) -> Assumption:
    return replace(a, distribution="normal", low=mean - Z90 * sd, mode=mean, high=mean + Z90 * sd)


def _setting(assumptions: dict[str, Assumption], key: str) -> float:
    if key not in assumptions:
        raise ProjectionError(Message(gettext_noop("情景缺少假设：%(keys)s"), keys=key))
    return assumptions[key].central


#: a trend fitted on fewer years than this is said to be short wherever it shows (本平台规则)
SHORT_FIT_YEARS = 5


def _fitted_on(years: tuple[int, ...]) -> str:
    """What a calibrated assumption says of its fit: 模型假设, the years, and whether they are few."""
    if not years:
        return "（模型假设：无可拟合的年份）"
    span = f"{years[0]}–{years[-1]}年" if len(years) > 1 else f"{years[0]}年"
    short = (
        f"；少于{SHORT_FIT_YEARS}年（本平台规则），外推至预测期按抽样的变化率逐年复合，区间随年份加宽，仅供参考"
        if len(years) < SHORT_FIT_YEARS
        else ""
    )
    return f"（模型假设：按{span}{len(years)}个年份拟合{short}）"


def resolve_history(scenario: Scenario, cal: Calibration) -> dict[str, Assumption]:
    """Replace the assumptions marked 按核算历史校准 by the distributions the history gives; each says it is
    a model assumption and the years it was fitted on."""
    out = dict(scenario.assumptions)
    for key, a in scenario.assumptions.items():
        if a.distribution != "history":
            continue
        a = replace(
            a, source=a.source + _fitted_on(cal.grid_fit_years if key == "grid.change" else cal.fit_years)
        )
        if key == "gdp.growth":
            floor = _setting(out, "gdp.growth_sd_floor")
            out[key] = _normal(a, cal.gdp_growth_mean * 100, max(cal.gdp_growth_sd * 100, floor))
        elif key == "grid.change":
            spread = _setting(out, "grid.change_spread")
            mean = cal.grid_change * 100
            out[key] = replace(a, distribution="normal", low=mean - spread, mode=mean, high=mean + spread)
        elif key == "power.coal_change":
            out[key] = _normal(a, cal.coal_change * 100, cal.coal_change_se * 100)
        elif key == "pv.annual_addition_mw":
            hours = _setting(out, "pv.hours")
            mw = cal.pv_addition_kwh / hours / 1000
            out[key] = _normal(a, max(mw, 0.0), cal.pv_addition_sd_kwh / hours / 1000)
        else:
            raise ProjectionError(
                Message(gettext_noop("假设“%(label)s”不能按核算历史校准，请给出数值"), label=Message(a.label))
            )
    return out


def required_keys() -> tuple[str, ...]:
    return (*DRAWN, *FIXED, "gdp.growth", TREND_SE_SCALE, *(f"lever.{lever.key}" for lever in LEVERS))


def sample_inputs(
    assumptions: dict[str, Assumption], cal: Calibration, draws: int, years: int, seed: int
) -> dict[str, np.ndarray]:
    """Every uncertain input as an array over draws (GDP growth: draws × years; trends: draws × S × F+1)."""
    missing = [k for k in required_keys() if k not in assumptions]
    if missing:
        raise ProjectionError(
            Message(gettext_noop("情景缺少假设：%(keys)s"), keys=Message.join(missing, separator="、"))
        )
    x = {key: assumptions[key].draw(stream(seed, key), draws) for key in DRAWN}
    for prefix in retirements(assumptions):
        key = f"{prefix}.probability"
        x[key] = assumptions[key].draw(stream(seed, key), draws)
    x["gdp.growth"] = (
        assumptions["gdp.growth"].draw(stream(seed, "gdp.growth"), draws * years).reshape(draws, years)
    )
    x["gdp.growth"] = _autocorrelated(assumptions, x["gdp.growth"], draws, years, seed)
    # elasticities drawn around their fit, correlated across sectors through one common factor (a year of
    # faster structural change lowers them together): z = √ρ·common + √(1−ρ)·own
    scale = assumptions[TREND_SE_SCALE].central
    rho = (
        assumptions[CORRELATION].draw(stream(seed, CORRELATION), draws)
        if CORRELATION in assumptions
        else np.zeros(draws)
    )
    common = stream(seed, "elasticity.common").standard_normal(draws)
    own = stream(seed, "trend").standard_normal((draws, *cal.elasticity.shape))
    rho = np.clip(rho, 0.0, 1.0)[:, None, None]
    z = np.sqrt(rho) * common[:, None, None] + np.sqrt(1 - rho) * own
    x["elasticity"] = cal.elasticity[None] + scale * cal.elasticity_se[None] * z
    return x


def _autocorrelated(
    assumptions: dict[str, Assumption], iid: np.ndarray, draws: int, years: int, seed: int
) -> np.ndarray:
    """GDP growth around its mean with an AR(1) shock (persistence φ, ``gdp.persistence``): a slow year tends
    to follow a slow year. The marginal distribution of each year stays the assumption's (normal: mean,
    σ); other distributions are drawn year by year as given."""
    growth = assumptions["gdp.growth"]
    if PERSISTENCE not in assumptions or growth.distribution != "normal" or years < 2:
        return iid
    mean = growth.mode
    sigma = (growth.high - growth.low) / (2 * Z90)  # type: ignore[operator]
    phi = np.clip(assumptions[PERSISTENCE].draw(stream(seed, PERSISTENCE), draws), 0.0, 0.99)
    z = (iid - mean) / sigma if sigma > 0 else np.zeros_like(iid)  # the same draws, standardised
    shock = np.empty_like(z)
    shock[:, 0] = z[:, 0]
    scale = np.sqrt(1 - phi**2)
    for t in range(1, years):
        shock[:, t] = phi * shock[:, t - 1] + scale * z[:, t]
    return mean + sigma * shock
