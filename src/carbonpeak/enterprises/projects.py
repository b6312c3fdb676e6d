"""The 两高 project list's checks (pure, no Django): 验收 against the 节能审查 approval, and reported use running
past it.

No public source gives a tolerance for 验收 (actual against approved energy use): the coordinator enters
one with its document, and until then every 验收 judgement is 缺失 — the deviation is shown, never judged
against a number the platform made up.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("拟建", "在建", "已投产", "已淘汰")
DISPOSALS = ("淘汰", "改造升级", "保留", "暂停")
WITHIN, BEYOND, MISSING, NOT_YET = "符合", "超出", "缺失", "未验收"


@dataclass(frozen=True)
class Acceptance:
    status: str
    deviation_pct: float | None  # (actual − approved) / approved, in %
    why: str


def acceptance(
    approved_tce: float | None, actual_tce: float | None, tolerance_pct: float | None
) -> Acceptance:
    """验收: the actual annual energy use against the approved one, within the entered tolerance."""
    if actual_tce is None:
        return Acceptance(NOT_YET, None, "尚无验收实测能耗")
    if approved_tce is None or approved_tce <= 0:
        return Acceptance(MISSING, None, "节能审查批复的年综合能源消费量未录入")
    deviation = (actual_tce - approved_tce) / approved_tce * 100
    said = f"验收实测 {actual_tce:g} tce，批复 {approved_tce:g} tce，偏差 {deviation:+.1f}%"
    if tolerance_pct is None:
        return Acceptance(
            MISSING, deviation, said + "；验收偏差容许值未录入（无公开来源，须由协调员录入并注明依据）"
        )
    if deviation > tolerance_pct:
        return Acceptance(BEYOND, deviation, said + f"，超过容许值 {tolerance_pct:g}%")
    return Acceptance(WITHIN, deviation, said + f"，在容许值 {tolerance_pct:g}% 以内")


def overrun(approved_tce: float | None, reported_tce: float | None, reported_year: int | None) -> str:
    """A warning when the latest reported annual use runs past the approval ('' when it does not, or when
    either figure is missing: nothing is judged on a missing figure)."""
    if approved_tce is None or reported_tce is None or reported_tce <= approved_tce:
        return ""
    over = (reported_tce - approved_tce) / approved_tce * 100 if approved_tce > 0 else None
    year = f"{reported_year}年" if reported_year else "最新"
    extent = f"（超出 {over:.1f}%）" if over is not None else ""
    return f"{year}报告能耗 {reported_tce:g} tce 超过节能审查批复 {approved_tce:g} tce{extent}"
