"""Use of a carbon budget, by district and sector, graded with the barometer's cap rule (pure).

A district's use is its own account on the assessed boundary. A sector's use is the city's assessed total
attributed to sectors (本平台规则): each sector's own fuels and purchased heat, and the rest of the total —
the local power plants' emissions net of what the city exports, plus what it imports — spread over
electricity users by their kWh at one effective factor. The sectors' uses then sum to the city's total, as
the budgets do, so nothing is counted twice or dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbonpeak.monitoring.grading import Assessment, Grade, GradingTarget, Point, Rule, grade

from .allocation import PLATFORM_RULE

SECTOR_RULE = (
    f"行业用量（{PLATFORM_RULE}）：各行业自身燃料与外购热力排放，加上按用电量分摊的其余考核口径排放"
    "（本地电厂排放扣除调出、加上调入），各行业合计等于全市考核口径总量"
)


@dataclass(frozen=True)
class SectorUse:
    direct_tco2: float  # fuels burned and heat bought in the sector
    electricity_kwh: float


def attribute_to_sectors(
    total_tco2: float, sectors: dict[str, SectorUse], power_sector: str
) -> tuple[dict[str, float], float | None]:
    """Each sector's share of the assessed total and the effective factor (t per kWh) of the electricity
    part; the power sector's own fuels are the electricity part, not its direct use."""
    direct = sum(u.direct_tco2 for name, u in sectors.items() if name != power_sector)
    kwh = sum(u.electricity_kwh for u in sectors.values())
    rest = total_tco2 - direct
    factor = rest / kwh if kwh > 0 else None
    out = {}
    for name, use in sectors.items():
        own = 0.0 if name == power_sector else use.direct_tco2
        out[name] = own + (use.electricity_kwh * factor if factor is not None else 0.0)
    if factor is None and abs(rest) > 1e-6:
        out[power_sector] = out.get(power_sector, 0.0) + rest  # no electricity users: the rest stays with it
    return out, factor


@dataclass(frozen=True)
class Tracking:
    """One part's budget for a year against its use up to the latest quarter with data."""

    name: str
    budget_tco2: float
    used_tco2: float | None  # None: 未报
    period: str
    expected_tco2: float | None  # the budget's share for the quarters elapsed
    assessment: Assessment

    @property
    def remaining_tco2(self) -> float | None:
        return None if self.used_tco2 is None else self.budget_tco2 - self.used_tco2

    @property
    def used_share(self) -> float | None:
        if self.used_tco2 is None or self.budget_tco2 <= 0:
            return None
        return self.used_tco2 / self.budget_tco2


def track(
    name: str,
    year: int,
    budget_tco2: float,
    used: dict[int, float | None],
    shares: tuple[float, float, float, float],
    shares_basis: str,
) -> Tracking:
    """``used`` maps a quarter (1–4) to the year-to-date use; the latest quarter with a value is graded by the
    barometer's cap rule against the budget's seasonal share (over by up to 10 % yellow, 本平台规则)."""
    quarters = [q for q in sorted(used) if used[q] is not None]
    target = GradingTarget(
        rule=Rule.CAP,
        higher_is_better=False,
        target_year=year,
        target_value=budget_tco2,
        unit="吨",
        quarter_shares=shares,
        quarter_basis=shares_basis,
        cap_noun="碳预算",
    )
    if not quarters:
        missing = Assessment(Grade.UNGRADED, None, None, f"{year}年", f"{year}年用量未报，不作评估")
        return Tracking(name, budget_tco2, None, f"{year}年", None, missing)
    q = quarters[-1]
    assessment = grade(target, [Point(year, q, float(used[q]))])  # type: ignore[arg-type]
    return Tracking(name, budget_tco2, used[q], assessment.period, assessment.expected, assessment)
