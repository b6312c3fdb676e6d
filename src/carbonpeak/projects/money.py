"""The money behind the key projects as one workbook for the 财政局 and the financial regulator (pure: plain
rows in, .xlsx bytes out): funding by source and year, investment by department, green-finance instruments by
institution, the fiscal awards against the milestones reached, and each project. A figure not given is
written as 未填 — never 0 — and every text cell is made inert (no formula reaches the file)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from carbonpeak.core.text import gettext_noop
from carbonpeak.core.upload_errors import inert

#: the funding sources that are green-finance instruments (方案 四（三）) and the city's fiscal support (四（二）)
GREEN_FINANCE = ("loan", "bond", "insurance", "fund")
FISCAL = ("award", "interest", "subsidy", "risk")
NOT_GIVEN = gettext_noop("未填")


@dataclass
class FundingRow:
    project: str
    department: str
    year: int
    source: str  # the code
    source_label: str
    amount: float | None
    institution: str


@dataclass
class AwardRow:
    """A fiscal award paid, against the milestone it rewards."""

    project: str
    department: str
    milestone: str
    reached_in: str  # the quarter whose approved progress reached it
    source_label: str
    amount: float
    paid_on: str  # 2025-03-15
    document: str


@dataclass
class ProjectRow:
    name: str
    kind: str
    status: str
    department: str
    district: str
    enterprise: str
    esco: str
    tasks: str
    planned: float | None
    actual: float | None
    tce: float | None
    tco2: float | None
    effect_state: str
    sample: bool
    investment: dict[int, tuple[float | None, float | None]] = field(default_factory=dict)
    milestones: list[tuple[str, str]] = field(default_factory=list)  # (name, quarter reached or "")


def workbook(
    projects: list[ProjectRow],
    funding: list[FundingRow],
    awards: list[AwardRow],
    *,
    title: str,
    sample: bool,
    say: Callable[[str], str] = str,
) -> bytes:
    """The workbook; ``say`` says the platform's words in the reader's language (the view passes gettext).
    (Long: the seven sheets in the order the file shows them.)"""
    wb = Workbook()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF4")
    missing = say(NOT_GIVEN)

    def value(v):
        return missing if v is None else inert(v)

    def sheet(name: str, headers: list[str], rows: list[list], first: bool = False):
        ws = wb.active if first else wb.create_sheet()
        ws.title = say(name)[:31]
        ws.append([inert(say(h)) for h in headers])
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            ws.append([value(v) for v in row])
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 18
        ws.freeze_panes = "A2"
        return ws

    about = [
        [title, ""],
        [say(gettext_noop("说明")), say(gettext_noop("金额单位：万元；“未填”表示未给出，不是 0。"))],
    ]
    if sample:
        about.append(
            [say(gettext_noop("示例数据")), say(gettext_noop("含演示脚本生成的示例数据，非真实统计。"))]
        )
    sheet(gettext_noop("说明"), [gettext_noop("项目"), gettext_noop("内容")], about, first=True)

    years = sorted({f.year for f in funding})
    by_source: dict[str, dict[int, list]] = {}
    for f in funding:
        by_source.setdefault(f.source_label, {}).setdefault(f.year, []).append(f.amount)
    sheet(
        gettext_noop("资金来源汇总"),
        [
            gettext_noop("资金来源"),
            *[str(y) for y in years],
            gettext_noop("合计（已填）"),
            gettext_noop("未填金额的条目"),
        ],
        [
            [
                label,
                *[_sum(cells.get(y, [])) for y in years],
                _sum([a for c in cells.values() for a in c]),
                _unfilled(cells),
            ]
            for label, cells in sorted(by_source.items())
        ],
    )
    by_department: dict[str, dict[int, list]] = {}
    for p in projects:
        for year, (planned, actual) in p.investment.items():
            row = by_department.setdefault(p.department, {})
            row.setdefault(year, [[], []])
            row[year][0].append(planned)
            row[year][1].append(actual)
    dept_years = sorted({y for row in by_department.values() for y in row})
    sheet(
        gettext_noop("按部门投资"),
        [gettext_noop("牵头部门"), gettext_noop("年份"), gettext_noop("计划投资"), gettext_noop("完成投资")],
        [
            [dept, y, _sum(row[y][0]), _sum(row[y][1])]
            for dept, row in sorted(by_department.items())
            for y in dept_years
            if y in row
        ],
    )
    sheet(
        gettext_noop("绿色金融"),
        [
            gettext_noop("机构"),
            gettext_noop("工具"),
            gettext_noop("年份"),
            gettext_noop("项目"),
            gettext_noop("金额"),
        ],
        [
            [f.institution or missing, f.source_label, f.year, f.project, f.amount]
            for f in sorted(funding, key=lambda f: (f.institution, f.source, f.year))
            if f.source in GREEN_FINANCE
        ],
    )
    reached = {p.name: "; ".join(f"{n} {q}" for n, q in p.milestones if q) for p in projects}
    sheet(
        gettext_noop("财政奖补计划"),
        [
            gettext_noop("项目"),
            gettext_noop("牵头部门"),
            gettext_noop("年份"),
            gettext_noop("方式"),
            gettext_noop("金额"),
            gettext_noop("已完成节点"),
        ],
        [
            [f.project, f.department, f.year, f.source_label, f.amount, reached.get(f.project, "")]
            for f in funding
            if f.source in FISCAL
        ],
    )
    sheet(
        gettext_noop("财政奖补拨付"),
        [
            gettext_noop("项目"),
            gettext_noop("牵头部门"),
            gettext_noop("对应节点"),
            gettext_noop("节点完成于"),
            gettext_noop("方式"),
            gettext_noop("拨付金额"),
            gettext_noop("拨付日期"),
            gettext_noop("拨付文件（文号）"),
        ],
        [
            [
                a.project,
                a.department,
                a.milestone,
                a.reached_in,
                a.source_label,
                a.amount,
                a.paid_on,
                a.document,
            ]
            for a in awards
        ],
    )
    sheet(
        gettext_noop("项目明细"),
        [
            gettext_noop("项目名称"),
            gettext_noop("类型"),
            gettext_noop("状态"),
            gettext_noop("牵头部门"),
            gettext_noop("所在区镇"),
            gettext_noop("实施企业"),
            gettext_noop("节能服务公司"),
            gettext_noop("方案任务"),
            gettext_noop("计划投资"),
            gettext_noop("完成投资"),
            gettext_noop("年节能量（吨标准煤）"),
            gettext_noop("年减排量（吨二氧化碳）"),
            gettext_noop("效果"),
            gettext_noop("示例数据"),
        ],
        [
            [
                p.name,
                p.kind,
                p.status,
                p.department,
                p.district,
                p.enterprise,
                p.esco,
                p.tasks,
                p.planned,
                p.actual,
                p.tce,
                p.tco2,
                p.effect_state,
                say(gettext_noop("是")) if p.sample else "",
            ]
            for p in projects
        ],
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sum(values: list) -> float | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def _unfilled(cells: dict[int, list]) -> int:
    return sum(v is None for c in cells.values() for v in c)
