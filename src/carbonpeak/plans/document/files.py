"""Reading a plan file: text in UTF-8 or GB18030, a .docx document or a text PDF, told apart by their bytes.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

import io
import zipfile

from .pdf import SourceDocument, read_pdf
from .shapes import PlanParseError
from .tables import SourceTable, cell_text, is_kept_table

MAX_PLAN_BYTES = 40 * 1024 * 1024  # a published plan is a few MB; a larger file is refused before reading
MAX_DOCX_UNPACKED = 200 * 1024 * 1024  # what a .docx may unpack to (a zip bomb is refused unread)


def read_plan_file(path: str) -> str:
    """Text of a plan file (tables left out): see ``read_plan_source``."""
    return read_plan_source(path).text


def read_plan_source(path: str) -> SourceDocument:
    """Text and tables of a plan file, whatever its kind."""
    with open(path, "rb") as fh:
        raw = fh.read(MAX_PLAN_BYTES + 1)
    return read_plan_bytes(raw, str(path))


def read_plan_bytes(raw: bytes, name: str = "") -> SourceDocument:
    """Text and tables of an uploaded plan: PDF, .docx or text by the file's own bytes, not its name."""
    if len(raw) > MAX_PLAN_BYTES:
        raise PlanParseError(f"文件超过 {MAX_PLAN_BYTES // (1024 * 1024)} MB：这不像一份方案")
    if raw.startswith(b"%PDF-"):
        return read_pdf(raw)
    if raw.startswith(b"PK\x03\x04"):
        return _read_docx(raw)
    if name.lower().endswith((".pdf", ".docx", ".doc")) or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanParseError(
            "文件内容与扩展名不符，或是旧版 .doc：请提供 .docx、文字版 PDF 或 UTF-8/GB18030 文本"
        )
    return SourceDocument(text=decode_plan_bytes(raw))


def decode_plan_bytes(raw: bytes) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise PlanParseError("这是一个 .docx（或其他压缩）文件，请使用 .docx 扩展名")
    if raw.startswith(b"%PDF-"):
        raise PlanParseError("这是一个 PDF 文件，请使用 .pdf 扩展名")
    if b"\x00" in raw[:4096]:
        raise PlanParseError("这不是文本文件：只支持 UTF-8 或 GB18030 文本、.docx 文档或文字版 PDF")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanParseError("无法识别文件编码：只支持 UTF-8 或 GB18030 文本、.docx 文档或文字版 PDF")


def _read_docx(raw: bytes) -> SourceDocument:
    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise PlanParseError("读取 .docx 需要 python-docx") from exc
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_DOCX_UNPACKED:
                raise PlanParseError("Word 文档解压后过大：拒绝读取")
        document = docx.Document(io.BytesIO(raw))
    except PlanParseError:
        raise
    except Exception as exc:  # python-docx and zipfile raise several kinds
        raise PlanParseError(f"无法打开 Word 文档（{type(exc).__name__}）：请确认是 .docx 文件") from exc
    tables: list[SourceTable] = []
    for table in document.tables:
        rows = [[cell_text(cell.text) for cell in row.cells] for row in table.rows]
        rows = [r for r in rows if any(r)]
        if rows and is_kept_table(rows[0]):
            tables.append(SourceTable(header=rows[0], rows=rows[1:]))
    return SourceDocument(text="\n".join(p.text for p in document.paragraphs), tables=tables)
