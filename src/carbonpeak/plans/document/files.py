"""Reading a plan file: text in UTF-8 or GB18030, or a .docx document.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

from .shapes import PlanParseError


def read_plan_file(path: str) -> str:
    """Text of a plan file: UTF-8 or GB18030 text, or a .docx document."""
    if str(path).lower().endswith(".docx"):
        try:
            import docx  # python-docx
        except ImportError as exc:  # pragma: no cover - dependency is declared
            raise PlanParseError("读取 .docx 需要 python-docx") from exc
        try:
            document = docx.Document(path)
        except Exception as exc:  # python-docx raises several kinds
            raise PlanParseError(f"无法打开 Word 文档：{exc}") from exc
        return "\n".join(p.text for p in document.paragraphs)
    with open(path, "rb") as fh:
        raw = fh.read()
    return decode_plan_bytes(raw)


def decode_plan_bytes(raw: bytes) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise PlanParseError("这是一个 .docx（或其他压缩）文件，请使用 .docx 扩展名")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanParseError("无法识别文件编码：只支持 UTF-8 或 GB18030 文本，或 .docx 文档")
