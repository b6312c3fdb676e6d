"""The accounts' shapes: records in, period accounts out (fuels, sectors, the electricity balance), the boundaries and the error the engine raises."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from carbonpeak.core.text import Message, encode, gettext_noop
from carbonpeak.energy import catalog
from carbonpeak.energy import certificates as register
from carbonpeak.energy.catalog import Period
from carbonpeak.energy.factors import GridFactor

DEFAULT_GRID_REGION = "江苏"
# the three CO2 boundaries the engine returns; ASSESSED is the one every headline figure is on
TERRITORIAL, ASSESSED, CONSUMPTION = "territorial", "assessed", "consumption"
BOUNDARY_NAMES = {
    TERRITORIAL: gettext_noop("本地燃烧口径"),
    ASSESSED: gettext_noop("净调入口径"),
    CONSUMPTION: gettext_noop("消费口径"),
}
BOUNDARY_LABELS = {
    TERRITORIAL: gettext_noop("本地燃烧口径（辖区内化石燃料燃烧）"),
    ASSESSED: gettext_noop("净调入口径（本地燃烧＋外购热力＋净调入电力×电网因子）"),
    CONSUMPTION: gettext_noop("消费口径（终端用能燃烧＋外购热力＋全社会用电量×电网因子，本地电厂燃料不计）"),
}


def boundary_caption(boundary: str) -> str:
    """What every headline CO2 figure says it is on: the assessed boundary the factor set names."""
    return Message(gettext_noop("考核口径：%(boundary)s"), boundary=Message(BOUNDARY_LABELS[boundary]))


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

    def add(self, physical: float, tce: float, co2: float) -> None:
        """One reported row's quantity, standard coal and CO2 counted in."""
        self.quantity += physical
        self.tce += tce
        if self.tce_equivalent is not None:  # None is 缺失 (a rate missing): it stays so
            self.tce_equivalent += tce
        self.co2_t += co2

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
            mine.tce_equivalent = (
                None
                if mine.tce_equivalent is None or acc.tce_equivalent is None
                else mine.tce_equivalent + acc.tce_equivalent
            )
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
            "method": encode(self.method),
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
            "co2_boundary_label": encode(boundary_caption(self.co2_boundary)),
            "co2_t_by_boundary": {k: _r(v) for k, v in self.co2_by_boundary.items()},
            "carbon_intensity_change_fixed_grid": _r(self.carbon_intensity_change_fixed_grid, 6),
            "carbon_intensity_change_on_base_fixed_grid": _r(self.carbon_intensity_change_base_fixed_grid, 6),
            "complete": self.complete,
            "missing": encode(self.missing),
            "records": self.records,
            "notes": encode(self.notes),
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
