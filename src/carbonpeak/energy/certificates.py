"""The register of green certificates (绿证) and green-power trades that count for the city (pure, no Django).

What a register entry is, how it is read from the upload template (Excel or CSV, every error named by row
and column, any error refusing the whole file) and how the entries of a period count for the city under the
2022–2024 national rules. The accounting (``energy.accounting``) applies the counts; ``docs/accounting.md``
says which rule comes from which document and which are the platform's own (本平台规则).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from carbonpeak.core.text import gettext_noop
from carbonpeak.core.upload_errors import (
    KEEP_THE_HEADERS,
    FormError,
    checked_rows,
    csv_rows,
    inert,
    open_csv,
    open_workbook,
)

KWH_PER_CERTIFICATE = 1000.0  # 发改能源〔2023〕1044号 (二)：1个绿证单位对应1000千瓦时可再生能源电量
CERTIFICATE_RULE = gettext_noop("发改能源〔2023〕1044号：1个绿证对应1000千瓦时可再生能源电量")
CAP_SHARE = 0.5  # 发改环资〔2024〕113号 二(三)：绿证抵扣原则上不超过完成能耗强度下降目标所需节能量的50%
PLATFORM_RULE = gettext_noop("本平台规则")

# the kinds and directions are kept (and typed in the register) as these names; pages show them translated
GREEN_TRADE, UNBUNDLED, IN_PROVINCE = gettext_noop("绿电交易"), gettext_noop("单独绿证"), gettext_noop("省内")
KINDS = {
    GREEN_TRADE: gettext_noop(
        "绿电交易（电证合一）：按物理电量计入受端，已在电力平衡“调入·绿电交易”中计入，不再重复计入"
        "（发改环资〔2024〕113号 二(三)）"
    ),
    UNBUNDLED: gettext_noop(
        "单独绿证（跨省，证电分离）：按绿证跨省交易流向计入受端的可再生能源消费量，抵扣不超过完成能耗强度"
        "下降目标所需节能量的50%（发改环资〔2024〕113号 二(三)）"
    ),
    IN_PROVINCE: gettext_noop(
        "省内绿证（证电分离，售出方在本省、本市以外）：计入本市，并与跨省绿证合计受50%抵扣上限约束"
        "（113号只规定省级，市县如何适用未查到：本平台规则）"
    ),
}
BOUGHT, SOLD = gettext_noop("购入"), gettext_noop("售出")
DIRECTIONS = {
    BOUGHT: gettext_noop("本市用户持有（购入）的绿证或绿电"),
    SOLD: gettext_noop(
        "本市发电项目的绿证售出本市：该电量不再计入本市非化石能源消费（电证合一的已按“调出·绿电交易”扣除）"
    ),
}
TEXT_LIMIT = 100  # characters kept of a free-text cell


@dataclass(frozen=True)
class CertificateEntry:
    """One register line: a certificate batch or a green-power trade, counted in the quarter it was used."""

    serial: str  # 证书编号或交易编号: one line per number, so a number counts once
    region: str
    used_on: dt.date  # 核销（使用）日期: the quarter it counts in
    kind: str
    direction: str
    kwh: float
    certificates: int | None = None
    buyer: str = ""
    seller: str = ""
    seller_province: str = ""
    source: str = ""

    @property
    def year(self) -> int:
        return self.used_on.year

    @property
    def quarter(self) -> int:
        return (self.used_on.month - 1) // 3 + 1


@dataclass
class CertificateCount:
    """What a period's register entries do to the city's account (kWh)."""

    bought_by_kind: dict[str, float] = field(default_factory=dict)
    sold_by_kind: dict[str, float] = field(default_factory=dict)
    entries: int = 0

    @property
    def bought_unbundled_kwh(self) -> float:
        """Certificates held apart from the electricity (单独绿证 and 省内): added to non-fossil consumption."""
        return self.bought_by_kind.get(UNBUNDLED, 0.0) + self.bought_by_kind.get(IN_PROVINCE, 0.0)

    @property
    def sold_unbundled_kwh(self) -> float:
        """Local generation whose certificates left the city apart from the electricity: no longer the city's."""
        return self.sold_by_kind.get(UNBUNDLED, 0.0) + self.sold_by_kind.get(IN_PROVINCE, 0.0)

    def add(self, entry: CertificateEntry) -> None:
        by_kind = self.bought_by_kind if entry.direction == BOUGHT else self.sold_by_kind
        by_kind[entry.kind] = by_kind.get(entry.kind, 0.0) + entry.kwh
        self.entries += 1


def count_for(
    entries: Iterable[CertificateEntry], region: str, year: int, first: int, last: int
) -> CertificateCount | None:
    """The register entries used in ``region`` in quarters ``first``–``last`` of ``year``; None when none."""
    count = CertificateCount()
    for e in entries:
        if e.region == region and e.year == year and first <= e.quarter <= last:
            count.add(e)
    return count if count.entries else None


def required_reduction(target_reduction: float, base_year: int, target_year: int, year: int) -> float:
    """The cumulative intensity fall due by ``year`` on a five-year target, at a constant annual rate (the
    proration the grading uses for cumulative progress; prorating the cap this way is 本平台规则)."""
    if year <= base_year:
        return 0.0
    annual = 1 - (1 - target_reduction) ** (1 / (target_year - base_year))
    return 1 - (1 - annual) ** (min(year, target_year) - base_year)


# ------------------------------------------------------------------ the upload template

SHEET = "绿证与绿电交易登记"
HEADER_ROW = 3
COLUMNS = (
    ("serial", "证书编号或交易编号", True),
    ("used_on", "核销（使用）日期", True),
    ("kind", "类型", True),
    ("direction", "方向", True),
    ("certificates", "绿证数量（张）", False),
    ("kwh", "电量（千瓦时）", False),
    ("buyer", "购买方", False),
    ("seller", "出售方", False),
    ("seller_province", "出售方所在省份", False),
    ("source", "凭证（交易平台、合同或文件）", True),
)
CSV_HEADERS = {
    "serial": ("serial", "证书编号或交易编号", "编号"),
    "used_on": ("used_on", "核销（使用）日期", "核销日期", "日期"),
    "kind": ("kind", "类型"),
    "direction": ("direction", "方向"),
    "certificates": ("certificates", "绿证数量（张）", "绿证数量"),
    "kwh": ("kwh", "电量（千瓦时）", "电量"),
    "buyer": ("buyer", "购买方"),
    "seller": ("seller", "出售方"),
    "seller_province": ("seller_province", "出售方所在省份", "出售方省份"),
    "source": ("source", "凭证（交易平台、合同或文件）", "凭证", "来源"),
}
MAX_ROWS = 20_000  # a register upload is a year's trades, not a meter dump


def template_bytes(region: str = "", *, say: Callable[[str], str] = str) -> bytes:
    """The register's upload template: one row per certificate batch or trade, drop-down lists for the kinds;
    its title and instructions said by ``say`` (the reader's language), its headers as the importer reads them."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    title = say(gettext_noop("绿证与绿电交易登记表"))
    ws["A1"] = inert(
        say(gettext_noop("%(title)s（%(region)s）")) % {"title": title, "region": region} if region else title
    )
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = say(
        gettext_noop(
            "每行一个证书编号（或交易编号），同一编号只能登记一次；绿证数量与电量填其一（1张绿证=1000千瓦时，"
            "发改能源〔2023〕1044号）；日期写作 2025-03-15；任何一处错误都会使整个文件不被接收。"
        )
    ) + say(KEEP_THE_HEADERS)
    fill = PatternFill("solid", fgColor="DDE7F0")
    for i, (_, header, required) in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, i, header + ("（必填）" if required else ""))
        cell.font = Font(bold=True)
        cell.fill = fill
        ws.column_dimensions[get_column_letter(i)].width = 18
    for key, choices in (("kind", KINDS), ("direction", DIRECTIONS)):
        column = get_column_letter(next(i for i, c in enumerate(COLUMNS, 1) if c[0] == key))
        rule = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
        rule.add(f"{column}{HEADER_ROW + 1}:{column}{HEADER_ROW + 2000}")
        ws.add_data_validation(rule)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass
class ParsedRegister:
    entries: list[tuple[int, CertificateEntry]] = field(default_factory=list)  # (row, entry)
    errors: list[FormError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_register(data: bytes, filename: str, *, region: str, home_province: str) -> ParsedRegister:
    """Read an uploaded register (the .xlsx template, or a CSV with the same columns); dispatch on content."""
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, region=region, home_province=home_province)
    parsed = ParsedRegister()
    if filename.lower().endswith((".xlsx", ".xlsm")):
        parsed.errors.append(FormError("（文件）", None, None, "文件扩展名为 .xlsx，但内容不是 Excel 文件"))
        return parsed
    return _read_csv(data, filename or "CSV", region=region, home_province=home_province)


def _read_xlsx(data: bytes, *, region: str, home_province: str) -> ParsedRegister:
    parsed = ParsedRegister()
    wb = open_workbook(data, parsed.errors)
    if wb is None:
        return parsed
    if SHEET not in wb.sheetnames:
        parsed.errors.append(
            FormError("（文件）", None, None, f"缺少工作表“{SHEET}”；请使用平台下载的登记模板")
        )
        return parsed
    width = len(COLUMNS)
    for number, values in checked_rows(wb[SHEET], HEADER_ROW + 1, width, parsed.errors, SHEET, MAX_ROWS):
        cells = {key: values[i] for i, (key, _, _) in enumerate(COLUMNS)}
        columns = {key: f"{get_column_letter(i)}列（{h}）" for i, (key, h, _) in enumerate(COLUMNS, 1)}
        _read_row(parsed, SHEET, number, cells, columns, region, home_province)
    _finish(parsed, SHEET)
    return parsed


def _read_csv(data: bytes, name: str, *, region: str, home_province: str) -> ParsedRegister:
    parsed = ParsedRegister()
    opened = open_csv(data, parsed.errors, name)
    if opened is None:
        return parsed
    reader, header = opened
    cleaned = [h.strip().lower().removesuffix("（必填）") for h in header]
    positions = {key: i for key, names in CSV_HEADERS.items() for i, h in enumerate(cleaned) if h in names}
    required = [key for key, _, needed in COLUMNS if needed and key not in positions]
    if required:
        parsed.errors.append(FormError(name, 1, None, f"缺少列：{', '.join(required)}"))
        return parsed
    columns = {k: f"{get_column_letter(i + 1)}列（{header[i].strip()}）" for k, i in positions.items()}
    for number, raw in csv_rows(reader, parsed.errors, name, MAX_ROWS):
        raw = raw + [""] * (len(header) - len(raw))
        cells = {key: raw[i] for key, i in positions.items()}
        _read_row(parsed, name, number, cells, columns, region, home_province)
    _finish(parsed, name)
    return parsed


FORM = "（登记表单）"


def read_fields(cells: dict[str, object], *, region: str, home_province: str) -> ParsedRegister:
    """One line entered on the page (keys as in ``COLUMNS``), checked exactly as a row of the template."""
    parsed = ParsedRegister()
    columns = {key: header for key, header, _ in COLUMNS}
    _read_row(parsed, FORM, 0, cells, columns, region, home_province)
    return parsed


def _finish(parsed: ParsedRegister, sheet: str) -> None:
    seen: dict[str, int] = {}
    for row, entry in parsed.entries:
        if entry.serial in seen:
            parsed.errors.append(
                FormError(
                    sheet,
                    row,
                    None,
                    f"编号“{entry.serial}”与第{seen[entry.serial]}行重复；同一编号只能计入一次",
                )
            )
        else:
            seen[entry.serial] = row
    if not parsed.entries and not parsed.errors:
        parsed.errors.append(FormError(sheet, None, None, "文件中没有登记行"))


def _text(value) -> str:
    return "" if value is None else str(value).strip()


DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value) -> dt.date:
    """An Excel date cell or ``2025-03-15`` / ``2025/3/15`` / ``2025年3月15日``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = DATE_PATTERN.match(_text(value))
    if not match:
        raise ValueError(f"“{_text(value)}”不是日期（写作 2025-03-15）")
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(f"“{_text(value)}”不是有效日期") from None


def _read_row(
    parsed: ParsedRegister,
    sheet: str,
    row: int,
    cells: dict,
    columns: dict[str, str],
    region: str,
    home_province: str,
) -> None:
    errors: list[FormError] = []

    def fail(key: str, message: str) -> None:
        errors.append(FormError(sheet, row, columns.get(key), message))

    text = {k: _text(cells.get(k)) for k in CSV_HEADERS if k not in ("used_on", "certificates", "kwh")}
    for key in ("serial", "source"):
        if not text[key]:
            fail(key, "不能为空")
    for key, value in text.items():
        if len(value) > TEXT_LIMIT:
            fail(key, f"超过 {TEXT_LIMIT} 个字符")
    used_on = None
    try:
        used_on = parse_date(cells.get("used_on"))
    except ValueError as exc:
        fail("used_on", str(exc))
    if text["kind"] not in KINDS:
        fail("kind", f"类型“{text['kind']}”须为：{'、'.join(KINDS)}")
    if text["direction"] not in DIRECTIONS:
        fail("direction", f"方向“{text['direction']}”须为：{'、'.join(DIRECTIONS)}")
    count, kwh = _quantities(cells.get("certificates"), cells.get("kwh"), fail)
    province = text["seller_province"].removesuffix("省")
    home = home_province.removesuffix("省")
    if text["direction"] == BOUGHT and text["kind"] == UNBUNDLED:
        if not province:
            fail("seller_province", "单独绿证（跨省）须填出售方所在省份")
        elif province == home:
            fail("seller_province", f"出售方在{home_province}，应登记为“{IN_PROVINCE}”")
    if text["kind"] == IN_PROVINCE and province and province != home:
        fail("seller_province", f"省内绿证的出售方应在{home_province}（填的是“{text['seller_province']}”）")
    if errors:
        parsed.errors.extend(errors)
        return
    parsed.entries.append(
        (
            row,
            CertificateEntry(
                serial=text["serial"],
                region=region,
                used_on=used_on,
                kind=text["kind"],
                direction=text["direction"],
                kwh=kwh,
                certificates=count,
                buyer=text["buyer"],
                seller=text["seller"],
                seller_province=province or (home if text["kind"] == IN_PROVINCE else ""),
                source=text["source"],
            ),
        )
    )


def _quantities(raw_count, raw_kwh, fail) -> tuple[int | None, float]:
    """绿证数量 or 电量 (either; both must agree at 1,000 kWh per certificate)."""

    def number(key: str, value) -> float | None:
        if value is None or _text(value) == "":
            return None
        if isinstance(value, bool):
            fail(key, f"“{value}”不是数字")
            return None
        try:
            result = float(value) if isinstance(value, int | float) else float(_text(value).replace(",", ""))
        except ValueError:
            fail(key, f"“{_text(value)}”不是数字")
            return None
        if result != result or result in (float("inf"), float("-inf")) or result <= 0:
            fail(key, f"须为正数（{_text(value)}）")
            return None
        return result

    count, kwh = number("certificates", raw_count), number("kwh", raw_kwh)
    if count is not None and count != int(count):
        fail("certificates", f"绿证数量须为整数（{_text(raw_count)}）")
        return None, 0.0
    if count is None and kwh is None:
        fail("kwh", "绿证数量与电量须填其一")
        return None, 0.0
    if count is not None and kwh is not None and abs(count * KWH_PER_CERTIFICATE - kwh) > 1e-6:
        fail("kwh", f"电量 {kwh:g} 千瓦时与绿证 {count:g} 张不符（1张=1000千瓦时）")
        return None, 0.0
    return (None if count is None else int(count)), (kwh if kwh is not None else count * KWH_PER_CERTIFICATE)
