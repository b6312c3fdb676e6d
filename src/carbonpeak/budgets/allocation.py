"""Carbon budgets: the city's for a year, its quarters, and its allocation to districts and sectors (pure).

A budget is CO2 on the assessed boundary (the factor set's 考核口径). The city's comes either from the figure
handed down (下达) or from the CO2-intensity target and the GDP path; it is split into quarters by the base
year's own seasonal pattern, and allocated to parts by a recorded method. Every computed allocation sums to
the whole exactly, in whole tonnes: the remainder of rounding goes by largest remainder (本平台规则), so no
tonne is lost or made up. A manual allocation must sum to the whole, or it is refused with the difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

PLATFORM_RULE = "本平台规则"
TEN_THOUSAND = 1e4  # 万元 per 亿元


class WholeMethod(StrEnum):
    HANDED_DOWN = "handed_down"
    INTENSITY = "intensity"

    @property
    def label(self) -> str:
        return {WholeMethod.HANDED_DOWN: "上级下达", WholeMethod.INTENSITY: "按强度目标与地区生产总值测算"}[
            self
        ]


class Method(StrEnum):
    HISTORICAL = "historical"
    INTENSITY = "intensity"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return METHOD_LABELS[self]


METHOD_LABELS = {
    Method.HISTORICAL: "历史排放占比法",
    Method.INTENSITY: "强度法（基年排放 × 预期增长）",
    Method.MANUAL: "手工分配",
}
METHOD_RULES = {
    Method.HISTORICAL: f"各部分按基年二氧化碳排放占比分配（{PLATFORM_RULE}：按最大余数取整到吨，合计等于总量）",
    Method.INTENSITY: (
        "各部分保持基年碳排放强度同比例下降：权重 = 基年排放 ×（1 + 预期地区生产总值增速），"
        f"再按比例缩放到总量（{PLATFORM_RULE}：按最大余数取整到吨，合计等于总量）"
    ),
    Method.MANUAL: "协调员逐项录入，合计须等于总量",
}


class BudgetError(ValueError):
    """Inputs a budget or an allocation cannot be made from; ``problems`` names every one, in Chinese."""

    def __init__(self, problems: list[str]):
        self.problems = list(dict.fromkeys(problems))
        super().__init__("；".join(self.problems))


@dataclass(frozen=True)
class IntensityBasis:
    """What the intensity method reads: the target (reduction on its baseline year by its target year), the
    baseline year's intensity, the previous year's GDP at constant prices and the expected real growth."""

    baseline_year: int
    baseline_intensity: float  # t CO2 per 万元 of GDP at the accounts' constant prices
    target_year: int
    reduction_pct: float  # the required fall of intensity on the baseline, %
    previous_gdp_constant: float  # 亿元, constant prices, of the year before the budget year
    growth_pct: float  # expected real growth of the budget year, %
    price_year: int  # the year whose prices the accounts' constant GDP is in (the accounts' base year)


@dataclass(frozen=True)
class CityBudget:
    year: int
    tco2: float
    allowed_intensity: float | None = None
    gdp_constant: float | None = None
    words: str = ""


def budget_from_intensity(year: int, basis: IntensityBasis) -> CityBudget:
    """Budget = intensity allowed for the year × expected GDP. The allowed intensity falls by the equal yearly
    rate that meets the target (本平台规则: the national target gives the end point, not the yearly path)."""
    problems = []
    years = basis.target_year - basis.baseline_year
    if years <= 0:
        problems.append("强度目标的目标年须晚于基准年")
    if not basis.baseline_year < year <= basis.target_year:
        problems.append(
            f"预算年份 {year} 不在强度目标的期间（{basis.baseline_year}–{basis.target_year}年）内；"
            "请先录入下一期的强度目标"
        )
    if not 0 <= basis.reduction_pct < 100:
        problems.append("强度下降目标须在 0–100% 之间")
    if basis.baseline_intensity <= 0 or basis.previous_gdp_constant <= 0:
        problems.append("基准年碳排放强度与上年地区生产总值须为正数")
    if not -50 < basis.growth_pct < 50:
        problems.append("预期增速须在 −50% 至 50% 之间")
    if problems:
        raise BudgetError(problems)
    rate = 1 - (1 - basis.reduction_pct / 100) ** (1 / years)
    intensity = basis.baseline_intensity * (1 - rate) ** (year - basis.baseline_year)
    gdp = basis.previous_gdp_constant * (1 + basis.growth_pct / 100)
    tco2 = intensity * gdp * TEN_THOUSAND
    words = (
        f"{basis.baseline_year}年碳排放强度 {basis.baseline_intensity:.4f} 吨/万元，{basis.target_year}年下降"
        f" {basis.reduction_pct:g}%，年均降 {rate * 100:.2f}%（等比例，{PLATFORM_RULE}）→ {year}年允许强度"
        f" {intensity:.4f} 吨/万元；{year - 1}年地区生产总值（{basis.price_year}年不变价）"
        f"{basis.previous_gdp_constant:,.2f} 亿元 × (1 + {basis.growth_pct:g}%) = {gdp:,.2f} 亿元"
    )
    return CityBudget(year, round(tco2), intensity, gdp, words)


def quarter_shares(quarters: list[float | None] | None) -> tuple[tuple[float, float, float, float], str]:
    """Each quarter's share of the year from the base year's quarterly emissions; without a full year of them,
    equal quarters (本平台规则). Returns the shares and the words saying which."""
    if quarters and len(quarters) == 4 and all(q is not None and q > 0 for q in quarters):
        total = sum(quarters)
        return tuple(q / total for q in quarters), "按基年各季度排放占比"  # type: ignore[return-value]
    return (0.25, 0.25, 0.25, 0.25), f"基年无完整季度数据，四季度均分（{PLATFORM_RULE}）"


@dataclass(frozen=True)
class PartBasis:
    """One part (a district, a sector) with what the methods read."""

    name: str
    base_tco2: float | None = None  # the base year's CO2 on the same boundary as the budget
    growth_pct: float | None = None  # expected real growth (intensity method)
    manual_tco2: float | None = None  # entered (manual method)


@dataclass(frozen=True)
class Share:
    name: str
    tco2: int
    weight: float | None  # the method's weight, None for manual


def allocate(whole: float, method: Method, parts: list[PartBasis]) -> list[Share]:
    """The parts' budgets; they sum to ``round(whole)`` exactly. ``BudgetError`` names every missing input."""
    total = round(whole)
    if not parts:
        raise BudgetError(["没有可分配的部分"])
    names = [p.name for p in parts]
    if len(set(names)) != len(names):
        raise BudgetError(["分配对象重复"])
    if method == Method.MANUAL:
        return _manual(total, parts)
    problems = []
    weights = []
    for p in parts:
        if p.base_tco2 is None:
            problems.append(f"{p.name}：基年排放缺失（未报），无法按{method.label}分配")
            continue
        if p.base_tco2 < 0:
            problems.append(f"{p.name}：基年排放为负（{p.base_tco2:,.0f} 吨），请先核对数据")
            continue
        weight = p.base_tco2
        if method == Method.INTENSITY:
            if p.growth_pct is None:
                problems.append(f"{p.name}：预期地区生产总值增速缺失")
                continue
            weight *= 1 + p.growth_pct / 100
        weights.append(weight)
    if problems:
        raise BudgetError(problems)
    if sum(weights) <= 0:
        raise BudgetError(["各部分基年排放合计为零，无法按占比分配"])
    return [
        Share(p.name, t, w) for p, t, w in zip(parts, largest_remainder(total, weights), weights, strict=True)
    ]


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Whole tonnes proportional to ``weights`` that sum to ``total``: floors, then the largest remainders
    get one tonne each (ties to the earlier part)."""
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    floors = [math.floor(x) for x in exact]
    short = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:short]:
        floors[i] += 1
    return floors


def _manual(total: int, parts: list[PartBasis]) -> list[Share]:
    problems = [f"{p.name}：未填写分配量" for p in parts if p.manual_tco2 is None]
    problems += [
        f"{p.name}：分配量不能为负" for p in parts if p.manual_tco2 is not None and p.manual_tco2 < 0
    ]
    if problems:
        raise BudgetError(problems)
    values = [round(p.manual_tco2) for p in parts]  # type: ignore[arg-type]
    gap = total - sum(values)
    if gap:
        more = "少" if gap > 0 else "多"
        raise BudgetError(
            [
                f"各部分合计 {sum(values):,} 吨，与总量 {total:,} 吨相差 {abs(gap):,} 吨（{more}分配），请调整后再保存"
            ]
        )
    return [Share(p.name, v, None) for p, v in zip(parts, values, strict=True)]
