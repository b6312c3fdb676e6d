"""The 两高 project list's checks (pure, no Django): 验收 against the 节能审查 approval, and reported use running
past it.

No public source gives a tolerance for 验收 (actual against approved energy use): the coordinator enters
one with its document, and until then every 验收 judgement is 缺失 — the deviation is shown, never judged
against a number the platform made up.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbonpeak.core.text import Message, gettext_noop

# kept as these names, shown in the reader's language
STATUSES = (gettext_noop("拟建"), gettext_noop("在建"), gettext_noop("已投产"), gettext_noop("已淘汰"))
DISPOSALS = (gettext_noop("淘汰"), gettext_noop("改造升级"), gettext_noop("保留"), gettext_noop("暂停"))
WITHIN, BEYOND, MISSING, NOT_YET = (
    gettext_noop("符合"),
    gettext_noop("超出"),
    gettext_noop("缺失"),
    gettext_noop("未验收"),
)


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
        return Acceptance(NOT_YET, None, Message(gettext_noop("尚无验收实测能耗")))
    if approved_tce is None or approved_tce <= 0:
        return Acceptance(MISSING, None, Message(gettext_noop("节能审查批复的年综合能源消费量未录入")))
    deviation = (actual_tce - approved_tce) / approved_tce * 100
    figures = {"actual": f"{actual_tce:g}", "approved": f"{approved_tce:g}", "deviation": f"{deviation:+.1f}"}
    if tolerance_pct is None:
        return Acceptance(
            MISSING,
            deviation,
            Message(
                gettext_noop(
                    "验收实测 %(actual)s tce，批复 %(approved)s tce，偏差 %(deviation)s%%；"
                    "验收偏差容许值未录入（无公开来源，须由协调员录入并注明依据）"
                ),
                **figures,
            ),
        )
    if deviation > tolerance_pct:
        wording = gettext_noop(
            "验收实测 %(actual)s tce，批复 %(approved)s tce，偏差 %(deviation)s%%，超过容许值 %(tolerance)s%%"
        )
        return Acceptance(BEYOND, deviation, Message(wording, tolerance=f"{tolerance_pct:g}", **figures))
    wording = gettext_noop(
        "验收实测 %(actual)s tce，批复 %(approved)s tce，偏差 %(deviation)s%%，在容许值 %(tolerance)s%% 以内"
    )
    return Acceptance(WITHIN, deviation, Message(wording, tolerance=f"{tolerance_pct:g}", **figures))


def overrun(approved_tce: float | None, reported_tce: float | None, reported_year: int | None) -> str:
    """A warning when the latest reported annual use runs past the approval ('' when it does not, or when
    either figure is missing: nothing is judged on a missing figure)."""
    if approved_tce is None or reported_tce is None or reported_tce <= approved_tce:
        return ""
    over = (reported_tce - approved_tce) / approved_tce * 100 if approved_tce > 0 else None
    figures = {"reported": f"{reported_tce:g}", "approved": f"{approved_tce:g}"}
    if over is not None:
        figures["over"] = f"{over:.1f}"
    if reported_year:
        wording = (
            gettext_noop(
                "%(year)s年报告能耗 %(reported)s tce 超过节能审查批复 %(approved)s tce（超出 %(over)s%%）"
            )
            if over is not None
            else gettext_noop("%(year)s年报告能耗 %(reported)s tce 超过节能审查批复 %(approved)s tce")
        )
        return Message(wording, year=reported_year, **figures)
    wording = (
        gettext_noop("最新报告能耗 %(reported)s tce 超过节能审查批复 %(approved)s tce（超出 %(over)s%%）")
        if over is not None
        else gettext_noop("最新报告能耗 %(reported)s tce 超过节能审查批复 %(approved)s tce")
    )
    return Message(wording, **figures)
