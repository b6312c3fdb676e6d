"""Scenarios as data: the assumptions of 基准/规划/强化情景 with their sources, and the plan's targets (pure).

``data/parameters.csv`` holds one row per assumption (scenario blank = every scenario) and override rows
per scenario. A value written ``plan:<指标>`` or ``plan-year:<指标>`` is read from the plan registry (the
targets the importer found), never from code; when the plan has no such target the lever that needs it is
switched off and the scenario says so.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

from carbonpeak.core.text import Message, gettext_noop
from carbonpeak.projection.model import LEVERS, UNRESOLVED, Assumption, ProjectionError, Scenario
from carbonpeak.projection.model.levers import BOUND_NAMES

DATA_DIR = Path(__file__).resolve().parent / "data"
PARAMETERS = DATA_DIR / "parameters.csv"
SCENARIOS = DATA_DIR / "scenarios.csv"
BASELINE, PLANNED, STRONGER = "基准情景", "规划情景", "强化情景"
#: the plan scenario with the measures the key projects in hand can size taken from them (bottom-up)
PIPELINE = "项目库情景"
BUILT_IN = (BASELINE, PLANNED, STRONGER, PIPELINE)


@dataclass(frozen=True)
class PlanTarget:
    """A target of the plan as the projection reads it."""

    indicator: str
    year: int | None
    value: float | None
    sentence: str = ""


@dataclass(frozen=True)
class _Row:
    key: str
    label: str
    unit: str
    distribution: str
    low: str
    mode: str
    high: str
    source: str


def _rows(path: Path = PARAMETERS) -> dict[str, dict[str, _Row]]:
    """scenario ('' for all) → key → row."""
    out: dict[str, dict[str, _Row]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in csv.DictReader(fh):
            row = _Row(
                line["key"],
                line["label"],
                line["unit"],
                line["distribution"],
                line["low"],
                line["mode"],
                line["high"],
                line["source"],
            )
            out.setdefault(line["scenario"], {})[row.key] = row
    return out


def default_number(key: str, path: Path = PARAMETERS) -> float:
    """A fixed parameter's value as every scenario has it by default (e.g. the existing coal capacity)."""
    return float(_rows(path)[""][key].mode)


def descriptions(path: Path = SCENARIOS) -> dict[str, str]:
    with path.open(encoding="utf-8") as fh:
        return {r["name"]: r["description"] for r in csv.DictReader(fh)}


def _number(text: str, plan: dict[str, PlanTarget], row: _Row, notes: list[str]) -> float | None:
    text = text.strip()
    if not text or text == "history":
        return None
    for prefix, attr in (("plan-year:", "year"), ("plan:", "value")):
        if text.startswith(prefix):
            indicator = text[len(prefix) :]
            target = plan.get(indicator)
            value = getattr(target, attr) if target else None
            if value is None:
                notes.append(
                    Message(
                        gettext_noop("方案中未找到“%(indicator)s”的目标年份（%(assumption)s）")
                        if attr == "year"
                        else gettext_noop("方案中未找到“%(indicator)s”的目标值（%(assumption)s）"),
                        indicator=indicator,
                        assumption=Message(row.label),
                    )
                )
                return None
            return float(value)
    try:
        return float(text)
    except ValueError:
        raise ProjectionError(f"parameters.csv：{row.key} 的值“{text}”不是数字") from None


def _assumption(row: _Row, plan: dict[str, PlanTarget], notes: list[str]) -> Assumption | None:
    if row.distribution == "normal" and row.mode == "history":
        return Assumption(row.key, row.label, row.unit, "history", source=row.source)
    values = [_number(v, plan, row, notes) for v in (row.low, row.mode, row.high)]
    needs_plan = any(v.startswith("plan") for v in (row.low, row.mode, row.high))
    if needs_plan and all(v is None for v in values):
        return None
    return Assumption(row.key, row.label, row.unit, row.distribution, *values, source=row.source)


def built_in(name: str, plan_targets: dict[str, PlanTarget], path: Path = PARAMETERS) -> Scenario:
    """One of 基准/规划/强化情景 with the plan's target values filled in."""
    if name not in BUILT_IN:
        raise ProjectionError(
            Message(
                gettext_noop("未知情景“%(name)s”；内置情景：%(built_in)s"),
                name=name,
                built_in=Message.join(list(BUILT_IN), separator="、"),
            )
        )
    rows = _rows(path)
    merged = dict(rows.get("", {}))
    merged.update(rows.get(PLANNED if name == PIPELINE else name, {}))
    notes: list[str] = []
    assumptions: dict[str, Assumption] = {}
    unresolved: set[str] = set()
    for key, row in merged.items():
        a = _assumption(row, plan_targets, notes)
        if a is None:
            unresolved.add(key)
        else:
            assumptions[key] = a
    scenario = Scenario(name, descriptions().get(name, ""), assumptions, notes)
    return _switch_off_unresolved(scenario, unresolved)


def _switch_off_unresolved(scenario: Scenario, unresolved: set[str]) -> Scenario:
    for key in unresolved:  # a placeholder keeps the model's inputs complete; its lever is off
        scenario.assumptions[key] = Assumption(key, key, "", "fixed", mode=0.0, source=UNRESOLVED)
    for lever in LEVERS:
        if unresolved & set(lever.parameters) and scenario.lever_on(lever.key):
            scenario = scenario.with_lever(lever.key, False)
            scenario.notes.append(
                Message(
                    gettext_noop("杠杆“%(lever)s”缺少方案目标值，本情景未启用"), lever=Message(lever.label)
                )
            )
    return scenario


def with_overrides(scenario: Scenario, name: str, description: str, overrides: dict[str, dict]) -> Scenario:
    """A coordinator's scenario: a built-in one with some assumptions replaced (checked like the CSV's)."""
    changed = dict(scenario.assumptions)
    for key, spec in overrides.items():
        base = changed.get(key)
        if base is None:
            raise ProjectionError(Message(gettext_noop("未知假设“%(key)s”"), key=key))
        changed[key] = replace(
            base,
            distribution=spec.get("distribution", base.distribution),
            low=_float(spec.get("low"), base, "low"),
            mode=_float(spec.get("mode"), base, "mode"),
            high=_float(spec.get("high"), base, "high"),
            source=spec.get("source") or base.source,
        )
    return Scenario(name, description, changed, list(scenario.notes))


def _float(value, base: Assumption, field: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ProjectionError(
            Message(
                gettext_noop("假设“%(label)s”的%(which)s值“%(value)s”不是数字"),
                label=Message(base.label),
                which=Message(BOUND_NAMES[field]),
                value=str(value)[:20],
            )
        ) from None


def from_stored(name: str, rows: list[dict]) -> Scenario:
    """The scenario a stored projection ran with (its ``assumptions`` rows): calibrated inputs are calibrated
    again on the history they are given, every other input keeps the value it had. What moved P uses it to
    run the new data with the old assumptions."""
    assumptions = {}
    for r in rows:
        if r.get("calibrated"):
            assumptions[r["key"]] = Assumption(r["key"], r["label"], r["unit"], "history", source=r["source"])
        else:
            assumptions[r["key"]] = Assumption(
                r["key"],
                r["label"],
                r["unit"],
                r["distribution"],
                r["low"],
                r["mode"],
                r["high"],
                r["source"],
            )
    return Scenario(name, "", assumptions, [])
