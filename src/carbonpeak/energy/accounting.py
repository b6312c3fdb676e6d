"""Carbon accounting by the national method (pure, no Django; vectorised through DuckDB).

Records ``(period, region, sector, fuel, quantity, unit)`` are first summed in one SQL GROUP BY (the only
step whose cost grows with the number of records: millions of meter rows become a few hundred groups);
every formula after that is linear in quantity, so applying it to the sums is exact. The method, with
its choices (net imported electricity, 当量值 and 等价值, shares, comparable-price GDP), is written in
``docs/accounting.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from carbonpeak.energy import catalog
from carbonpeak.energy import certificates as register
from carbonpeak.energy.catalog import Period, UnknownName
from carbonpeak.energy.factors import FactorSet, GridFactor, MissingFactor

DEFAULT_GRID_REGION = "江苏"
# the three CO2 boundaries the engine returns; ASSESSED is the one every headline figure is on
TERRITORIAL, ASSESSED, CONSUMPTION = "territorial", "assessed", "consumption"
BOUNDARY_NAMES = {TERRITORIAL: "本地燃烧口径", ASSESSED: "净调入口径", CONSUMPTION: "消费口径"}
BOUNDARY_LABELS = {
    TERRITORIAL: "本地燃烧口径（辖区内化石燃料燃烧）",
    ASSESSED: "净调入口径（本地燃烧＋外购热力＋净调入电力×电网因子）",
    CONSUMPTION: "消费口径（终端用能燃烧＋外购热力＋全社会用电量×电网因子，本地电厂燃料不计）",
}


def boundary_caption(boundary: str) -> str:
    """What every headline CO2 figure says it is on: the assessed boundary the factor set names."""
    return f"考核口径：{BOUNDARY_LABELS[boundary]}"


BASE_YEAR = 2020
NON_FOSSIL_ELECTRICITY = "本地非化石电力"
POWER_SECTOR = "电力、热力生产和供应业"
TEN_THOUSAND = 1e4  # 万元 per unit of GDP kept in 万元; 亿元 = 1e4 万元


FUEL_USE, FEEDSTOCK_USE = "燃料", "原料"  # 原料用能: energy used as raw material (发改环资〔2022〕803号)
USES = (FUEL_USE, FEEDSTOCK_USE)


@dataclass(frozen=True)
class IntensityTarget:
    """The five-year energy-intensity target handed down (e.g. −14.5 % on 2020 by 2025): the certificate
    deduction is capped at half the energy saving it requires (发改环资〔2024〕113号 二(三))."""

    reduction: float  # a fraction: 0.145
    base_year: int
    target_year: int
    source: str = ""


@dataclass(frozen=True)
class EnergyRecord:
    period: str
    region: str
    sector: str
    fuel: str
    quantity: float
    unit: str
    use: str = FUEL_USE  # 原料: counted in energy, deducted for the assessment, and not burned (no CO2)


@dataclass(frozen=True)
class EconomicFigure:
    """GDP and population for a period; a quarter's figure is year-to-date, as the statistics office publishes.

    ``gdp_current`` in 亿元 at current prices; ``real_growth_pct`` on the same period last year at comparable
    prices; ``gdp_constant`` (亿元 at base-year prices) when the office gives it directly; population in 万人.
    """

    period: str
    region: str
    gdp_current: float | None = None
    real_growth_pct: float | None = None
    gdp_constant: float | None = None
    population: float | None = None


class AccountingError(ValueError):
    """Records that cannot be accounted; ``problems`` lists every one, each naming the value at fault."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(dict.fromkeys(problems))
        super().__init__("；".join(self.problems))


@dataclass
class FuelAccount:
    quantity: float = 0.0  # in the base unit of the fuel (t, m³, kWh)
    tce: float = 0.0
    tce_equivalent: float | None = 0.0
    co2_t: float = 0.0

    def to_dict(self, fuel: str) -> dict:
        known = catalog.FUEL_BY_NAME.get(fuel)
        dimension = known.dimension if known else catalog.ENERGY  # 本地非化石电力 is electricity
        unit = {"mass": "吨", "volume": "立方米", "energy": "千瓦时"}[dimension]
        quantity = self.quantity
        if fuel == "热力":
            quantity, unit = self.quantity * catalog.GJ_PER_KWH, "吉焦"
        return {
            "quantity": _r(quantity),
            "unit": unit,
            "tce": _r(self.tce),
            "tce_equivalent": _r(self.tce_equivalent),
            "co2_t": _r(self.co2_t),
        }


@dataclass
class SectorAccount:
    tce: float = 0.0  # fuels burned and heat bought in the sector
    co2_t: float = 0.0  # direct combustion + purchased heat
    electricity_kwh: float = 0.0
    electricity_co2_t: float = 0.0  # consumption × grid factor, for information (not part of the total)
    terminal_tce: float = 0.0  # tce + electricity at 当量值
    by_fuel: dict[str, FuelAccount] = field(default_factory=dict)  # fuels burned, for the projection's mix

    def add(self, other: SectorAccount) -> None:
        self.tce += other.tce
        self.co2_t += other.co2_t
        self.electricity_kwh += other.electricity_kwh
        self.electricity_co2_t += other.electricity_co2_t
        self.terminal_tce += other.terminal_tce
        for fuel, acc in other.by_fuel.items():
            mine = self.by_fuel.setdefault(fuel, FuelAccount())
            mine.quantity += acc.quantity
            mine.tce += acc.tce
            mine.tce_equivalent = (mine.tce_equivalent or 0.0) + (acc.tce_equivalent or 0.0)
            mine.co2_t += acc.co2_t

    def to_dict(self) -> dict:
        return {
            "tce": _r(self.tce),
            "co2_t": _r(self.co2_t),
            "electricity_kwh": _r(self.electricity_kwh),
            "electricity_co2_t": _r(self.electricity_co2_t),
            "terminal_tce": _r(self.terminal_tce),
            "by_fuel": {k: v.to_dict(k) for k, v in self.by_fuel.items()},
        }


@dataclass
class ElectricityBalance:
    consumption_kwh: float = 0.0
    generation_kwh: dict[str, float] = field(default_factory=dict)
    imported_kwh: float | None = None
    exported_kwh: float | None = None
    net_imported_kwh: float = 0.0
    method: str = "无电力数据"
    grid_factor: GridFactor | None = None
    co2_t: float = 0.0
    imported_by: dict[str, float] = field(default_factory=dict)  # 调入 by grid structure (电力: not split)
    exported_by: dict[str, float] = field(default_factory=dict)
    imported_non_fossil_kwh: float | None = None  # None when a structure's non-fossil share is missing
    exported_green_kwh: float = 0.0  # local green power sold out of the city as such: no longer the city's

    @property
    def non_fossil_generation_kwh(self) -> float:
        return sum(v for k, v in self.generation_kwh.items() if catalog.SOURCE_BY_NAME[k].non_fossil)

    def to_dict(self) -> dict:
        return {
            "consumption_kwh": _r(self.consumption_kwh),
            "generation_kwh": {k: _r(v) for k, v in self.generation_kwh.items()},
            "non_fossil_generation_kwh": _r(self.non_fossil_generation_kwh),
            "imported_kwh": _r(self.imported_kwh),
            "exported_kwh": _r(self.exported_kwh),
            "net_imported_kwh": _r(self.net_imported_kwh),
            "method": self.method,
            "grid_factor": self.grid_factor.to_dict() if self.grid_factor else None,
            "co2_t": _r(self.co2_t),
            "imported_by_structure": {k: _r(v) for k, v in self.imported_by.items()},
            "exported_by_structure": {k: _r(v) for k, v in self.exported_by.items()},
            "imported_non_fossil_kwh": _r(self.imported_non_fossil_kwh),
            "exported_green_kwh": _r(self.exported_green_kwh),
        }


@dataclass
class PeriodAccount:
    """One period and region. Energy is on two bases: 等价值 (electricity at the year's average 发电 coal rate,
    the basis of the energy balance and of the assessment) and 当量值 (electricity at its calorific value,
    0.1229 kgce/kWh). Every ratio is given on 等价值, None (缺失) when the year's rate is not in the factor
    set, and beside it on 当量值, labelled; the two are never mixed."""

    period: Period
    region: str
    energy_tce: float = 0.0  # 当量值
    energy_tce_equivalent: float | None = None  # 等价值; None when the year's 发电 coal rate is missing
    energy_tce_assessed: float | None = None  # 等价值 less non-fossil energy and 原料用能 (113号, 803号)
    non_fossil_tce: float | None = None  # non-fossil energy consumed, on 等价值 (deducted for the assessment)
    feedstock_tce: float = 0.0  # 原料用能 (deducted for the assessment; no CO2)
    certificates: register.CertificateCount | None = None  # the register's entries used in the period
    certificate_tce: float | None = (
        None  # certificates held apart from electricity, on 等价值 (in non_fossil_tce)
    )
    certificate_cap_tce: float | None = None  # half the saving the intensity target requires (113号 二(三))
    certificate_deducted_tce: float | None = None  # what the assessment deducts of certificate_tce
    fossil_tce: float | None = None  # 等价值 less the non-fossil energy deducted (原料用能 is fossil: in)
    co2_t: float = 0.0
    by_fuel: dict[str, FuelAccount] = field(default_factory=dict)
    by_sector: dict[str, SectorAccount] = field(default_factory=dict)
    electricity: ElectricityBalance = field(default_factory=ElectricityBalance)
    coal_rate: dict | None = None  # the 发电 coal rate used for 等价值: value, region, year, source, status
    non_fossil_share: float | None = None  # 等价值
    coal_share: float | None = None  # 等价值
    non_fossil_share_calorific: float | None = None  # 当量值
    coal_share_calorific: float | None = None  # 当量值
    coal_tce: float = 0.0
    records: int = 0
    # filled when GDP / population are given
    gdp_current: float | None = None
    gdp_constant: float | None = None
    population: float | None = None
    energy_intensity: float | None = None  # 等价值 tce / 万元, comparable prices
    energy_intensity_calorific: float | None = None  # 当量值
    energy_intensity_assessed: float | None = None  # the assessment's: deducted total / GDP (GDP unchanged)
    energy_intensity_assessed_change: float | None = None
    energy_intensity_assessed_change_base: float | None = None
    carbon_intensity: float | None = None  # tCO2 / 万元
    energy_intensity_change: float | None = None  # 等价值, on the same period last year
    energy_intensity_change_calorific: float | None = None
    carbon_intensity_change: float | None = None
    energy_intensity_change_base: float | None = None  # 等价值, on the same period of the base year
    energy_intensity_change_base_calorific: float | None = None
    carbon_intensity_change_base: float | None = None
    energy_per_capita: float | None = None  # 等价值 tce / person
    energy_per_capita_calorific: float | None = None
    co2_per_capita: float | None = None
    co2_by_boundary: dict[str, float] = field(default_factory=dict)
    co2_boundary: str = ASSESSED  # the boundary co2_t is on: the factor set's setting
    carbon_intensity_change_fixed_grid: float | None = None  # grid factor held at the base year's vintage
    carbon_intensity_change_base_fixed_grid: float | None = None
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # every input that is missing, in words
    reported: set[tuple[str, str]] = field(default_factory=set, repr=False)  # (sector, fuel) rows present

    @property
    def complete(self) -> bool:
        return not self.missing

    def by_sector_group(self) -> dict[str, SectorAccount]:
        groups: dict[str, SectorAccount] = {}
        for name, acc in self.by_sector.items():
            groups.setdefault(catalog.SECTOR_BY_NAME[name].group, SectorAccount()).add(acc)
        return groups

    def _certificates_dict(self) -> dict | None:
        c = self.certificates
        if c is None:
            return None
        return {
            "entries": c.entries,
            "bought_kwh_by_kind": {k: _r(v) for k, v in c.bought_by_kind.items()},
            "sold_kwh_by_kind": {k: _r(v) for k, v in c.sold_by_kind.items()},
            "counted_kwh": _r(c.bought_unbundled_kwh),
            "sold_out_kwh": _r(c.sold_unbundled_kwh),
            "counted_tce": _r(self.certificate_tce),
            "cap_tce": _r(self.certificate_cap_tce),
            "deducted_tce": _r(self.certificate_deducted_tce),
        }

    def to_dict(self) -> dict:
        return {
            "period": self.period.key,
            "label": self.period.label,
            "region": self.region,
            "energy_tce": _r(self.energy_tce),
            "energy_tce_equivalent": _r(self.energy_tce_equivalent),
            "energy_tce_assessed": _r(self.energy_tce_assessed),
            "non_fossil_tce": _r(self.non_fossil_tce),
            "feedstock_tce": _r(self.feedstock_tce),
            "fossil_tce": _r(self.fossil_tce),
            "certificates": self._certificates_dict(),
            "co2_t": _r(self.co2_t),
            "by_fuel": {k: v.to_dict(k) for k, v in self.by_fuel.items()},
            "by_sector": {k: v.to_dict() for k, v in self.by_sector.items()},
            "by_sector_group": {k: v.to_dict() for k, v in self.by_sector_group().items()},
            "electricity": self.electricity.to_dict(),
            "coal_rate": self.coal_rate,
            "share_basis": "等价值",
            "non_fossil_share": _r(self.non_fossil_share, 6),
            "coal_share": _r(self.coal_share, 6),
            "non_fossil_share_calorific": _r(self.non_fossil_share_calorific, 6),
            "coal_share_calorific": _r(self.coal_share_calorific, 6),
            "gdp_current_100m_yuan": _r(self.gdp_current, 4),
            "gdp_constant_100m_yuan": _r(self.gdp_constant, 4),
            "population_10k": _r(self.population, 4),
            "energy_intensity_tce_per_10k_yuan": _r(self.energy_intensity, 6),
            "energy_intensity_basis": "等价值",
            "energy_intensity_calorific_tce_per_10k_yuan": _r(self.energy_intensity_calorific, 6),
            "energy_intensity_assessed_tce_per_10k_yuan": _r(self.energy_intensity_assessed, 6),
            "energy_intensity_assessed_change": _r(self.energy_intensity_assessed_change, 6),
            "energy_intensity_assessed_change_on_base": _r(self.energy_intensity_assessed_change_base, 6),
            "carbon_intensity_t_per_10k_yuan": _r(self.carbon_intensity, 6),
            "energy_intensity_change": _r(self.energy_intensity_change, 6),
            "energy_intensity_change_calorific": _r(self.energy_intensity_change_calorific, 6),
            "carbon_intensity_change": _r(self.carbon_intensity_change, 6),
            "energy_intensity_change_on_base": _r(self.energy_intensity_change_base, 6),
            "energy_intensity_change_on_base_calorific": _r(self.energy_intensity_change_base_calorific, 6),
            "carbon_intensity_change_on_base": _r(self.carbon_intensity_change_base, 6),
            "energy_per_capita_tce": _r(self.energy_per_capita, 6),
            "energy_per_capita_calorific_tce": _r(self.energy_per_capita_calorific, 6),
            "co2_per_capita_t": _r(self.co2_per_capita, 6),
            "co2_boundary": self.co2_boundary,
            "co2_boundary_label": boundary_caption(self.co2_boundary),
            "co2_t_by_boundary": {k: _r(v) for k, v in self.co2_by_boundary.items()},
            "carbon_intensity_change_fixed_grid": _r(self.carbon_intensity_change_fixed_grid, 6),
            "carbon_intensity_change_on_base_fixed_grid": _r(self.carbon_intensity_change_base_fixed_grid, 6),
            "complete": self.complete,
            "missing": self.missing,
            "records": self.records,
            "notes": self.notes,
        }


@dataclass
class Accounts:
    factor_set: str
    grid_region: str
    base_year: int
    periods: dict[tuple[str, Period], PeriodAccount]

    def regions(self) -> list[str]:
        return sorted({r for r, _ in self.periods})

    def get(self, region: str, period: str | Period) -> PeriodAccount | None:
        key = period if isinstance(period, Period) else catalog.parse_period(period)
        return self.periods.get((region, key))

    def ordered(self) -> list[PeriodAccount]:
        return [
            self.periods[k]
            for k in sorted(self.periods, key=lambda k: (k[0], k[1].year, k[1].last, -k[1].first))
        ]

    def to_dict(self) -> dict:
        single = len(self.regions()) <= 1
        periods = {}
        for acc in self.ordered():
            periods[acc.period.key if single else f"{acc.region} {acc.period.key}"] = acc.to_dict()
        return {
            "factor_set": self.factor_set,
            "grid_region": self.grid_region,
            "base_year": self.base_year,
            "periods": periods,
        }


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


# ------------------------------------------------------------------ aggregation (the bulk step)

RECORD_COLUMNS = ("period", "region", "sector", "fuel", "quantity", "unit")
AGGREGATE_SQL = """
SELECT period, region, sector, fuel, unit, use,
       sum(quantity) AS quantity, count(*) AS n, count(quantity) AS n_valued, min(quantity) AS smallest
FROM records GROUP BY period, region, sector, fuel, unit, use
"""


def records_table(records: Iterable[EnergyRecord] | pa.Table) -> pa.Table:
    if isinstance(records, pa.Table):
        missing = [c for c in RECORD_COLUMNS if c not in records.column_names]
        if missing:
            raise AccountingError([f"记录表缺少列：{', '.join(missing)}"])
        if "use" not in records.column_names:  # a table without uses is all fuel, as the form's default
            records = records.append_column("use", pa.array([FUEL_USE] * records.num_rows, pa.string()))
        return records
    rows = list(records)
    return pa.table(
        {
            "period": pa.array([str(r.period) for r in rows], pa.string()),
            "region": pa.array([r.region for r in rows], pa.string()),
            "sector": pa.array([r.sector for r in rows], pa.string()),
            "fuel": pa.array([r.fuel for r in rows], pa.string()),
            "quantity": pa.array([r.quantity for r in rows], pa.float64()),
            "unit": pa.array([r.unit for r in rows], pa.string()),
            "use": pa.array([r.use or FUEL_USE for r in rows], pa.string()),
        }
    )


def aggregate(records: Iterable[EnergyRecord] | pa.Table) -> list[tuple]:
    """Sum quantities per (period, region, sector, fuel, unit) in DuckDB."""
    table = records_table(records)
    con = duckdb.connect()
    try:
        con.register("records", table)
        return con.execute(AGGREGATE_SQL).fetchall()
    finally:
        con.close()


# ------------------------------------------------------------------ accounting


@dataclass
class _Group:
    rows: list[tuple[str, str, str, float, str]] = field(default_factory=list)  # sector, fuel, unit, qty, use
    records: int = 0


def account(
    records: Iterable[EnergyRecord] | pa.Table,
    factors: FactorSet,
    economy: Iterable[EconomicFigure] = (),
    *,
    grid_region: str = DEFAULT_GRID_REGION,
    base_year: int = BASE_YEAR,
    cumulate: bool = True,
    certificates: Iterable[register.CertificateEntry] = (),
    intensity_target: IntensityTarget | None = None,
) -> Accounts:
    """Account every period and region in the records; quarters are also summed year-to-date. Register
    entries (绿证, 绿电交易) count in the periods they were used in; ``intensity_target`` caps their deduction."""
    problems: list[str] = []
    groups: dict[tuple[str, Period], _Group] = defaultdict(_Group)
    for period_text, region, sector, fuel, unit, use, quantity, n, n_valued, smallest in aggregate(records):
        try:
            period = catalog.parse_period(period_text)
        except UnknownName as exc:
            problems.append(str(exc))
            continue
        if not region or not str(region).strip():
            problems.append(f"{period.key}：地区为空")
            continue
        if n_valued < n:
            problems.append(f"{period.key} {region} {sector} {fuel}：有 {n - n_valued} 条记录缺少数量")
        if smallest is not None and smallest < 0:
            problems.append(f"{period.key} {region} {sector} {fuel}：数量为负（{smallest}）")
        group = groups[(str(region).strip(), period)]
        if use not in USES:
            problems.append(f"{period.key} {region} {sector} {fuel}：用途“{use}”须为“燃料”或“原料”")
            continue
        group.rows.append((sector, fuel, unit, float(quantity or 0.0), use))
        group.records += n
    if problems:
        raise AccountingError(problems)
    if cumulate:
        _add_year_to_date(groups, problems)
    results: dict[tuple[str, Period], PeriodAccount] = {}
    entries = list(certificates)
    for (region, period), group in groups.items():
        counted = register.count_for(entries, region, period.year, period.first, period.last)
        try:
            results[(region, period)] = _account_period(period, region, group, factors, grid_region, counted)
        except AccountingError as exc:
            problems.extend(exc.problems)
    if problems:
        raise AccountingError(problems)
    _rows_absent_against_earlier_quarters(results)
    accounts = Accounts(factors.label, grid_region, base_year, results)
    _apply_economy(accounts, list(economy), problems, intensity_target)
    if problems:
        raise AccountingError(problems)
    return accounts


def _add_year_to_date(groups: dict[tuple[str, Period], _Group], problems: list[str]) -> None:
    quarters: dict[tuple[str, int], dict[int, _Group]] = defaultdict(dict)
    for (region, period), group in groups.items():
        if period.is_quarter:
            quarters[(region, period.year)][period.last] = group
    for (region, year), by_quarter in quarters.items():
        for last in range(2, 5):
            if not all(q in by_quarter for q in range(1, last + 1)):
                break
            target = Period(year, 1, last)
            if (region, target) in groups:
                problems.append(
                    f"{region} {target.label}：既有季度数据又有{target.label}汇总数据，请只报一种"
                )
                continue
            merged = _Group()
            for q in range(1, last + 1):
                merged.rows.extend(by_quarter[q].rows)
                merged.records += by_quarter[q].records
            groups[(region, target)] = merged
    if problems:
        raise AccountingError(problems)


def _account_period(
    period: Period,
    region: str,
    group: _Group,
    factors: FactorSet,
    grid_region: str,
    counted: register.CertificateCount | None = None,
) -> PeriodAccount:
    problems: list[str] = []
    acc = PeriodAccount(period=period, region=region, records=group.records, certificates=counted)
    where = f"{period.key} {region}"
    electricity_fuel = catalog.FUEL_BY_NAME["电力"]
    by_sector_kwh: dict[str, float] = defaultdict(float)
    imported = exported = None
    for sector_name, fuel_name, unit_name, quantity, use in group.rows:
        try:
            sector = catalog.resolve_sector(sector_name)
            unit = catalog.parse_unit(unit_name)
            if sector == catalog.GENERATION:
                source = catalog.resolve_source(fuel_name)
                acc.reported.add((sector, source.name))
                kwh = _physical(quantity, unit, electricity_fuel, factors, f"{where} 本地发电 {source.name}")
                acc.electricity.generation_kwh[source.name] = (
                    acc.electricity.generation_kwh.get(source.name, 0) + kwh
                )
                continue
            if sector in (catalog.IMPORT, catalog.EXPORT):
                try:
                    structure = catalog.resolve_structure(fuel_name)
                except UnknownName as exc:
                    raise UnknownName(f"{where} {sector}：{exc}") from None
                part = structure.name if structure else catalog.UNSPLIT
                acc.reported.add((sector, part))
                kwh = _physical(quantity, unit, electricity_fuel, factors, f"{where} {sector}")
                by_part = (
                    acc.electricity.imported_by if sector == catalog.IMPORT else acc.electricity.exported_by
                )
                by_part[part] = by_part.get(part, 0.0) + kwh
                if sector == catalog.IMPORT:
                    imported = (imported or 0.0) + kwh
                else:
                    exported = (exported or 0.0) + kwh
                continue
            fuel = catalog.resolve_fuel(fuel_name)
            acc.reported.add((sector, fuel.name))
            physical = _physical(quantity, unit, fuel, factors, f"{where} {sector} {fuel.name}")
            feedstock = use == FEEDSTOCK_USE
            if feedstock and fuel.family in (catalog.ELECTRICITY, catalog.HEAT):
                raise UnknownName(f"{where} {sector} {fuel.name}：电力、热力不能作为原料用能")
            if fuel.family == catalog.ELECTRICITY:
                by_sector_kwh[sector] += physical
                acc.by_sector.setdefault(sector, SectorAccount())
                continue
            tce = co2 = 0.0
            if physical:
                tce = physical * factors.coal_coefficient(fuel)
                # raw material is not burned: no combustion CO2
                co2 = 0.0 if feedstock else physical * factors.co2_per_unit(fuel)
            if feedstock:
                acc.feedstock_tce += tce
            fuel_acc = acc.by_fuel.setdefault(fuel.name, FuelAccount())
            fuel_acc.quantity += physical
            fuel_acc.tce += tce
            fuel_acc.tce_equivalent = (fuel_acc.tce_equivalent or 0.0) + tce
            fuel_acc.co2_t += co2
            sector_acc = acc.by_sector.setdefault(sector, SectorAccount())
            sector_acc.tce += tce
            sector_acc.co2_t += co2
            sector_fuel = sector_acc.by_fuel.setdefault(fuel.name, FuelAccount())
            sector_fuel.quantity += physical
            sector_fuel.tce += tce
            sector_fuel.tce_equivalent = (sector_fuel.tce_equivalent or 0.0) + tce
            sector_fuel.co2_t += co2
            if fuel.family == catalog.COAL:
                acc.coal_tce += tce
        except (UnknownName, MissingFactor) as exc:
            message = str(exc)
            problems.append(message if message.startswith(where) else f"{where}：{message}")
    if problems:
        raise AccountingError(problems)
    acc.missing.extend(balance_gaps(acc.reported))
    _electricity(acc, by_sector_kwh, imported, exported, factors, grid_region, problems)
    if problems:
        raise AccountingError(problems)
    _boundaries(acc, factors.assessed_boundary)
    return acc


def _before_certificates(acc: PeriodAccount) -> float | None:
    """等价值 less the physical non-fossil energy and 原料用能: the assessed total before any certificate."""
    if acc.energy_tce_equivalent is None or acc.non_fossil_tce is None:
        return None
    return acc.energy_tce_equivalent - (acc.non_fossil_tce - (acc.certificate_tce or 0.0)) - acc.feedstock_tce


def _assessed(acc: PeriodAccount, base: PeriodAccount | None, target: IntensityTarget | None) -> None:
    """The total the intensity assessment uses: 等价值 less non-fossil energy (发改环资〔2024〕113号 二(一)) and
    less 原料用能 (发改环资〔2022〕803号); certificates held apart from electricity are deducted up to half the
    saving the intensity target requires by this year (113号 二(三)). None while an input is missing."""
    before = _before_certificates(acc)
    certificates = acc.certificate_tce
    if not certificates:  # none held apart from electricity (0.0), none registered or the rate missing (None)
        acc.energy_tce_assessed = before
        if certificates is not None:
            acc.certificate_deducted_tce = 0.0
        return
    if before is None:
        acc.energy_tce_assessed = None
        return
    if not acc.period.is_cumulative:
        acc.energy_tce_assessed = None
        acc.notes.append("绿证抵扣按1月至本季度末累计计算，单季度的扣除后能源消费总量不单列")
        return
    why = None
    if target is None:
        why = "上级下达的能耗强度下降目标未录入"
    elif base is None or not base.gdp_constant or _before_certificates(base) is None:
        why = f"缺少{target.base_year}年同期的扣除后能源消费量或可比价地区生产总值"
    elif not acc.gdp_constant:
        why = "缺少本期可比价地区生产总值"
    if why is not None:
        acc.energy_tce_assessed = None
        acc.missing.append(
            f"缺失：绿证抵扣上限（完成能耗强度下降目标所需节能量的50%，发改环资〔2024〕113号 二(三)）无法计算，"
            f"{why}；扣除后的能源消费总量和能耗强度因此缺失"
        )
        return
    base_intensity = _before_certificates(base) / base.gdp_constant
    due = register.required_reduction(target.reduction, target.base_year, target.target_year, acc.period.year)
    acc.certificate_cap_tce = register.CAP_SHARE * base_intensity * acc.gdp_constant * due
    acc.certificate_deducted_tce = min(certificates, acc.certificate_cap_tce)
    acc.energy_tce_assessed = before - acc.certificate_deducted_tce
    if certificates > acc.certificate_cap_tce:
        acc.notes.append(
            f"绿证折 {certificates:,.0f} 吨标准煤，超过抵扣上限 {acc.certificate_cap_tce:,.0f} 吨标准煤"
            f"（到{acc.period.year}年应降 {due:.1%} 所需节能量的50%；按年均降幅分摊到各年为{register.PLATFORM_RULE}），"
            "按上限抵扣；非化石能源消费比重按全部绿证计"
        )


def _boundaries(acc: PeriodAccount, assessed: str = ASSESSED) -> None:
    """CO2 on the three boundaries. Territorial: fuels burned in the city. Assessed (考核口径): that plus
    purchased heat and net imported electricity × grid factor (a net exporter is credited). Consumption:
    end users' fuels and heat plus all electricity consumed × grid factor, the local power sector's fuel out.
    The headline ``co2_t`` is the one the factor set names as assessed (``assessed``)."""
    combustion = sum(
        f.co2_t for name, f in acc.by_fuel.items() if name not in ("电力", "热力", NON_FOSSIL_ELECTRICITY)
    )
    heat = acc.by_fuel["热力"].co2_t if "热力" in acc.by_fuel else 0.0
    power_fuel = sum(
        f.co2_t
        for name, f in acc.by_sector.get(POWER_SECTOR, SectorAccount()).by_fuel.items()
        if name != "热力"
    )
    grid = acc.electricity.grid_factor.value if acc.electricity.grid_factor else 0.0
    acc.co2_by_boundary = {
        TERRITORIAL: combustion,
        ASSESSED: acc.co2_t,
        CONSUMPTION: combustion - power_fuel + heat + acc.electricity.consumption_kwh * grid,
    }
    acc.co2_boundary = assessed
    acc.co2_t = acc.co2_by_boundary[assessed]


def balance_gaps(reported: set[tuple[str, str]]) -> list[str]:
    """What a period's electricity balance lacks (missing is never zero): 调入 and 调出 are both required once
    any electricity is reported (a true zero is entered as 0), and local generation once the power sector
    burns fuel (otherwise its plants' coal counts while all consumption is taken as imported)."""
    sectors = {sector for sector, _ in reported}
    electricity = any(fuel == "电力" for _, fuel in reported) or sectors & {catalog.GENERATION}
    gaps = []
    if electricity:
        for item, other in ((catalog.IMPORT, catalog.EXPORT), (catalog.EXPORT, catalog.IMPORT)):
            if item not in sectors:
                said = f"（{other}已报）" if other in sectors else ""
                gaps.append(f"数据不全：{item}未报{said}；调入、调出均须填报，没有则填 0")
    burns_fuel = any(sector == POWER_SECTOR and fuel not in ("电力", "热力") for sector, fuel in reported)
    if burns_fuel and catalog.GENERATION not in sectors:
        gaps.append(f"数据不全：{POWER_SECTOR}有燃料消费，但未报本地发电量（按电源分列）")
    return gaps


def absent_rows(current: set[tuple[str, str]], earlier: Iterable[set[tuple[str, str]]]) -> list[str]:
    """Rows (sector × fuel) reported in any of the earlier quarters and absent now: 数据不全, not zero."""
    seen = set().union(*earlier) if earlier else set()
    return [
        f"数据不全：{sector}·{fuel} 前四个季度中报送过，本季度未报（确为零请填 0）"
        for sector, fuel in sorted(seen - current)
    ]


def _rows_absent_against_earlier_quarters(results: dict[tuple[str, Period], PeriodAccount]) -> None:
    """Each quarter against the four before it that are in the input; a year-to-date period inherits what
    its quarters lack."""
    for (region, period), acc in results.items():
        if not period.is_quarter:
            continue
        earlier = []
        p = period
        for _ in range(4):
            p = p.previous_quarter()
            if (region, p) in results:
                earlier.append(results[(region, p)].reported)
        acc.missing.extend(absent_rows(acc.reported, earlier))
    for (region, period), acc in results.items():
        if period.is_quarter:
            continue
        for q in range(period.first, period.last + 1):
            quarter = results.get((region, Period(period.year, q, q)))
            for gap in quarter.missing if quarter is not None else ():
                if gap.startswith("数据不全") and gap not in acc.missing:
                    acc.missing.append(f"{quarter.period.label}{gap}")


def _physical(
    quantity: float, unit: catalog.UnitScale, fuel: catalog.Fuel, factors: FactorSet, where: str
) -> float:
    """Quantity in the fuel's base unit; a standard-coal quantity is turned back with the 当量值 coefficient."""
    if unit.dimension == catalog.COAL_EQUIVALENT:
        if not quantity:
            return 0.0
        return quantity * unit.to_base / factors.coal_coefficient(fuel)
    if unit.dimension != fuel.dimension:
        expected = catalog.DIMENSION_LABEL[fuel.dimension]
        raise UnknownName(
            f"{where}：计量单位“{unit.name}”不适用于{fuel.name}（须为{expected}单位或标准煤单位）"
        )
    return quantity * unit.to_base


def _electricity(
    acc: PeriodAccount,
    by_sector_kwh: dict[str, float],
    imported: float | None,
    exported: float | None,
    factors: FactorSet,
    grid_region: str,
    problems: list[str],
) -> None:
    bal = acc.electricity
    bal.consumption_kwh = sum(by_sector_kwh.values())
    generation = sum(bal.generation_kwh.values())
    bal.imported_kwh, bal.exported_kwh = imported, exported
    if imported is not None and exported is not None:
        bal.net_imported_kwh = imported - exported
        bal.method = "调入−调出（报送值）"
    elif imported is not None or exported is not None:  # one side not reported: flagged in ``missing``
        bal.net_imported_kwh = (imported or 0.0) - (exported or 0.0)
        bal.method = f"调入−调出（{'调出' if exported is None else '调入'}未报，数据不全）"
    elif by_sector_kwh:
        bal.net_imported_kwh = bal.consumption_kwh - generation
        bal.method = "全社会用电量−本地发电量"
    non_fossil = bal.non_fossil_generation_kwh
    has_electricity = (
        bool(by_sector_kwh) or bool(bal.generation_kwh) or imported is not None or exported is not None
    )
    fuels_tce = sum(f.tce for f in acc.by_fuel.values())
    acc.energy_tce = fuels_tce
    acc.energy_tce_equivalent = fuels_tce
    acc.co2_t = sum(f.co2_t for f in acc.by_fuel.values())
    if not has_electricity:  # no electricity: the two bases are the same, and no non-fossil energy
        acc.non_fossil_tce = 0.0
        for sector_acc in acc.by_sector.values():
            sector_acc.terminal_tce = sector_acc.tce
        _shares(acc, 0.0, 0.0, 1.0, 1.0)
        return
    try:
        calorific = factors.coal_coefficient(catalog.FUEL_BY_NAME["电力"])
        bal.grid_factor = factors.grid(grid_region, acc.period.year)
    except MissingFactor as exc:
        problems.append(f"{acc.period.key} {acc.region}：{exc}")
        return
    if bal.grid_factor.note:
        acc.notes.append(bal.grid_factor.note)
    rate_row = factors.generation_coal_rate(grid_region, acc.period.year)
    rate = None if rate_row is None else factors.coal_rate_tce_per_kwh(rate_row)
    bal.co2_t = bal.net_imported_kwh * bal.grid_factor.value
    for sector, kwh in by_sector_kwh.items():
        sector_acc = acc.by_sector[sector]
        sector_acc.electricity_kwh += kwh
        sector_acc.electricity_co2_t += kwh * bal.grid_factor.value
    for sector_acc in acc.by_sector.values():
        sector_acc.terminal_tce = sector_acc.tce + sector_acc.electricity_kwh * calorific
    net = bal.net_imported_kwh
    acc.by_fuel["电力"] = FuelAccount(
        quantity=net,
        tce=net * calorific,
        tce_equivalent=None if rate is None else net * rate,
        co2_t=bal.co2_t,
    )
    if non_fossil:
        acc.by_fuel[NON_FOSSIL_ELECTRICITY] = FuelAccount(
            quantity=non_fossil,
            tce=non_fossil * calorific,
            tce_equivalent=None if rate is None else non_fossil * rate,
            co2_t=0.0,
        )
    acc.energy_tce = fuels_tce + (net + non_fossil) * calorific
    acc.co2_t += bal.co2_t
    if rate is None:
        acc.energy_tce_equivalent = None
        acc.missing.append(missing_coal_rate(acc.period.year, grid_region))
    else:
        acc.energy_tce_equivalent = fuels_tce + (net + non_fossil) * rate
        acc.coal_rate = {
            "value_g_per_kwh": round(rate * 1e6, 3),
            "region": rate_row.key,
            "year": rate_row.year,
            "source": rate_row.source,
            "status": rate_row.status,
        }
        if rate_row.key != grid_region:
            acc.notes.append(f"{acc.period.year}年无{grid_region}平均发电煤耗，等价值采用{rate_row.key}值")
    coal_fired = sum(v for k, v in bal.generation_kwh.items() if catalog.SOURCE_BY_NAME[k].coal_fired)
    coal_generation_share = coal_fired / generation if generation else 0.0
    consumed = _non_fossil_consumed(acc, factors, grid_region)
    acc.non_fossil_tce = None if consumed is None or rate is None else consumed * rate
    if acc.certificates is not None:
        bought = acc.certificates.bought_unbundled_kwh
        acc.certificate_tce = 0.0 if not bought else (None if rate is None else bought * rate)
    _shares(acc, consumed, max(0.0, -net) * coal_generation_share, rate, calorific)


def _non_fossil_consumed(acc: PeriodAccount, factors: FactorSet, grid_region: str) -> float | None:
    """Non-fossil electricity the city consumed: local non-fossil generation, plus the non-fossil part of 调入
    by grid structure, less local green power sold out as such (绿电交易 调出). None (缺失) when a structure's
    non-fossil share for the year is not in the factor set."""
    bal = acc.electricity
    year = acc.period.year
    imported_non_fossil = 0.0
    unsplit_as = next((g for g in catalog.GRID_STRUCTURES if g.share_key == "{grid_region}"), None)
    for part, kwh in bal.imported_by.items():
        structure = catalog.resolve_structure(part) or unsplit_as
        if not kwh or structure is None:
            continue
        if structure.non_fossil == "all":
            imported_non_fossil += kwh
            continue
        key = structure.key_for(grid_region)
        found = factors.grid_non_fossil_share(key, year)
        if found is None:
            label = (
                structure.name
                if part != catalog.UNSPLIT
                else f"{structure.name}（未分结构的调入按此计，本平台规则）"
            )
            acc.missing.append(
                f"缺失：{year}年{key}电网非化石电量占比（因子种类 grid_non_fossil_share，key {key}）未录入，"
                f"调入电力中{label}的非化石电量无法计算，非化石能源消费比重因此缺失；请录入并注明来源后重算"
            )
            bal.imported_non_fossil_kwh = None
            return None
        imported_non_fossil += kwh * found[0]
    bal.imported_non_fossil_kwh = imported_non_fossil
    counted = acc.certificates or register.CertificateCount()
    physical = bal.non_fossil_generation_kwh + imported_non_fossil
    bal.exported_green_kwh = min(
        sum(
            kwh
            for part, kwh in bal.exported_by.items()
            if (g := catalog.resolve_structure(part)) and g.non_fossil == "all"
        ),
        physical,
    )
    sold = min(counted.sold_unbundled_kwh, physical - bal.exported_green_kwh)
    if counted.sold_unbundled_kwh > sold + 1e-6:
        acc.notes.append(
            f"登记售出的绿证 {counted.sold_unbundled_kwh:,.0f} 千瓦时多于本市可计的非化石电量，超出部分不再扣减；请核对登记"
        )
    traded = counted.bought_by_kind.get(register.GREEN_TRADE, 0.0)
    green_in = sum(
        kwh
        for part, kwh in bal.imported_by.items()
        if (g := catalog.resolve_structure(part)) and g.non_fossil == "all"
    )
    if traded > green_in + 1e-6:
        acc.notes.append(
            f"登记购入的绿电交易 {traded:,.0f} 千瓦时多于电力平衡中的调入·绿电交易 {green_in:,.0f} 千瓦时；"
            "绿电交易按物理电量计入（发改环资〔2024〕113号 二(三)），以电力平衡为准，请核对"
        )
    return physical - bal.exported_green_kwh - sold + counted.bought_unbundled_kwh


def missing_coal_rate(year: int, region: str) -> str:
    """What a period without the year's 发电 coal rate says, and what fills it."""
    return (
        f"缺失：{year}年平均发电标准煤耗（因子种类 generation_coal_rate，{region}或全国）未录入，"
        "等价值能源消费量及按等价值计算的能耗强度、非化石能源和煤炭消费比重均无法计算；"
        "请在“核算因子”中录入该年数值并注明来源后重算（当量值结果见旁，仅供参考）"
    )


def _shares(
    acc: PeriodAccount,
    non_fossil_kwh: float | None,
    exported_coal_kwh: float,
    rate: float | None,
    calorific: float,
) -> None:
    """Non-fossil and coal shares on 等价值 (None without the year's rate) and, labelled, on 当量值; the
    non-fossil share is None too when the non-fossil electricity consumed is not known."""

    def on(total: float | None, per_kwh: float | None) -> tuple[float | None, float | None]:
        if total is None or per_kwh is None or total <= 0:
            return None, None
        non_fossil = None if non_fossil_kwh is None else non_fossil_kwh * per_kwh / total
        return non_fossil, (acc.coal_tce - exported_coal_kwh * per_kwh) / total

    acc.non_fossil_share, acc.coal_share = on(acc.energy_tce_equivalent, rate)
    acc.non_fossil_share_calorific, acc.coal_share_calorific = on(acc.energy_tce, calorific)


def _apply_economy(
    accounts: Accounts,
    economy: list[EconomicFigure],
    problems: list[str],
    target: IntensityTarget | None = None,
) -> None:
    figures: dict[tuple[str, Period], EconomicFigure] = {}
    for fig in economy:
        try:
            period = catalog.parse_period(fig.period)
        except UnknownName as exc:
            problems.append(str(exc))
            continue
        if period.is_quarter:  # a quarter's GDP is published year-to-date
            period = Period(period.year, 1, period.last)
        figures[(fig.region, period)] = fig
    if problems:
        return

    def constant(region: str, period: Period, depth: int = 0) -> float | None:
        fig = figures.get((region, period))
        if fig is None or depth > 50:
            return None
        if fig.gdp_constant is not None:
            return fig.gdp_constant
        if period.year == accounts.base_year:
            return fig.gdp_current
        if fig.real_growth_pct is None:
            return None
        previous = constant(region, period.shifted(-1), depth + 1)
        return None if previous is None else previous * (1 + fig.real_growth_pct / 100)

    for (region, period), acc in accounts.periods.items():
        fig = figures.get((region, period))
        if period.is_cumulative and fig is not None:
            acc.gdp_current = fig.gdp_current
            acc.gdp_constant = constant(region, period)
    for (region, period), acc in accounts.periods.items():
        base = accounts.periods.get((region, Period(accounts.base_year, period.first, period.last)))
        _assessed(acc, base, target)
        if acc.energy_tce_assessed is not None:
            acc.fossil_tce = acc.energy_tce_assessed + acc.feedstock_tce
    for (region, period), acc in accounts.periods.items():
        if not period.is_cumulative:
            continue
        fig = figures.get((region, period))
        year_fig = figures.get((region, Period(period.year)))
        population = fig.population if fig and fig.population is not None else None
        if population is None and year_fig is not None:
            population = year_fig.population
        acc.population = population
        if acc.gdp_constant:
            gdp_10k = acc.gdp_constant * TEN_THOUSAND
            acc.energy_intensity = (
                None if acc.energy_tce_equivalent is None else acc.energy_tce_equivalent / gdp_10k
            )
            acc.energy_intensity_calorific = acc.energy_tce / gdp_10k
            if acc.energy_tce_assessed is not None:
                acc.energy_intensity_assessed = acc.energy_tce_assessed / gdp_10k
            acc.carbon_intensity = acc.co2_t / gdp_10k
        elif fig is not None:
            acc.notes.append("缺少可比价地区生产总值（需基期现价值和逐年实际增速），强度无法计算")
        if population:
            people = population * TEN_THOUSAND
            acc.energy_per_capita = (
                None if acc.energy_tce_equivalent is None else acc.energy_tce_equivalent / people
            )
            acc.energy_per_capita_calorific = acc.energy_tce / people
            acc.co2_per_capita = acc.co2_t / people
    for (region, period), acc in accounts.periods.items():
        base = accounts.periods.get((region, Period(accounts.base_year, period.first, period.last)))
        last_year = accounts.periods.get((region, period.shifted(-1)))
        # deductions in both years, GDP unchanged (803号: 同步从基年和目标年度能源消费总量中扣除)
        for earlier, attr in (
            (last_year, "energy_intensity_assessed_change"),
            (base, "energy_intensity_assessed_change_base"),
        ):
            if (
                earlier is not None
                and earlier is not acc
                and acc.energy_intensity_assessed is not None
                and earlier.energy_intensity_assessed
            ):
                setattr(acc, attr, acc.energy_intensity_assessed / earlier.energy_intensity_assessed - 1)
        if base is not None and base.electricity.grid_factor is not None:
            vintage = base.electricity.grid_factor.value  # the base year's grid factor, held for both years
            acc.carbon_intensity_change_fixed_grid = _fixed_grid_change(acc, last_year, vintage)
            if base is not acc:
                acc.carbon_intensity_change_base_fixed_grid = _fixed_grid_change(acc, base, vintage)
    for (region, period), acc in accounts.periods.items():
        last_year = accounts.periods.get((region, period.shifted(-1)))
        base = accounts.periods.get((region, Period(accounts.base_year, period.first, period.last)))
        (
            acc.energy_intensity_change,
            acc.energy_intensity_change_calorific,
            acc.carbon_intensity_change,
        ) = _changes(acc, last_year)
        if base is not None and base is not acc:
            (
                acc.energy_intensity_change_base,
                acc.energy_intensity_change_base_calorific,
                acc.carbon_intensity_change_base,
            ) = _changes(acc, base)


def _fixed_grid_change(acc: PeriodAccount, earlier: PeriodAccount | None, grid: float) -> float | None:
    """The carbon-intensity change with both years' net imported electricity at one grid factor: what the
    city changed, apart from the grid factor's new vintage."""
    if earlier is None or not acc.gdp_constant or not earlier.gdp_constant:
        return None

    def co2(a: PeriodAccount) -> float:
        electricity = {
            TERRITORIAL: (0.0, 0.0),
            ASSESSED: (a.electricity.co2_t, a.electricity.net_imported_kwh),
            CONSUMPTION: (a.electricity.consumption_kwh * _grid(a), a.electricity.consumption_kwh),
        }[a.co2_boundary]
        return a.co2_t - electricity[0] + electricity[1] * grid

    then = co2(earlier) / earlier.gdp_constant
    return None if not then else (co2(acc) / acc.gdp_constant) / then - 1


def _grid(acc: PeriodAccount) -> float:
    return acc.electricity.grid_factor.value if acc.electricity.grid_factor else 0.0


def _changes(
    acc: PeriodAccount, earlier: PeriodAccount | None
) -> tuple[float | None, float | None, float | None]:
    """Intensity changes on ``earlier``: energy on 等价值 (both years need their rate), energy on 当量值, CO2."""

    def change(now: float | None, then: float | None) -> float | None:
        return None if now is None or not then else now / then - 1

    if earlier is None or not acc.gdp_constant or not earlier.gdp_constant:
        return None, None, None
    return (
        change(acc.energy_intensity, earlier.energy_intensity),
        change(acc.energy_intensity_calorific, earlier.energy_intensity_calorific),
        change(acc.carbon_intensity, earlier.carbon_intensity),
    )
