"""The workbook a city sends up (to 苏州市): its quarterly figures, the budget table and the towns' roll-up,
written by the reports' spreadsheet writer (units in the headers, sources above, no formula in any cell).
A figure never reported is written 未报 and one that cannot be computed 缺失, never 0."""

from __future__ import annotations

from django.utils import timezone

from carbonpeak.energy.factors import shown_label
from carbonpeak.reports.content import Column, Report, Section, Table
from carbonpeak.reports.writers import write_xlsx

from . import selectors
from .models import CarbonBudget

NOT_REPORTED, MISSING = "未报", "缺失"
GRADES = {"green": "基本顺利", "yellow": "比较严峻", "red": "十分严峻", "ungraded": "未评估"}


def _or(value, missing: str = NOT_REPORTED):
    return missing if value is None else value


def workbook(budget: CarbonBudget) -> bytes:
    """(Long: the workbook's sheets in the order Suzhou reads them.)"""
    run = selectors.current_run()
    region = budget.region
    year = budget.year
    ytd = selectors.year_to_date(run, region.name, year)
    source = f"核算：{shown_label(run.factor_set_label)}（第{run.pk}次核算）" if run else "尚无核算结果"
    quarterly = Table(
        "季度数据",
        f"{region.name}{year}年能源消费与二氧化碳排放（累计）",
        [
            Column("报告期"),
            Column("能源消费量（当量值）", "吨标准煤", 0),
            Column("能源消费量（等价值）", "吨标准煤", 0),
            Column("二氧化碳排放", "吨", 0),
            Column("单位地区生产总值能耗（等价值）", "吨标准煤/万元", 4),
            Column("单位地区生产总值二氧化碳排放", "吨/万元", 4),
            Column("非化石能源消费比重", "%", 2),
        ],
        [
            [
                f"{year}年1–{q * 3}月",
                ytd[q].energy_tce if q in ytd else NOT_REPORTED,
                _or(ytd[q].energy_tce_equivalent, MISSING) if q in ytd else NOT_REPORTED,
                ytd[q].co2_t if q in ytd else NOT_REPORTED,
                _or(ytd[q].data.get("energy_intensity_tce_per_10k_yuan"), MISSING)
                if q in ytd
                else NOT_REPORTED,
                _or(ytd[q].data.get("carbon_intensity_t_per_10k_yuan"), MISSING)
                if q in ytd
                else NOT_REPORTED,
                _or(_pct(ytd[q].data.get("non_fossil_share")), MISSING) if q in ytd else NOT_REPORTED,
            ]
            for q in (1, 2, 3, 4)
        ],
        source=source,
        note=budget.boundary,
    )
    table = selectors.budget_table(budget)
    columns = [
        Column("名称"),
        Column("碳预算", "吨", 0),
        Column("已用", "吨", 0),
        Column("剩余", "吨", 0),
        Column("同期可用", "吨", 0),
        Column("评估期"),
        Column("评估等级"),
        Column("理由"),
    ]

    def rows(items: list[dict], key: str) -> list[list]:
        return [
            [
                item[key],
                item["budget_tco2"],
                _or(item["used_tco2"]),
                _or(item["remaining_tco2"]),
                _or(item["expected_tco2"], MISSING),
                item["period"],
                GRADES.get(item["grade"], item["grade"]),
                item["reason"],
            ]
            for item in items
        ]

    city = table["city"]
    city_row = [
        {
            "region": region.name,
            **{k: city.get(k) for k in ("budget_tco2", "used_tco2", "remaining_tco2", "expected_tco2")},
            "period": city.get("period", ""),
            "grade": city.get("grade", "ungraded"),
            "reason": city.get("reason", ""),
        }
    ]
    budget_tables = [
        Table(
            "碳预算",
            f"{region.name}{year}年碳预算（{budget.get_method_display()}）",
            columns,
            rows(city_row, "region"),
            source=f"依据：{budget.document}；季度分解：{budget.quarter_basis}",
            note=budget.boundary,
        )
    ]
    for key, label, allocation in (
        ("districts", "district", table["districts_allocation"]),
        ("sectors", "sector", table["sectors_allocation"]),
    ):
        if allocation is None:
            continue
        what = "区镇" if key == "districts" else "行业"
        budget_tables.append(
            Table(
                f"碳预算（{what}）",
                f"{year}年碳预算按{what}分配与执行",
                columns,
                rows(table[key], label),
                source=f"{allocation['method_label']}（基年 {allocation['base_year'] or '—'}）",
                note=allocation["rule"],
            )
        )
    children = selectors.district_names(region)
    annual = {name: selectors.annual(run, name, year) for name in [region.name, *children]}
    reported = [annual[n].co2_t for n in children if annual[n] is not None]
    own = annual[region.name]
    rollup = Table(
        "区镇汇总",
        f"{year}年各区镇二氧化碳排放与本级核算比对",
        [Column("地区"), Column("能源消费量（当量值）", "吨标准煤", 0), Column("二氧化碳排放", "吨", 0)],
        [
            *[
                [
                    n,
                    annual[n].energy_tce if annual[n] else NOT_REPORTED,
                    annual[n].co2_t if annual[n] else NOT_REPORTED,
                ]
                for n in children
            ],
            [
                "未分解（本级 − 各区镇合计）",
                own.energy_tce - sum(annual[n].energy_tce for n in children if annual[n]) if own else MISSING,
                own.co2_t - sum(reported) if own else MISSING,
            ],
            [
                f"{region.name}（本级）",
                own.energy_tce if own else NOT_REPORTED,
                own.co2_t if own else NOT_REPORTED,
            ],
        ],
        source=source,
        note="各区镇未报的不计入合计，未分解部分如实列出",
    )
    sample = budget.is_sample or bool(run and run.includes_sample)
    report = Report(
        title=f"{region.name}{year}年碳排放双控报送表",
        period_key=str(year),
        period_label=f"{year}年",
        region=region.name,
        generated_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        sample=sample,
        data_version={
            "核算": source,
            "碳预算更新": timezone.localtime(budget.updated_at).strftime("%Y-%m-%d %H:%M"),
        },
        sections=[Section("报送", tables=[quarterly, *budget_tables, rollup])],
    )
    return write_xlsx(report)


def _pct(share):
    return None if share is None else share * 100
