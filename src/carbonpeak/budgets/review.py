"""Project carbon assessment inside the energy-saving review (节能审查): which authority, whether a separate
review applies, and the share of the remaining carbon budget a project would take (pure, no Django).

The thresholds are read from ``data/project-review.csv``, each with its source and standing: the provincial
threshold of the 2023 办法 (secondary), the no-separate-review threshold of its draft (final text not
confirmed), Jiangsu's reporting threshold. The 2025 办法 (节能审查和碳排放评价) thresholds were not found: the
result says so beside every level rather than guess one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from carbonpeak.core.standing import standing

THRESHOLDS_FILE = Path(__file__).resolve().parent / "data" / "project-review.csv"


@dataclass(frozen=True)
class Threshold:
    key: str
    rule: str
    value: float | None
    unit: str
    applies_to: str
    source: str
    status: str


def thresholds() -> dict[str, Threshold]:
    with open(THRESHOLDS_FILE, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["key"]: Threshold(
            r["key"],
            r["rule"],
            float(r["value"]) if r["value"] else None,
            r["unit"],
            r["applies_to"],
            r["source"],
            r["status"],
        )
        for r in rows
    }


#: the level of a project whose declared figures cannot decide it (its 年用电量 unreported)
MISSING_LEVEL = "缺失（年用电量未报）"


@dataclass
class ReviewLevel:
    level: str  # 省级节能审查 / 地方节能审查 / 不单独进行节能审查
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"level": self.level, "reasons": self.reasons, "notes": self.notes}


def _standing(t: Threshold) -> str:
    return standing(t.status)


def review_level(tce_calorific: float, electricity_kwh: float | None, co2_t: float | None) -> ReviewLevel:
    """The review a project falls under by its declared annual energy (当量值, as the 办法 counts it)."""
    t = thresholds()
    provincial, small_tce, small_kwh = (
        t["provincial_review"],
        t["no_separate_review_tce"],
        t["no_separate_review_kwh"],
    )
    if tce_calorific >= provincial.value:
        out = ReviewLevel(
            "省级节能审查",
            [
                f"年综合能源消费量 {tce_calorific:,.0f} 吨标准煤（当量值）≥ {provincial.value:,.0f}（{_standing(provincial)}）"
            ],
        )
    elif tce_calorific < small_tce.value and electricity_kwh is None:  # missing is not 0 kWh
        out = ReviewLevel(
            MISSING_LEVEL,
            [
                f"年综合能源消费量 {tce_calorific:,.0f} 吨标准煤 < {small_tce.value:,.0f}，但年用电量未报："
                f"是否低于 {small_kwh.value / 1e4:,.0f} 万千瓦时、可不单独进行节能审查无法判断，请补填年用电量"
            ],
        )
    elif tce_calorific < small_tce.value and electricity_kwh < small_kwh.value:
        out = ReviewLevel(
            "不单独进行节能审查",
            [
                f"年综合能源消费量 {tce_calorific:,.0f} 吨标准煤 < {small_tce.value:,.0f}，且年用电量 "
                f"{electricity_kwh / 1e4:,.2f} 万千瓦时 < {small_kwh.value / 1e4:,.0f} 万千瓦时（{_standing(small_tce)}）"
            ],
        )
    else:
        why = (
            f"年综合能源消费量 {tce_calorific:,.0f} 吨标准煤，介于不单独审查门槛与省级门槛之间"
            if tce_calorific >= small_tce.value
            else f"年用电量 {electricity_kwh / 1e4:,.2f} 万千瓦时 ≥ {small_kwh.value / 1e4:,.0f} 万千瓦时"
        )
        out = ReviewLevel("地方节能审查", [f"{why}；具体由哪一级审查按省级规定（参考资料未给出江苏的分级）"])
    for key in ("jiangsu_reporting_tce", "jiangsu_reporting_co2"):
        r = t[key]
        value = tce_calorific if r.applies_to == "tce_calorific" else co2_t
        if value is not None and value >= r.value:
            out.notes.append(f"达到{r.rule}（{r.value:,.0f} {r.unit}，{_standing(r)}）：投产后须报送碳排放")
    out.notes.append(
        "碳排放评价结果纳入节能审查意见（国家发展改革委令2025年第31号）；该办法的分级门槛参考资料未找到，"
        "以上分级依据2023年办法"
    )
    return out


@dataclass(frozen=True)
class BudgetShare:
    share: float | None  # of the remaining budget; None: 缺失 (no budget) or nothing remains
    remaining_tco2: float | None
    words: str


def budget_share(
    project_co2_t: float, budget_tco2: float | None, used_tco2: float | None, who: str
) -> BudgetShare:
    """The project's annual CO2 as a share of what is left of a budget (budget − used to date)."""
    if budget_tco2 is None:
        return BudgetShare(None, None, f"{who}碳预算缺失（未设定）")
    if used_tco2 is None:
        return BudgetShare(None, None, f"{who}用量未报，剩余预算缺失")
    remaining = budget_tco2 - used_tco2
    if remaining <= 0:
        return BudgetShare(
            None, remaining, f"{who}预算已用完（超出 {-remaining:,.0f} 吨），项目排放无剩余空间"
        )
    share = project_co2_t / remaining
    return BudgetShare(
        share,
        remaining,
        f"项目年排放 {project_co2_t:,.0f} 吨 ÷ {who}剩余预算 {remaining:,.0f} 吨 = {share:.1%}",
    )


def per_value_added(quantity: float | None, value_added_10k: float | None) -> float | None:
    """A quantity per 万元 of value added; None (缺失) without a positive value added."""
    if quantity is None or not value_added_10k or value_added_10k <= 0:
        return None
    return quantity / value_added_10k
