"""Gather a quarter's figures from the platform into a ``Report`` (reads only; the jobs are in services).

Every number comes from the platform's own records: the accounting run (with its factor set), the
targets' grades on data up to the quarter, the progress reports approved for the quarter, the warnings,
the 规划情景 projection, and the data-quality trail. The report is stored with the versions it used.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from carbonpeak.core import clock
from carbonpeak.core.language import said, said_all
from carbonpeak.core.models import ReviewStatus
from carbonpeak.core.periods import InvalidPeriod, Period, parse_period
from carbonpeak.energy import selectors as energy
from carbonpeak.energy.accounting import (
    ASSESSED,
    BOUNDARY_LABELS,
    BOUNDARY_NAMES,
    CONSUMPTION,
    TERRITORIAL,
    boundary_caption,
)
from carbonpeak.energy.models import AccountingResult, AccountingRun, EnergySubmission
from carbonpeak.energy.terms import factor_set_name
from carbonpeak.monitoring import assessment as monitoring
from carbonpeak.monitoring.grading import Grade
from carbonpeak.monitoring.models import EarlyWarning, Observation
from carbonpeak.monitoring.selectors import headline_status
from carbonpeak.plans.models import Plan
from carbonpeak.projection import model
from carbonpeak.projection import services as projection
from carbonpeak.reports.content import EQUIVALENT_FIELDS, WORDS, Column, Figure, Report, Section, Table
from carbonpeak.supervision.models import ProgressReport, Reminder, ReportingPeriod


class ReportError(ValueError):
    """The report cannot be made for this period; the message says why."""


def parse_quarter(key: str) -> Period:
    """The quarter a report is for; anything else is refused with the reason."""
    try:
        period = parse_period(key)
    except InvalidPeriod as exc:
        raise ReportError(str(exc)) from None
    if not period.is_quarter:
        raise ReportError(
            _("季度报告须选择一个季度（如 2025Q3），而不是“%(period)s”") % {"period": said(period.label)}
        )
    return period


def _results(run: AccountingRun, region: str) -> dict[str, dict]:
    return {r.period: r.data for r in AccountingResult.objects.filter(run=run, region=region)}


def _wan(value: float | None) -> float | None:
    return None if value is None else value / 1e4


def _pct(value: float | None) -> float | None:
    return None if value is None else value * 100


def _change(now: float | str | None, before: float | str | None) -> float | None:
    if not isinstance(now, int | float) or not isinstance(before, int | float) or not before:
        return None
    return (now / before - 1) * 100


# ------------------------------------------------------------------ sections


def _target_for(statuses, code: str | None) -> str:
    """The nearest graded target of an indicator, as the dashboard's headline picks it."""
    chosen = headline_status(statuses, code)
    if chosen is None:
        return "—"
    described = chosen.target.describe()
    if chosen.target.year and not described.startswith(str(chosen.target.year)):
        described = _("%(year)s年%(target)s") % {"year": chosen.target.year, "target": described}
    return _("%(target)s：%(grade)s") % {"target": described, "grade": _(chosen.assessment.grade.label)}


MISSING = gettext_noop("缺失")


def _overview(period: Period, results: dict[str, dict], statuses, factor_set: str) -> Section:
    """(Long: the report section's tables and sentences in the order they print.)"""
    quarter = results.get(period.key)
    ytd_key = Period(period.year, 1, period.last).key
    ytd, last_ytd = results.get(ytd_key), results.get(Period(period.year - 1, 1, period.last).key)
    if quarter is None or ytd is None:
        raise ReportError(
            _("%(period)s尚无已审核的能源统计数据，无法生成季度报告") % {"period": said(period.label)}
        )
    boundary = quarter.get("co2_boundary", ASSESSED)
    rows = []
    spec = (
        (_("能源消费总量（等价值）"), _("万吨标准煤"), "energy_tce_equivalent", _wan, None),
        (_("能源消费总量（当量值，仅供参考）"), _("万吨标准煤"), "energy_tce", _wan, None),
        (
            _("考核用能源消费量（扣除非化石能源和原料用能）"),
            _("万吨标准煤"),
            "energy_tce_assessed",
            _wan,
            None,
        ),
        (
            _("能源活动二氧化碳排放量（%(boundary)s）") % {"boundary": _(BOUNDARY_NAMES[boundary])},
            _("万吨"),
            "co2_t",
            _wan,
            "co2_total",
        ),
        (
            _("单位地区生产总值能耗"),
            _("吨标准煤/万元"),
            "energy_intensity_tce_per_10k_yuan",
            None,
            "energy_intensity",
        ),
        (
            _("单位地区生产总值二氧化碳排放"),
            _("吨/万元"),
            "carbon_intensity_t_per_10k_yuan",
            None,
            "carbon_intensity",
        ),
        (_("非化石能源消费比重"), "%", "non_fossil_share", _pct, "non_fossil_share"),
        (_("煤炭消费比重"), "%", "coal_share", _pct, "coal_share"),
    )

    def read(result: dict | None, field: str):
        """A figure, or 缺失 when an input it needs is missing (e.g. the year's 发电 coal rate): never 0."""
        if result is None:
            return None
        value = result.get(field)
        if value is None and field in EQUIVALENT_FIELDS and result.get("missing"):
            return MISSING
        return value

    for label, unit, field, convert, code in spec:
        conv = convert or (lambda v: v)
        value, before, in_quarter = (
            v if v in (None, MISSING) else conv(v)
            for v in (read(ytd, field), read(last_ytd, field), read(quarter, field))
        )
        shown = [_(v) if v == MISSING else v for v in (in_quarter, value, before)]
        rows.append([label, unit, *shown, _change(value, before), _target_for(statuses, code)])
    table = Table(
        gettext_noop("主要指标"),
        _("主要指标（%(period)s及%(ytd)s累计）")
        % {"period": said(period.label), "ytd": said(Period(period.year, 1, period.last).label)},
        [
            Column(_("指标"), width=2.2),
            Column(_("单位"), width=1.3),
            Column(_("本季度"), digits=2),
            Column(_("累计"), digits=2),
            Column(_("上年同期累计"), digits=2),
            Column(_("同比变化"), "%", 1),
            Column(_("方案目标与评估"), width=2.6),
        ],
        rows,
        source=_("能源统计核算（因子集 %(set)s）；强度按可比价GDP；评估见目标晴雨表") % {"set": factor_set},
        note=_(
            "能源消费总量、能耗强度和比重按等价值（电力按当年平均发电标准煤耗折算，能源平衡表口径）；"
            "该年发电煤耗未录入时为“缺失”，当量值仅供参考，不替代等价值。"
            "考核用能源消费量按发改环资〔2024〕113号、〔2022〕803号扣除非化石能源（含按电网结构计入的调入非化石电量和登记的绿证，"
            "绿证抵扣不超过完成强度目标所需节能量的50%%）和原料用能。"
            "二氧化碳为能源活动排放（%(boundary)s，因子集设置），"
            "不含工业生产过程、农业和土地利用、废弃物处理排放"
        )
        % {"boundary": said(boundary_caption(boundary))},
        row_keys=[field for _label, _unit, field, _convert, _code in spec],
    )
    counts = Counter(s.assessment.grade for s in statuses)
    by_grade = {g: counts.get(g, 0) for g in (Grade.GREEN, Grade.YELLOW, Grade.RED, Grade.UNGRADED)}
    grades = {_(g.label): n for g, n in by_grade.items()}
    energy_change = _change(
        ytd.get("energy_tce_equivalent"), last_ytd.get("energy_tce_equivalent") if last_ytd else None
    )
    co2_change = _change(ytd.get("co2_t"), last_ytd.get("co2_t") if last_ytd else None)
    if ytd.get("energy_tce_equivalent") is None:
        energy_text = _(
            "全市能源消费总量（等价值）缺失（%(year)s年平均发电标准煤耗未录入；当量值%(tce)s万吨标准煤，仅供参考）"
        ) % {"year": period.year, "tce": f"{ytd['energy_tce'] / 1e4:,.2f}"}
    else:
        energy_text = _("全市能源消费总量（等价值）%(tce)s万吨标准煤") % {
            "tce": f"{ytd['energy_tce_equivalent'] / 1e4:,.2f}"
        }

    def change(value: float | None) -> str:
        if value is None:
            return ""
        wording = _("，同比增长%(change)s%%") if value >= 0 else _("，同比下降%(change)s%%")
        return wording % {"change": f"{abs(value):.1f}"}

    text = _("%(ytd)s，%(energy)s%(energy_change)s；能源活动二氧化碳排放%(co2)s万吨%(co2_change)s。") % {
        "ytd": said(Period(period.year, 1, period.last).label),
        "energy": energy_text,
        "energy_change": change(energy_change),
        "co2": f"{ytd['co2_t'] / 1e4:,.2f}",
        "co2_change": change(co2_change),
    }
    summary = _(
        "方案共%(total)s个目标：基本顺利%(green)s个，比较严峻%(yellow)s个，"
        "十分严峻%(red)s个，未评估%(ungraded)s个（评估数据截至%(period)s）。"
    ) % {
        "total": len(statuses),
        "green": by_grade[Grade.GREEN],
        "yellow": by_grade[Grade.YELLOW],
        "red": by_grade[Grade.RED],
        "ungraded": by_grade[Grade.UNGRADED],
        "period": said(period.label),
    }
    peak = next(
        (s for s in statuses if s.link and s.link.rule == "peak" and s.indicator.code == "co2_total"), None
    )
    if peak is not None and peak.assessment.value is not None:
        summary += _("碳达峰目标：%(reason)s（%(grade)s）。") % {
            "reason": said(peak.assessment.reason),
            "grade": _(peak.assessment.grade.label),
        }
    figure = Figure(
        "grades",
        _("目标评估等级分布"),
        "grades",
        {"counts": grades, "codes": {_(g.label): g.value for g in by_grade}, "axis": _("目标个数")},
    )
    return Section(_("总体情况"), [text, summary], [table], [figure], key="overview")


def _energy(period: Period, results: dict[str, dict], factor_set: str, grid_region: str) -> Section:
    """(Long: the report section's tables and sentences in the order they print.)"""
    quarter = results[period.key]
    boundary = quarter.get("co2_boundary", ASSESSED)
    label = said(period.label)
    fuels = Table(
        gettext_noop("分品种能源消费"),
        _("%(period)s分品种能源消费与二氧化碳排放") % {"period": label},
        [
            Column(_("能源品种"), width=1.6),
            Column(_("实物量"), digits=1, width=1.6),
            Column(_("计量单位")),
            Column(_("折标准煤（当量值）"), _("吨标准煤"), 1),
            Column(_("二氧化碳"), _("吨"), 1),
        ],
        [
            [_(fuel), f["quantity"], _(f["unit"]), f["tce"], f["co2_t"]]
            for fuel, f in sorted(quarter["by_fuel"].items(), key=lambda kv: -kv[1]["co2_t"])
        ],
        source=_("因子集 %(set)s；电力为净调入（负值为净调出），按%(region)s电网因子")
        % {"set": factor_set, "region": grid_region},
    )
    sectors = Table(
        gettext_noop("分行业能源消费"),
        _("%(period)s分行业能源消费与直接排放") % {"period": label},
        [
            Column(_("行业"), width=2),
            Column(_("终端能耗（当量值）"), _("吨标准煤"), 1),
            Column(_("其中用电"), _("万千瓦时"), 1),
            Column(_("直接二氧化碳排放"), _("吨"), 1),
        ],
        [
            [name, s["terminal_tce"], s["electricity_kwh"] / 1e4, s["co2_t"]]
            for name, s in sorted(quarter["by_sector"].items(), key=lambda kv: -kv[1]["terminal_tce"])
        ],
        source=_("因子集 %(set)s") % {"set": factor_set},
        note=_("直接排放不含用电间接排放；全市排放 = 直接排放 + 净调入电力 × 电网因子"),
    )
    bal = quarter["electricity"]
    grid = bal.get("grid_factor") or {}
    balance_rows = [[_("全社会用电量"), bal["consumption_kwh"] / 1e4]]
    balance_rows += [
        [_("本地发电：%(source)s") % {"source": _(k)}, v / 1e4] for k, v in bal["generation_kwh"].items()
    ]
    balance_rows += [[_("电力调入"), None if bal["imported_kwh"] is None else bal["imported_kwh"] / 1e4]]
    balance_rows += [
        [_("　其中：%(part)s") % {"part": k}, v / 1e4]
        for k, v in (bal.get("imported_by_structure") or {}).items()
    ]
    balance_rows += [[_("电力调出"), None if bal["exported_kwh"] is None else bal["exported_kwh"] / 1e4]]
    balance_rows += [
        [_("　其中：%(part)s") % {"part": k}, v / 1e4]
        for k, v in (bal.get("exported_by_structure") or {}).items()
    ]
    balance_rows += [[_("净调入（负值为净调出）"), bal["net_imported_kwh"] / 1e4]]
    balance = Table(
        gettext_noop("电力平衡"),
        _("%(period)s电力平衡") % {"period": label},
        [Column(_("项目")), Column(_("电量"), _("万千瓦时"), 1)],
        balance_rows,
        source=_("净调入口径：%(method)s；电网因子 %(region)s%(year)s年 %(value)s kgCO2/kWh（%(source)s）")
        % {
            "method": said(bal["method"]),
            "region": grid.get("region", ""),
            "year": grid.get("year", ""),
            "value": grid.get("value_kg_per_kwh", "—"),
            "source": grid.get("source", ""),
        },
    )
    quarters = sorted(
        (
            (parse_period(key), data)
            for key, data in results.items()
            if "-" not in key and "Q" in key and parse_period(key) <= period
        ),
        key=lambda kv: kv[0],
    )[-8:]
    trend = Figure(
        "trend",
        _("分季度二氧化碳排放（万吨）"),
        "trend",
        {
            "labels": [p.key for p, _data in quarters],
            "bars": [d["co2_t"] / 1e4 for _period, d in quarters],
            "bars_label": _("二氧化碳排放"),
            "unit": _("万吨"),
            "highlight": period.key,
        },
        caption=_("深色为本季度"),
    )
    text = _(
        "%(period)s全社会用电量%(consumption)s亿千瓦时，本地发电%(generation)s亿千瓦时，"
        "净调入%(net)s亿千瓦时（负值为净调出）。核算采用因子集 %(set)s。"
    ) % {
        "period": label,
        "consumption": f"{bal['consumption_kwh'] / 1e8:,.2f}",
        "generation": f"{sum(bal['generation_kwh'].values()) / 1e8:,.2f}",
        "net": f"{bal['net_imported_kwh'] / 1e8:,.2f}",
        "set": factor_set,
    }
    by_sector = Figure(
        "sectors",
        _("%(period)s分行业直接二氧化碳排放（万吨）") % {"period": label},
        "bars",
        {
            "values": {
                name: s["co2_t"] / 1e4
                for name, s in sorted(quarter["by_sector"].items(), key=lambda kv: -kv[1]["co2_t"])
            },
            "unit": _("万吨"),
        },
    )
    by_boundary = quarter.get("co2_t_by_boundary") or {}
    boundaries = Table(
        gettext_noop("排放口径"),
        _("%(period)s能源活动二氧化碳：三种口径") % {"period": label},
        [Column(_("口径"), width=4.2), Column(_("二氧化碳"), _("吨"), 1)],
        [
            [_(BOUNDARY_LABELS[k]) + (_("（考核采用）") if k == boundary else ""), by_boundary.get(k)]
            for k in (TERRITORIAL, ASSESSED, CONSUMPTION)
        ],
        source=_("因子集 %(set)s") % {"set": factor_set},
        note=_(
            "本报告其他二氧化碳数字均为%(boundary)s；消费口径不计本地电厂燃料（其外供热力因此未计，本平台规则）"
        )
        % {"boundary": said(boundary_caption(boundary))},
    )
    notes = [_("核算说明：%(note)s") % {"note": said(n)} for n in quarter.get("notes", [])]
    notes += [_("数据缺失或不全：%(gap)s") % {"gap": said(m)} for m in quarter.get("missing", [])]
    tables = [fuels, sectors, balance, boundaries]
    ytd = results.get(Period(period.year, 1, period.last).key) or {}
    if ytd.get("certificates"):
        tables.append(_certificates_table(Period(period.year, 1, period.last), ytd))
    return Section(
        _("能源消费与碳排放"), [text, *notes], tables, [trend, by_sector], key="energy", notes=notes
    )


def _sinks(period: Period) -> Section:
    """The sinks beside the energy account, never netted into it: the latest year up to the report's, by
    district, computed parts with their interval and the parts still 缺失."""
    from carbonpeak.sinks import selectors as sinks

    years = [y for y in sinks.years() if y <= period.year]
    title = _("碳汇（单列，不抵扣能源活动排放）")
    if not years:
        return Section(title, [_("尚无国土与森林数据，碳汇未计算。")])
    year = years[0]
    totals = sinks.district_totals(sinks.results(year))
    factors = sinks.current_set()
    computed = sum(t["sink_tco2"] for t in totals)
    missing = sum(t["missing"] for t in totals)
    text = _(
        "%(year)s年已计算的碳汇合计 %(sink)s 万吨二氧化碳（90%%区间 %(p5)s–%(p95)s 万吨），"
        "另有 %(missing)s 项因参数或数据未录入而缺失、未计入。"
        "碳汇与能源活动排放分列，考核口径排放和强度考核均不扣减碳汇。参数集 %(set)s，气候带 %(zone)s。"
    ) % {
        "year": year,
        "sink": f"{computed / 1e4:.2f}",
        "p5": f"{sum(t['p5'] for t in totals) / 1e4:.2f}",
        "p95": f"{sum(t['p95'] for t in totals) / 1e4:.2f}",
        "missing": missing,
        "set": factors.label if factors else "—",
        "zone": factors.climate_zone if factors and factors.climate_zone else _("未选择"),
    }
    absent = _("缺失")
    table = Table(
        gettext_noop("碳汇"),
        _("%(year)s年碳汇（按区镇，已计算部分）") % {"year": year},
        [
            Column(_("区镇"), width=1.2),
            Column(_("年碳汇"), _("吨二氧化碳"), 0),
            Column(_("区间P5"), _("吨二氧化碳"), 0),
            Column(_("区间P95"), _("吨二氧化碳"), 0),
            Column(_("已计算项"), "", 0),
            Column(_("缺失项"), "", 0),
        ],
        [
            [
                t["district"],
                t["sink_tco2"] if t["computed"] else absent,
                t["p5"] if t["computed"] else absent,
                t["p95"] if t["computed"] else absent,
                t["computed"],
                t["missing"],
            ]
            for t in totals
        ],
        source=_("碳汇参数集 %(set)s") % {"set": factors.label if factors else "—"},
        note=_("区间为各项蒙特卡洛 90%% 区间首尾相加（本平台规则）；缺失项不按 0 计"),
    )
    return Section(title, [text], [table])


def _certificates_table(ytd_period: Period, ytd: dict) -> Table:
    """What the register of 绿证 did to the year-to-date account; 缺失 where an input is missing, never 0."""
    c = ytd["certificates"]

    def tce(value):
        return _(MISSING) if value is None else value

    rows = [
        [
            _("购入·绿电交易（随物理电量计入，不重复）"),
            _("万千瓦时"),
            c["bought_kwh_by_kind"].get("绿电交易", 0) / 1e4,  # a kind with no entry: none bought
        ],
        [_("购入·单独绿证与省内绿证（计入非化石能源消费）"), _("万千瓦时"), c["counted_kwh"] / 1e4],
        [_("售出本市（不再计入本市）"), _("万千瓦时"), c["sold_out_kwh"] / 1e4],
        [_("计入的绿证折标准煤（等价值）"), _("吨"), tce(c["counted_tce"])],
        [
            _("抵扣上限（完成强度目标所需节能量的50%%）") % {},
            _("吨"),
            tce(c["cap_tce"]) if c["counted_kwh"] else None,
        ],
        [_("考核实际抵扣"), _("吨"), tce(c["deducted_tce"])],
    ]
    return Table(
        gettext_noop("绿证"),
        _("绿证与绿电交易（%(period)s累计，登记%(entries)s条）")
        % {"period": said(ytd_period.label), "entries": c["entries"]},
        [Column(_("项目"), width=3.6), Column(_("单位")), Column(_("数值"), digits=1)],
        rows,
        source=_("绿证与绿电交易登记簿；发改环资〔2024〕113号 二(二)(三)，发改能源〔2023〕1044号"),
        note=_(
            "上限的年度分摊按年均降幅（本平台规则）；省内绿证与跨省绿证同样计入并受上限约束（本平台规则）"
        ),
    )


def _barometer(statuses, period: Period) -> Section:
    rows = []
    for s in statuses:
        t = s.target
        peak = s.link is not None and s.link.rule == "peak"
        value = s.assessment.value * 100 if peak and s.assessment.value is not None else s.assessment.value
        unit = _("%（达峰概率）") if peak else _(s.indicator.unit if s.indicator else t.unit)
        reason = said(s.assessment.reason)
        if s.progress:
            reason += _("；%(reason)s（%(grade)s）") % {
                "reason": said(s.progress.reason),
                "grade": _(s.progress.grade.label),
            }
        rows.append(
            [
                t.indicator,
                _("%(year)s年%(target)s") % {"year": t.year, "target": t.describe()}
                if t.year
                else t.describe(),
                said(s.assessment.period) or "—",
                value,
                s.assessment.expected,
                unit,
                _(s.assessment.grade.label),
                _(s.data_state.label),
                reason,
            ]
        )
    table = Table(
        gettext_noop("目标晴雨表"),
        _("目标晴雨表"),
        [
            Column(_("指标"), width=2.0),
            Column(_("目标"), width=2.0),
            Column(_("评估期"), width=1.4),
            Column(_("实际值"), digits=2, width=1.5),
            Column(_("进度要求"), digits=2, width=1.5),
            Column(_("单位"), width=1.1),
            Column(_("评估"), width=1.1),
            Column(_("数据状态"), width=1.0),
            Column(_("理由"), width=3.9),
        ],
        rows,
        source=_("评估数据截至%(period)s；规则见平台“评估规则”说明") % {"period": said(period.label)},
    )
    red = [s for s in statuses if s.assessment.grade == Grade.RED]
    items = [f"{s.target.indicator}：{said(s.assessment.reason)}" for s in red]
    text = _("评估为“十分严峻”的目标：") if red else _("本期无评估为“十分严峻”的目标。")
    return Section(_("目标晴雨表"), [text], [table], items=items)


def _counted(counts: Counter, wrapping: str, key: str, each) -> str:
    """How many of each kind, in brackets (“（按计划推进3份，已完成1份）”), or nothing when there are none."""
    if not counts:
        return ""
    return wrapping % {key: _("，").join(each(name, n) for name, n in counts.items())}


def _progress(plan: Plan, period: Period) -> Section:
    rp = ReportingPeriod.objects.filter(plan=plan, key=period.key).first()
    if rp is None:
        return Section(
            _("任务推进情况"),
            [_("%(period)s未开启进展报送，本节无内容。") % {"period": said(period.label)}],
            key="progress",
        )
    reports = list(
        ProgressReport.objects.filter(period=rp)
        .select_related("task", "task__action", "task__section", "department")
        .prefetch_related("contributions__department")
        .order_by("task__order", "department__name")
    )
    approved = [r for r in reports if r.status == ReviewStatus.APPROVED]
    missing = [r for r in reports if r.status != ReviewStatus.APPROVED]
    rows = []
    for r in approved:
        action = r.task.action
        narrative = r.narrative.strip()
        for c in r.contributions.all():
            narrative += f"（{c.department.display_name}：{c.text.strip()}）"
        rows.append(
            [
                f"{action.number}{action.title}" if action else r.task.section.title,
                f"{r.task.label} {r.task.title}",
                r.department.display_name,
                r.get_progress_display(),
                narrative,
            ]
        )
    table = Table(
        gettext_noop("任务进展"),
        _("%(period)s任务进展（已审核）") % {"period": said(period.label)},
        [
            Column(_("重点行动"), width=1.6),
            Column(_("任务"), width=2.2),
            Column(_("牵头部门"), width=1.2),
            Column(_("进展"), width=0.8),
            Column(_("进展情况"), width=4.5),
        ],
        rows,
        source=_("进展报送 %(period)s（截止 %(due)s）") % {"period": rp, "due": f"{rp.due_date:%Y-%m-%d}"},
    )
    states = _counted(
        Counter(str(r.get_progress_display()) for r in approved),
        _("（%(states)s）"),
        "states",
        lambda state, count: _("%(state)s%(count)s份") % {"state": state, "count": count},
    )
    text = _("本期应报%(due)s份，已审核%(approved)s份%(states)s，未审核或未报送%(missing)s份。") % {
        "due": len(reports),
        "approved": len(approved),
        "states": states,
        "missing": len(missing),
    }
    items = [
        f"{r.department.display_name}：{r.task.label} {r.task.title}（{r.get_status_display()}）"
        for r in missing
    ]
    return Section(
        _("任务推进情况"),
        [text] + ([_("未审核或未报送的报告：")] if missing else []),
        [table] if rows else [],
        items=items,
        key="progress",
    )


def _warnings(period: Period) -> Section:
    start = period.start_date
    found = list(
        EarlyWarning.objects.filter(created_at__date__gte=start)
        .select_related("target", "department")
        .order_by("-created_at")
    )
    table = Table(
        gettext_noop("预警"),
        _("预警（%(start)s以来）") % {"start": f"{start:%Y-%m-%d}"},
        [
            Column(_("时间"), width=1.3),
            Column(_("类型"), width=1.0),
            Column(_("责任部门"), width=1.2),
            Column(_("内容"), width=5),
        ],
        [
            [
                timezone.localtime(w.created_at).strftime("%Y-%m-%d %H:%M"),
                w.get_kind_display(),
                w.department.display_name if w.department else "—",
                w.message,
            ]
            for w in found
        ],
        source=_("目标评估（等级变化或数据逾期时生成）"),
    )
    by_kind = _counted(
        Counter(str(w.get_kind_display()) for w in found),
        _("（%(kinds)s）"),
        "kinds",
        lambda kind, count: _("%(kind)s%(count)s条") % {"kind": kind, "count": count},
    )
    text = _("%(start)s以来共产生预警%(count)s条%(kinds)s。") % {
        "start": formats.date_format(start, "DATE_FORMAT"),
        "count": len(found),
        "kinds": by_kind,
    }
    return Section(_("预警情况"), [text], [table] if found else [], key="warnings")


def _key_projects() -> Section:
    """The key-project register in the report: how many, the money, the effect by the official factors (a
    project whose effect is missing is counted apart, never as 0), the pipeline's probability of peaking."""
    from carbonpeak.projects import selectors as projects

    factors = energy.official_factors()
    hours = projects.full_load_hours()
    rows, planned, actual, tce, tco2, missing, in_hand = [], [], [], [], [], 0, 0
    for project in projects.projects():
        money = projects.money(project)
        effect = projects.expected_effect(project, factors=factors, hours=hours)
        co2 = effect.tco2.get(factors.assessed_boundary)
        in_hand += projects.in_hand(project)
        missing += effect.tce is None or co2 is None
        planned.append(money.planned)
        actual.append(money.actual)
        tce.append(effect.tce)
        tco2.append(co2)
        rows.append(
            [
                project.name,
                project.get_kind_display(),
                project.get_status_display(),
                project.lead.display_name,
                _("缺失") if money.planned is None else money.planned,
                _("未报") if money.actual is None else money.actual,
                _("缺失") if effect.tce is None else effect.tce,
                _("缺失") if co2 is None else co2,
            ]
        )
    if not rows:
        return Section(_("重点项目"), [_("重点项目库尚未登记项目。")], key="key_projects")

    def total(values: list) -> float:
        return sum(v for v in values if v is not None)

    coverage = projects.coverage()
    text = _(
        "重点项目库共登记%(count)s个项目，其中在建或投运且有审核通过进展的%(in_hand)s个；计划总投资%(planned)s万元，"
        "完成投资%(actual)s万元；按设计运行，年节能量%(tce)s吨标准煤、年减排量%(tco2)s吨二氧化碳（效果缺失的"
        "%(missing)s个项目未计入）。"
    ) % {
        "count": len(rows),
        "in_hand": in_hand,
        "planned": f"{total(planned):,.0f}",
        "actual": f"{total(actual):,.0f}",
        "tce": f"{total(tce):,.1f}",
        "tco2": f"{total(tco2):,.1f}",
        "missing": missing,
    }
    if coverage.p_pipeline is not None:
        text += _("按在手项目计算光伏与工业能效（项目库情景），2030年前达峰的概率为%(p)s。") % {
            "p": f"{coverage.p_pipeline:.1%}"
        }
    table = Table(
        gettext_noop("重点项目"),
        _("重点项目：投资与年效果"),
        [
            Column(_("项目"), width=3),
            Column(_("类型")),
            Column(_("状态")),
            Column(_("牵头部门"), width=1.3),
            Column(_("计划投资"), _("万元"), 0),
            Column(_("完成投资"), _("万元"), 0),
            Column(_("年节能量"), _("吨标准煤"), 1),
            Column(_("年减排量"), _("吨二氧化碳"), 1),
        ],
        rows,
        source=_("重点项目库；年效果按项目实物量与正式核算因子集 %(set)s 计算")
        % {"set": factor_set_name(factors.label)},
    )
    return Section(_("重点项目"), [text], [table], key="key_projects")


def _projection(plan: Plan) -> tuple[Section, object | None]:
    """(Long: the report section's sentences, figure and tables in the order they print.)"""
    try:
        run = projection.run_projection(projection.PLANNED, plan=plan)
    except model.ProjectionError as exc:
        return Section(_("碳达峰预测"), [_("暂无达峰预测：%(reason)s") % {"reason": exc}]), None
    r = said_all(run.result)  # the projection's sentences and names in the report's language
    p = r["p_peak_by_2030"]
    median = r["peak_year"]["p50"]
    text = _(
        "按规划情景（方案各项措施按目标值落实）和截至%(base_year)s年的核算数据，%(draws)s次蒙特卡洛模拟中，"
        "二氧化碳排放（%(boundary)s）在2030年前达峰的概率为%(p)s；"
    ) % {
        "base_year": r["base_year"],
        "draws": f"{r['draws']:,}",
        "boundary": r.get("boundary_label") or _("净调入口径"),
        "p": f"{p:.1%}",
    }
    if median:
        text += _("达峰年份中位数为%(year)s年。") % {"year": median}
    else:
        text += _("多数模拟至%(year)s年排放仍在上升。") % {"year": r["end_year"]}
    others = r.get("boundaries") or {}
    if others:
        text += _("其他口径：%(others)s。") % {
            "others": _("，").join(f"{b['label']} {b['p_peak_by_2030']:.1%}" for b in others.values())
        }
        text += r.get("boundary_sentence", "")
    if r.get("peak_rule"):
        text += _("达峰判定：%(rule)s。") % {"rule": r["peak_rule"]["text"]}
    if r.get("change"):
        text += _("与上次预测相比，%(change)s") % {"change": r["change"]["sentence"]}
    oil = r["refined_oil"]
    if oil["p_peak_by_target"] is not None:
        text += _("成品油消费在%(year)s年前达峰的概率为%(p)s。") % {
            "year": oil["peak_year_target"],
            "p": f"{oil['p_peak_by_target']:.1%}",
        }
    years = list(r["trajectory"])
    fan = Figure(
        "fan",
        _("二氧化碳排放：核算值与规划情景预测（万吨）"),
        "fan",
        {
            "history_years": [int(y) for y in r["history"]],
            "history": [v / 1e4 for v in r["history"].values()],
            "years": [int(y) for y in years],
            "p10": [r["trajectory"][y]["p10"] / 1e4 for y in years],
            "p50": [r["trajectory"][y]["p50"] / 1e4 for y in years],
            "p90": [r["trajectory"][y]["p90"] / 1e4 for y in years],
            "unit": _("万吨"),
            "words": {"p50": _("中位数 P50"), "history": _("核算值")},
        },
        caption=_("阴影为P10–P90区间，虚线为中位数，点线为2030年"),
    )
    levers = Table(
        gettext_noop("措施贡献"),
        _("各项措施对2030年排放的贡献（规划情景）"),
        [
            Column(_("措施")),
            Column(_("2030年减排"), _("万吨"), 2),
            Column(_("对达峰概率的贡献（Shapley 分摊）"), _("百分点"), 1),
        ],
        [
            [e["label"], e["reduction_2030_t"] / 1e4, e["delta_p_peak_by_2030"] * 100]
            for e in r["lever_details"]
            if e["active"]
        ],
        source=_("达峰预测记录 %(run)s（%(draws)s次抽样，种子%(seed)s，核算因子集 %(set)s）")
        % {"run": run.pk, "draws": r["draws"], "seed": r["seed"], "set": factor_set_name(r["factor_set"])},
        note=(r.get("attribution") or {}).get("text", ""),
    )
    quantiles = Table(
        gettext_noop("排放预测"),
        _("二氧化碳排放预测（规划情景，万吨）"),
        [
            Column(_("年份")),
            Column("P10", _("万吨"), 2),
            Column("P50", _("万吨"), 2),
            Column("P90", _("万吨"), 2),
        ],
        [[y, q["p10"] / 1e4, q["p50"] / 1e4, q["p90"] / 1e4] for y, q in r["trajectory"].items()],
        source=_("达峰预测记录 %(run)s") % {"run": run.pk},
    )
    return Section(_("碳达峰预测"), [text], [levers, quantiles], [fan]), run


def _quality(period: Period, plan: Plan) -> Section:
    subs = list(EnergySubmission.objects.filter(period=period.key).order_by("region", "revision"))
    energy_rows = [
        [
            s.region,
            s.revision,
            s.get_status_display(),
            timezone.localtime(s.submitted_at).strftime("%Y-%m-%d") if s.submitted_at else "—",
            "；".join(s.warnings) if s.warnings else "",
            s.review_comment,
        ]
        for s in subs
    ]
    revisions = sum(1 for s in subs if s.revision > 1)
    observations = Observation.objects.filter(year=period.year, revision__gt=1).select_related("indicator")
    rp = ReportingPeriod.objects.filter(plan=plan, key=period.key).first()
    late = []
    if rp is not None:
        for r in ProgressReport.objects.filter(period=rp).select_related("department", "task"):
            who = f"{r.department.display_name} {r.task.label}"
            if r.submitted_at and timezone.localtime(r.submitted_at).date() > rp.due_date:
                late.append(
                    _("%(who)s：%(on)s报送（截止%(due)s）")
                    % {
                        "who": who,
                        "on": f"{timezone.localtime(r.submitted_at):%Y-%m-%d}",
                        "due": f"{rp.due_date:%Y-%m-%d}",
                    }
                )
            elif r.submitted_at is None and clock.today() > rp.due_date:
                late.append(
                    _("%(who)s：逾期未报送（截止%(due)s）") % {"who": who, "due": f"{rp.due_date:%Y-%m-%d}"}
                )
    reminders = Reminder.objects.filter(period=rp).count() if rp else 0
    table = Table(
        gettext_noop("数据质量_能源报送"),
        _("%(period)s能源统计报送记录") % {"period": said(period.label)},
        [
            Column(_("地区"), width=1.0),
            Column(_("版本"), width=0.6),
            Column(_("状态"), width=0.8),
            Column(_("报送日期"), width=1.1),
            Column(_("校验提示"), width=4),
            Column(_("审核意见"), width=1.5),
        ],
        energy_rows,
        source=_("能源统计报送（每一版本均保留）"),
    )
    text = _(
        "%(period)s能源统计报送%(versions)s个版本（其中修订版%(revisions)s个）；"
        "%(year)s年指标数值修订%(observations)s条；进展报告逾期%(late)s份，发出提醒%(reminders)s次。"
    ) % {
        "period": said(period.label),
        "versions": len(subs),
        "revisions": revisions,
        "year": period.year,
        "observations": observations.count(),
        "late": len(late),
        "reminders": reminders,
    }
    items = late + [
        _("指标修订：%(indicator)s %(year)s年（截至第%(quarter)s季度）第%(revision)s版")
        % {"indicator": o.indicator.name, "year": o.year, "quarter": o.quarter, "revision": o.revision}
        for o in observations
    ]
    return Section(_("附件：数据质量"), [text], [table], items=items, key="quality")


# ------------------------------------------------------------------ assembly


def collect(plan: Plan, period_key: str, *, now: dt.datetime | None = None) -> tuple[Report, dict]:
    """The report's content for one quarter, and the ids of the records it was made from."""
    period = parse_quarter(period_key)
    run = energy.current_run()
    if run is None:
        raise ReportError(_("尚无核算结果：请先报送并审核能源统计数据"))
    region = plan.region if AccountingResult.objects.filter(run=run, region=plan.region).exists() else None
    region = region or AccountingResult.objects.filter(run=run).values_list("region", flat=True).first()
    results = _results(run, region)
    statuses = monitoring.assess_plan(
        plan, today=period.end_date + dt.timedelta(days=45), as_of=(period.year, period.last)
    )
    sections = [
        _overview(period, results, statuses, factor_set_name(run.factor_set_label)),
        _energy(period, results, factor_set_name(run.factor_set_label), run.grid_region),
        _sinks(period),
        _barometer(statuses, period),
        _progress(plan, period),
        _warnings(period),
        _key_projects(),
    ]
    peak, projection_run = _projection(plan)
    sections += [peak, _quality(period, plan)]
    now = now or timezone.localtime()
    version = plan.versions.order_by("-number").first()
    data_version = {
        _("核算记录"): _("%(run)s（%(at)s，因子集 %(set)s，电网 %(grid)s）")
        % {
            "run": run.pk,
            "at": f"{timezone.localtime(run.created_at):%Y-%m-%d %H:%M}",
            "set": factor_set_name(run.factor_set_label),
            "grid": run.grid_region,
        },
        _("方案版本"): _("%(plan)s 第%(number)s版") % {"plan": plan.title, "number": version.number}
        if version
        else plan.title,
        _("达峰预测"): (
            _("记录 %(run)s（规划情景，%(draws)s次抽样，种子%(seed)s）")
            % {"run": projection_run.pk, "draws": projection_run.draws, "seed": projection_run.seed}
            if projection_run
            else _("无")
        ),
        _("评估数据截至"): said(period.label),
    }
    report = Report(
        title=_("%(region)s碳达峰工作季度报告") % {"region": region},
        period_key=period.key,
        period_label=said(period.label),
        region=region,
        generated_at=now.strftime("%Y-%m-%d %H:%M"),
        sample=run.includes_sample,
        data_version=data_version,
        sections=sections,
    )
    # the writers' words and the sheets' names in the report's language (the tables keep their keys)
    report.words = {key: _(wording) for key, wording in WORDS.items()}
    report.words.update({f"sheet:{t.key}": _(t.key) for t in report.tables()})
    ids = {"accounting_run": run.pk, "projection_run": projection_run.pk if projection_run else None}
    return report, ids
