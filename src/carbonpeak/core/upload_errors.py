"""Where an uploaded file is wrong (pure): every form reader collects these, so the reporter fixes the whole
file at once, and any one of them refuses the file."""

from __future__ import annotations

from dataclasses import dataclass

ENCODING_REFUSED = "文件编码无法识别（请存为 UTF-8 或 GB18030 编码的 CSV）"


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
