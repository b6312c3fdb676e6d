"""The enterprise register as an Excel workbook: the template, and reading an upload (pure, no Django).

Two sheets: 企业名录 (one row per enterprise) and 建筑与光伏 (one row per building). The energy form's rules
apply: every error names sheet, row and column; a formula, an over-long cell or a row over the limit is an
error; any error refuses the whole file. Flags are 是 or 否, never left empty; a number left empty is 未报,
never 0.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font

from carbonpeak.core.text import gettext_noop
from carbonpeak.core.upload_errors import KEEP_THE_HEADERS, FormError, checked_rows, inert, open_workbook

from .creditcode import CreditCodeError, validate
from .industry import IndustryCodeError, account_sector, parse_code

REGISTER_SHEET, BUILDINGS_SHEET = "企业名录", "建筑与光伏"
HEADER_ROW = 2
MAX_REGISTER_ROWS = 20_000  # 本平台规则: a province's key energy users fit
REGISTER_COLUMNS = (
    "统一社会信用代码",
    "企业名称",
    "所在区镇",
    "行业代码（GB/T 4754）",
    "重点用能单位",
    "纳入全国碳市场",
    "两高企业",
    "数据中心",
    "PUE",
    "国有企业",
    "外资来源",
)
BUILDING_COLUMNS = (
    "统一社会信用代码",
    "建筑名称",
    "工业建筑",
    "新建或既有",
    "屋顶面积（m²）",
    "标准厂房及配套用房",
    "以国有资本为主投资",
    "光伏装机（MW）",
    "储能（MW）",
    "豁免原因",
)
BUILDING_FIELDS = (
    "name",
    "industrial",
    "new_build",
    "roof_area_m2",
    "standard_factory",
    "state_capital",
    "pv_installed_mw",
    "storage_mw",
    "exemption",
)
_YES, _NO = {"是", "Y", "YES", "TRUE", "1", "√"}, {"否", "N", "NO", "FALSE", "0", "×"}


@dataclass
class EnterpriseRow:
    row: int
    credit_code: str
    name: str
    district: str
    industry_code: str
    sector: str
    key_energy_user: bool
    ets_covered: bool
    two_high: bool
    data_centre: bool
    pue: float | None
    state_owned: bool
    foreign_origin: str = ""  # the investing country or region of a foreign-invested enterprise


@dataclass
class BuildingRow:
    row: int
    credit_code: str
    name: str
    industrial: bool
    new_build: bool
    roof_area_m2: float | None
    standard_factory: bool
    state_capital: bool
    pv_installed_mw: float | None
    storage_mw: float | None
    exemption: str


@dataclass
class ParsedRegister:
    enterprises: list[EnterpriseRow] = field(default_factory=list)
    buildings: list[BuildingRow] = field(default_factory=list)
    errors: list[FormError] = field(default_factory=list)


def template_bytes(*, say: Callable[[str], str] = str) -> bytes:
    """The register template: both sheets with their headers and a note on how to fill them (said by ``say``,
    the reader's language; the headers and the answers 是/否, 新建/既有 as the importer reads them)."""
    wb = Workbook()
    ws = wb.active
    ws.title = REGISTER_SHEET
    ws.append(
        [
            say(
                gettext_noop(
                    "重点企业名录：每行一家企业；标志列填“是”或“否”；PUE 仅数据中心填写，未测填空（不要填0）。"
                )
            )
            + say(KEEP_THE_HEADERS)
        ]
    )
    ws.append(list(REGISTER_COLUMNS))
    buildings = wb.create_sheet(BUILDINGS_SHEET)
    buildings.append(
        [
            say(
                gettext_noop(
                    "企业建筑：每行一栋建筑；“新建或既有”填“新建”或“既有”；光伏装机、储能未报填空，确无填0；"
                    "无法安装时填写豁免原因。"
                )
            )
            + say(KEEP_THE_HEADERS)
        ]
    )
    buildings.append(list(BUILDING_COLUMNS))
    for sheet in (ws, buildings):
        for cell in sheet[HEADER_ROW]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 22
        sheet.column_dimensions["B"].width = 28
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_bytes(enterprises: list[dict], buildings: list[dict]) -> bytes:
    """The register as the same workbook (text made inert: nothing a user typed runs as a formula)."""
    wb = Workbook()
    ws = wb.active
    ws.title = REGISTER_SHEET
    ws.append(["重点企业名录（导出）"])
    ws.append(list(REGISTER_COLUMNS) + ["核算行业", "示例数据"])
    for e in enterprises:
        ws.append(
            [
                inert(e["credit_code"]),
                inert(e["name"]),
                inert(e["district"]),
                inert(e["industry_code"]),
                *(_flag(e[k]) for k in ("key_energy_user", "ets_covered", "two_high", "data_centre")),
                e["pue"],
                _flag(e["state_owned"]),
                inert(e["foreign_origin"]),
                e["sector"],
                "示例数据" if e["sample"] else "",
            ]
        )
    bs = wb.create_sheet(BUILDINGS_SHEET)
    bs.append(["企业建筑（导出）"])
    bs.append(list(BUILDING_COLUMNS))
    for b in buildings:
        bs.append(
            [
                inert(b["credit_code"]),
                inert(b["name"]),
                _flag(b["industrial"]),
                "新建" if b["new_build"] else "既有",
                b["roof_area_m2"],
                _flag(b["standard_factory"]),
                _flag(b["state_capital"]),
                b["pv_installed_mw"],
                b["storage_mw"],
                inert(b["exemption"]),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _flag(value: bool) -> str:
    return "是" if value else "否"


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _col(index: int, header: str) -> str:
    return f"{chr(ord('A') + index - 1)}列（{header}）"


def read_register(data: bytes) -> ParsedRegister:
    """Read an uploaded register; every problem is an error naming sheet, row and column."""
    parsed = ParsedRegister()
    wb = open_workbook(data, parsed.errors)
    if wb is None:
        return parsed
    if REGISTER_SHEET not in wb.sheetnames:
        parsed.errors.append(
            FormError("（文件）", None, None, f"缺少工作表“{REGISTER_SHEET}”：请使用平台下载的名录模板")
        )
        return parsed
    _check_header(wb[REGISTER_SHEET], REGISTER_SHEET, REGISTER_COLUMNS, parsed.errors)
    if BUILDINGS_SHEET in wb.sheetnames:
        _check_header(wb[BUILDINGS_SHEET], BUILDINGS_SHEET, BUILDING_COLUMNS, parsed.errors)
    if parsed.errors:
        return parsed
    seen: dict[str, int] = {}
    sheet = REGISTER_SHEET
    for number, values in checked_rows(
        wb[sheet], HEADER_ROW + 1, len(REGISTER_COLUMNS), parsed.errors, sheet, MAX_REGISTER_ROWS
    ):
        errors = parsed.errors
        code = _credit_code(values[0], errors, sheet, number)
        name = _text(values[1])
        if not name:
            errors.append(FormError(sheet, number, _col(2, "企业名称"), "企业名称为空"))
        if code and code in seen:
            errors.append(FormError(sheet, number, _col(1, "统一社会信用代码"), f"与第{seen[code]}行重复"))
        elif code:
            seen[code] = number
        industry, sector = "", ""
        try:
            industry = parse_code(_text(values[3]))[2]
            sector = account_sector(industry)
        except IndustryCodeError as exc:
            errors.append(FormError(sheet, number, _col(4, "行业代码"), str(exc)))
        flags = [_bool(values[i], errors, sheet, number, i + 1, REGISTER_COLUMNS[i]) for i in (4, 5, 6, 7)]
        pue = _number(values[8], errors, sheet, number, 9, "PUE")
        if pue is not None and not 1.0 <= pue <= 5.0:
            errors.append(FormError(sheet, number, _col(9, "PUE"), f"PUE {pue:g} 不在 1 至 5 之间"))
        if pue is not None and flags[3] is False:
            errors.append(FormError(sheet, number, _col(9, "PUE"), "不是数据中心却填了 PUE"))
        state = _bool(values[9], errors, sheet, number, 10, "国有企业")
        origin = _text(values[10])
        if len(origin) > 50:
            errors.append(FormError(sheet, number, _col(11, "外资来源"), "外资来源不超过 50 字"))
        if code and name and industry and None not in flags and state is not None and len(origin) <= 50:
            parsed.enterprises.append(
                EnterpriseRow(
                    number, code, name, _text(values[2]), industry, sector, *flags, pue, state, origin
                )
            )
    if BUILDINGS_SHEET in wb.sheetnames:
        _read_buildings(wb[BUILDINGS_SHEET], parsed)
    return parsed


def _read_buildings(ws, parsed: ParsedRegister) -> None:
    sheet, errors = BUILDINGS_SHEET, parsed.errors
    seen: dict[tuple[str, str], int] = {}
    for number, values in checked_rows(
        ws, HEADER_ROW + 1, len(BUILDING_COLUMNS), errors, sheet, MAX_REGISTER_ROWS
    ):
        code = _credit_code(values[0], errors, sheet, number)
        name = _text(values[1])
        if not name:
            errors.append(FormError(sheet, number, _col(2, "建筑名称"), "建筑名称为空"))
        key = (code or "", name)
        if code and name and key in seen:
            errors.append(FormError(sheet, number, _col(2, "建筑名称"), f"与第{seen[key]}行重复"))
        seen[key] = number
        industrial = _bool(values[2], errors, sheet, number, 3, "工业建筑")
        kind = _text(values[3])
        if kind not in ("新建", "既有"):
            errors.append(
                FormError(sheet, number, _col(4, "新建或既有"), f"应填“新建”或“既有”，而不是“{kind}”")
            )
        roof = _number(values[4], errors, sheet, number, 5, "屋顶面积")
        standard = _bool(values[5], errors, sheet, number, 6, "标准厂房及配套用房")
        state = _bool(values[6], errors, sheet, number, 7, "以国有资本为主投资")
        pv = _number(values[7], errors, sheet, number, 8, "光伏装机")
        storage = _number(values[8], errors, sheet, number, 9, "储能")
        if storage is not None and pv is None:
            errors.append(FormError(sheet, number, _col(9, "储能"), "填了储能，须同时填写光伏装机"))
        exemption = _text(values[9])[:200]
        if code and name and None not in (industrial, standard, state) and kind in ("新建", "既有"):
            parsed.buildings.append(
                BuildingRow(
                    number,
                    code,
                    name,
                    industrial,
                    kind == "新建",
                    roof,
                    standard,
                    state,
                    pv,
                    storage,
                    exemption,
                )
            )


def _check_header(ws, sheet: str, columns: tuple[str, ...], errors: list[FormError]) -> None:
    header = next(
        ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, max_col=len(columns), values_only=True), ()
    )
    got = [_text(v) for v in header]
    for i, expected in enumerate(columns):
        if i >= len(got) or got[i] != expected:
            errors.append(
                FormError(
                    sheet,
                    HEADER_ROW,
                    _col(i + 1, expected),
                    f"表头应为“{expected}”：请使用平台下载的名录模板",
                )
            )
            return


def _credit_code(value, errors: list[FormError], sheet: str, row: int) -> str | None:
    try:
        return validate(_text(value))
    except CreditCodeError as exc:
        errors.append(FormError(sheet, row, _col(1, "统一社会信用代码"), str(exc)))
        return None


def _bool(value, errors: list[FormError], sheet: str, row: int, col: int, header: str) -> bool | None:
    text = _text(value).upper()
    if text in _YES:
        return True
    if text in _NO:
        return False
    errors.append(
        FormError(
            sheet,
            row,
            _col(col, header),
            "应填“是”或“否”" + (f"，而不是“{_text(value)}”" if text else "（不能空着）"),
        )
    )
    return None


def _number(value, errors: list[FormError], sheet: str, row: int, col: int, header: str) -> float | None:
    """A non-negative number, or None when the cell is empty (未报 — never 0)."""
    if value is None or _text(value) == "":
        return None
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        errors.append(FormError(sheet, row, _col(col, header), f"“{_text(value)}”不是数字"))
        return None
    if number != number or number < 0 or number in (float("inf"),):
        errors.append(FormError(sheet, row, _col(col, header), "须为不小于0的数字"))
        return None
    return number


def efficiency_bytes(year: int, graded: list, rule: str) -> bytes:
    """能耗产出效益评价 as a workbook: the list a coordinator uses for differentiated electricity prices."""
    wb = Workbook()
    ws = wb.active
    ws.title = "能耗产出效益评价"
    ws.append([f"{year}年重点企业能耗产出效益评价"])
    ws.append([rule])
    ws.append(
        [
            "企业",
            "核算行业",
            "增加值（万元）",
            "综合能源消费量（tce，当量值）",
            "单位能耗增加值（万元/tce）",
            "单位增加值二氧化碳（tCO2/万元）",
            "等级",
            "行业内排名",
            "同行业企业数",
            "说明",
        ]
    )
    for g in graded:
        f = g.figures
        ws.append(
            [
                inert(f.name),
                f.sector,
                f.value_added,
                f.energy_tce,
                g.value_added_per_tce,
                g.co2_per_value_added,
                g.grade,
                g.rank,
                g.peers,
                g.note,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
