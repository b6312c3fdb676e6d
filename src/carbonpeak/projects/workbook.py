"""The key-project register as an Excel workbook: the template, and reading an upload (pure, no Django).

Five sheets, linked by the project's name: 重点项目 (one row per project), 设计节能量, 年度投资, 资金来源 and
项目节点 (one row per item of a project). The energy form's rules apply: every error names sheet, row and
column; a formula, an over-long cell or a row over the limit is an error; any error refuses the whole file.
A number left empty is 未报, never 0. What needs the register (a department, a task, an enterprise) is
resolved by the service, which names the cell the same way.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from carbonpeak.core.numbers import NumberError, parse_float, parse_int
from carbonpeak.core.text import gettext_noop
from carbonpeak.core.upload_errors import KEEP_THE_HEADERS, FormError, checked_rows, inert, open_workbook

PROJECTS, SAVINGS, INVESTMENTS, FUNDING, MILESTONES = (
    "重点项目",
    "设计节能量",
    "年度投资",
    "资金来源",
    "项目节点",
)
HEADER_ROW = 2
MAX_ROWS = 2_000  # 本平台规则: rows of one sheet — a city's project register, with room
COLUMNS: dict[str, tuple[str, ...]] = {
    PROJECTS: (
        "项目名称",
        "类型",
        "方案任务",
        "牵头部门",
        "所在区镇",
        "实施企业统一社会信用代码",
        "节能服务公司",
        "开工日期",
        "建成日期",
        "状态",
        "装机容量（千瓦）",
        "建设内容",
    ),
    SAVINGS: ("项目名称", "能源品种", "年节约量", "计量单位"),
    INVESTMENTS: ("项目名称", "年份", "计划投资（万元）", "完成投资（万元）"),
    FUNDING: ("项目名称", "年份", "资金来源", "金额（万元）", "机构"),
    MILESTONES: ("项目名称", "节点", "计划日期"),
}
INSTRUCTIONS = {
    PROJECTS: gettext_noop(
        "重点项目：每行一个项目，项目名称不重复，其他工作表按项目名称对应。类型填 %(kinds)s；状态填 %(statuses)s；"
        "方案任务填任务编号，如“（三）3”，多个用“、”分隔；日期写作 2025-03-15；未知的留空，不填 0。"
    ),
    SAVINGS: gettext_noop(
        "设计节能量：项目按设计运行时每年节约的能源实物量，每行一个能源品种（如“电力”“原煤”“天然气”），计量单位如“万千瓦时”“吨”；"
        "光伏等发电项目可不填，按装机容量和年等效满负荷小时数计算。"
    ),
    INVESTMENTS: gettext_noop("年度投资：每个项目每年一行，单位万元；未知的留空，不填 0。"),
    FUNDING: gettext_noop("资金来源：每行一笔，来源填 %(sources)s；机构填银行、基金等的名称。"),
    MILESTONES: gettext_noop("项目节点：每行一个节点及其计划日期（写作 2025-03-15）。"),
}


@dataclass
class Item:
    """A row of a sheet as read: its row number in the sheet and its values by header."""

    row: int
    values: dict


@dataclass
class ProjectRows:
    """One project as the file gives it: its row on 重点项目 and its rows on the other sheets."""

    row: int
    values: dict
    items: dict[str, list[Item]] = field(default_factory=lambda: {s: [] for s in COLUMNS if s != PROJECTS})


@dataclass
class ParsedProjects:
    projects: list[ProjectRows] = field(default_factory=list)
    errors: list[FormError] = field(default_factory=list)


def column(sheet: str, header: str) -> str:
    """How an error names a column: its letter and its header, 'C列（方案任务）'."""
    return f"{get_column_letter(COLUMNS[sheet].index(header) + 1)}列（{header}）"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def template_bytes(
    kinds: list[str], statuses: list[str], sources: list[str], *, say: Callable[[str], str] = str
) -> bytes:
    """The register's form: each sheet's instruction said by ``say`` (the reader's language), its headers and
    the choices as the importer reads them, a drop-down list where a cell takes one of a few words."""
    wb = Workbook()
    lists = {
        (PROJECTS, "类型"): kinds,
        (PROJECTS, "状态"): statuses,
        (FUNDING, "资金来源"): sources,
    }
    for index, (sheet, headers) in enumerate(COLUMNS.items()):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = sheet
        instruction = say(INSTRUCTIONS[sheet]) % {
            "kinds": "、".join(f"“{k}”" for k in kinds),
            "statuses": "、".join(f"“{s}”" for s in statuses),
            "sources": "、".join(f"“{s}”" for s in sources),
        }
        ws.append([inert(instruction + say(KEEP_THE_HEADERS))])
        ws.append(list(headers))
        for cell in ws[HEADER_ROW]:
            cell.font = Font(bold=True)
        for i, header in enumerate(headers, 1):
            ws.column_dimensions[get_column_letter(i)].width = (
                30 if header in ("项目名称", "建设内容") else 16
            )
            choices = lists.get((sheet, header))
            if choices:
                rule = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
                ws.add_data_validation(rule)
                letter = get_column_letter(i)
                rule.add(f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + MAX_ROWS}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_projects(
    data: bytes,
    *,
    kinds: Mapping[str, str],
    statuses: Mapping[str, str],
    sources: Mapping[str, str],
    years: tuple[int, int],
) -> ParsedProjects:
    """Read an upload: every problem an error naming sheet, row and column. ``kinds``, ``statuses`` and
    ``sources`` map the words a cell may hold to the register's choices; ``years`` bounds every year."""
    parsed = ParsedProjects()
    wb = open_workbook(data, parsed.errors)
    if wb is None:
        return parsed
    missing = [s for s in COLUMNS if s not in wb.sheetnames]
    if missing:
        parsed.errors.append(
            FormError("（文件）", None, None, f"缺少工作表“{'”“'.join(missing)}”：请使用平台下载的模板")
        )
        return parsed
    for sheet, headers in COLUMNS.items():
        got = next(
            wb[sheet].iter_rows(
                min_row=HEADER_ROW, max_row=HEADER_ROW, max_col=len(headers), values_only=True
            ),
            (),
        )
        got = [_text(v) for v in got]
        for i, expected in enumerate(headers):
            if i >= len(got) or got[i] != expected:
                parsed.errors.append(
                    FormError(
                        sheet,
                        HEADER_ROW,
                        column(sheet, expected),
                        f"表头应为“{expected}”：请使用平台下载的模板",
                    )
                )
                return parsed
    reading = _Reading(parsed.errors, kinds, statuses, sources, years)
    by_name: dict[str, ProjectRows] = {}
    for number, cells in checked_rows(
        wb[PROJECTS], HEADER_ROW + 1, len(COLUMNS[PROJECTS]), parsed.errors, PROJECTS, MAX_ROWS
    ):
        values = reading.project(number, cells)
        name = values["项目名称"]
        if name in by_name:
            parsed.errors.append(
                FormError(
                    PROJECTS, number, column(PROJECTS, "项目名称"), f"与第{by_name[name].row}行的项目同名"
                )
            )
            continue
        project = ProjectRows(number, values)
        parsed.projects.append(project)
        if name:
            by_name[name] = project
    for sheet in (SAVINGS, INVESTMENTS, FUNDING, MILESTONES):
        for number, cells in checked_rows(
            wb[sheet], HEADER_ROW + 1, len(COLUMNS[sheet]), parsed.errors, sheet, MAX_ROWS
        ):
            values = reading.item(sheet, number, cells)
            name = values["项目名称"]
            if name not in by_name:
                parsed.errors.append(
                    FormError(
                        sheet,
                        number,
                        column(sheet, "项目名称"),
                        f"“{name[:50]}”不在工作表“{PROJECTS}”中" if name else "项目名称为空",
                    )
                )
                continue
            by_name[name].items[sheet].append(Item(number, values))
    if not parsed.projects and not parsed.errors:
        parsed.errors.append(FormError(PROJECTS, None, None, "没有数据行"))
    return parsed


@dataclass
class _Reading:
    """The cell rules of the file being read, with the list its errors go to."""

    errors: list[FormError]
    kinds: Mapping[str, str]
    statuses: Mapping[str, str]
    sources: Mapping[str, str]
    years: tuple[int, int]

    def _error(self, sheet: str, row: int, header: str, message: str) -> None:
        self.errors.append(FormError(sheet, row, column(sheet, header), message))

    def project(self, row: int, cells: tuple) -> dict:
        values = dict(zip(COLUMNS[PROJECTS], cells, strict=True))
        out = {h: _text(values[h]) for h in COLUMNS[PROJECTS]}
        if not out["项目名称"]:
            self._error(PROJECTS, row, "项目名称", "项目名称为空")
        elif len(out["项目名称"]) > 200:
            self._error(PROJECTS, row, "项目名称", "项目名称不超过200字")
        out["类型"] = self._choice(PROJECTS, row, "类型", out["类型"], self.kinds)
        out["状态"] = self._choice(PROJECTS, row, "状态", out["状态"], self.statuses)
        if not out["牵头部门"]:
            self._error(PROJECTS, row, "牵头部门", "牵头部门为空")
        for header in ("开工日期", "建成日期"):
            out[header] = self._date(PROJECTS, row, header, values[header])
        out["装机容量（千瓦）"] = self._number(PROJECTS, row, "装机容量（千瓦）", values["装机容量（千瓦）"])
        out["建设内容"] = str(values["建设内容"] or "").strip()
        return out

    def item(self, sheet: str, row: int, cells: tuple) -> dict:
        values = dict(zip(COLUMNS[sheet], cells, strict=True))
        out = {h: _text(values[h]) for h in COLUMNS[sheet]}
        if sheet == SAVINGS:
            for header in ("能源品种", "计量单位"):
                if not out[header]:
                    self._error(sheet, row, header, f"{header}为空")
            out["年节约量"] = self._number(sheet, row, "年节约量", values["年节约量"])
        elif sheet == INVESTMENTS:
            out["年份"] = self._year(sheet, row, values["年份"])
            for header in ("计划投资（万元）", "完成投资（万元）"):
                out[header] = self._number(sheet, row, header, values[header])
        elif sheet == FUNDING:
            out["年份"] = self._year(sheet, row, values["年份"])
            out["资金来源"] = self._choice(sheet, row, "资金来源", out["资金来源"], self.sources)
            out["金额（万元）"] = self._number(sheet, row, "金额（万元）", values["金额（万元）"])
        else:
            if not out["节点"]:
                self._error(sheet, row, "节点", "节点为空")
            out["计划日期"] = self._date(sheet, row, "计划日期", values["计划日期"])
        return out

    def _choice(self, sheet: str, row: int, header: str, text: str, choices: Mapping[str, str]) -> str | None:
        if text in choices:
            return choices[text]
        self._error(sheet, row, header, f"{header}应为 {'、'.join(choices)} 之一，而不是“{text[:30]}”")
        return None

    def _number(self, sheet: str, row: int, header: str, value) -> float | None:
        """A non-negative number, or None when the cell is empty (未报 — never 0)."""
        try:
            return parse_float(value, what=header, low=0)
        except NumberError as exc:
            self._error(sheet, row, header, str(exc))
            return None

    def _year(self, sheet: str, row: int, value) -> int | None:
        low, high = self.years
        try:
            year = parse_int(_text(value), what="年份", low=low, high=high)
        except NumberError as exc:
            self._error(sheet, row, "年份", str(exc))
            return None
        if year is None:
            self._error(sheet, row, "年份", "年份为空")
        return year

    def _date(self, sheet: str, row: int, header: str, value) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text.replace("/", "-"))
        except ValueError:
            self._error(sheet, row, header, f"日期“{text[:20]}”无效，请写作 2025-03-15")
            return None
