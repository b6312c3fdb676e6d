"""The plan's PV rules (三(二)1) evaluated for each building of the register (pure, no Django).

Thresholds come from ``data/pv-rules.csv`` with the plan's sentence beside each. A building may fall under
several rules; each gives a status:

- 合规: the rule applies and the building meets it (PV installed; for storage, the share reached);
- 待安装: the rule applies and it does not (yet);
- 豁免: the rule applies, and the coordinator recorded why it cannot (不符合安全条件, 不具备条件 …);
- 缺失: whether or how the rule applies cannot be told, because a figure it needs was never reported
  (an enterprise's annual energy use, the PV installed): never read as zero.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from carbonpeak.core.text import Message, gettext_noop

RULES_FILE = Path(__file__).with_name("data") / "pv-rules.csv"
COMPLIANT, TO_INSTALL, EXEMPT, MISSING = "合规", "待安装", "豁免", "缺失"
#: the rules' names as ``pv-rules.csv`` gives them, named here so that the catalogue has them (a test keeps
#: the two the same)
RULE_NAMES = (
    gettext_noop("新建工业建筑同步建设光伏"),
    gettext_noop("既有工业建筑（年能耗或用电量达标）安装分布式光伏"),
    gettext_noop("国有资本为主投资的既有标准厂房100%安装光伏"),
    gettext_noop("2兆瓦以上光伏项目配建储能"),
)
ROOF_AREA, ENERGY_USE, ELECTRICITY_USE = (
    gettext_noop("屋顶面积"),
    gettext_noop("年综合能耗（当量值）"),
    gettext_noop("年用电量"),
)


@dataclass(frozen=True)
class RuleSet:
    roof_area_min: float
    energy_min_tce: float
    electricity_min_kwh: float
    state_share: float
    storage_pv_min_mw: float
    storage_share_min: float
    names: dict[str, str]
    sources: dict[str, str]


def load_rules(path: Path = RULES_FILE) -> RuleSet:
    values: dict[tuple[str, str], float] = {}
    names: dict[str, str] = {}
    sources: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            values[(row["rule"], row["parameter"])] = float(row["value"])
            names[row["rule"]] = row["name"]
            sources.setdefault(row["rule"], row["source"])
    return RuleSet(
        roof_area_min=values[("new_roof", "roof_area_min")],
        energy_min_tce=values[("existing_large_user", "energy_min_tce_equivalent")],
        electricity_min_kwh=values[("existing_large_user", "electricity_min_kwh")],
        state_share=values[("state_standard_factory", "share")],
        storage_pv_min_mw=values[("storage", "pv_min_mw")],
        storage_share_min=values[("storage", "storage_share_min")],
        names=names,
        sources=sources,
    )


@dataclass(frozen=True)
class Building:
    enterprise: str
    name: str
    industrial: bool = True
    new_build: bool = False
    roof_area_m2: float | None = None
    standard_factory: bool = False
    state_capital: bool = False
    pv_installed_mw: float | None = None  # None: never reported
    storage_mw: float | None = None
    exemption: str = ""  # why the building cannot install, as the coordinator recorded it


@dataclass(frozen=True)
class EnterpriseUse:
    """An enterprise's annual use for the year evaluated; None where not reported."""

    energy_tce_equivalent: float | None = None  # 当量值
    electricity_kwh: float | None = None


@dataclass
class Finding:
    rule: str
    name: str
    status: str
    why: str  # a Message: said in the reader's language
    installed_mw: float | None
    storage_share: float | None = None  # % of the PV capacity
    source: str = ""
    needs: list[str] = field(default_factory=list)


def _exempt(b: Building) -> Message:
    return Message(gettext_noop("豁免：%(why)s"), why=b.exemption)


def _installed(b: Building, rule: str, rules: RuleSet, why: Message) -> Finding:
    parts = [why]
    if b.exemption:
        status = EXEMPT
        parts.append(_exempt(b))
    elif b.pv_installed_mw is None:
        status = MISSING
        parts.append(Message(gettext_noop("光伏装机未报")))
    else:
        status = COMPLIANT if b.pv_installed_mw > 0 else TO_INSTALL
    return Finding(
        rule, rules.names[rule], status, Message.join(parts), b.pv_installed_mw, source=rules.sources[rule]
    )


def evaluate(b: Building, use: EnterpriseUse, rules: RuleSet) -> list[Finding]:
    """The rules that apply (or may apply) to a building, each with its status and why.

    (Long: the plan's four rules one after the other, each with the sentences that say why it applies or what
    it lacks — kept together so that a rule and its reasons read as the plan gives them.)"""
    out: list[Finding] = []
    if b.industrial and b.new_build:
        if b.roof_area_m2 is None:
            out.append(
                Finding(
                    "new_roof",
                    rules.names["new_roof"],
                    MISSING,
                    Message(gettext_noop("新建工业建筑，屋顶面积未报")),
                    b.pv_installed_mw,
                    source=rules.sources["new_roof"],
                    needs=[ROOF_AREA],
                )
            )
        elif b.roof_area_m2 >= rules.roof_area_min:
            out.append(
                _installed(
                    b,
                    "new_roof",
                    rules,
                    Message(
                        gettext_noop("新建工业建筑，屋顶 %(roof)s m² ≥ %(least)s m²"),
                        roof=f"{b.roof_area_m2:g}",
                        least=f"{rules.roof_area_min:g}",
                    ),
                )
            )
    if b.industrial and not b.new_build:
        energy, power = use.energy_tce_equivalent, use.electricity_kwh
        over = []
        if energy is not None and energy >= rules.energy_min_tce:
            over.append(
                Message(
                    gettext_noop("年能耗 %(energy)s tce（当量值）≥ %(least)s"),
                    energy=f"{energy:g}",
                    least=f"{rules.energy_min_tce:g}",
                )
            )
        if power is not None and power >= rules.electricity_min_kwh:
            over.append(
                Message(
                    gettext_noop("年用电量 %(power)s 万kWh ≥ %(least)s 万kWh"),
                    power=f"{power / 1e4:g}",
                    least=f"{rules.electricity_min_kwh / 1e4:g}",
                )
            )
        if over:
            why = Message(gettext_noop("既有工业建筑，%(over)s"), over=Message.join(over, separator="，"))
            out.append(_installed(b, "existing_large_user", rules, why))
        elif energy is None or power is None:
            needs = [n for n, v in ((ENERGY_USE, energy), (ELECTRICITY_USE, power)) if v is None]
            out.append(
                Finding(
                    "existing_large_user",
                    rules.names["existing_large_user"],
                    MISSING,
                    Message(
                        gettext_noop("既有工业建筑，%(needs)s未报：无法判断是否达到门槛"),
                        needs=Message.join([Message(n) for n in needs], separator="、"),
                    ),
                    b.pv_installed_mw,
                    source=rules.sources["existing_large_user"],
                    needs=needs,
                )
            )
    if b.standard_factory and b.state_capital and not b.new_build:
        why = Message(gettext_noop("以国有资本为主投资的既有标准厂房"))
        out.append(_installed(b, "state_standard_factory", rules, why))
    if b.pv_installed_mw is not None and b.pv_installed_mw >= rules.storage_pv_min_mw:
        parts = [
            Message(
                gettext_noop("光伏装机 %(pv)s MW ≥ %(least)s MW"),
                pv=f"{b.pv_installed_mw:g}",
                least=f"{rules.storage_pv_min_mw:g}",
            )
        ]
        if b.storage_mw is None:
            status, share = MISSING, None
            parts.append(Message(gettext_noop("储能容量未报")))
        else:
            share = b.storage_mw / b.pv_installed_mw * 100
            status = COMPLIANT if share >= rules.storage_share_min else TO_INSTALL
            parts.append(
                Message(
                    gettext_noop("储能 %(storage)s MW，为装机的 %(share)s%%（要求不低于 %(least)s%%）"),
                    storage=f"{b.storage_mw:g}",
                    share=f"{share:.1f}",
                    least=f"{rules.storage_share_min:g}",
                )
            )
        if b.exemption and status != COMPLIANT:
            status = EXEMPT
            parts.append(_exempt(b))
        why = Message.join(parts)
        out.append(
            Finding(
                "storage",
                rules.names["storage"],
                status,
                why,
                b.pv_installed_mw,
                share,
                rules.sources["storage"],
            )
        )
    return out
