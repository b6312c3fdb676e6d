"""What a release shows the public, taken from the quarter's report content (pure, no Django).

Only what is listed here leaves the platform: the headline energy and carbon figures, the barometer of
targets with their grades and reasons, one sentence of progress per action (counts of approved reports,
never a department's narrative), and the report's summary sentences. Each figure keeps its unit, its period,
its data state (缺失 stays 缺失, never 0) and its source. The content is in the report's language: its
tables and sections are found by their keys and its words are the report's own (``Report.word``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from carbonpeak.reports.content import EQUIVALENT_FIELDS, Report, Table

GRADE_LEVELS = ("green", "yellow", "red")


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


#: the platform's instructions to its own users inside a note (where to enter what, what to rerun), in the
#: platform's languages: a place in the platform, and the sentence that tells what to do
_WHERE = re.compile(r"（“[^”]*”中的[^）]*）|\s*\(“[^”]*” under “[^”]*”[^)]*\)")
_WHAT_TO_DO = re.compile(r"[；;]\s*请|[;:]\s*(?:please|enter)\b", re.IGNORECASE)


def accounting_notes(report: Report) -> list[str]:
    """The accounts' own notes (an input stood in for, a figure incomplete), as the report prints them."""
    energy = next((s for s in report.sections if s.key == "energy"), None)
    if energy is None:
        return []
    return [_for_the_public(note, report.word("full_stop")) for note in energy.notes]


def _for_the_public(note: str, full_stop: str = "") -> str:
    """A note without the platform's instructions to its own users (where to enter what, what to rerun)."""
    return _WHAT_TO_DO.split(_WHERE.sub("", note))[0].rstrip("，；。,;. ") + full_stop


def figures(report: Report, ytd_label: str) -> list[dict]:
    """The headline figures (the report's 主要指标, year to date), each with unit, period, state and source;
    a figure that rests on a 示例输入 says so."""
    table = _table(report, "主要指标")
    if table is None:
        return []
    on_sample_input = any(report.word("sample_input") in n for n in accounting_notes(report))
    keys = table.row_keys or [""] * len(table.rows)
    found = []
    for key, (name, unit, _quarter, ytd, _before, change, _target) in zip(keys, table.rows, strict=True):
        value = _number(ytd)
        found.append(
            {
                "name": name,
                "value": value,
                "unit": unit,
                "period": ytd_label,
                "state": report.word("reviewed") if value is not None else report.word("missing"),
                "change_pct": _number(change),
                "source": table.source,
                "note": report.word("on_sample_input")
                if value is not None and on_sample_input and key in EQUIVALENT_FIELDS
                else "",
            }
        )
    return found


def _level(report: Report, grade: str) -> str:
    """A grade's colour, whatever language it is named in (green, yellow, red, else ungraded)."""
    return next((level for level in GRADE_LEVELS if report.word(f"grade:{level}") == grade), "ungraded")


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
            "level": _level(report, grade),
            "state": state,
            "reason": _for_the_public(reason),
        }
        for indicator, target, period, value, expected, unit, grade, state, reason in table.rows
    ]


def action_sentence(action: ActionProgress, report: Report) -> str:
    """One sentence of an action's progress in the quarter, from the approved reports' states only."""
    if not action.due:
        return report.word("no_progress_due")
    if not action.states:
        return report.word("none_reviewed", due=action.due)
    counts = Counter(action.states)
    states = report.word("list_separator").join(
        report.word("state_count", state=state, n=n) for state, n in counts.most_common()
    )
    return report.word("progress_reviewed", due=action.due, reviewed=len(action.states), states=states)


def build(report: Report, ytd_label: str, actions: list[ActionProgress]) -> dict:
    """The frozen content of a release, in the report's language."""
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
        "actions": [{"name": a.name, "progress": action_sentence(a, report)} for a in actions],
        "as_of": report.period_label,
    }
