"""The quarterly reporting form (Excel) and the long CSV: writing the template, reading and validating uploads.

Pure (no Django). Reading never stops at the first problem: every error is collected with the sheet, row
and column it is in, so the reporter can fix the whole file at once; any error rejects the whole file.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from carbonpeak.core.text import gettext_noop
from carbonpeak.core.upload_errors import (
    KEEP_THE_HEADERS,
    MAX_CELL_CHARS,
    FormError,
    checked_rows,
    csv_rows,
    inert,
    open_csv,
    open_workbook,
)
from carbonpeak.energy import catalog
from carbonpeak.energy.accounting import (
    FEEDSTOCK_USE,
    FUEL_USE,
    USES,
    EconomicFigure,
    EnergyRecord,
    balance_gaps,
)
from carbonpeak.energy.catalog import UnknownName
from carbonpeak.energy.factors import FactorSet, MissingFactor

COVER, FUELS_SHEET, POWER_USE_SHEET, POWER_BALANCE_SHEET, ECONOMY_SHEET = (
    "填报说明",
    "分品种能源消费",
    "分行业用电量",
    "电力平衡",
    "经济与人口",
)
HEADER_ROW = 3
TEMPLATE_FUELS = (
    ("原煤", "万吨"),
    ("洗精煤", "万吨"),
    ("焦炭", "万吨"),
    ("焦炉煤气", "万立方米"),
    ("原油", "万吨"),
    ("汽油", "万吨"),
    ("煤油", "万吨"),
    ("柴油", "万吨"),
    ("燃料油", "万吨"),
    ("液化石油气", "万吨"),
    ("炼厂干气", "万吨"),
    ("天然气", "万立方米"),
    ("热力", "百万千焦"),
)
STANDARD_TOLERANCE = 0.02  # a reported standard quantity may differ from physical × coefficient by 2 %
QOQ_THRESHOLD = 0.5  # quarter-on-quarter change that earns a warning
MAX_FORM_ROWS = 2_000  # data rows of one sheet of the form (本平台规则; the long CSV has its own)
MAX_CSV_ROWS = 200_000  # rows of the long CSV (a city's quarters for years; meter data goes to the CLI)
CSV_HEADERS = {
    "period": ("period", "报告期"),
    "region": ("region", "地区"),
    "sector": ("sector", "行业"),
    "fuel": ("fuel", "能源品种"),
    "quantity": ("quantity", "数量", "实物量"),
    "unit": ("unit", "计量单位", "单位"),
}
OPTIONAL_CSV_HEADERS = {"use": ("use", "用途")}  # 燃料 (default) or 原料


@dataclass(frozen=True)
class FormRecord:
    """One reported figure, with where it came from so that warnings can point at the cell."""

    record: EnergyRecord
    reported_tce: float | None = None
    sheet: str = ""
    row: int | None = None


@dataclass
class ParsedForm:
    records: list[FormRecord] = field(default_factory=list)
    economy: list[EconomicFigure] = field(default_factory=list)
    errors: list[FormError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def energy_records(self) -> list[EnergyRecord]:
        return [r.record for r in self.records]

    def periods(self) -> list[tuple[str, str]]:
        keys = {(r.record.period, r.record.region) for r in self.records}
        keys |= {(e.period, e.region) for e in self.economy}
        return sorted(keys)


class FormRejected(ValueError):
    def __init__(self, errors: list[FormError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


# ------------------------------------------------------------------ template


def build_template(
    period: str = "", region: str = "", *, factors: FactorSet | None = None, say: Callable[[str], str] = str
) -> Workbook:
    """The statistics office's quarterly form: fuels as rows, physical and standard quantities as columns.
    Its title and instructions are said by ``say`` (the reader's language; the view passes gettext); the
    sheets' names, headers and row names stay as the importer reads them.
    (Long: the form's layout cell by cell, in the order it prints.)"""
    wb = Workbook()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE7F0")
    cover = wb.active
    cover.title = COVER
    cover["A1"] = say(gettext_noop("能源消费与碳排放统计季度报表"))
    cover["A1"].font = Font(bold=True, size=14)
    cover["A3"], cover["B3"] = "报告期", inert(period)
    cover["A4"], cover["B4"] = "地区", inert(region)
    cover["A5"], cover["B5"] = "填报单位", ""
    for cell in ("A3", "A4", "A5"):
        cover[cell].font = bold
    notes = [
        say(
            gettext_noop(
                "报告期写作 2025Q3（第3季度）；季度数据填本季度发生量（不是累计）。“经济与人口”表按统计部门口径填"
                " 1–本季度累计值。"
            )
        ),
        say(gettext_noop("数量留空表示未报送（不是零）；确为零时请填 0。")),
        say(
            gettext_noop(
                "实物量与标准量可只填其一；两者都填时，标准量与“实物量×参考折标系数”相差超过 2% 会给出提示。"
            )
        ),
        say(
            gettext_noop(
                "电厂发电耗用的燃料填在“电力、热力生产和供应业”行；本地发电量按类型填在“电力平衡”表。"
            )
        ),
        say(
            gettext_noop(
                "电力调入、电力调出均须填写（没有则填 0），按电网结构（省内电网、区外来电、绿电交易）分行填写，核算按"
                "“调入−调出”计净调入；电力、热力生产和供应业有燃料消费时，须在“电力平衡”表按电源填写本地发电量。"
                "缺少这些行的文件不被接收。"
            )
        ),
        say(gettext_noop("计量单位可从下拉列表选择："))
        + "、".join(f"“{u}”" for u in catalog.UNIT_NAMES)
        + "。",
        say(gettext_noop("上传时任何一处错误都会使整个文件不被接收，错误信息会指出工作表、行和列。")),
        say(KEEP_THE_HEADERS),
    ]
    cover["A7"] = say(gettext_noop("填报说明"))
    cover["A7"].font = bold
    for i, text in enumerate(notes, start=8):
        cover.cell(row=i, column=1, value=f"{i - 7}. {text}")
    cover.column_dimensions["A"].width = 14
    cover.column_dimensions["B"].width = 30

    unit_list = DataValidation(
        type="list", formula1='"' + ",".join(catalog.UNIT_NAMES) + '"', allow_blank=True
    )

    def sheet(title: str, headers: list[str], widths: list[int]):
        ws = wb.create_sheet(title)
        ws["A1"] = title
        ws["A1"].font = Font(bold=True, size=12)
        for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
            cell = ws.cell(row=HEADER_ROW, column=col, value=text)
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
        return ws

    ws = sheet(
        FUELS_SHEET,
        [
            "行业",
            "能源品种",
            "计量单位",
            "实物量",
            "标准量（吨标准煤）",
            "参考折标系数",
            "其中：用作原料（实物量）",
        ],
        [28, 14, 12, 14, 18, 22, 16],
    )
    ws.add_data_validation(unit_list)
    row = HEADER_ROW + 1
    for sector in catalog.SECTORS:
        for fuel_name, unit in TEMPLATE_FUELS:
            ws.cell(row=row, column=1, value=sector.name)
            ws.cell(row=row, column=2, value=fuel_name)
            ws.cell(row=row, column=3, value=unit)
            unit_list.add(ws.cell(row=row, column=3))
            ws.cell(row=row, column=6, value=_coefficient_note(factors, fuel_name))
            row += 1

    ws = sheet(POWER_USE_SHEET, ["行业", "用电量", "计量单位"], [28, 14, 12])
    ws.add_data_validation(unit_list)
    for row, sector in enumerate(catalog.SECTORS, start=HEADER_ROW + 1):
        ws.cell(row=row, column=1, value=sector.name)
        ws.cell(row=row, column=3, value="万千瓦时")
        unit_list.add(ws.cell(row=row, column=3))

    ws = sheet(POWER_BALANCE_SHEET, ["项目", "类型", "电量", "计量单位"], [14, 16, 14, 12])
    ws.add_data_validation(unit_list)
    items = [(catalog.GENERATION, s.name) for s in catalog.GENERATION_SOURCES]
    items += [(catalog.IMPORT, g.name) for g in catalog.GRID_STRUCTURES]
    items += [(catalog.EXPORT, g.name) for g in catalog.GRID_STRUCTURES]
    for row, (item, kind) in enumerate(items, start=HEADER_ROW + 1):
        ws.cell(row=row, column=1, value=item)
        ws.cell(row=row, column=2, value=kind)
        ws.cell(row=row, column=4, value="万千瓦时")
        unit_list.add(ws.cell(row=row, column=4))

    ws = sheet(ECONOMY_SHEET, ["指标", "数值", "说明"], [34, 14, 50])
    for row, (label, note) in enumerate(ECONOMY_ROWS, start=HEADER_ROW + 1):
        ws.cell(row=row, column=1, value=label)
        ws.cell(row=row, column=3, value=note)
    return wb


ECONOMY_ROWS = (
    ("地区生产总值（现价，亿元）", "1–本季度累计"),
    ("地区生产总值实际增速（%）", "按可比价格计算，比上年同期增长"),
    ("地区生产总值（基期可比价，亿元）", "可选；统计部门直接给出时填写"),
    ("常住人口（万人）", "期末"),
)


def _coefficient_note(factors: FactorSet | None, fuel_name: str) -> str:
    if factors is None:
        return ""
    fuel = catalog.FUEL_BY_NAME[fuel_name]
    try:
        value = factors.coal_coefficient(fuel)
    except MissingFactor:
        return "因子集未给出"
    base = {"mass": "吨", "volume": "立方米", "energy": "千瓦时"}[fuel.dimension]
    if fuel.family == catalog.HEAT:
        return f"{value / catalog.GJ_PER_KWH:.5g} 吨标准煤/吉焦"
    return f"{value:.5g} 吨标准煤/{base}"


def template_bytes(
    period: str = "", region: str = "", *, factors: FactorSet | None = None, say: Callable[[str], str] = str
) -> bytes:
    buf = io.BytesIO()
    build_template(period, region, factors=factors, say=say).save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ reading


def _number(value, errors: list[FormError], sheet: str, row: int, column: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        errors.append(FormError(sheet, row, column, f"“{value}”不是数字"))
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        try:
            number = float(text)
        except ValueError:
            errors.append(FormError(sheet, row, column, f"“{value}”不是数字"))
            return None
    if number != number or number in (float("inf"), float("-inf")):
        errors.append(FormError(sheet, row, column, f"“{value}”不是有效数字"))
        return None
    if number < 0:
        errors.append(FormError(sheet, row, column, f"数量不能为负（{value}）"))
        return None
    return number


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _col(index: int, header: str) -> str:
    return f"{get_column_letter(index)}列（{header}）"


def read_workbook(data: bytes, *, factors: FactorSet | None = None) -> ParsedForm:
    """Read the quarterly form; errors name sheet, row and column.
    (Long: the form's sheets and blocks read in their printed order, each check naming sheet, row and column.)"""
    form = ParsedForm()
    wb = open_workbook(data, form.errors)
    if wb is None:
        return form
    missing = [
        s
        for s in (COVER, FUELS_SHEET, POWER_USE_SHEET, POWER_BALANCE_SHEET, ECONOMY_SHEET)
        if s not in wb.sheetnames
    ]
    if missing:
        form.errors.append(
            FormError("（文件）", None, None, f"缺少工作表：{'、'.join(missing)}；请使用平台下载的报表模板")
        )
        return form
    cover = wb[COVER]
    for ref, row in (("B3", 3), ("B4", 4)):
        cell = cover[ref]
        if cell.data_type == "f" or len(_text(cell.value)) > MAX_CELL_CHARS:
            form.errors.append(FormError(COVER, row, "B列", "须直接填写文字（不能是公式，不超过1000字）"))
            return form
    period_text, region = _text(cover["B3"].value), _text(cover["B4"].value)
    period = None
    try:
        period = catalog.parse_period(period_text).key if period_text else None
        if period is None:
            form.errors.append(FormError(COVER, 3, "B列（报告期）", "报告期为空"))
    except UnknownName as exc:
        form.errors.append(FormError(COVER, 3, "B列（报告期）", str(exc)))
    if not region:
        form.errors.append(FormError(COVER, 4, "B列（地区）", "地区为空"))
    period = period or "?"

    def rows(name: str, width: int):
        yield from checked_rows(wb[name], HEADER_ROW + 1, width, form.errors, name, MAX_FORM_ROWS)

    for number, (sector, fuel, unit, physical, standard, _note, raw_feedstock) in rows(FUELS_SHEET, 7):
        errors_before = len(form.errors)
        qty = _number(physical, form.errors, FUELS_SHEET, number, _col(4, "实物量"))
        std = _number(standard, form.errors, FUELS_SHEET, number, _col(5, "标准量"))
        feedstock = _number(raw_feedstock, form.errors, FUELS_SHEET, number, _col(7, "其中：用作原料"))
        if qty is None and std is None:
            if feedstock is not None:
                form.errors.append(
                    FormError(
                        FUELS_SHEET, number, _col(4, "实物量"), "填了用作原料的量，须同时填写实物量（含原料）"
                    )
                )
            continue
        if feedstock is not None and (qty is None or feedstock > qty):
            form.errors.append(
                FormError(
                    FUELS_SHEET,
                    number,
                    _col(7, "其中：用作原料"),
                    "用作原料的量须以实物量填写，且不超过实物量",
                )
            )
        sector_name = _resolve(catalog.resolve_sector, sector, form, FUELS_SHEET, number, _col(1, "行业"))
        fuel_obj = _resolve(catalog.resolve_fuel, fuel, form, FUELS_SHEET, number, _col(2, "能源品种"))
        if sector_name in catalog.BALANCE_ITEMS:
            form.errors.append(
                FormError(FUELS_SHEET, number, _col(1, "行业"), f"“{sector}”请填在“电力平衡”表")
            )
        if qty is not None:
            unit_obj = _resolve(catalog.parse_unit, unit, form, FUELS_SHEET, number, _col(3, "计量单位"))
            if (
                unit_obj
                and fuel_obj
                and unit_obj.dimension not in (fuel_obj.dimension, catalog.COAL_EQUIVALENT)
            ):
                label = catalog.DIMENSION_LABEL[fuel_obj.dimension]
                form.errors.append(
                    FormError(
                        FUELS_SHEET,
                        number,
                        _col(3, "计量单位"),
                        f"“{unit}”不适用于{fuel_obj.name}（须为{label}单位）",
                    )
                )
        if len(form.errors) > errors_before:
            continue
        if qty is not None:
            burned = qty - (feedstock or 0.0)  # the form's 其中：原料用能 column blank: none of it feedstock
            record = EnergyRecord(period, region, sector_name, fuel_obj.name, burned, _text(unit))
        else:
            record = EnergyRecord(period, region, sector_name, fuel_obj.name, std, "吨标准煤")
        form.records.append(
            FormRecord(record, std if qty is not None and not feedstock else None, FUELS_SHEET, number)
        )
        if feedstock:
            raw = EnergyRecord(
                period, region, sector_name, fuel_obj.name, feedstock, _text(unit), FEEDSTOCK_USE
            )
            form.records.append(FormRecord(raw, None, FUELS_SHEET, number))

    for number, (sector, amount, unit) in rows(POWER_USE_SHEET, 3):
        errors_before = len(form.errors)
        qty = _number(amount, form.errors, POWER_USE_SHEET, number, _col(2, "用电量"))
        if qty is None:
            continue
        sector_name = _resolve(catalog.resolve_sector, sector, form, POWER_USE_SHEET, number, _col(1, "行业"))
        _check_energy_unit(unit, form, POWER_USE_SHEET, number, _col(3, "计量单位"))
        if len(form.errors) == errors_before:
            form.records.append(
                FormRecord(
                    EnergyRecord(period, region, sector_name, "电力", qty, _text(unit)),
                    None,
                    POWER_USE_SHEET,
                    number,
                )
            )

    for number, (item, kind, amount, unit) in rows(POWER_BALANCE_SHEET, 4):
        errors_before = len(form.errors)
        qty = _number(amount, form.errors, POWER_BALANCE_SHEET, number, _col(3, "电量"))
        if qty is None:
            continue
        item_name = _resolve(catalog.resolve_sector, item, form, POWER_BALANCE_SHEET, number, _col(1, "项目"))
        if item_name and item_name not in catalog.BALANCE_ITEMS:
            form.errors.append(
                FormError(
                    POWER_BALANCE_SHEET,
                    number,
                    _col(1, "项目"),
                    f"“{item}”不是电力平衡项（本地发电、电力调入、电力调出）",
                )
            )
        kind_name = "电力"
        if item_name == catalog.GENERATION:
            source = _resolve(
                catalog.resolve_source, kind, form, POWER_BALANCE_SHEET, number, _col(2, "类型")
            )
            kind_name = source.name if source else ""
        elif item_name in (catalog.IMPORT, catalog.EXPORT):
            kind_name, _ = _balance_part(kind, item_name, form, POWER_BALANCE_SHEET, number, _col(2, "类型"))
        _check_energy_unit(unit, form, POWER_BALANCE_SHEET, number, _col(4, "计量单位"))
        if len(form.errors) == errors_before:
            record = EnergyRecord(period, region, item_name, kind_name, qty, _text(unit))
            form.records.append(FormRecord(record, None, POWER_BALANCE_SHEET, number))

    values: dict[int, float | None] = {}
    labels = [label for label, _ in ECONOMY_ROWS]
    for number, (label, amount, _note) in rows(ECONOMY_SHEET, 3):
        text = _text(label)
        if text not in labels:
            if amount is not None:
                form.errors.append(FormError(ECONOMY_SHEET, number, _col(1, "指标"), f"未知指标“{text}”"))
            continue
        values[labels.index(text)] = _number(amount, form.errors, ECONOMY_SHEET, number, _col(2, "数值"))
    if any(v is not None for v in values.values()):
        form.economy.append(
            EconomicFigure(period, region, values.get(0), values.get(1), values.get(2), values.get(3))
        )
    wb.close()
    if not form.errors:
        form.warnings.extend(standard_quantity_warnings(form.records, factors))
    return form


def _resolve(func, value, form: ParsedForm, sheet: str, row: int, column: str):
    if _text(value) == "":
        form.errors.append(FormError(sheet, row, column, "为空"))
        return None
    try:
        return func(_text(value))
    except UnknownName as exc:
        form.errors.append(FormError(sheet, row, column, str(exc)))
        return None


def _check_energy_unit(unit, form: ParsedForm, sheet: str, row: int, column: str) -> None:
    unit_obj = _resolve(catalog.parse_unit, unit, form, sheet, row, column)
    if unit_obj and unit_obj.dimension != catalog.ENERGY:
        form.errors.append(
            FormError(sheet, row, column, f"“{unit}”不是电量单位（如 万千瓦时、千瓦时、亿千瓦时）")
        )


def read_csv(data: bytes, name: str = "CSV", *, factors: FactorSet | None = None) -> ParsedForm:
    """The long format ``period,region,sector,fuel,quantity,unit`` (Chinese headers accepted)."""
    form = ParsedForm()
    sheet = name
    opened = open_csv(data, form.errors, sheet)
    if opened is None:
        return form
    reader, header = opened
    positions: dict[str, int] = {}
    cleaned = [h.strip().lower() for h in header]
    for key, names in {**CSV_HEADERS, **OPTIONAL_CSV_HEADERS}.items():
        for i, h in enumerate(cleaned):
            if h in names:
                positions[key] = i
    missing = [k for k in CSV_HEADERS if k not in positions]
    if missing:
        form.errors.append(
            FormError(
                sheet, 1, None, f"缺少列：{', '.join(missing)}；须为 period,region,sector,fuel,quantity,unit"
            )
        )
        return form

    def column(key: str) -> str:
        return f"{get_column_letter(positions[key] + 1)}列（{header[positions[key]].strip()}）"

    for number, raw in csv_rows(reader, form.errors, sheet, MAX_CSV_ROWS):
        raw = raw + [""] * (len(header) - len(raw))
        cell = {k: raw[i].strip() for k, i in positions.items()}
        errors_before = len(form.errors)
        period = _resolve(catalog.parse_period, cell["period"], form, sheet, number, column("period"))
        if not cell["region"]:
            form.errors.append(FormError(sheet, number, column("region"), "地区为空"))
        sector = _resolve(catalog.resolve_sector, cell["sector"], form, sheet, number, column("sector"))
        fuel_name = None
        if sector == catalog.GENERATION:
            source = _resolve(catalog.resolve_source, cell["fuel"], form, sheet, number, column("fuel"))
            fuel_name = source.name if source else None
            dimension = catalog.ENERGY
        elif sector in (catalog.IMPORT, catalog.EXPORT):
            fuel_name, dimension = _balance_part(cell["fuel"], sector, form, sheet, number, column("fuel"))
        else:
            fuel = _resolve(catalog.resolve_fuel, cell["fuel"], form, sheet, number, column("fuel"))
            fuel_name = fuel.name if fuel else None
            dimension = fuel.dimension if fuel else None
        unit = _resolve(catalog.parse_unit, cell["unit"], form, sheet, number, column("unit"))
        if unit and dimension and unit.dimension not in (dimension, catalog.COAL_EQUIVALENT):
            label = catalog.DIMENSION_LABEL[dimension]
            form.errors.append(
                FormError(
                    sheet, number, column("unit"), f"“{cell['unit']}”不适用于{fuel_name}（须为{label}单位）"
                )
            )
        if cell["quantity"] == "":
            form.errors.append(
                FormError(sheet, number, column("quantity"), "数量为空（未报送的行请删除，确为零请填 0）")
            )
            continue
        qty = _number(cell["quantity"], form.errors, sheet, number, column("quantity"))
        if len(form.errors) > errors_before or qty is None:
            continue
        use = cell.get("use") or FUEL_USE
        if use not in USES:
            form.errors.append(
                FormError(sheet, number, column("use"), f"用途“{use}”须为“燃料”或“原料”（留空为燃料）")
            )
            continue
        if use == FEEDSTOCK_USE and (sector in catalog.BALANCE_ITEMS or fuel_name in ("电力", "热力")):
            form.errors.append(
                FormError(sheet, number, column("use"), "只有燃料（煤、油、气等）可以用作原料")
            )
            continue
        record = EnergyRecord(period.key, cell["region"], sector, fuel_name, qty, cell["unit"], use)
        form.records.append(FormRecord(record, None, sheet, number))
    if not form.records and not form.errors:
        form.errors.append(FormError(sheet, None, None, "文件中没有数据行"))
    return form


def _balance_part(text, sector: str, form: ParsedForm, sheet: str, row: int, column: str):
    """A 调入/调出 row's fuel column: 电力 (not split) or a grid structure (分电网结构)."""
    try:
        structure = catalog.resolve_structure(_text(text))
    except UnknownName as exc:
        try:
            fuel = catalog.resolve_fuel(_text(text))
        except UnknownName:
            form.errors.append(FormError(sheet, row, column, str(exc)))
            return None, None
        if fuel.family != catalog.ELECTRICITY:
            form.errors.append(FormError(sheet, row, column, f"{sector}的能源品种须为“电力”或电网结构"))
            return None, None
        structure = None
    return (structure.name if structure else catalog.UNSPLIT), catalog.ENERGY


def read_upload(data: bytes, filename: str, *, factors: FactorSet | None = None) -> ParsedForm:
    """Dispatch on content, not on the name: an .xlsx is a zip archive, anything else is read as CSV."""
    if data[:4] == b"PK\x03\x04":
        form = read_workbook(data, factors=factors)
        sheet = POWER_BALANCE_SHEET
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        form = ParsedForm()
        form.errors.append(FormError("（文件）", None, None, "文件扩展名为 .xlsx，但内容不是 Excel 文件"))
        return form
    else:
        form = read_csv(data, filename or "CSV", factors=factors)
        sheet = filename or "CSV"
    if not form.errors:
        _check_balances(form, sheet)
    return form


def _check_balances(form: ParsedForm, sheet: str) -> None:
    """A period's electricity balance must be whole (调入 and 调出, local generation when the power sector
    burns fuel): a missing line would be read as zero, so the file is refused naming what to add."""
    reported: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for fr in form.records:
        r = fr.record
        reported[(r.period, r.region)].add((r.sector, r.fuel))
    for (period, region), rows in sorted(reported.items()):
        for gap in balance_gaps(rows):
            form.errors.append(
                FormError(sheet, None, None, f"{period} {region}：{gap.removeprefix('数据不全：')}")
            )


# ------------------------------------------------------------------ warnings


def standard_quantity_warnings(records: Iterable[FormRecord], factors: FactorSet | None) -> list[str]:
    """A reported standard quantity that disagrees with physical × coefficient by more than 2 %."""
    if factors is None:
        return []
    warnings = []
    for fr in records:
        if fr.reported_tce is None:
            continue
        rec = fr.record
        try:
            fuel = catalog.resolve_fuel(rec.fuel)
            unit = catalog.parse_unit(rec.unit)
            expected = rec.quantity * unit.to_base * factors.coal_coefficient(fuel)
        except (UnknownName, MissingFactor):
            continue
        if expected <= 0:
            continue
        gap = fr.reported_tce / expected - 1
        if abs(gap) > STANDARD_TOLERANCE:
            warnings.append(
                f"工作表“{fr.sheet}” 第{fr.row}行：{rec.sector} {rec.fuel} 标准量 {fr.reported_tce:,.2f} 吨标准煤"
                f"与实物量×折标系数 {expected:,.2f} 相差 {gap:+.1%}（超过 {STANDARD_TOLERANCE:.0%}）"
            )
    return warnings


def quarter_on_quarter_warnings(
    current: Iterable[EnergyRecord], previous: Iterable[EnergyRecord], *, threshold: float = QOQ_THRESHOLD
) -> list[str]:
    """Totals per (sector, fuel) that moved by more than ``threshold`` on the previous quarter."""

    def totals(records: Iterable[EnergyRecord]) -> dict[tuple[str, str], float]:
        out: dict[tuple[str, str], float] = defaultdict(float)
        for rec in records:
            try:
                scale = catalog.parse_unit(rec.unit)
                sector = catalog.resolve_sector(rec.sector)
            except UnknownName:
                continue
            out[(sector, rec.fuel, scale.dimension)] += rec.quantity * scale.to_base
        return out

    before, now = totals(previous), totals(current)
    warnings = []
    for key, value in sorted(now.items()):
        old = before.get(key)
        if not old:
            continue
        change = value / old - 1
        if abs(change) > threshold:
            sector, fuel, _dim = key
            warnings.append(f"{sector} {fuel}：比上季度变化 {change:+.1%}（超过 ±{threshold:.0%}），请核实")
    return warnings


def previous_quarter(period: str) -> str | None:
    previous = catalog.parse_period(period).previous_quarter()
    return previous.key if previous else None
