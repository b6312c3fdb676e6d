"""What an uploaded file may be, and where it is wrong (pure): every form reader collects ``FormError``s, so
the reporter fixes the whole file at once, and any one of them refuses the file. The limits below are the
platform's own (本平台规则, docs/operations.md): a file that exceeds one is refused naming the limit, before it
can hold a worker or its memory."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from carbonpeak.core.text import gettext_noop

#: every upload template's last instruction: what the importer reads stays as it is, in any reader's language
KEEP_THE_HEADERS = gettext_noop("工作表名称、表头和行名称请勿修改（平台按它们读取，保持中文）。")

ENCODING_REFUSED = "文件编码无法识别（请存为 UTF-8 或 GB18030 编码的 CSV）"
MAX_XLSX_UNCOMPRESSED = 50 * 2**20  # bytes an .xlsx may hold once decompressed (a 1 MB file held 1 GB)
MAX_XLSX_MEMBERS = 500  # parts of the zip archive
MAX_CELL_CHARS = 1000  # characters of one cell (names, units, a note; a certificate's fields are shorter)
MAX_ERRORS = 200  # errors listed before reading stops: the first ones, then how to go on


def decode_csv(data: bytes) -> str | None:
    """A CSV's text as Excel and WPS save it in China (UTF-8 with or without BOM, or GB18030); None otherwise."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


@dataclass(frozen=True)
class FormError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        is_file = self.sheet.lower().endswith(".csv") or self.sheet in ("CSV", "（文件）")
        place = (
            self.sheet
            if self.sheet.startswith("（")  # （文件）, （登记表单）: not a sheet
            else (f"文件“{self.sheet}”" if is_file else f"工作表“{self.sheet}”")
        )
        if self.row:
            place += f" 第{self.row}行"
        if self.column:
            place += f" {self.column}"
        return f"{place}：{self.message}"


def check_xlsx(data: bytes) -> str | None:
    """Why an .xlsx cannot be read safely, or None: every part is decompressed in chunks, counting, and the
    reading stops at the limit (the sizes the archive declares are not trusted)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_XLSX_MEMBERS:
                return f"文件包含 {len(members)} 个部件，超过上限 {MAX_XLSX_MEMBERS}；请使用平台下载的模板"
            total = 0
            for member in members:
                with archive.open(member) as part:
                    while chunk := part.read(1 << 20):
                        total += len(chunk)
                        if total > MAX_XLSX_UNCOMPRESSED:
                            return (
                                f"文件解压后超过 {MAX_XLSX_UNCOMPRESSED // 2**20} MB（本平台上限），未读取；"
                                "请删除多余的工作表或内容后重新上传"
                            )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        NotImplementedError,
        ValueError,
    ) as exc:
        return f"不是有效的 Excel（.xlsx）文件：{type(exc).__name__}"
    return None


def open_workbook(data: bytes, errors: list[FormError]):
    """An upload opened read-only *with* formulas (a formula cell is then refused by name in
    ``checked_rows``, never read or skipped), after ``check_xlsx``; None with the reason in ``errors``."""
    from openpyxl import load_workbook

    refused = check_xlsx(data)
    if refused is not None:
        errors.append(FormError("（文件）", None, None, refused))
        return None
    try:
        return load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException…
        errors.append(
            FormError("（文件）", None, None, f"不是有效的 Excel（.xlsx）文件：{type(exc).__name__}")
        )
        return None


def checked_rows(
    ws, first_row: int, width: int, errors: list[FormError], sheet: str, max_rows: int
) -> Iterator[tuple[int, tuple]]:
    """The non-empty rows of a read-only worksheet loaded *with* formulas (``data_only=False``): a formula
    cell, an over-long cell or a row beyond ``max_rows`` is an error naming it (never a row dropped in
    silence); reading stops once ``MAX_ERRORS`` errors are listed."""
    from openpyxl.utils import get_column_letter

    seen = 0
    for number, cells in enumerate(ws.iter_rows(min_row=first_row, max_col=width), first_row):
        if len(errors) >= MAX_ERRORS:
            errors.append(too_many_errors())
            return
        values = []
        bad = False
        for column, cell in enumerate(cells, 1):
            value = cell.value
            if getattr(cell, "data_type", None) == "f":
                errors.append(
                    FormError(
                        sheet,
                        number,
                        f"{get_column_letter(column)}列",
                        "是公式；请复制后“选择性粘贴 → 数值”再上传（平台不计算公式，也不会跳过含公式的行）",
                    )
                )
                bad = True
            elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                errors.append(
                    FormError(
                        sheet, number, f"{get_column_letter(column)}列", f"内容超过 {MAX_CELL_CHARS} 个字符"
                    )
                )
                bad = True
            values.append(value)
        values += [None] * (width - len(values))
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        seen += 1
        if seen > max_rows:
            errors.append(
                FormError(sheet, number, None, f"数据超过 {max_rows} 行（本平台上限），请分文件上传")
            )
            return
        if not bad:
            yield number, tuple(values)


def too_many_errors() -> FormError:
    return FormError(
        "（文件）", None, None, f"问题超过 {MAX_ERRORS} 处，以上为前 {MAX_ERRORS} 处；请先改正这些再上传"
    )


def open_csv(data: bytes, errors: list[FormError], sheet: str):
    """A CSV's reader and header row, or None with the reason in ``errors`` (encoding, empty, unreadable)."""
    text = decode_csv(data)
    if text is None:
        errors.append(FormError(sheet, None, None, ENCODING_REFUSED))
        return None
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        errors.append(FormError(sheet, 1, None, f"表头无法读取（{exc}）"))
        return None
    if header is None:
        errors.append(FormError(sheet, None, None, "文件为空"))
        return None
    return reader, header


def csv_rows(reader, errors: list[FormError], sheet: str, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    """The non-empty rows of a CSV after its header (line numbers as a spreadsheet shows them): an unreadable
    line, an over-long cell or a row beyond ``max_rows`` is an error naming it; reading stops once
    ``MAX_ERRORS`` errors are listed."""
    number, seen = 1, 0
    while True:
        number += 1
        if len(errors) >= MAX_ERRORS:
            errors.append(too_many_errors())
            return
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(FormError(sheet, number, None, f"无法读取（{exc}）；请检查引号和分隔符"))
            continue
        if not any(cell.strip() for cell in raw):
            continue
        seen += 1
        if seen > max_rows:
            errors.append(
                FormError(sheet, number, None, f"数据超过 {max_rows} 行（本平台上限），请分文件上传")
            )
            return
        if any(len(cell) > MAX_CELL_CHARS for cell in raw):
            errors.append(FormError(sheet, number, None, f"有单元格超过 {MAX_CELL_CHARS} 个字符"))
            continue
        yield number, raw


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A text cell the platform writes to a spreadsheet, made unable to run as a formula in Excel, WPS or a
    CSV opened in them (OWASP: prefix with an apostrophe); numbers and everything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
