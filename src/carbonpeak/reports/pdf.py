"""The report's PDF, made from its .docx by LibreOffice (for printing and for the public page).

LibreOffice runs headless with a profile of its own per conversion, so two workers converting at once do not
share (and lock) one profile; a conversion that hangs is stopped after ``TIMEOUT`` seconds.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 180


class PdfUnavailable(RuntimeError):
    """No PDF can be made here; the message says why, in the user's words."""


def converter() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: Path) -> Path:
    """Convert ``docx`` to a PDF beside it and return its path."""
    soffice = converter()
    if soffice is None:
        raise PdfUnavailable("本机未安装 LibreOffice，未生成 PDF（Word 与 Excel 文件不受影响）")
    with tempfile.TemporaryDirectory(prefix="carbonpeak-soffice-") as profile:
        try:
            done = subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(docx.parent),
                    str(docx),
                ],
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"PDF 转换超过 {TIMEOUT} 秒未完成，已停止") from None
    pdf = docx.with_suffix(".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise PdfUnavailable("PDF 转换失败（LibreOffice 未能打开生成的 Word 文件）")
    return pdf
