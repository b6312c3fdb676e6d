"""An enterprise's annual energy and CO2 by the city's own engine and factor set (pure, no Django).

The report becomes the records the statistics form would hold for a region of one enterprise: its fuels
under its sector, electricity bought as 电力调入, sold as 电力调出, generated as 本地发电 by source, and what it
consumed as 电力 of its sector. ``energy.accounting.account`` then gives energy on 当量值 and 等价值 and CO2 on
the boundaries the city uses: direct (fuels burned: the territorial boundary) and with purchased electricity
(the assessed boundary). A figure never reported stays 未报: the balance the engine checks says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carbonpeak.core.text import Message, gettext_noop
from carbonpeak.energy import catalog
from carbonpeak.energy.accounting import (
    ASSESSED,
    FEEDSTOCK_USE,
    FUEL_USE,
    TERRITORIAL,
    AccountingError,
    EnergyRecord,
    account,
)
from carbonpeak.energy.accounting.electricity import GRID_SHARE_MISSING
from carbonpeak.energy.factors import FactorSet


@dataclass(frozen=True)
class FuelLine:
    fuel: str
    unit: str
    quantity: float
    use: str = FUEL_USE  # 燃料 or 原料


@dataclass(frozen=True)
class ReportInput:
    code: str  # the enterprise's 统一社会信用代码: the engine's region
    sector: str
    year: int
    fuels: tuple[FuelLine, ...]
    bought_kwh: float | None
    sold_kwh: float | None
    generated_kwh: float | None = None
    generation_source: str = ""


@dataclass
class ReportFigures:
    energy_tce: float  # 当量值
    terminal_tce: float  # fuels (原料 included) and electricity consumed, on 当量值: as the city's sector accounts count
    energy_tce_equivalent: float | None  # 等价值; None (缺失) without the year's 发电 coal rate
    co2_t: (
        float  # with net purchased electricity (the city's assessed boundary: electricity sold is credited)
    )
    co2_direct_t: float  # fuels burned (territorial)
    electricity_kwh: float | None  # consumed: bought + generated − sold
    factor_set: str
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def records(report: ReportInput) -> list[EnergyRecord]:
    period = str(report.year)
    out = [
        EnergyRecord(period, report.code, report.sector, line.fuel, line.quantity, line.unit, line.use)
        for line in report.fuels
    ]
    if report.bought_kwh is not None:
        out.append(EnergyRecord(period, report.code, catalog.IMPORT, "电力", report.bought_kwh, "千瓦时"))
    if report.sold_kwh is not None:
        out.append(EnergyRecord(period, report.code, catalog.EXPORT, "电力", report.sold_kwh, "千瓦时"))
    if report.generated_kwh:
        out.append(
            EnergyRecord(
                period,
                report.code,
                catalog.GENERATION,
                report.generation_source,
                report.generated_kwh,
                "千瓦时",
            )
        )
    consumed = consumption(report)
    if consumed is not None:
        out.append(EnergyRecord(period, report.code, report.sector, "电力", consumed, "千瓦时"))
    return out


def consumption(report: ReportInput) -> float | None:
    """Electricity consumed: bought + generated − sold; None when bought or sold was not reported."""
    if report.bought_kwh is None or report.sold_kwh is None:
        return None
    # 自发电量 is asked of the enterprises that generate (the form leaves it blank for the others): blank is none
    return report.bought_kwh + (report.generated_kwh or 0.0) - report.sold_kwh


def figures(report: ReportInput, factors: FactorSet) -> ReportFigures:
    """Energy and CO2 of the report; ``AccountingError`` lists everything the engine cannot account."""
    problems = []
    for line in report.fuels:
        if line.use not in (FUEL_USE, FEEDSTOCK_USE):
            problems.append(Message(gettext_noop("%(fuel)s：用途须为“燃料”或“原料”"), fuel=line.fuel))
    if report.generated_kwh and not report.generation_source:
        problems.append(Message(gettext_noop("填了自发电量，须选择发电类型")))
    consumed = consumption(report)
    if consumed is not None and consumed < 0:
        problems.append(
            Message(
                gettext_noop("外购电量加自发电量小于外供电量（用电量为 %(kwh)s 千瓦时）"), kwh=f"{consumed:g}"
            )
        )
    if problems:
        raise AccountingError(problems)
    accounts = account(records(report), factors, cumulate=False)
    acc = accounts.get(report.code, str(report.year))
    # the grid's non-fossil share matters to the city's non-fossil ratio, not to one enterprise's figures
    missing = [m for m in acc.missing if getattr(m, "template", None) != GRID_SHARE_MISSING]
    if report.bought_kwh is None:
        missing.append(Message(gettext_noop("外购电量未报")))
    if report.sold_kwh is None:
        missing.append(Message(gettext_noop("外供电量未报（没有则填 0）")))
    return ReportFigures(
        energy_tce=acc.energy_tce,
        # an enterprise reporting no fuel of its sector's consumes none there (its lines were all checked)
        terminal_tce=acc.by_sector[report.sector].terminal_tce if report.sector in acc.by_sector else 0.0,
        energy_tce_equivalent=acc.energy_tce_equivalent,
        co2_t=acc.co2_by_boundary.get(ASSESSED, acc.co2_t),
        co2_direct_t=acc.co2_by_boundary.get(TERRITORIAL),  # None (缺失) where the account stopped short
        electricity_kwh=consumed,
        factor_set=factors.label,
        missing=list(dict.fromkeys(missing)),
        notes=list(acc.notes),
    )
