"""Will the city peak before 2030? Monte Carlo projection over draws × years × sectors (pure numpy, no Django).

The model is deliberately small enough to read: each end-use sector's fuel use (by family) and electricity
follow GDP and the sector's own trend fitted on the accounting history; the power sector burns coal in
proportion to local coal generation; local PV displaces grid electricity; CO2 is counted exactly as the
accounting counts it (direct combustion + net imported electricity × grid factor, so a net exporter is
credited at the grid factor). The plan's measures are levers that bend those paths. Every uncertain input
is an ``Assumption`` with a distribution (``scenarios.py`` reads them from ``data/parameters.csv``, each
with its source); one seeded generator draws them all, in a fixed order, so that runs with a lever switched
off share every other draw (common random numbers) and the difference is the lever's contribution.
``docs/projection.md`` states the equations.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field, replace

import numpy as np

from carbonpeak.energy import catalog

END_YEAR = 2035
PEAK_DEADLINE = 2030
# the accounting's three CO2 boundaries (energy.accounting): the model returns a path on each
BOUNDARIES = ("territorial", "assessed", "consumption")
BOUNDARY_NAMES = {"territorial": "本地燃烧口径", "assessed": "净调入口径", "consumption": "消费口径"}
PEAK_TOLERANCE = 0.01  # the robust peak rule's default band (本平台规则; the setting ``peak.tolerance``)
PLATEAU_WINDOW = 2  # P(plateau): the peak year within the deadline ± this many years
HOLDOUT_YEARS = 2  # validation: calibrate on all but these last accounted years and predict them
UNRESOLVED = "方案中未找到此目标"  # the source of a placeholder input whose plan target is missing
Z90 = 1.2815515655446004  # standard normal quantile at 0.9: P10/P90 = mean ∓ Z90·σ


@dataclass(frozen=True)
class ProjectionSector:
    key: str
    label: str
    accounting_sectors: tuple[str, ...]


SECTORS: tuple[ProjectionSector, ...] = (
    ProjectionSector("power", "电力生产", ("电力、热力生产和供应业",)),
    ProjectionSector("paper", "造纸", ("造纸和纸制品业",)),
    ProjectionSector("fibre", "化纤", ("化学纤维制造业",)),
    ProjectionSector("nonferrous", "有色", ("有色金属冶炼和压延加工业",)),
    ProjectionSector("other_industry", "其他工业", ("其他工业",)),
    ProjectionSector(
        "buildings", "建筑（商业、公共与居民）", ("批发和零售业、住宿和餐饮业", "其他行业", "城乡居民生活")
    ),
    ProjectionSector("transport", "交通运输", ("交通运输、仓储和邮政业",)),
    ProjectionSector("agriculture_other", "农业及建筑施工", ("农林牧渔业", "建筑业")),
)
SECTOR_INDEX = {s.key: i for i, s in enumerate(SECTORS)}
SECTOR_OF = {name: i for i, s in enumerate(SECTORS) for name in s.accounting_sectors}
POWER = SECTOR_INDEX["power"]
INDUSTRY = tuple(SECTOR_INDEX[k] for k in ("paper", "fibre", "nonferrous", "other_industry"))
BUILDINGS = SECTOR_INDEX["buildings"]
TRANSPORT = SECTOR_INDEX["transport"]

# Direct-fuel families; the last column of the energy array is electricity (kWh).
FAMILIES = ("coal", "refined_oil", "other_oil", "gas", "heat")
FAMILY_LABEL = {
    "coal": "煤炭",
    "refined_oil": "成品油",
    "other_oil": "其他油品",
    "gas": "天然气",
    "heat": "外购热力",
    "electricity": "电力",
}
COAL, REFINED, GAS = FAMILIES.index("coal"), FAMILIES.index("refined_oil"), FAMILIES.index("gas")
HEAT = FAMILIES.index("heat")
F = len(FAMILIES)
ELEC = F
REFINED_OIL_FUELS = ("汽油", "煤油", "柴油")  # as the monitoring indicator 成品油消费量 counts them


def family_of(fuel: str) -> int | None:
    """The projection family of an accounting fuel; None for electricity (handled apart)."""
    known = catalog.FUEL_BY_NAME.get(fuel)
    if known is None or known.family == catalog.ELECTRICITY:
        return None
    if known.family == catalog.OIL:
        return REFINED if fuel in REFINED_OIL_FUELS else FAMILIES.index("other_oil")
    return FAMILIES.index({catalog.COAL: "coal", catalog.GAS: "gas", catalog.HEAT: "heat"}[known.family])


class ProjectionError(ValueError):
    """The history or the scenario cannot support a projection; the message says what is missing."""


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
    accounting actually took its grid factors from (a fallback year counts once, as itself)."""
    years = sorted(
        {int(p["period"]) for p in periods if str(p["period"]).isdigit()},
    )
    by_year = {int(p["period"]): p for p in periods if str(p["period"]).isdigit()}
    if len(years) < 2:
        raise ProjectionError("预测至少需要两个完整年度（四个季度均已审核）的核算结果")
    if years != list(range(years[0], years[-1] + 1)):
        raise ProjectionError(f"完整年度不连续：{'、'.join(map(str, years))}")
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
            raise ProjectionError(f"{year}年缺少地区生产总值（可比价），无法按经济增长外推")
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
            raise ProjectionError(f"{year}年核算结果没有电网排放因子（缺少电力数据）：缺失不能按0外推")
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
                    f"{year}年核算结果没有{BOUNDARY_NAMES[b]}的二氧化碳（请用新版本重新核算）"
                )
            by_boundary[b][i] = known[b]
        oil[i] = sum((p["by_fuel"].get(f) or {}).get("quantity") or 0.0 for f in REFINED_OIL_FUELS)
        for fuel in p["by_fuel"].values():
            if fuel["unit"] == "千瓦时" and fuel["quantity"] and tce_per_kwh is None:
                tce_per_kwh = fuel["tce"] / fuel["quantity"]
    if not fuel_tce.any() and not elec.any():
        raise ProjectionError("核算结果中没有分行业分品种的能源数据（请用新版本重新核算）")
    if tce_per_kwh is None:
        raise ProjectionError("核算结果中没有电力折标系数（无电力调入调出或本地非化石发电数据）")
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


# ------------------------------------------------------------------ assumptions and scenarios

DISTRIBUTIONS = {
    "fixed": "定值",
    "uniform": "均匀分布",
    "triangular": "三角分布",
    "normal": "正态分布（P10–P90）",
    "bernoulli": "0/1（给定概率）",
    "history": "按核算历史校准",
}


@dataclass(frozen=True)
class Assumption:
    """One model input: a distribution over its value and where that value comes from.

    ``low``/``mode``/``high`` mean: fixed → mode; uniform → low..high; triangular → low, mode, high;
    normal → mode is the mean, low/high the P10/P90; bernoulli → mode is the probability of 1.
    """

    key: str
    label: str
    unit: str
    distribution: str
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if self.distribution not in DISTRIBUTIONS:
            raise ProjectionError(f"假设“{self.label}”的分布“{self.distribution}”未知")
        need = {
            "history": (),
            "fixed": ("mode",),
            "uniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
            "normal": ("low", "mode", "high"),
            "bernoulli": ("mode",),
        }[self.distribution]
        for name in need:
            if getattr(self, name) is None:
                raise ProjectionError(f"假设“{self.label}”（{DISTRIBUTIONS[self.distribution]}）缺少{name}值")
        lo, hi = self.low, self.high
        if lo is not None and hi is not None and lo > hi:
            raise ProjectionError(f"假设“{self.label}”的下限 {lo:g} 大于上限 {hi:g}")
        if self.distribution == "triangular" and not (lo <= self.mode <= hi):  # type: ignore[operator]
            raise ProjectionError(f"假设“{self.label}”的众数须在下限与上限之间")
        if self.distribution == "bernoulli" and not 0 <= self.mode <= 1:  # type: ignore[operator]
            raise ProjectionError(f"假设“{self.label}”的概率须在0与1之间")

    @property
    def central(self) -> float:
        if self.distribution == "uniform":
            return (self.low + self.high) / 2  # type: ignore[operator]
        return float(self.mode)  # type: ignore[arg-type]

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n values from this assumption's own generator (see ``stream``)."""
        if self.distribution == "fixed":
            return np.full(n, float(self.mode))  # type: ignore[arg-type]
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, n)  # type: ignore[arg-type]
        if self.distribution == "bernoulli":
            return (rng.random(n) < self.mode).astype(float)
        if self.distribution == "triangular":
            if self.low == self.high:
                return np.full(n, float(self.low))  # type: ignore[arg-type]
            return rng.triangular(self.low, self.mode, self.high, n)  # type: ignore[arg-type]
        sigma = (self.high - self.low) / (2 * Z90)  # type: ignore[operator]
        return self.mode + sigma * rng.standard_normal(n)

    def describe(self) -> str:
        def n(value: float | None) -> str:
            return f"{value:.4g}" if value is not None else "—"

        if self.distribution == "history":
            return "按核算历史校准"
        if self.distribution == "fixed":
            return n(self.mode)
        if self.distribution == "uniform":
            return f"{n(self.low)}–{n(self.high)}"
        if self.distribution == "bernoulli":
            return f"概率 {n(self.mode)}"
        if self.distribution == "normal":
            return f"{n(self.mode)}（P10 {n(self.low)}，P90 {n(self.high)}）"
        return f"{n(self.low)}–{n(self.high)}，最可能 {n(self.mode)}"


@dataclass(frozen=True)
class Lever:
    key: str  # lever.<key> switches it
    label: str
    parameters: tuple[str, ...]  # the assumptions it reads


LEVERS: tuple[Lever, ...] = (
    Lever("pv", "光伏装机", ("pv.target_mw", "pv.target_year")),
    Lever(
        "fleets",
        "公交、出租及公共领域车辆电动化",
        (
            "fleet.bus_target",
            "fleet.bus_target_year",
            "fleet.taxi_target",
            "fleet.taxi_target_year",
            "fleet.public_target",
        ),
    ),
    Lever(
        "buildings",
        "城镇建筑可再生能源替代",
        ("buildings.renewable_target", "buildings.renewable_target_year"),
    ),
    Lever("datacentre", "新建数据中心能效（PUE）", ("dc.pue_target",)),
    Lever("oil_peak", "成品油消费达峰", ("oil.peak_year",)),
    Lever("industry", "重点行业能效提升", ("industry.extra_efficiency",)),
    Lever("coal_shift", "工业燃煤压减（煤改气）", ("coal.shift_rate",)),
)
LEVER_BY_KEY = {lever.key: lever for lever in LEVERS}


def stream(seed: int, key: str) -> np.random.Generator:
    """Each input has its own generator derived from the seed and its name: a run with a lever switched
    off, or with another input's distribution edited, shares every other draw (common random numbers)."""
    return np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])


DRAWN = (
    "power.new_coal_probability",
    "fleet.bus_base",
    "pv.hours",
    "pv.annual_addition_mw",
    "fleet.taxi_base",
    "fleet.public_base",
    "fleet.turnover",
    "fleet.bus_oil_share",
    "fleet.taxi_oil_share",
    "fleet.public_oil_share",
    "ev.energy_ratio",
    "buildings.renewable_base",
    "dc.pue_base",
    "dc.share",
    "industry.extra_efficiency",
    "coal.shift_rate",
    "grid.change",
    "power.coal_change",
)
FIXED = (
    "power.existing_coal_mw",
    "power.new_coal_mw",
    "power.new_coal_year",
    "pv.target_mw",
    "pv.target_year",
    "fleet.bus_target",
    "fleet.bus_target_year",
    "fleet.taxi_target",
    "fleet.taxi_target_year",
    "fleet.public_target",
    "buildings.renewable_target",
    "buildings.renewable_target_year",
    "dc.pue_target",
    "oil.peak_year",
)
TREND_SE_SCALE = "trend.se_scale"
PERSISTENCE = "gdp.persistence"  # AR(1) coefficient of the GDP growth shock
CORRELATION = "elasticity.correlation"  # share of the elasticities' variance that is common to all sectors


@dataclass
class Scenario:
    """A named set of assumptions; ``notes`` say what could not be resolved (e.g. a lever without target)."""

    name: str
    description: str
    assumptions: dict[str, Assumption]
    notes: list[str] = field(default_factory=list)

    def lever_on(self, key: str) -> bool:
        a = self.assumptions.get(f"lever.{key}")
        return a is not None and a.central >= 0.5

    def with_lever(self, key: str, on: bool) -> Scenario:
        a = self.assumptions[f"lever.{key}"]
        changed = dict(self.assumptions)
        changed[a.key] = replace(a, distribution="fixed", mode=1.0 if on else 0.0, low=None, high=None)
        return replace(self, assumptions=changed)


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
    )


def _normal(a: Assumption, mean: float, sd: float) -> Assumption:
    return replace(a, distribution="normal", low=mean - Z90 * sd, mode=mean, high=mean + Z90 * sd)


def _setting(assumptions: dict[str, Assumption], key: str) -> float:
    if key not in assumptions:
        raise ProjectionError(f"情景缺少假设：{key}")
    return assumptions[key].central


def resolve_history(scenario: Scenario, cal: Calibration) -> dict[str, Assumption]:
    """Replace the assumptions marked 按核算历史校准 by the distributions the history gives."""
    out = dict(scenario.assumptions)
    for key, a in scenario.assumptions.items():
        if a.distribution != "history":
            continue
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
            raise ProjectionError(f"假设“{a.label}”不能按核算历史校准，请给出数值")
    return out


def required_keys() -> tuple[str, ...]:
    return (*DRAWN, *FIXED, "gdp.growth", TREND_SE_SCALE, *(f"lever.{lever.key}" for lever in LEVERS))


def sample_inputs(
    assumptions: dict[str, Assumption], cal: Calibration, draws: int, years: int, seed: int
) -> dict[str, np.ndarray]:
    """Every uncertain input as an array over draws (GDP growth: draws × years; trends: draws × S × F+1)."""
    missing = [k for k in required_keys() if k not in assumptions]
    if missing:
        raise ProjectionError(f"情景缺少假设：{'、'.join(missing)}")
    x = {key: assumptions[key].draw(stream(seed, key), draws) for key in DRAWN}
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
) -> Paths:
    """The model over sectors × families × draws × years, vectorised (sector-first, so that each sector's
    family is one contiguous block); ``exogenous`` (backcast) replaces the drawn GDP, coal generation, PV
    generation and grid factor paths by observed ones."""
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

    # power sector: fuel burned follows local coal generation (existing units' trend + new units)
    existing_kw = fixed["power.existing_coal_mw"] * 1000
    hours = cal.coal_generation0 / existing_kw if existing_kw else 0.0
    if "coal_generation" in exo:
        coal_gen = exo["coal_generation"]
    else:
        coal_gen = cal.coal_generation0 * np.exp(np.outer(x["power.coal_change"] / 100, k))
        online = (years >= fixed["power.new_coal_year"]).astype(float)
        new_kwh = fixed["power.new_coal_mw"] * 1000 * hours
        coal_gen = coal_gen + np.outer(x["power.new_coal_probability"], online) * new_kwh
    ratio = coal_gen / cal.coal_generation0 if cal.coal_generation0 else np.ones_like(coal_gen)
    energy[POWER, :F] = cal.energy0[POWER, :F, None, None] * ratio[None]

    kwh_per_tce = cal.kwh_per_tce  # electricity replacing fuel: tce of fuel × ratio → kWh (当量值)
    ev = x["ev.energy_ratio"][:, None]
    if levers.get("industry"):
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


# ------------------------------------------------------------------ the projection


@dataclass
class LeverEffect:
    key: str
    label: str
    active: bool
    reduction_2030_t: float  # median over draws of CO2 without the lever − with it, in the deadline year
    delta_probability: float  # P(peak ≤ deadline) with the lever − without it
    note: str = ""


@dataclass
class Projection:
    scenario: str
    description: str
    draws: int
    seed: int
    base_year: int
    end_year: int
    deadline: int
    history_years: tuple[int, ...]
    history_co2_t: list[float]
    history_refined_oil_t: list[float]
    years: tuple[int, ...]  # projected years
    co2_quantiles: dict[str, list[float]]  # p10/p50/p90 per projected year
    oil_quantiles: dict[str, list[float]]
    sector_p50_t: dict[str, list[float]]
    electricity_p50_t: list[float]
    p_peak_by_deadline: float
    peak_year_quantiles: dict[str, int | None]  # None: not peaked by the end year at that quantile
    peak_value_quantiles: dict[str, float]
    peak_year_histogram: dict[str, int]  # year or "未达峰"
    oil_peak_year: int | None
    p_oil_peak_by_target: float | None
    levers: list[LeverEffect]
    fit: dict
    assumptions: list[dict]
    notes: list[str]
    sample: bool
    boundary: str = "assessed"
    tolerance: float = PEAK_TOLERANCE
    p_plateau: float = 0.0
    by_boundary: dict = field(default_factory=dict)  # the other two boundaries' peak figures
    validation: dict | None = None
    events: list[dict] = field(default_factory=list)
    boundary_sentence: str = ""

    def to_json(self) -> dict:
        """The CLI's and the API's shape: the issue's keys first, details after."""
        return {
            "scenario": self.scenario,
            "draws": self.draws,
            "seed": self.seed,
            "p_peak_by_2030": _round(self.p_peak_by_deadline, 4),
            "boundary": self.boundary,
            "boundary_label": BOUNDARY_NAMES[self.boundary],
            "peak_rule": {"tolerance": self.tolerance, "text": peak_rule(self.tolerance)},
            "p_plateau": _round(self.p_plateau, 4),
            "plateau_window": [self.deadline - PLATEAU_WINDOW, self.deadline + PLATEAU_WINDOW],
            "validation": self.validation,
            "events": self.events,
            "boundaries": {
                b: {
                    "label": BOUNDARY_NAMES[b],
                    "p_peak_by_2030": _round(f["p_peak_by_deadline"], 4),
                    "p_plateau": _round(f["p_plateau"], 4),
                    "peak_year": f["peak_year"],
                    "trajectory": {
                        str(y): {q: _round(f["quantiles"][q][i], 0) for q in ("p10", "p50", "p90")}
                        for i, y in enumerate(self.years)
                    },
                    "history": {
                        str(y): _round(v, 0) for y, v in zip(self.history_years, f["history"], strict=True)
                    },
                }
                for b, f in self.by_boundary.items()
            },
            "boundary_sentence": self.boundary_sentence,
            "peak_year": self.peak_year_quantiles,
            "peak_value_t": {k: _round(v, 0) for k, v in self.peak_value_quantiles.items()},
            "trajectory": {
                str(y): {q: _round(self.co2_quantiles[q][i], 0) for q in ("p10", "p50", "p90")}
                for i, y in enumerate(self.years)
            },
            "levers": {e.label: _round(e.reduction_2030_t, 0) for e in self.levers if e.active},
            "lever_details": [
                {
                    "key": e.key,
                    "label": e.label,
                    "active": e.active,
                    "reduction_2030_t": _round(e.reduction_2030_t, 0),
                    "delta_p_peak_by_2030": _round(e.delta_probability, 4),
                    "note": e.note,
                }
                for e in self.levers
            ],
            "base_year": self.base_year,
            "end_year": self.end_year,
            "history": {
                str(y): _round(v, 0) for y, v in zip(self.history_years, self.history_co2_t, strict=True)
            },
            "peak_year_histogram": self.peak_year_histogram,
            "refined_oil": {
                "peak_year_target": self.oil_peak_year,
                "p_peak_by_target": _round(self.p_oil_peak_by_target, 4),
                "trajectory_t": {
                    str(y): {q: _round(self.oil_quantiles[q][i], 0) for q in ("p10", "p50", "p90")}
                    for i, y in enumerate(self.years)
                },
            },
            "fit": self.fit,
            "notes": self.notes,
            "sample": self.sample,
        }


def _round(value: float | None, digits: int) -> float | None:
    if value is None:
        return None
    out = round(float(value), digits)
    return int(out) if digits == 0 else out


def _peaks(
    history: np.ndarray, projected: np.ndarray, all_years: np.ndarray, tolerance: float = PEAK_TOLERANCE
) -> tuple[np.ndarray, np.ndarray]:
    """The robust peak rule, per draw: the peak year is the first year Y after which the path (history, then
    projection) never exceeds E(Y) by more than ``tolerance`` through the horizon; 0 where no year
    qualifies (the last year never does: nothing after it shows that it was a peak). A history year is a
    peak only if everything after it stays below it. Returns the peak year and E(Y) (the path's maximum
    where it has not peaked)."""
    full = np.concatenate([np.broadcast_to(history, (projected.shape[0], len(history))), projected], axis=1)
    later = np.maximum.accumulate(full[:, ::-1], axis=1)[:, ::-1]  # the maximum from each year to the end
    after = np.full_like(full, np.inf)
    after[:, :-1] = later[:, 1:]
    ok = after <= full + tolerance * np.abs(full) + 1e-9
    peaked = ok.any(axis=1)
    at = ok.argmax(axis=1)
    value = np.where(peaked, full[np.arange(full.shape[0]), at], full.max(axis=1))
    return np.where(peaked, all_years[at], 0), value


def _p_peak_by(
    history: np.ndarray,
    projected: np.ndarray,
    all_years: np.ndarray,
    year: int,
    tolerance: float = PEAK_TOLERANCE,
) -> float:
    peak_year, _ = _peaks(history, projected, all_years, tolerance)
    return float(((peak_year > 0) & (peak_year <= year)).mean())


def peak_rule(tolerance: float) -> str:
    return (
        f"峰值年：此后各年（至预测终止年）排放均不超过该年排放的 {1 + tolerance:g} 倍的第一年"
        f"（容差 {tolerance:.0%}，本平台规则）；预测终止年本身不算峰值；历史年份只有其后各年都不超过它才算峰值"
    )


def _fixed_values(assumptions: dict[str, Assumption]) -> dict[str, float]:
    return {key: assumptions[key].central for key in FIXED}


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


def _events(assumptions: dict[str, Assumption], base: int, end_year: int) -> list[dict]:
    """Named, dated events the model applies (a unit entering service): a jump in their year is theirs."""
    out = []
    mw = assumptions["power.new_coal_mw"].central
    year = int(assumptions["power.new_coal_year"].central)
    p = assumptions["power.new_coal_probability"]
    if mw > 0 and base < year <= end_year:
        out.append(
            {
                "year": year,
                "label": f"新增燃煤机组 {mw:g} 兆瓦投运",
                "probability": _round(p.central, 4),
                "source": assumptions["power.new_coal_mw"].source,
            }
        )
    return out


def boundary_sentence(history: History) -> str:
    """Why the three boundaries give different answers, in one sentence a coordinator reads."""
    if history.net_import_kwh[-1] < 0:
        return (
            "本市是电力净调出地区：本地燃烧口径计入电厂为外地发电所烧的煤，净调入口径按电网因子扣减调出电量的排放，"
            "消费口径只计本市用电；因此电网变清洁会使净调入口径的扣减变小、排放上升，而本地燃烧口径只随本地燃煤变化。"
        )
    return (
        "本市是电力净调入地区：净调入口径和消费口径按电网因子计入调入电力的排放，本地燃烧口径不计；"
        "因此电网变清洁会使前两种口径下降更快，而本地燃烧口径只随本地燃料消费变化。"
    )


def project(
    history: History,
    scenario: Scenario,
    draws: int = 10_000,
    seed: int = 1,
    end_year: int = END_YEAR,
    *,
    sensitivity: bool = True,
    deadline: int = PEAK_DEADLINE,
    boundary: str | None = None,
    validation: bool = True,
) -> Projection:
    """Draw every uncertain input ``draws`` times and run the scenario; with ``sensitivity``, run it again
    with each active lever switched off (same draws) to measure what that lever contributes. Peak figures
    are given on every boundary; the headline (fan chart, tornado) on ``boundary``, by default the one the
    accounting names as assessed."""
    if draws < 1:
        raise ProjectionError("抽样次数须为正整数")
    boundary = boundary or history.boundary
    if boundary not in BOUNDARIES:
        raise ProjectionError(f"口径须为 {' / '.join(BOUNDARIES)}（填的是“{boundary}”）")
    cal = calibrate(history)
    if end_year <= cal.base_year:
        raise ProjectionError(f"预测终止年份须晚于基年 {cal.base_year}")
    assumptions = resolve_history(scenario, cal)
    tolerance = (
        assumptions["peak.tolerance"].central / 100 if "peak.tolerance" in assumptions else PEAK_TOLERANCE
    )
    years = np.arange(cal.base_year + 1, end_year + 1)
    x = sample_inputs(assumptions, cal, draws, len(years), seed)
    fixed = _fixed_values(assumptions)
    levers = {lever.key: scenario.lever_on(lever.key) for lever in LEVERS}
    main = paths(cal, x, fixed, levers, years)
    all_years = np.array([*history.years, *years])
    at_deadline = int(np.searchsorted(years, min(deadline, end_year)))

    def peak_figures(b: str, projected: np.ndarray) -> dict:
        hist = _boundary_history(history, b)
        year, value = _peaks(hist, projected, all_years, tolerance)
        peaked = year > 0
        ordered = np.where(peaked, year, end_year + 1)
        histogram: dict[str, int] = {}
        for y in all_years[:-1]:
            n = int((year == y).sum())
            if n:
                histogram[str(int(y))] = n
        if (~peaked).any():
            histogram["未达峰"] = int((~peaked).sum())
        quantile_years = {q: int(np.quantile(ordered, p, method="inverted_cdf")) for q, p in _Q.items()}
        return {
            "p_peak_by_deadline": float((peaked & (year <= deadline)).mean()),
            "p_plateau": float((peaked & (np.abs(year - deadline) <= PLATEAU_WINDOW)).mean()),
            "peak_year": {q: (y if y <= end_year else None) for q, y in quantile_years.items()},
            "peak_value": {q: float(np.quantile(value, p)) for q, p in _Q.items()},
            "histogram": histogram,
            "quantiles": _quantiles(projected),
            "history": [float(v) for v in hist],
        }

    figures = {b: peak_figures(b, main.by_boundary[b]) for b in BOUNDARIES}
    headline = figures[boundary]
    p_main = headline["p_peak_by_deadline"]

    effects = []
    without: dict[str, Paths] = {}
    for lever in LEVERS:
        active = levers[lever.key]
        if not (sensitivity and active):
            effects.append(LeverEffect(lever.key, lever.label, active, 0.0, 0.0, "" if active else "未启用"))
            continue
        off = without[lever.key] = paths(cal, x, fixed, {**levers, lever.key: False}, years)
        on_path, off_path = main.by_boundary[boundary], off.by_boundary[boundary]
        reduction = float(np.median(off_path[:, at_deadline] - on_path[:, at_deadline]))
        p_off = _p_peak_by(_boundary_history(history, boundary), off_path, all_years, deadline, tolerance)
        effects.append(LeverEffect(lever.key, lever.label, True, reduction, p_main - p_off))
    effects.sort(key=lambda e: -abs(e.reduction_2030_t))

    # Whether refined oil peaks by the plan's year is judged on the paths without the cap that the
    # oil-peak lever imposes (with it, the peak would hold by construction).
    oil_year = int(fixed["oil.peak_year"]) or None
    p_oil = None
    if oil_year is not None and history.refined_oil_t.any():
        uncapped = main
        if levers["oil_peak"]:
            uncapped = without.get("oil_peak") or paths(cal, x, fixed, {**levers, "oil_peak": False}, years)
        p_oil = _p_peak_by(history.refined_oil_t, uncapped.refined_oil_t, all_years, oil_year, tolerance)

    return Projection(
        scenario=scenario.name,
        description=scenario.description,
        draws=draws,
        seed=seed,
        base_year=cal.base_year,
        end_year=end_year,
        deadline=deadline,
        history_years=history.years,
        history_co2_t=headline["history"],
        history_refined_oil_t=[float(v) for v in history.refined_oil_t],
        years=tuple(int(y) for y in years),
        co2_quantiles=headline["quantiles"],
        oil_quantiles=_quantiles(main.refined_oil_t),
        sector_p50_t={
            s.label: [float(v) for v in np.median(main.sector_co2_t[i], axis=0)]
            for i, s in enumerate(SECTORS)
        },
        electricity_p50_t=[float(v) for v in np.median(main.electricity_co2_t, axis=0)],
        p_peak_by_deadline=p_main,
        peak_year_quantiles=headline["peak_year"],
        peak_value_quantiles=headline["peak_value"],
        peak_year_histogram=headline["histogram"],
        oil_peak_year=oil_year,
        p_oil_peak_by_target=p_oil,
        levers=effects,
        fit=backcast(history, cal, assumptions),
        assumptions=[
            _assumption_row(a, scenario.assumptions[k].distribution == "history")
            for k, a in assumptions.items()
        ],
        notes=list(scenario.notes)
        + (
            [
                f"历史数据不全的年份：{'、'.join(map(str, history.incomplete_years))}（有未报的行或电力平衡项，"
                "见核算结果）；预测以这些年份已报的数据校准，结果可能偏低，请补报后重算"
            ]
            if history.incomplete_years
            else []
        ),
        sample=history.sample,
        boundary=boundary,
        tolerance=tolerance,
        p_plateau=headline["p_plateau"],
        by_boundary={
            b: {k: v for k, v in f.items() if k != "histogram"} for b, f in figures.items() if b != boundary
        },
        validation=validate(history, scenario, draws, seed, boundary) if validation else None,
        events=_events(assumptions, cal.base_year, end_year),
        boundary_sentence=boundary_sentence(history),
    )


_Q = {"p10": 0.1, "p50": 0.5, "p90": 0.9}


def _quantiles(values: np.ndarray) -> dict[str, list[float]]:
    q = np.quantile(values, list(_Q.values()), axis=0)
    return {name: [float(v) for v in q[i]] for i, name in enumerate(_Q)}


def _assumption_row(a: Assumption, calibrated: bool = False) -> dict:
    return {
        "calibrated": calibrated,
        "key": a.key,
        "label": a.label,
        "unit": a.unit,
        "distribution": a.distribution,
        "distribution_label": DISTRIBUTIONS[a.distribution],
        "low": a.low,
        "mode": a.mode,
        "high": a.high,
        "value": a.describe(),
        "source": a.source,
    }


def what_moved(
    now: dict,
    previous: dict,
    p_new_data_old_assumptions: float,
) -> dict:
    """ΔP since the previous projection of the scenario and its attribution: new data (the same assumptions on
    the new accounts) and changed assumptions (the rest), with the lever that moves P most now; one sentence
    a leader reads."""
    p_now, p_before = now["p_peak_by_2030"], previous["p_peak_by_2030"]
    data = p_new_data_old_assumptions - p_before
    assumptions = p_now - p_new_data_old_assumptions
    levers = [e for e in now.get("lever_details", []) if e["active"]]
    top = max(levers, key=lambda e: abs(e["delta_p_peak_by_2030"] or 0), default=None)
    before_levers = {e["key"]: e for e in previous.get("lever_details", [])}
    lever_changes = [
        {
            "key": e["key"],
            "label": e["label"],
            "delta_p_now": e["delta_p_peak_by_2030"],
            "delta_p_before": (before_levers.get(e["key"]) or {}).get("delta_p_peak_by_2030"),
        }
        for e in levers
    ]
    if abs(p_now - p_before) < 0.0005:
        main = "与上次基本相同"
    elif abs(data) >= abs(assumptions):
        main = f"主要因为新的核算数据（{_pp(data)}）" + (
            f"，假设调整 {_pp(assumptions)}" if abs(assumptions) >= 0.0005 else ""
        )
    else:
        main = f"主要因为情景假设调整（{_pp(assumptions)}）" + (
            f"，新数据 {_pp(data)}" if abs(data) >= 0.0005 else ""
        )
    sentence = f"达峰概率由 {p_before:.1%} 变为 {p_now:.1%}，{main}"
    if top is not None and top["delta_p_peak_by_2030"]:
        sentence += f"；对概率影响最大的措施是“{top['label']}”（{_pp(top['delta_p_peak_by_2030'])}）"
    return {
        "p_before": _round(p_before, 4),
        "p_now": _round(p_now, 4),
        "delta": _round(p_now - p_before, 4),
        "new_data": _round(data, 4),
        "assumptions": _round(assumptions, 4),
        "top_lever": top["label"] if top else None,
        "levers": lever_changes,
        "sentence": sentence + "。",
    }


def _pp(delta: float) -> str:
    return f"{delta * 100:+.1f} 个百分点"
