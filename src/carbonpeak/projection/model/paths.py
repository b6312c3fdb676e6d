"""The paths: each draw's energy by sector and family and its CO2, year by year, with the levers applied."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .calibration import Calibration
from .levers import retirements
from .pipeline import Pipeline
from .shapes import BUILDINGS, COAL, ELEC, GAS, HEAT, INDUSTRY, POWER, REFINED, SECTORS, TRANSPORT, F


def _ramp(year: np.ndarray, base: int, target_year: float) -> np.ndarray:
    """0 at the base year, 1 from the target year on (a target year already past applies at once)."""
    if target_year <= base:
        return np.ones_like(year, dtype=float)
    return np.clip((year - base) / (target_year - base), 0.0, 1.0)


@dataclass
class Paths:
    co2_t: np.ndarray  # (D, P) on the 净调入 boundary (the accounting's ``assessed`` key)
    refined_oil_t: np.ndarray  # (D, P)
    sector_co2_t: np.ndarray  # (S, D, P) direct
    electricity_co2_t: np.ndarray  # (D, P) net import × grid factor
    by_boundary: dict[str, np.ndarray] = field(default_factory=dict)  # (D, P) per boundary


INDUSTRY_SLICE = slice(min(INDUSTRY), max(INDUSTRY) + 1)
assert tuple(range(INDUSTRY_SLICE.start, INDUSTRY_SLICE.stop)) == INDUSTRY  # contiguous in SECTORS


def paths(
    cal: Calibration,
    x: dict[str, np.ndarray],
    fixed: dict[str, float],
    levers: dict[str, bool],
    years: np.ndarray,
    exogenous: dict[str, np.ndarray] | None = None,
    pipeline: Pipeline | None = None,
) -> Paths:
    """The model over sectors × families × draws × years, vectorised (sector-first, so that each sector's
    family is one contiguous block); ``exogenous`` (backcast) replaces the drawn GDP, coal generation, PV
    generation and grid factor paths by observed ones; ``pipeline`` sizes the measures it names by the key
    projects in hand instead of by the scenario's assumptions.
    (Long: the model's equations in the order docs/projection.md writes them.)"""
    exo = exogenous or {}
    base = cal.base_year
    k = (years - base).astype(float)  # (P,)
    g = exo["gdp"] if "gdp" in exo else x["gdp.growth"] / 100
    draws = g.shape[0]
    cum = np.cumsum(np.log1p(g), axis=1)  # (D, P)
    elasticity = x["elasticity"]  # (D, S, F+1)
    energy = np.zeros((len(SECTORS), F + 1, draws, len(years)))
    for s, f in zip(*np.nonzero(cal.energy0), strict=True):
        energy[s, f] = cal.energy0[s, f] * np.exp(elasticity[:, s, f, None] * cum)

    # power sector: fuel burned follows local coal generation (existing units' trend, less the units retired,
    # + new units); a unit retired or added runs the existing fleet's average hours (本平台规则)
    existing_kw = fixed["power.existing_coal_mw"] * 1000
    hours = cal.coal_generation0 / existing_kw if existing_kw else 0.0
    if "coal_generation" in exo:
        coal_gen = exo["coal_generation"]
    else:
        coal_gen = cal.coal_generation0 * np.exp(np.outer(x["power.coal_change"] / 100, k))
        if existing_kw:
            retired = np.zeros_like(coal_gen)
            for prefix in retirements(fixed):
                gone = (years >= fixed[f"{prefix}.year"]).astype(float)
                retired += np.outer(x[f"{prefix}.probability"], gone) * fixed[f"{prefix}.mw"] * 1000
            coal_gen = coal_gen * np.clip(1 - retired / existing_kw, 0.0, None)
        online = (years >= fixed["power.new_coal_year"]).astype(float)
        new_kwh = fixed["power.new_coal_mw"] * 1000 * hours
        coal_gen = coal_gen + np.outer(x["power.new_coal_probability"], online) * new_kwh
    ratio = coal_gen / cal.coal_generation0 if cal.coal_generation0 else np.ones_like(coal_gen)
    energy[POWER, :F] = cal.energy0[POWER, :F, None, None] * ratio[None]

    kwh_per_tce = cal.kwh_per_tce  # electricity replacing fuel: tce of fuel × ratio → kWh (当量值)
    ev = x["ev.energy_ratio"][:, None]
    if levers.get("industry") and pipeline is not None and pipeline.sizes("industry"):
        saved = pipeline.saved(years)  # (F+1, P): what the retrofits in hand save, from their first year
        for f in range(F + 1):
            total = energy[INDUSTRY_SLICE, f].sum(axis=0)  # (D, P)
            if saved[f].any():
                keep = np.clip(1 - saved[f][None] / np.where(total > 0, total, 1.0), 0.0, 1.0)
                energy[INDUSTRY_SLICE, f] *= keep[None]
    elif levers.get("industry"):
        energy[INDUSTRY_SLICE] *= ((1 - x["industry.extra_efficiency"] / 100)[:, None] ** k[None])[None, None]
    if levers.get("coal_shift"):
        rem = (1 - x["coal.shift_rate"] / 100)[:, None] ** k[None]
        coal = energy[INDUSTRY_SLICE, COAL]
        energy[INDUSTRY_SLICE, GAS] += coal * (1 - rem)[None]
        energy[INDUSTRY_SLICE, COAL] = coal * rem[None]
    if levers.get("buildings"):
        b = x["buildings.renewable_base"][:, None] / 100
        target = fixed["buildings.renewable_target"] / 100
        ramp = _ramp(years, base, fixed["buildings.renewable_target_year"])[None]
        share = b + np.maximum(target - b, 0) * ramp
        energy[BUILDINGS] *= ((1 - share) / (1 - b))[None]
    if levers.get("datacentre"):
        elec = energy[BUILDINGS, ELEC]
        new = np.maximum(elec - cal.energy0[BUILDINGS, ELEC], 0) * x["dc.share"][:, None] / 100
        saving = np.maximum(1 - fixed["dc.pue_target"] / x["dc.pue_base"], 0)[:, None]
        energy[BUILDINGS, ELEC] = elec - new * saving
    if levers.get("fleets"):
        cut = np.zeros((draws, len(years)))
        for name in ("bus", "taxi"):
            b = x[f"fleet.{name}_base"][:, None] / 100
            target = fixed[f"fleet.{name}_target"] / 100
            ramp = _ramp(years, base, fixed[f"fleet.{name}_target_year"])[None]
            share = b + np.maximum(target - b, 0) * ramp
            cut += x[f"fleet.{name}_oil_share"][:, None] / 100 * (1 - (1 - share) / np.maximum(1 - b, 1e-9))
        b = x["fleet.public_base"][:, None] / 100
        target = fixed["fleet.public_target"] / 100
        turnover = x["fleet.turnover"][:, None]
        share = np.where(target > b, target - (target - b) * (1 - turnover) ** k[None], b)
        cut += x["fleet.public_oil_share"][:, None] / 100 * (1 - (1 - share) / np.maximum(1 - b, 1e-9))
        removed = energy[TRANSPORT, REFINED] * cut
        energy[TRANSPORT, REFINED] -= removed
        energy[TRANSPORT, ELEC] += removed * ev * kwh_per_tce
    if levers.get("oil_peak"):
        refined = energy[:, REFINED]  # (S, D, P)
        total = refined.sum(axis=0)
        peak_year = fixed["oil.peak_year"]
        if peak_year <= base:
            cap = np.full(draws, cal.energy0[:, REFINED].sum())
        else:
            cap = total[:, int(min(peak_year, years[-1]) - years[0])]
        over = (years > peak_year)[None] & (total > cap[:, None])
        scale = np.where(over, cap[:, None] / np.where(total > 0, total, 1), 1.0)
        excess = refined * (1 - scale)[None]
        energy[:, REFINED] -= excess
        energy[:, ELEC] += excess * (ev * kwh_per_tce)[None]

    # local PV: capacity held in the baseline, to the target and on at the historical pace with the lever
    pv_hours = x["pv.hours"][:, None]
    if "pv_generation" in exo:
        pv = exo["pv_generation"]
    elif levers.get("pv") and pipeline is not None and pipeline.sizes("pv"):
        cap0 = cal.pv0 / pv_hours / 1000  # MW: the base year's, and what the projects in hand add
        pv = (cap0 + pipeline.mw(years)[None]) * 1000 * pv_hours
    elif levers.get("pv"):
        cap0 = cal.pv0 / pv_hours / 1000  # MW
        target, target_year = fixed["pv.target_mw"], fixed["pv.target_year"]
        reached = np.maximum(cap0, target)
        before = cap0 + (reached - cap0) * _ramp(years, base, target_year)[None]
        since = np.maximum(years - max(target_year, base), 0)[None]
        added = np.maximum(x["pv.annual_addition_mw"], 0)[:, None] * since
        cap = np.where(years[None] <= target_year, before, reached + added)
        pv = cap * 1000 * pv_hours
    else:
        pv = np.full((draws, len(years)), cal.pv0)
    consumption = energy[:, ELEC].sum(axis=0)
    net_import = consumption - (coal_gen + cal.other_generation0 + pv) + cal.balance_residual
    if "grid_factor" in exo:
        grid = exo["grid_factor"]
    else:
        grid = cal.grid_value * np.exp(np.outer(x["grid.change"] / 100, years - cal.grid_year))
    sector_co2 = np.einsum("sf,sfdp->sdp", cal.co2_per_tce, energy[:, :F], optimize=True)
    electricity_co2 = net_import * grid
    heat_co2 = cal.co2_per_tce[:, HEAT, None, None] * energy[:, HEAT]  # (S, D, P) purchased heat
    direct = sector_co2.sum(axis=0)
    assessed = direct + electricity_co2
    return Paths(
        co2_t=assessed,
        refined_oil_t=energy[:, REFINED].sum(axis=0) * cal.refined_t_per_tce,
        sector_co2_t=sector_co2,
        electricity_co2_t=electricity_co2,
        by_boundary={
            # as the accounting counts them (docs/accounting.md): fuels burned in the city; + heat and net
            # imported electricity × grid; end users' fuels and heat + all electricity consumed × grid
            "territorial": direct - heat_co2.sum(axis=0),
            "assessed": assessed,
            "consumption": direct - (sector_co2[POWER] - heat_co2[POWER]) + consumption * grid,
        },
    )
