"""What the statistics left out: balance lines not reported, rows reported before and absent now (数据不全, never 0)."""

from __future__ import annotations

from collections.abc import Iterable

from carbonpeak.core.text import Message, gettext_noop
from carbonpeak.energy import catalog
from carbonpeak.energy.catalog import Period

from .shapes import POWER_SECTOR, PeriodAccount


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
                if other in sectors:
                    wording = gettext_noop(
                        "数据不全：%(item)s未报（%(other)s已报）；调入、调出均须填报，没有则填 0"
                    )
                    gaps.append(Message(wording, item=Message(item), other=Message(other)))
                else:
                    wording = gettext_noop("数据不全：%(item)s未报；调入、调出均须填报，没有则填 0")
                    gaps.append(Message(wording, item=Message(item)))
    burns_fuel = any(sector == POWER_SECTOR and fuel not in ("电力", "热力") for sector, fuel in reported)
    if burns_fuel and catalog.GENERATION not in sectors:
        gaps.append(
            Message(
                gettext_noop("数据不全：%(sector)s有燃料消费，但未报本地发电量（按电源分列）"),
                sector=Message(POWER_SECTOR),
            )
        )
    return gaps


def absent_rows(current: set[tuple[str, str]], earlier: Iterable[set[tuple[str, str]]]) -> list[str]:
    """Rows (sector × fuel) reported in any of the earlier quarters and absent now: 数据不全, not zero."""
    seen = set().union(*earlier) if earlier else set()
    wording = gettext_noop("数据不全：%(sector)s·%(fuel)s 前四个季度中报送过，本季度未报（确为零请填 0）")
    return [
        Message(wording, sector=Message(sector), fuel=Message(fuel))
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
                    acc.missing.append(
                        Message(gettext_noop("%(period)s%(gap)s"), period=quarter.period.label, gap=gap)
                    )
