"""The accounting history the model starts from: yearly CO2, energy by sector and family, GDP, the grid."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from carbonpeak.core.numbers import as_int
from carbonpeak.core.text import Message, gettext_noop
from carbonpeak.energy import catalog

from .shapes import (
    BOUNDARIES,
    BOUNDARY_NAMES,
    REFINED_OIL_FUELS,
    SECTOR_OF,
    SECTORS,
    F,
    ProjectionError,
    family_of,
)

# ------------------------------------------------------------------ history


@dataclass(frozen=True)
class History:
    """Complete years of the accounting, reduced to what the model needs."""

    region: str
    factor_set: str
    years: tuple[int, ...]
    gdp: np.ndarray  # (H,) 亿元, comparable prices
    fuel_tce: np.ndarray  # (H, S, F)
    fuel_co2: np.ndarray  # (H, S, F) t
    electricity_kwh: np.ndarray  # (H, S)
    coal_generation_kwh: np.ndarray  # (H,)
    other_fossil_generation_kwh: np.ndarray  # (H,)
    pv_generation_kwh: np.ndarray  # (H,)
    other_non_fossil_generation_kwh: np.ndarray  # (H,)
    net_import_kwh: np.ndarray  # (H,) as the accounting used it
    grid_factor: np.ndarray  # (H,) t/kWh as the accounting used it
    grid_published: dict[int, float]  # the grid series as published (year → t/kWh), for its trend
    co2_t: np.ndarray  # (H,) accounted totals, on the accounting's assessed boundary (``boundary``)
    refined_oil_t: np.ndarray  # (H,) tonnes
    electricity_tce_per_kwh: float  # the factor set's 当量值, to turn electrified fuel into kWh
    sample: bool = False
    incomplete_years: tuple[
        int, ...
    ] = ()  # years whose accounts say 数据不全 (a row or balance line missing)
    co2_by_boundary: dict[str, np.ndarray] = field(default_factory=dict)  # (H,) per boundary, accounted
    boundary: str = "assessed"  # the boundary the accounting names as assessed (the factor set's setting)


def history_from_periods(
    periods: list[dict],
    grid_published: dict[int, float] | None = None,
    *,
    factor_set: str = "",
    sample: bool = False,
) -> History:
    """Build the history from accounting results (``PeriodAccount.to_dict()``) of whole years.

    ``grid_published`` is the grid series by the year it was published for; by default the years the
    accounting actually took its grid factors from (a fallback year counts once, as itself).
    (Long: each input series checked and built in turn, each with its own refusal.)"""
    # whole years only: a period such as 2025Q1-Q3 is not one
    by_year = {y: p for p in periods if (y := as_int(p["period"], low=1000, high=9999)) is not None}
    years = sorted(by_year)
    if len(years) < 2:
        raise ProjectionError(Message(gettext_noop("预测至少需要两个完整年度（四个季度均已审核）的核算结果")))
    if years != list(range(years[0], years[-1] + 1)):
        raise ProjectionError(
            Message(
                gettext_noop("完整年度不连续：%(years)s"),
                years=Message.join([str(y) for y in years], separator="、"),
            )
        )
    h = len(years)
    gdp = np.zeros(h)
    fuel_tce = np.zeros((h, len(SECTORS), F))
    fuel_co2 = np.zeros((h, len(SECTORS), F))
    elec = np.zeros((h, len(SECTORS)))
    gen = np.zeros((4, h))
    net, grid, co2, oil = (np.zeros(h) for _ in range(4))
    by_boundary = {b: np.zeros(h) for b in BOUNDARIES}
    boundary = "assessed"
    region = ""
    tce_per_kwh = None
    found_grid: dict[int, float] = {}
    incomplete: list[int] = []
    for i, year in enumerate(years):
        p = by_year[year]
        region = p.get("region", region)
        if p.get("gdp_constant_100m_yuan") is None:
            raise ProjectionError(
                Message(gettext_noop("%(year)s年缺少地区生产总值（可比价），无法按经济增长外推"), year=year)
            )
        gdp[i] = p["gdp_constant_100m_yuan"]
        for sector_name, s in p["by_sector"].items():
            idx = SECTOR_OF.get(sector_name)
            if idx is None:
                continue
            # a sector or fuel absent from the account was not used; a value present is never None
            elec[i, idx] += s["electricity_kwh"]
            for fuel, acc in (s.get("by_fuel") or {}).items():
                fam = family_of(fuel)
                if fam is None:
                    continue
                fuel_tce[i, idx, fam] += acc["tce"]
                fuel_co2[i, idx, fam] += acc["co2_t"]
        bal = p["electricity"]
        for source, kwh in bal["generation_kwh"].items():
            kind = catalog.SOURCE_BY_NAME[source]
            row = 0 if kind.coal_fired else 1 if not kind.non_fossil else 2 if source == "光伏发电" else 3
            gen[row, i] += kwh
        net[i] = bal["net_imported_kwh"]
        factor = bal.get("grid_factor")
        if factor is None or factor.get("value_kg_per_kwh") is None:
            raise ProjectionError(
                Message(
                    gettext_noop("%(year)s年核算结果没有电网排放因子（缺少电力数据）：缺失不能按0外推"),
                    year=year,
                )
            )
        grid[i] = factor["value_kg_per_kwh"] / 1000
        if any("数据不全" in m for m in p.get("missing") or []):
            incomplete.append(year)
        if factor.get("year") and grid_published is None:
            found_grid[int(factor["year"])] = grid[i]
        co2[i] = p["co2_t"]
        boundary = p.get("co2_boundary") or boundary
        known = p.get("co2_t_by_boundary") or {}
        for b in BOUNDARIES:
            if known.get(b) is None:
                raise ProjectionError(
                    Message(
                        gettext_noop("%(year)s年核算结果没有%(boundary)s的二氧化碳（请用新版本重新核算）"),
                        year=year,
                        boundary=Message(BOUNDARY_NAMES[b]),
                    )
                )
            by_boundary[b][i] = known[b]
        # the account lists every fuel reported: one absent was not burned (not a missing value)
        oil[i] = sum((p["by_fuel"].get(f) or {}).get("quantity") or 0.0 for f in REFINED_OIL_FUELS)
        for fuel in p["by_fuel"].values():
            if fuel["unit"] == "千瓦时" and fuel["quantity"] and tce_per_kwh is None:
                tce_per_kwh = fuel["tce"] / fuel["quantity"]
    if not fuel_tce.any() and not elec.any():
        raise ProjectionError(
            Message(gettext_noop("核算结果中没有分行业分品种的能源数据（请用新版本重新核算）"))
        )
    if tce_per_kwh is None:
        raise ProjectionError(
            Message(gettext_noop("核算结果中没有电力折标系数（无电力调入调出或本地非化石发电数据）"))
        )
    return History(
        region=region,
        factor_set=factor_set,
        years=tuple(years),
        gdp=gdp,
        fuel_tce=fuel_tce,
        fuel_co2=fuel_co2,
        electricity_kwh=elec,
        coal_generation_kwh=gen[0],
        other_fossil_generation_kwh=gen[1],
        pv_generation_kwh=gen[2],
        other_non_fossil_generation_kwh=gen[3],
        net_import_kwh=net,
        grid_factor=grid,
        grid_published=dict(found_grid if grid_published is None else grid_published),
        co2_t=co2,
        refined_oil_t=oil,
        electricity_tce_per_kwh=tce_per_kwh,
        sample=sample,
        incomplete_years=tuple(incomplete),
        co2_by_boundary=by_boundary,
        boundary=boundary,
    )
