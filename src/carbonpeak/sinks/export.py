"""The sinks of a year as an .xlsx, by the reports' spreadsheet writer: results by district and land type with
their interval and what is missing, the parameters used with their sources, and the land data; 缺失 as a
word, never 0, and no formula can run."""

from __future__ import annotations

from django.utils import timezone

from carbonpeak.reports.content import Column, Report, Section, Table
from carbonpeak.reports.writers import write_xlsx

from . import selectors

MISSING = "缺失"


def workbook(year: int) -> bytes:
    factors = selectors.current_set()
    rows = list(selectors.results(year))
    label = factors.label if factors else "—"
    results = Table(
        "碳汇",
        f"{year}年碳汇（按区镇、地类；与能源活动排放分列，不抵扣）",
        [
            Column("区镇"),
            Column("地类"),
            Column("树种组/类型"),
            Column("方法"),
            Column("碳储量", "吨碳", 1),
            Column("年碳汇", "吨二氧化碳", 1),
            Column("区间P5", "吨二氧化碳", 1),
            Column("区间P95", "吨二氧化碳", 1),
            Column("缺失的参数或数据"),
        ],
        [
            [
                r.district,
                r.get_land_type_display(),
                r.group or "—",
                r.data.get("method_label", r.method),
                MISSING if r.stock_tc is None else r.stock_tc,
                MISSING if r.sink_tco2 is None else r.sink_tco2,
                MISSING if r.p5 is None else r.p5,
                MISSING if r.p95 is None else r.p95,
                "；".join(r.data.get("missing") or []),
            ]
            for r in rows
        ],
        source=f"参数集 {label}，气候带 {factors.climate_zone if factors and factors.climate_zone else '未选择'}",
        note="区间为蒙特卡洛 90% 区间；“缺失”为参数或数据未录入，不按 0 计",
    )
    used: dict[tuple, dict] = {}
    for r in rows:
        for p in r.data.get("parameters", []):
            used[(p["name"], p["value"])] = p
    parameters = Table(
        "参数",
        "所用参数及来源",
        [
            Column("参数"),
            Column("数值", "", 4),
            Column("范围"),
            Column("单位"),
            Column("来源"),
            Column("来源等级"),
        ],
        [
            [
                p["name"],
                p["value"],
                "—" if not p.get("range") else f"{p['range'][0]}–{p['range'][1]}",
                p["unit"],
                p["source"],
                p["status"],
            ]
            for p in used.values()
        ],
        source=label,
    )
    sample = any(r.includes_sample for r in rows)
    report = Report(
        title=f"{year}年碳汇",
        period_key=str(year),
        period_label=f"{year}年",
        region="",
        generated_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        sample=sample,
        data_version={"碳汇参数集": label},
        sections=[Section("碳汇", tables=[results, parameters])],
    )
    return write_xlsx(report)
