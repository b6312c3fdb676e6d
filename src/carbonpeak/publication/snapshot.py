"""What a release shows the public, taken from the quarter's report content (pure, no Django).

Only what is listed here leaves the platform: the headline energy and carbon figures, the barometer of
targets with their grades and reasons, one sentence of progress per action (counts of approved reports,
never a department's narrative), and the report's summary sentences. Each figure keeps its unit, its period,
its data state (缺失 stays 缺失, never 0) and its source.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from carbonpeak.reports.content import Report, Table

MISSING = "缺失"
REVIEWED = "已审核"


@dataclass(frozen=True)
class ActionProgress:
    """One action of the plan and the progress states of its approved reports in the quarter."""

    name: str
    states: list[str]  # e.g. ["按计划推进", "已完成"] — one per approved report
    due: int  # reports due in the quarter for the action's tasks


def _table(report: Report, key: str) -> Table | None:
    return next((t for t in report.tables() if t.key == key), None)


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


SAMPLE_INPUT = "示例输入"
#: the headline figures on 等价值 (they need the year's 发电 coal rate or the grid's non-fossil share)
_ON_EQUIVALENT = ("等价值", "考核用", "能耗", "非化石", "煤炭消费比重")


def accounting_notes(report: Report) -> list[str]:
    """The accounts' own notes (an input stood in for, a figure incomplete), as the report prints them."""
    energy = next((s for s in report.sections if s.key == "energy"), None)
    if energy is None:
        return []
    return [_for_the_public(p) for p in energy.paragraphs if p.startswith(("核算说明：", "数据缺失或不全："))]


def _for_the_public(note: str) -> str:
    """A note without the platform's instructions to its own users (where to enter what, what to rerun)."""
    note = re.sub(r"（“[^”]*”中的[^）]*）", "", note)
    return re.split(r"[；;]\s*请", note)[0].rstrip("，；。") + "。"


def figures(report: Report, ytd_label: str) -> list[dict]:
    """The headline figures (the report's 主要指标, year to date), each with unit, period, state and source;
    a figure that rests on a 示例输入 says so."""
    table = _table(report, "主要指标")
    if table is None:
        return []
    on_sample_input = any(SAMPLE_INPUT in n for n in accounting_notes(report))
    found = []
    for name, unit, _quarter, ytd, _before, change, _target in table.rows:
        value = _number(ytd)
        note = ""
        if value is not None and on_sample_input and any(k in name for k in _ON_EQUIVALENT):
            note = f"依赖{SAMPLE_INPUT}（发电标准煤耗或电网非化石电量占比），仅供演示"
        found.append(
            {
                "name": name,
                "value": value,
                "unit": unit,
                "period": ytd_label,
                "state": REVIEWED if value is not None else MISSING,
                "change_pct": _number(change),
                "source": table.source,
                "note": note,
            }
        )
    return found


def targets(report: Report) -> list[dict]:
    """The barometer: each target with its grade, the reason for it and the data it was graded on."""
    table = _table(report, "目标晴雨表")
    if table is None:
        return []
    return [
        {
            "name": indicator,
            "target": target,
            "period": period,
            "value": _number(value),
            "expected": _number(expected),
            "unit": unit,
            "grade": grade,
            "state": state,
            "reason": reason,
        }
        for indicator, target, period, value, expected, unit, grade, state, reason in table.rows
    ]


def action_sentence(action: ActionProgress) -> str:
    """One sentence of an action's progress in the quarter, from the approved reports' states only."""
    if not action.due:
        return "本季度无应报进展。"
    if not action.states:
        return f"本季度应报进展{action.due}份，尚无已审核的进展。"
    counts = Counter(action.states)
    states = "，".join(f"{state}{n}项" for state, n in counts.most_common())
    return f"本季度应报进展{action.due}份，已审核{len(action.states)}份：{states}。"


def build(report: Report, ytd_label: str, actions: list[ActionProgress]) -> dict:
    """The frozen content of a release."""
    overview = next((s for s in report.sections if s.key == "overview"), None)
    return {
        "region": report.region,
        "period": report.period_key,
        "period_label": report.period_label,
        "sample": report.sample,
        "summary": list(overview.paragraphs) if overview else [],
        "notes": accounting_notes(report),
        "figures": figures(report, ytd_label),
        "targets": targets(report),
        "actions": [{"name": a.name, "progress": action_sentence(a)} for a in actions],
        "as_of": report.data_version.get("评估数据截至", report.period_label),
    }
