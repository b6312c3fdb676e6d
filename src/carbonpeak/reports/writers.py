"""Write a ``Report`` as a Word document and as an Excel workbook (pure, no Django)."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from carbonpeak.core.upload_errors import inert
from carbonpeak.reports import charts
from carbonpeak.reports.content import SAMPLE_LABEL, Report, Table

BODY_FONT, HEADING_FONT = "宋体", "黑体"
TEXT_WIDTH_CM = 16.6  # A4 less 2.2 cm margins
CN_NUMBERS = "一二三四五六七八九十"
DRAFT_LABEL = "征求意见稿"


def format_cell(value, digits: int | None) -> str:
    """A table cell as the report prints it: thousands separators, the column's decimals, — for missing."""
    if value is None or value == "":
        return "—"
    if digits is None or isinstance(value, str):
        return str(value)
    return f"{float(value):,.{digits}f}"


def _font(run_or_style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    run_or_style.font.name = name
    if size is not None:
        run_or_style.font.size = Pt(size)
    if bold is not None:
        run_or_style.font.bold = bold
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _page_number(paragraph) -> None:
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _shade(cell, colour: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    props.append(shading)


def _table(doc, table: Table) -> None:
    caption = doc.add_paragraph(style="Caption")
    _font(caption.add_run(table.title), HEADING_FONT, 10.5, True)
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    total = sum(c.width for c in table.columns)
    widths = [Cm(TEXT_WIDTH_CM * c.width / total) for c in table.columns]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width  # the grid (LibreOffice reads it) as well as each cell (Word reads those)
    for cell, column, width in zip(grid.rows[0].cells, table.columns, widths, strict=True):
        cell.width = width
        cell.text = ""
        _font(cell.paragraphs[0].add_run(column.header), HEADING_FONT, 9, True)
        _shade(cell, "E8EEF4")
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, column, value in zip(cells, table.columns, row, strict=True):
            cell.width = widths[table.columns.index(column)]
            paragraph = cell.paragraphs[0]
            _font(paragraph.add_run(format_cell(value, column.digits)), BODY_FONT, 9)
            if column.digits is not None:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    notes = "；".join(x for x in (table.note, f"来源：{table.source}" if table.source else "") if x)
    if notes:
        p = doc.add_paragraph()
        _font(p.add_run(notes), BODY_FONT, 8)
        p.runs[0].font.color.rgb = RGBColor(0x6C, 0x75, 0x7D)


def write_docx(report: Report) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    _font(doc.styles["Normal"], BODY_FONT, 10.5)
    for level in (1, 2):
        _font(doc.styles[f"Heading {level}"], HEADING_FONT, 14 if level == 1 else 12, True)
        doc.styles[f"Heading {level}"].font.color.rgb = RGBColor(0, 0, 0)

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    label = f"{report.title}（{report.period_label}）"
    if report.draft:
        label = f"{DRAFT_LABEL} {label}"
    if report.sample:
        label = f"【{SAMPLE_LABEL}】 {label}"
    _font(header.add_run(label), BODY_FONT, 8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)

    if report.draft:
        mark = doc.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(mark.add_run(DRAFT_LABEL), HEADING_FONT, 16, True)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(report.title), HEADING_FONT, 20, True)
    subtitle = doc.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(subtitle.add_run(f"{report.period_label} · {report.region}"), BODY_FONT, 12)
    meta = doc.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(meta.add_run(f"生成时间：{report.generated_at}"), BODY_FONT, 9)
    if report.sample:
        warn = doc.add_paragraph()
        warn.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = warn.add_run(
            f"本报告含{SAMPLE_LABEL}（由有文档的脚本生成，非真实统计数据），仅供演示，不得对外引用"
        )
        _font(run, HEADING_FONT, 10, True)
        run.font.color.rgb = RGBColor(0xB8, 0x86, 0x0B)
    if charts.cjk_font() is None:
        doc.add_paragraph("注意：本机未安装中文字体，图表中的中文可能无法显示（请安装 fonts-noto-cjk）。")

    for number, part in enumerate(report.sections):
        doc.add_heading(f"{CN_NUMBERS[number]}、{part.title}", level=1)
        for text in part.paragraphs:
            p = doc.add_paragraph(text)
            p.paragraph_format.first_line_indent = Pt(21)
        for item in part.items:
            doc.add_paragraph(item, style="List Bullet")
        for figure in part.figures:
            doc.add_picture(io.BytesIO(charts.render(figure, report.sample)), width=Cm(16))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = doc.add_paragraph(style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(
                caption.add_run(f"图：{figure.title}" + (f"。{figure.caption}" if figure.caption else "")),
                BODY_FONT,
                9,
            )
        for table in part.tables:
            _table(doc, table)

    doc.add_heading("数据版本", level=1)
    for key, value in report.data_version.items():
        doc.add_paragraph(f"{key}：{value}", style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def sheet_name(key: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", key)[:31]
    base, n = name, 2
    while name in used:
        suffix = f"_{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def write_xlsx(report: Report) -> bytes:
    """One sheet per table of the report, with units in the headers and the source above; numbers stay numbers."""
    wb = Workbook()
    about = wb.active
    about.title = "说明"
    bold = Font(bold=True)
    rows = [
        (report.title,),
        ("报告期", report.period_label),
        ("地区", report.region),
        ("生成时间", report.generated_at),
        ("稿件", DRAFT_LABEL if report.draft else "定稿"),
    ]
    if report.sample:
        rows.append(("注意", f"含{SAMPLE_LABEL}，仅供演示"))
    rows += [(f"数据版本：{k}", v) for k, v in report.data_version.items()]
    rows += [(), ("工作表", "内容")]
    used = {"说明"}
    names = [(sheet_name(t.key, used), t) for t in report.tables()]
    rows += [(name, t.title) for name, t in names]
    for row in rows:
        about.append([inert(v) for v in row])
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 80
    fill = PatternFill("solid", fgColor="E8EEF4")
    for name, table in names:
        ws = wb.create_sheet(name)
        ws.append([inert(table.title + (f"（{SAMPLE_LABEL}）" if report.sample else ""))])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([inert(f"来源：{table.source}" if table.source else "")])
        ws.append([inert(table.note)])
        ws.append([inert(c.header) for c in table.columns])
        for cell in ws[4]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            ws.append([None if v == "" else inert(v) for v in row])
        for i, column in enumerate(table.columns, start=1):
            letter = ws.cell(row=4, column=i).column_letter
            ws.column_dimensions[letter].width = 14 if column.digits is not None else 28
            if column.digits is not None:
                for (cell,) in ws.iter_rows(min_row=5, min_col=i, max_col=i):
                    cell.number_format = "#,##0" + ("." + "0" * column.digits if column.digits else "")
        ws.freeze_panes = "A5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
