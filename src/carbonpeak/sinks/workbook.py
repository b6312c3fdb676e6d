"""Land and forest data as an Excel workbook: the template and reading an upload (pure, no Django).

One sheet, 国土与森林数据, one row per district, year, land type and group. The energy form's rules apply: every
error names sheet, row and column; a formula, an over-long cell or a row over the limit is an error; any error
refuses the whole file. A number left empty is 未报, never 0.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from carbonpeak.core.numbers import as_int
from carbonpeak.core.text import gettext_noop
from carbonpeak.core.upload_errors import KEEP_THE_HEADERS, FormError, checked_rows, inert, open_workbook

from .engine import LAND_TYPES

SHEET = "国土与森林数据"
HEADER_ROW = 2
MAX_ROWS = 5_000  # 本平台规则: a county's districts × land types × years, with room
NUMBERS = (
    ("area_ha", "面积（公顷）"),
    ("protected_area_ha", "受保护面积（公顷）"),
    ("growing_stock_m3", "蓄积（立方米）"),
    ("increment_m3", "年净生长量（立方米）"),
    ("harvest_m3", "年采伐消耗（立方米）"),
    ("crown_area_ha", "树冠覆盖面积（公顷）"),
    ("biochar_t", "生物质炭施用量（吨）"),
    ("relative_error_pct", "活动数据相对误差（%，90%置信）"),
)
COLUMNS = (
    "区镇",
    "年份",
    "地类",
    "树种组/湿地类型/措施",
    "针阔",
    *(label for _, label in NUMBERS),
    "数据来源",
)
LAND_BY_NAME = {name: key for key, name in LAND_TYPES.items()}


@dataclass
class ParsedLand:
    rows: list[dict] = field(default_factory=list)  # each with "row": its row number in the sheet
    errors: list[FormError] = field(default_factory=list)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _col(index: int) -> str:
    return f"{get_column_letter(index)}列（{COLUMNS[index - 1]}）"


def template_bytes(districts: list[str], *, say: Callable[[str], str] = str) -> bytes:
    """The land and forest form, one row per district; its instruction said by ``say`` (the reader's
    language), its headers and the land types' names as the importer reads them."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    instruction = say(gettext_noop("国土与森林数据填报表：地类填 %(types)s；未报的留空，不填 0。")) % {
        "types": "、".join(f"“{name}”" for name in LAND_TYPES.values())
    }
    ws.append([inert(instruction + say(KEEP_THE_HEADERS))])
    ws.append(list(COLUMNS))
    for cell in ws[HEADER_ROW]:
        cell.font = Font(bold=True)
    for district in districts:
        ws.append([district, None, "乔木林", "杨树", "阔叶"])
    for i in range(1, len(COLUMNS) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_land(data: bytes) -> ParsedLand:
    """Read an upload; every problem is an error naming sheet, row and column."""
    parsed = ParsedLand()
    wb = open_workbook(data, parsed.errors)
    if wb is None:
        return parsed
    if SHEET not in wb.sheetnames:
        parsed.errors.append(FormError("（文件）", None, None, f"缺少工作表“{SHEET}”：请使用平台下载的模板"))
        return parsed
    ws = wb[SHEET]
    header = next(
        ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, max_col=len(COLUMNS), values_only=True), ()
    )
    got = [_text(v) for v in header]
    for i, expected in enumerate(COLUMNS):
        if i >= len(got) or got[i] != expected:
            parsed.errors.append(
                FormError(SHEET, HEADER_ROW, _col(i + 1), f"表头应为“{expected}”：请使用平台下载的模板")
            )
            return parsed
    seen: dict[tuple, int] = {}
    for number, values in checked_rows(ws, HEADER_ROW + 1, len(COLUMNS), parsed.errors, SHEET, MAX_ROWS):
        errors = parsed.errors
        district = _text(values[0])
        if not district:
            errors.append(FormError(SHEET, number, _col(1), "区镇为空"))
        year = _year(values[1], errors, number)
        land_name = _text(values[2])
        land_type = LAND_BY_NAME.get(land_name)
        if land_type is None:
            errors.append(
                FormError(
                    SHEET, number, _col(3), f"地类应为 {'、'.join(LAND_BY_NAME)} 之一，而不是“{land_name}”"
                )
            )
        group, leaf = _text(values[3])[:30], _text(values[4])
        if land_type == "forest" and leaf not in ("阔叶", "针叶"):
            errors.append(FormError(SHEET, number, _col(5), "乔木林须填“阔叶”或“针叶”"))
        numbers = {}
        for offset, (name, _) in enumerate(NUMBERS):
            numbers[name] = _number(values[5 + offset], errors, number, 6 + offset)
        source = _text(values[5 + len(NUMBERS)])
        if not source:
            errors.append(FormError(SHEET, number, _col(len(COLUMNS)), "数据来源为空"))
        key = (district, year, land_type, group)
        if key in seen:
            errors.append(
                FormError(SHEET, number, None, f"与第{seen[key]}行重复（同一区镇、年份、地类和类型）")
            )
        elif None not in (year, land_type) and district:
            seen[key] = number
        parsed.rows.append(
            {
                "row": number,
                "district": district,
                "year": year,
                "land_type": land_type,
                "group": group,
                "leaf_type": leaf,
                "source": source[:300],
                **numbers,
            }
        )
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(FormError(SHEET, None, None, "没有数据行"))
    return parsed


def _year(value, errors: list[FormError], row: int) -> int | None:
    text = _text(value)
    if text.endswith(".0"):
        text = text[:-2]
    year = as_int(text, low=1990, high=2100)
    if year is None:
        errors.append(FormError(SHEET, row, _col(2), f"年份应为 1990–2100 的整数，而不是“{text}”"))
    return year


def _number(value, errors: list[FormError], row: int, col: int) -> float | None:
    """A non-negative number, or None when the cell is empty (未报 — never 0)."""
    if value is None or _text(value) == "":
        return None
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        errors.append(FormError(SHEET, row, _col(col), f"“{_text(value)}”不是数字"))
        return None
    if number != number or number < 0 or number == float("inf"):
        errors.append(FormError(SHEET, row, _col(col), "须为不小于0的数字"))
        return None
    return number
