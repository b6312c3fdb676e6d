"""The economy: intensities at comparable prices, their change, and the decomposition of the change."""

from __future__ import annotations

from carbonpeak.core.text import Message, gettext_noop
from carbonpeak.energy import catalog
from carbonpeak.energy.catalog import Period, UnknownName

from .assessed import _assessed
from .shapes import (
    ASSESSED,
    CONSUMPTION,
    TEN_THOUSAND,
    TERRITORIAL,
    Accounts,
    EconomicFigure,
    IntensityTarget,
    PeriodAccount,
)


def _apply_economy(
    accounts: Accounts,
    economy: list[EconomicFigure],
    problems: list[str],
    target: IntensityTarget | None = None,
) -> None:
    """(Long: the economy's figures step by step as docs/accounting.md writes them.)"""
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
            acc.notes.append(
                Message(gettext_noop("缺少可比价地区生产总值（需基期现价值和逐年实际增速），强度无法计算"))
            )
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
    # an account without its grid factor stops before this (MissingFactor): 0.0 is never used as a factor
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
