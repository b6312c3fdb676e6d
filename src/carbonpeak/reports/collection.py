"""Gather a quarter's figures from the platform into a ``Report`` (reads only; the jobs are in services).

Every number comes from the platform's own records: the accounting run (with its factor set), the
targets' grades on data up to the quarter, the progress reports approved for the quarter, the warnings,
the 规划情景 projection, and the data-quality trail. The report is stored with the versions it used.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from carbonpeak.core import clock
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
from carbonpeak.energy.factors import shown_label
from carbonpeak.energy.models import AccountingResult, AccountingRun, EnergySubmission
from carbonpeak.monitoring import assessment as monitoring
from carbonpeak.monitoring.grading import Grade
from carbonpeak.monitoring.models import EarlyWarning, Observation
from carbonpeak.monitoring.selectors import headline_status
from carbonpeak.plans.models import Plan
from carbonpeak.projection import model
from carbonpeak.projection import services as projection
from carbonpeak.reports.content import Column, Figure, Report, Section, Table
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
        raise ReportError(f"季度报告须选择一个季度（如 2025Q3），而不是“{period.label}”")
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
    year = (
        f"{chosen.target.year}年"
        if chosen.target.year and not described.startswith(str(chosen.target.year))
        else ""
    )
    return f"{year}{described}：{chosen.assessment.grade.label}"


MISSING = "缺失"
# figures on 等价值: None there means the year's 发电 coal rate (or another input) is missing
EQUIVALENT_FIELDS = (
    "energy_tce_equivalent",
    "energy_tce_assessed",
    "energy_intensity_tce_per_10k_yuan",
    "non_fossil_share",
    "coal_share",
)


def _overview(period: Period, results: dict[str, dict], statuses, factor_set: str) -> Section:
    """(Long: the report section's tables and sentences in the order they print.)"""
    quarter = results.get(period.key)
    ytd_key = Period(period.year, 1, period.last).key
    ytd, last_ytd = results.get(ytd_key), results.get(Period(period.year - 1, 1, period.last).key)
    if quarter is None or ytd is None:
        raise ReportError(f"{period.label}尚无已审核的能源统计数据，无法生成季度报告")
    boundary = quarter.get("co2_boundary", ASSESSED)
    rows = []
    spec = (
        ("能源消费总量（等价值）", "万吨标准煤", "energy_tce_equivalent", _wan, None),
        ("能源消费总量（当量值，仅供参考）", "万吨标准煤", "energy_tce", _wan, None),
        ("考核用能源消费量（扣除非化石能源和原料用能）", "万吨标准煤", "energy_tce_assessed", _wan, None),
        (f"能源活动二氧化碳排放量（{BOUNDARY_NAMES[boundary]}）", "万吨", "co2_t", _wan, "co2_total"),
        (
            "单位地区生产总值能耗",
            "吨标准煤/万元",
            "energy_intensity_tce_per_10k_yuan",
            None,
            "energy_intensity",
        ),
        (
            "单位地区生产总值二氧化碳排放",
            "吨/万元",
            "carbon_intensity_t_per_10k_yuan",
            None,
            "carbon_intensity",
        ),
        ("非化石能源消费比重", "%", "non_fossil_share", _pct, "non_fossil_share"),
        ("煤炭消费比重", "%", "coal_share", _pct, "coal_share"),
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
        rows.append(
            [label, unit, in_quarter, value, before, _change(value, before), _target_for(statuses, code)]
        )
    table = Table(
        "主要指标",
        f"主要指标（{period.label}及{Period(period.year, 1, period.last).label}累计）",
        [
            Column("指标", width=2.2),
            Column("单位", width=1.3),
            Column("本季度", digits=2),
            Column("累计", digits=2),
            Column("上年同期累计", digits=2),
            Column("同比变化", "%", 1),
            Column("方案目标与评估", width=2.6),
        ],
        rows,
        source=f"能源统计核算（因子集 {factor_set}）；强度按可比价GDP；评估见目标晴雨表",
        note=(
            "能源消费总量、能耗强度和比重按等价值（电力按当年平均发电标准煤耗折算，能源平衡表口径）；"
            "该年发电煤耗未录入时为“缺失”，当量值仅供参考，不替代等价值。"
            "考核用能源消费量按发改环资〔2024〕113号、〔2022〕803号扣除非化石能源（含按电网结构计入的调入非化石电量和登记的绿证，"
            "绿证抵扣不超过完成强度目标所需节能量的50%）和原料用能。"
            f"二氧化碳为能源活动排放（{boundary_caption(boundary)}，因子集设置），"
            "不含工业生产过程、农业和土地利用、废弃物处理排放"
        ),
    )
    counts = Counter(s.assessment.grade for s in statuses)
    grades = {g.label: counts.get(g, 0) for g in (Grade.GREEN, Grade.YELLOW, Grade.RED, Grade.UNGRADED)}
    energy_change = _change(
        ytd.get("energy_tce_equivalent"), last_ytd.get("energy_tce_equivalent") if last_ytd else None
    )
    co2_change = _change(ytd.get("co2_t"), last_ytd.get("co2_t") if last_ytd else None)
    if ytd.get("energy_tce_equivalent") is None:
        energy_text = (
            f"全市能源消费总量（等价值）缺失（{period.year}年平均发电标准煤耗未录入；"
            f"当量值{ytd['energy_tce'] / 1e4:,.2f}万吨标准煤，仅供参考）"
        )
    else:
        energy_text = f"全市能源消费总量（等价值）{ytd['energy_tce_equivalent'] / 1e4:,.2f}万吨标准煤"
    text = (
        f"{Period(period.year, 1, period.last).label}，{energy_text}"
        + (
            f"，同比{'增长' if energy_change >= 0 else '下降'}{abs(energy_change):.1f}%"
            if energy_change is not None
            else ""
        )
        + f"；能源活动二氧化碳排放{ytd['co2_t'] / 1e4:,.2f}万吨"
        + (
            f"，同比{'增长' if co2_change >= 0 else '下降'}{abs(co2_change):.1f}%"
            if co2_change is not None
            else ""
        )
        + "。"
    )
    summary = (
        f"方案共{len(statuses)}个目标：基本顺利{grades['基本顺利']}个，比较严峻{grades['比较严峻']}个，"
        f"十分严峻{grades['十分严峻']}个，未评估{grades['未评估']}个（评估数据截至{period.label}）。"
    )
    peak = next(
        (s for s in statuses if s.link and s.link.rule == "peak" and s.indicator.code == "co2_total"), None
    )
    if peak is not None and peak.assessment.value is not None:
        summary += f"碳达峰目标：{peak.assessment.reason}（{peak.assessment.grade.label}）。"
    figure = Figure("grades", "目标评估等级分布", "grades", {"counts": grades})
    return Section("总体情况", [text, summary], [table], [figure])


def _energy(period: Period, results: dict[str, dict], factor_set: str, grid_region: str) -> Section:
    """(Long: the report section's tables and sentences in the order they print.)"""
    quarter = results[period.key]
    boundary = quarter.get("co2_boundary", ASSESSED)
    fuels = Table(
        "分品种能源消费",
        f"{period.label}分品种能源消费与二氧化碳排放",
        [
            Column("能源品种", width=1.6),
            Column("实物量", digits=1, width=1.6),
            Column("计量单位"),
            Column("折标准煤（当量值）", "吨标准煤", 1),
            Column("二氧化碳", "吨", 1),
        ],
        [
            [fuel, f["quantity"], f["unit"], f["tce"], f["co2_t"]]
            for fuel, f in sorted(quarter["by_fuel"].items(), key=lambda kv: -kv[1]["co2_t"])
        ],
        source=f"因子集 {factor_set}；电力为净调入（负值为净调出），按{grid_region}电网因子",
    )
    sectors = Table(
        "分行业能源消费",
        f"{period.label}分行业能源消费与直接排放",
        [
            Column("行业", width=2),
            Column("终端能耗（当量值）", "吨标准煤", 1),
            Column("其中用电", "万千瓦时", 1),
            Column("直接二氧化碳排放", "吨", 1),
        ],
        [
            [name, s["terminal_tce"], s["electricity_kwh"] / 1e4, s["co2_t"]]
            for name, s in sorted(quarter["by_sector"].items(), key=lambda kv: -kv[1]["terminal_tce"])
        ],
        source=f"因子集 {factor_set}",
        note="直接排放不含用电间接排放；全市排放 = 直接排放 + 净调入电力 × 电网因子",
    )
    bal = quarter["electricity"]
    grid = bal.get("grid_factor") or {}
    balance_rows = [["全社会用电量", bal["consumption_kwh"] / 1e4]]
    balance_rows += [[f"本地发电：{k}", v / 1e4] for k, v in bal["generation_kwh"].items()]
    balance_rows += [["电力调入", None if bal["imported_kwh"] is None else bal["imported_kwh"] / 1e4]]
    balance_rows += [[f"　其中：{k}", v / 1e4] for k, v in (bal.get("imported_by_structure") or {}).items()]
    balance_rows += [["电力调出", None if bal["exported_kwh"] is None else bal["exported_kwh"] / 1e4]]
    balance_rows += [[f"　其中：{k}", v / 1e4] for k, v in (bal.get("exported_by_structure") or {}).items()]
    balance_rows += [["净调入（负值为净调出）", bal["net_imported_kwh"] / 1e4]]
    balance = Table(
        "电力平衡",
        f"{period.label}电力平衡",
        [Column("项目"), Column("电量", "万千瓦时", 1)],
        balance_rows,
        source=(
            f"净调入口径：{bal['method']}；电网因子 {grid.get('region', '')}{grid.get('year', '')}年 "
            f"{grid.get('value_kg_per_kwh', '—')} kgCO2/kWh（{grid.get('source', '')}）"
        ),
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
        "分季度二氧化碳排放（万吨）",
        "trend",
        {
            "labels": [p.key for p, _ in quarters],
            "bars": [d["co2_t"] / 1e4 for _, d in quarters],
            "bars_label": "二氧化碳排放",
            "unit": "万吨",
            "highlight": period.key,
        },
        caption="深色为本季度",
    )
    text = (
        f"{period.label}全社会用电量{bal['consumption_kwh'] / 1e8:,.2f}亿千瓦时，"
        f"本地发电{sum(bal['generation_kwh'].values()) / 1e8:,.2f}亿千瓦时，"
        f"净调入{bal['net_imported_kwh'] / 1e8:,.2f}亿千瓦时（负值为净调出）。"
        f"核算采用因子集 {factor_set}。"
    )
    by_sector = Figure(
        "sectors",
        f"{period.label}分行业直接二氧化碳排放（万吨）",
        "bars",
        {
            "values": {
                name: s["co2_t"] / 1e4
                for name, s in sorted(quarter["by_sector"].items(), key=lambda kv: -kv[1]["co2_t"])
            },
            "unit": "万吨",
        },
    )
    by_boundary = quarter.get("co2_t_by_boundary") or {}
    boundaries = Table(
        "排放口径",
        f"{period.label}能源活动二氧化碳：三种口径",
        [Column("口径", width=4.2), Column("二氧化碳", "吨", 1)],
        [
            [BOUNDARY_LABELS[k] + ("（考核采用）" if k == boundary else ""), by_boundary.get(k)]
            for k in (TERRITORIAL, ASSESSED, CONSUMPTION)
        ],
        source=f"因子集 {factor_set}",
        note=f"本报告其他二氧化碳数字均为{boundary_caption(boundary)}；消费口径不计本地电厂燃料（其外供热力因此未计，本平台规则）",
    )
    notes = [f"核算说明：{n}" for n in quarter.get("notes", [])]
    notes += [f"数据缺失或不全：{m}" for m in quarter.get("missing", [])]
    tables = [fuels, sectors, balance, boundaries]
    ytd = results.get(Period(period.year, 1, period.last).key) or {}
    if ytd.get("certificates"):
        tables.append(_certificates_table(Period(period.year, 1, period.last), ytd))
    return Section("能源消费与碳排放", [text, *notes], tables, [trend, by_sector])


def _sinks(period: Period) -> Section:
    """The sinks beside the energy account, never netted into it: the latest year up to the report's, by
    district, computed parts with their interval and the parts still 缺失."""
    from carbonpeak.sinks import selectors as sinks

    years = [y for y in sinks.years() if y <= period.year]
    title = "碳汇（单列，不抵扣能源活动排放）"
    if not years:
        return Section(title, ["尚无国土与森林数据，碳汇未计算。"])
    year = years[0]
    totals = sinks.district_totals(sinks.results(year))
    factors = sinks.current_set()
    computed = sum(t["sink_tco2"] for t in totals)
    missing = sum(t["missing"] for t in totals)
    text = (
        f"{year}年已计算的碳汇合计 {computed / 1e4:.2f} 万吨二氧化碳（90%区间 {sum(t['p5'] for t in totals) / 1e4:.2f}–"
        f"{sum(t['p95'] for t in totals) / 1e4:.2f} 万吨），另有 {missing} 项因参数或数据未录入而缺失、未计入。"
        f"碳汇与能源活动排放分列，考核口径排放和强度考核均不扣减碳汇。参数集 {factors.label if factors else '—'}，"
        f"气候带 {factors.climate_zone if factors and factors.climate_zone else '未选择'}。"
    )
    table = Table(
        "碳汇",
        f"{year}年碳汇（按区镇，已计算部分）",
        [
            Column("区镇", width=1.2),
            Column("年碳汇", "吨二氧化碳", 0),
            Column("区间P5", "吨二氧化碳", 0),
            Column("区间P95", "吨二氧化碳", 0),
            Column("已计算项", "", 0),
            Column("缺失项", "", 0),
        ],
        [
            [
                t["district"],
                t["sink_tco2"] if t["computed"] else "缺失",
                t["p5"] if t["computed"] else "缺失",
                t["p95"] if t["computed"] else "缺失",
                t["computed"],
                t["missing"],
            ]
            for t in totals
        ],
        source=f"碳汇参数集 {factors.label if factors else '—'}",
        note="区间为各项蒙特卡洛 90% 区间首尾相加（本平台规则）；缺失项不按 0 计",
    )
    return Section(title, [text], [table])


def _certificates_table(ytd_period: Period, ytd: dict) -> Table:
    """What the register of 绿证 did to the year-to-date account; 缺失 where an input is missing, never 0."""
    c = ytd["certificates"]

    def tce(value):
        return MISSING if value is None else value

    rows = [
        [
            "购入·绿电交易（随物理电量计入，不重复）",
            "万千瓦时",
            c["bought_kwh_by_kind"].get("绿电交易", 0) / 1e4,  # a kind with no entry: none bought
        ],
        ["购入·单独绿证与省内绿证（计入非化石能源消费）", "万千瓦时", c["counted_kwh"] / 1e4],
        ["售出本市（不再计入本市）", "万千瓦时", c["sold_out_kwh"] / 1e4],
        ["计入的绿证折标准煤（等价值）", "吨", tce(c["counted_tce"])],
        ["抵扣上限（完成强度目标所需节能量的50%）", "吨", tce(c["cap_tce"]) if c["counted_kwh"] else None],
        ["考核实际抵扣", "吨", tce(c["deducted_tce"])],
    ]
    return Table(
        "绿证",
        f"绿证与绿电交易（{ytd_period.label}累计，登记{c['entries']}条）",
        [Column("项目", width=3.6), Column("单位"), Column("数值", digits=1)],
        rows,
        source="绿证与绿电交易登记簿；发改环资〔2024〕113号 二(二)(三)，发改能源〔2023〕1044号",
        note="上限的年度分摊按年均降幅（本平台规则）；省内绿证与跨省绿证同样计入并受上限约束（本平台规则）",
    )


def _barometer(statuses, period: Period) -> Section:
    rows = []
    for s in statuses:
        t = s.target
        peak = s.link is not None and s.link.rule == "peak"
        value = s.assessment.value * 100 if peak and s.assessment.value is not None else s.assessment.value
        unit = "%（达峰概率）" if peak else (s.indicator.unit if s.indicator else t.unit)
        rows.append(
            [
                t.indicator,
                f"{t.year}年 {t.describe()}" if t.year else t.describe(),
                s.assessment.period or "—",
                value,
                s.assessment.expected,
                unit,
                s.assessment.grade.label,
                s.data_state.label,
                s.assessment.reason
                + (f"；{s.progress.reason}（{s.progress.grade.label}）" if s.progress else ""),
            ]
        )
    table = Table(
        "目标晴雨表",
        "目标晴雨表",
        [
            Column("指标", width=2.0),
            Column("目标", width=2.0),
            Column("评估期", width=1.4),
            Column("实际值", digits=2, width=1.5),
            Column("进度要求", digits=2, width=1.5),
            Column("单位", width=1.1),
            Column("评估", width=1.1),
            Column("数据状态", width=1.0),
            Column("理由", width=3.9),
        ],
        rows,
        source=f"评估数据截至{period.label}；规则见平台“评估规则”说明",
    )
    red = [s for s in statuses if s.assessment.grade == Grade.RED]
    items = [f"{s.target.indicator}：{s.assessment.reason}" for s in red]
    text = "评估为“十分严峻”的目标：" if red else "本期无评估为“十分严峻”的目标。"
    return Section("目标晴雨表", [text], [table], items=items)


def _progress(plan: Plan, period: Period) -> Section:
    rp = ReportingPeriod.objects.filter(plan=plan, key=period.key).first()
    if rp is None:
        return Section("任务推进情况", [f"{period.label}未开启进展报送，本节无内容。"])
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
        "任务进展",
        f"{period.label}任务进展（已审核）",
        [
            Column("重点行动", width=1.6),
            Column("任务", width=2.2),
            Column("牵头部门", width=1.2),
            Column("进展", width=0.8),
            Column("进展情况", width=4.5),
        ],
        rows,
        source=f"进展报送 {rp}（截止 {rp.due_date:%Y-%m-%d}）",
    )
    by_state = Counter(r.get_progress_display() for r in approved)
    text = (
        f"本期应报{len(reports)}份，已审核{len(approved)}份"
        + ("（" + "，".join(f"{k}{v}份" for k, v in by_state.items()) + "）" if by_state else "")
        + f"，未审核或未报送{len(missing)}份。"
    )
    items = [
        f"{r.department.display_name}：{r.task.label} {r.task.title}（{r.get_status_display()}）"
        for r in missing
    ]
    return Section(
        "任务推进情况",
        [text] + (["未审核或未报送的报告："] if missing else []),
        [table] if rows else [],
        items=items,
    )


def _warnings(period: Period) -> Section:
    start = period.start_date
    found = list(
        EarlyWarning.objects.filter(created_at__date__gte=start)
        .select_related("target", "department")
        .order_by("-created_at")
    )
    table = Table(
        "预警",
        f"预警（{start:%Y-%m-%d}以来）",
        [
            Column("时间", width=1.3),
            Column("类型", width=1.0),
            Column("责任部门", width=1.2),
            Column("内容", width=5),
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
        source="目标评估（等级变化或数据逾期时生成）",
    )
    kinds = Counter(w.get_kind_display() for w in found)
    text = f"{start:%Y年%m月%d日}以来共产生预警{len(found)}条" + (
        "（" + "，".join(f"{k}{v}条" for k, v in kinds.items()) + "）。" if kinds else "。"
    )
    return Section("预警情况", [text], [table] if found else [])


def _projection(plan: Plan) -> tuple[Section, object | None]:
    try:
        run = projection.run_projection(projection.PLANNED, plan=plan)
    except model.ProjectionError as exc:
        return Section("碳达峰预测", [f"暂无达峰预测：{exc}"]), None
    r = run.result
    p = r["p_peak_by_2030"]
    median = r["peak_year"]["p50"]
    text = (
        f"按规划情景（方案各项措施按目标值落实）和截至{r['base_year']}年的核算数据，{r['draws']:,}次蒙特卡洛模拟中，"
        f"二氧化碳排放（{r.get('boundary_label', '净调入口径')}）在2030年前达峰的概率为{p:.1%}；"
        + (f"达峰年份中位数为{median}年。" if median else f"多数模拟至{r['end_year']}年排放仍在上升。")
    )
    others = r.get("boundaries") or {}
    if others:
        text += (
            "其他口径："
            + "，".join(f"{b['label']}{b['p_peak_by_2030']:.1%}" for b in others.values())
            + f"。{r.get('boundary_sentence', '')}"
        )
    if r.get("peak_rule"):
        text += f"达峰判定：{r['peak_rule']['text']}。"
    if r.get("change"):
        text += f"与上次预测相比，{r['change']['sentence']}"
    oil = r["refined_oil"]
    if oil["p_peak_by_target"] is not None:
        text += f"成品油消费在{oil['peak_year_target']}年前达峰的概率为{oil['p_peak_by_target']:.1%}。"
    years = list(r["trajectory"])
    fan = Figure(
        "fan",
        "二氧化碳排放：核算值与规划情景预测（万吨）",
        "fan",
        {
            "history_years": [int(y) for y in r["history"]],
            "history": [v / 1e4 for v in r["history"].values()],
            "years": [int(y) for y in years],
            "p10": [r["trajectory"][y]["p10"] / 1e4 for y in years],
            "p50": [r["trajectory"][y]["p50"] / 1e4 for y in years],
            "p90": [r["trajectory"][y]["p90"] / 1e4 for y in years],
            "unit": "万吨",
        },
        caption="阴影为P10–P90区间，虚线为中位数，点线为2030年",
    )
    levers = Table(
        "措施贡献",
        "各项措施对2030年排放的贡献（规划情景）",
        [
            Column("措施"),
            Column("2030年减排", "万吨", 2),
            Column("对达峰概率的贡献（Shapley 分摊）", "百分点", 1),
        ],
        [
            [e["label"], e["reduction_2030_t"] / 1e4, e["delta_p_peak_by_2030"] * 100]
            for e in r["lever_details"]
            if e["active"]
        ],
        source=f"达峰预测记录 {run.pk}（{r['draws']}次抽样，种子{r['seed']}，核算因子集 {shown_label(r['factor_set'])}）",
        note=(r.get("attribution") or {}).get("text", ""),
    )
    quantiles = Table(
        "排放预测",
        "二氧化碳排放预测（规划情景，万吨）",
        [Column("年份"), Column("P10", "万吨", 2), Column("P50", "万吨", 2), Column("P90", "万吨", 2)],
        [[y, q["p10"] / 1e4, q["p50"] / 1e4, q["p90"] / 1e4] for y, q in r["trajectory"].items()],
        source=f"达峰预测记录 {run.pk}",
    )
    return Section("碳达峰预测", [text], [levers, quantiles], [fan]), run


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
            if r.submitted_at and timezone.localtime(r.submitted_at).date() > rp.due_date:
                late.append(
                    f"{r.department.display_name} {r.task.label}：{timezone.localtime(r.submitted_at):%Y-%m-%d}报送（截止{rp.due_date:%Y-%m-%d}）"
                )
            elif r.submitted_at is None and clock.today() > rp.due_date:
                late.append(
                    f"{r.department.display_name} {r.task.label}：逾期未报送（截止{rp.due_date:%Y-%m-%d}）"
                )
    reminders = Reminder.objects.filter(period=rp).count() if rp else 0
    table = Table(
        "数据质量_能源报送",
        f"{period.label}能源统计报送记录",
        [
            Column("地区", width=1.0),
            Column("版本", width=0.6),
            Column("状态", width=0.8),
            Column("报送日期", width=1.1),
            Column("校验提示", width=4),
            Column("审核意见", width=1.5),
        ],
        energy_rows,
        source="能源统计报送（每一版本均保留）",
    )
    text = (
        f"{period.label}能源统计报送{len(subs)}个版本（其中修订版{revisions}个）；"
        f"{period.year}年指标数值修订{observations.count()}条；进展报告逾期{len(late)}份，发出提醒{reminders}次。"
    )
    items = late + [
        f"指标修订：{o.indicator.name} {o.year}年（截至第{o.quarter}季度）第{o.revision}版"
        for o in observations
    ]
    return Section("附件：数据质量", [text], [table], items=items)


# ------------------------------------------------------------------ assembly


def collect(plan: Plan, period_key: str, *, now: dt.datetime | None = None) -> tuple[Report, dict]:
    """The report's content for one quarter, and the ids of the records it was made from."""
    period = parse_quarter(period_key)
    run = energy.current_run()
    if run is None:
        raise ReportError("尚无核算结果：请先报送并审核能源统计数据")
    region = plan.region if AccountingResult.objects.filter(run=run, region=plan.region).exists() else None
    region = region or AccountingResult.objects.filter(run=run).values_list("region", flat=True).first()
    results = _results(run, region)
    statuses = monitoring.assess_plan(
        plan, today=period.end_date + dt.timedelta(days=45), as_of=(period.year, period.last)
    )
    sections = [
        _overview(period, results, statuses, shown_label(run.factor_set_label)),
        _energy(period, results, shown_label(run.factor_set_label), run.grid_region),
        _sinks(period),
        _barometer(statuses, period),
        _progress(plan, period),
        _warnings(period),
    ]
    peak, projection_run = _projection(plan)
    sections += [peak, _quality(period, plan)]
    now = now or timezone.localtime()
    version = plan.versions.order_by("-number").first()
    data_version = {
        "核算记录": f"{run.pk}（{timezone.localtime(run.created_at):%Y-%m-%d %H:%M}，因子集 {shown_label(run.factor_set_label)}，电网 {run.grid_region}）",
        "方案版本": f"{plan.title} 第{version.number}版" if version else plan.title,
        "达峰预测": (
            f"记录 {projection_run.pk}（规划情景，{projection_run.draws}次抽样，种子{projection_run.seed}）"
            if projection_run
            else "无"
        ),
        "评估数据截至": period.label,
    }
    report = Report(
        title=f"{region}碳达峰工作季度报告",
        period_key=period.key,
        period_label=period.label,
        region=region,
        generated_at=now.strftime("%Y-%m-%d %H:%M"),
        sample=run.includes_sample,
        data_version=data_version,
        sections=sections,
    )
    ids = {"accounting_run": run.pk, "projection_run": projection_run.pk if projection_run else None}
    return report, ids
