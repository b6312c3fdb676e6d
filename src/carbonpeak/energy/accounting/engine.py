"""The engine: each region's periods accounted from the sums, year-to-date added, then completeness, electricity, the assessed basis and the economy (``account``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa

from carbonpeak.energy import catalog
from carbonpeak.energy import certificates as register
from carbonpeak.energy.catalog import Period, UnknownName
from carbonpeak.energy.factors import FactorSet, MissingFactor

from .aggregation import aggregate
from .assessed import _boundaries
from .completeness import _rows_absent_against_earlier_quarters, balance_gaps
from .economy import _apply_economy
from .electricity import _electricity, _physical
from .shapes import (
    BASE_YEAR,
    DEFAULT_GRID_REGION,
    FEEDSTOCK_USE,
    USES,
    AccountingError,
    Accounts,
    EconomicFigure,
    EnergyRecord,
    FuelAccount,
    IntensityTarget,
    PeriodAccount,
    SectorAccount,
)

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
        # never a missing quantity here: a group with one is refused above (``n_valued < n``)
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
            # every formula is linear in quantity: the quarters' rows summed by what they report are
            # accounted once, not once per quarter
            sums: dict[tuple[str, str, str, str], float] = defaultdict(float)
            merged = _Group()
            for q in range(1, last + 1):
                for sector, fuel, unit, quantity, use in by_quarter[q].rows:
                    sums[(sector, fuel, unit, use)] += quantity
                merged.records += by_quarter[q].records
            merged.rows = [(sector, fuel, unit, qty, use) for (sector, fuel, unit, use), qty in sums.items()]
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
            acc.by_fuel.setdefault(fuel.name, FuelAccount()).add(physical, tce, co2)
            sector_acc = acc.by_sector.setdefault(sector, SectorAccount())
            sector_acc.tce += tce
            sector_acc.co2_t += co2
            sector_acc.by_fuel.setdefault(fuel.name, FuelAccount()).add(physical, tce, co2)
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
