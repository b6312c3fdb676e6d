"""The projection model written one draw at a time in plain Python (pure, no numpy in the loop).

It exists to check the vectorised ``model.paths`` equation by equation (tests compare the two draw by
draw) and as the benchmark's baseline. It is not used by the platform.
"""

from __future__ import annotations

import math

from carbonpeak.projection.model import (
    BUILDINGS,
    COAL,
    ELEC,
    GAS,
    INDUSTRY,
    POWER,
    REFINED,
    SECTORS,
    TRANSPORT,
    Calibration,
    F,
    retirements,
)


def _ramp(year: int, base: int, target_year: float) -> float:
    if target_year <= base:
        return 1.0
    return min(max((year - base) / (target_year - base), 0.0), 1.0)


def co2_path(
    cal: Calibration,
    x: dict[str, float | list[float] | list[list[float]]],
    fixed: dict[str, float],
    levers: dict[str, bool],
    years: list[int],
) -> list[float]:
    """One draw's CO2 per projected year; ``x`` holds that draw's inputs (GDP growth per year, trends).
    (Long: the reference loop mirrors the vectorised model line for line so that the two can be compared.)"""
    base = cal.base_year
    sectors = range(len(SECTORS))
    e0 = cal.energy0.tolist()
    elasticity = x["elasticity"]
    k2 = cal.co2_per_tce.tolist()
    existing_kw = fixed["power.existing_coal_mw"] * 1000
    hours = cal.coal_generation0 / existing_kw if existing_kw else 0.0
    ev = x["ev.energy_ratio"]
    out = []
    cum = 0.0
    oil_cap = None
    for i, year in enumerate(years):
        k = year - base
        cum += math.log1p(x["gdp.growth"][i] / 100)
        e = [
            [e0[s][f] * math.exp(elasticity[s][f] * cum) if e0[s][f] else 0.0 for f in range(F + 1)]
            for s in sectors
        ]
        coal_gen = cal.coal_generation0 * math.exp(x["power.coal_change"] / 100 * k)
        if existing_kw:
            retired_kw = sum(
                x[f"{prefix}.probability"] * fixed[f"{prefix}.mw"] * 1000
                for prefix in retirements(fixed)
                if year >= fixed[f"{prefix}.year"]
            )
            coal_gen *= max(1 - retired_kw / existing_kw, 0.0)
        if year >= fixed["power.new_coal_year"]:
            coal_gen += x["power.new_coal_probability"] * fixed["power.new_coal_mw"] * 1000 * hours
        ratio = coal_gen / cal.coal_generation0 if cal.coal_generation0 else 1.0
        for f in range(F):
            e[POWER][f] = e0[POWER][f] * ratio
        if levers.get("industry"):
            keep = (1 - x["industry.extra_efficiency"] / 100) ** k
            for s in INDUSTRY:
                e[s] = [v * keep for v in e[s]]
        if levers.get("coal_shift"):
            rem = (1 - x["coal.shift_rate"] / 100) ** k
            for s in INDUSTRY:
                e[s][GAS] += e[s][COAL] * (1 - rem)
                e[s][COAL] *= rem
        if levers.get("buildings"):
            b = x["buildings.renewable_base"] / 100
            target = fixed["buildings.renewable_target"] / 100
            share = b + max(target - b, 0) * _ramp(year, base, fixed["buildings.renewable_target_year"])
            e[BUILDINGS] = [v * (1 - share) / (1 - b) for v in e[BUILDINGS]]
        if levers.get("datacentre"):
            new = max(e[BUILDINGS][ELEC] - e0[BUILDINGS][ELEC], 0) * x["dc.share"] / 100
            e[BUILDINGS][ELEC] -= new * max(1 - fixed["dc.pue_target"] / x["dc.pue_base"], 0)
        if levers.get("fleets"):
            cut = 0.0
            for name in ("bus", "taxi"):
                b = x[f"fleet.{name}_base"] / 100
                target = fixed[f"fleet.{name}_target"] / 100
                share = b + max(target - b, 0) * _ramp(year, base, fixed[f"fleet.{name}_target_year"])
                cut += x[f"fleet.{name}_oil_share"] / 100 * (1 - (1 - share) / max(1 - b, 1e-9))
            b = x["fleet.public_base"] / 100
            target = fixed["fleet.public_target"] / 100
            share = target - (target - b) * (1 - x["fleet.turnover"]) ** k if target > b else b
            cut += x["fleet.public_oil_share"] / 100 * (1 - (1 - share) / max(1 - b, 1e-9))
            removed = e[TRANSPORT][REFINED] * cut
            e[TRANSPORT][REFINED] -= removed
            e[TRANSPORT][ELEC] += removed * ev * cal.kwh_per_tce
        if levers.get("oil_peak"):
            total = sum(e[s][REFINED] for s in sectors)
            peak_year = fixed["oil.peak_year"]
            if oil_cap is None:
                if peak_year <= base:
                    oil_cap = sum(e0[s][REFINED] for s in sectors)
                elif year >= min(peak_year, years[-1]):
                    oil_cap = total
            if year > peak_year and oil_cap is not None and total > oil_cap:
                scale = oil_cap / total
                for s in sectors:
                    excess = e[s][REFINED] * (1 - scale)
                    e[s][REFINED] -= excess
                    e[s][ELEC] += excess * ev * cal.kwh_per_tce
        if levers.get("pv"):
            cap0 = cal.pv0 / x["pv.hours"] / 1000
            target, target_year = fixed["pv.target_mw"], fixed["pv.target_year"]
            reached = max(cap0, target)
            if year <= target_year:
                cap = cap0 + (reached - cap0) * _ramp(year, base, target_year)
            else:
                cap = reached + max(x["pv.annual_addition_mw"], 0) * max(year - max(target_year, base), 0)
            pv = cap * 1000 * x["pv.hours"]
        else:
            pv = cal.pv0
        consumption = sum(e[s][ELEC] for s in sectors)
        net_import = consumption - (coal_gen + cal.other_generation0 + pv) + cal.balance_residual
        grid = cal.grid_value * math.exp(x["grid.change"] / 100 * (year - cal.grid_year))
        direct = sum(e[s][f] * k2[s][f] for s in sectors for f in range(F))
        out.append(direct + net_import * grid)
    return out


def draw_inputs(x: dict, d: int) -> dict:
    """Draw ``d`` of the vectorised inputs, as plain Python values."""
    one: dict = {}
    for key, values in x.items():
        if key == "elasticity" or key == "gdp.growth":
            one[key] = values[d].tolist()
        else:
            one[key] = float(values[d])
    return one
