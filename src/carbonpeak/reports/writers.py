"""Write a ``Report`` as a Word document and as an Excel workbook (pure, no Django)."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from carbonpeak.core.upload_errors import inert
from carbonpeak.reports import charts
from carbonpeak.reports.content import Report, Table

#: the 公文's fonts (GB/T 9704-2012): the names the reader's Word knows, so that it uses its own 仿宋_GB2312,
#: 黑体 and 楷体_GB2312 (LibreOffice substitutes the CJK font it has); charts are drawn in the bundled CJK font
FANGSONG, HEITI, KAITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"
BODY_FONT, HEADING_FONT = FANGSONG, HEITI
BODY_PT, TABLE_PT, FOOT_PT = 16, 10.5, 14  # 三号 body, 五号 tables, 四号 page numbers and 版记
LINE_PT = 28.9  # 22 lines on the 225 mm type area
RED = RGBColor(0xE6, 0x00, 0x12)
#: A4 with the standard's margins (天头 37 mm, 订口 28 mm, type area 156 × 225 mm), and turned for wide tables
PORTRAIT = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
LANDSCAPE = {"top": 2.8, "bottom": 2.6, "left": 3.7, "right": 3.5}
TEXT_WIDTH_CM = 21 - PORTRAIT["left"] - PORTRAIT["right"]  # 15.6
WIDE_TEXT_WIDTH_CM = 29.7 - LANDSCAPE["left"] - LANDSCAPE["right"]  # 22.5
FULL_SPACE = "\u3000"


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
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def _page_number(paragraph) -> None:
    """'— N —' (the standard's page number), in 宋体 四号."""
    _font(paragraph.add_run("— "), SONGTI, FOOT_PT)
    run = paragraph.add_run()
    _font(run, SONGTI, FOOT_PT)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _font(paragraph.add_run(" —"), SONGTI, FOOT_PT)


#: what follows w:pBdr in a paragraph's properties (the schema's order, which Word enforces)
_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def _border(paragraph, edge: str, colour: str = "000000", eighths: int = 8) -> None:
    """A rule above or below a paragraph (the red line under the header; the 版记's lines)."""
    props = paragraph._p.get_or_add_pPr()
    borders = props.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        props.insert_element_before(borders, *_AFTER_BORDERS)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), colour)
    borders.append(line)


def _shade(cell, colour: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    props.append(shading)


def _no_wrap(cell) -> None:
    props = cell._tc.get_or_add_tcPr()
    props.append(OxmlElement("w:noWrap"))


def display_width(text: str) -> float:
    """The width of a text in CJK characters (a Latin letter or digit is about half of one)."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.6 for ch in text)


def _has_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E7F for ch in text)


PROSE = 40  # a column with a cell this wide (in characters) is prose: it takes the room that is left
SHORT = 8  # a text this short (a unit, a grade, a year) stays on one line
NAME_CAP = 10  # a name column is at most this wide (characters): two lines hold a name of 20
WIDE_TABLE_PT = 9  # 小五 on a landscape page
CELL_PAD_CM = 0.5  # the cell's own margins and a little air


def one_line_columns(table: Table) -> list[bool]:
    """The columns whose cells must not wrap: numbers, short words, dates and codes."""
    found = []
    for i, column in enumerate(table.columns):
        cells = [format_cell(row[i], column.digits) for row in table.rows]
        longest = max((display_width(t) for t in cells), default=0)
        found.append(column.digits is not None or longest <= SHORT or not any(_has_cjk(t) for t in cells))
    return found


def column_widths(table: Table, width_cm: float, font_pt: float = TABLE_PT) -> tuple[list[float], bool]:
    """Widths (cm) that keep a number on one line and a name on at most two, the prose columns taking the
    rest; and whether the table needs a landscape page to do so."""
    char_cm = font_pt * 0.03528
    texts = [[format_cell(row[i], c.digits) for row in table.rows] for i, c in enumerate(table.columns)]
    minimum, prose = [], []
    for column, cells in zip(table.columns, texts, strict=True):
        header = display_width(column.header)
        longest = max((display_width(t) for t in cells), default=0)
        if column.digits is not None:  # a number on one line, its header on at most two
            chars = max(longest, header / 2, 2)
        elif longest >= PROSE:
            chars = max(header / 2, 8)
            prose.append(len(minimum))
        elif longest <= SHORT or not any(
            _has_cjk(t) for t in cells
        ):  # a short word, a date, a code: one line
            chars = max(longest, header / 2, 2)
        else:  # a name on at most two lines (a very long one on three)
            chars = max(min(-(-longest // 2), NAME_CAP), header / 2, 2)
        minimum.append(chars * char_cm + CELL_PAD_CM)
    wide = sum(minimum) > width_cm
    room = (WIDE_TEXT_WIDTH_CM if wide else width_cm) - sum(minimum)
    takers = prose or list(range(len(minimum)))
    widths = list(minimum)
    if room > 0:
        weights = [table.columns[i].width for i in takers]
        for i, w in zip(takers, weights, strict=True):
            widths[i] += room * w / sum(weights)
    elif room < 0:  # even a landscape page is too narrow: the prose columns give way first, then all
        scale = (WIDE_TEXT_WIDTH_CM if wide else width_cm) / sum(widths)
        widths = [w * scale for w in widths]
    return widths, wide


def _table(doc, table: Table, number: int, report: Report) -> None:
    widths_cm, wide = column_widths(table, TEXT_WIDTH_CM)
    size = TABLE_PT
    if wide:
        _new_section(doc, landscape=True)
        size = WIDE_TABLE_PT
        widths_cm, _ = column_widths(table, WIDE_TEXT_WIDTH_CM, size)
    numerals = report.word("numerals").split(",")
    numeral = numerals[number] if number < len(numerals) else str(number + 1)
    heading = doc.add_heading(report.word("subheading", number=numeral, title=table.title), level=2)
    heading.paragraph_format.keep_with_next = True
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Cm(w) for w in widths_cm]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width  # the grid (LibreOffice reads it) as well as each cell (Word reads those)
    for cell, column, width in zip(grid.rows[0].cells, table.columns, widths, strict=True):
        cell.width = width
        cell.text = ""
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _cell_lines(paragraph, size)
        _font(paragraph.add_run(column.header), HEITI, size)
        _shade(cell, "F2F2F2")
    _repeat_header(grid.rows[0])
    one_line = one_line_columns(table)
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, column, value, width, single in zip(
            cells, table.columns, row, widths, one_line, strict=True
        ):
            cell.width = width
            paragraph = cell.paragraphs[0]
            _cell_lines(paragraph, size)
            _font(paragraph.add_run(format_cell(value, column.digits)), FANGSONG, size)
            if column.digits is not None:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if single:
                _no_wrap(cell)
    source = report.word("source", source=table.source) if table.source else ""
    notes = (
        report.word("notes", note=table.note, source=source)
        if table.note and source
        else table.note or source
    )
    if notes:
        p = doc.add_paragraph()
        _cell_lines(p, size)
        _font(p.add_run(notes), FANGSONG, size)
    if wide:
        _new_section(doc, landscape=False)


def _cell_lines(paragraph, size: float) -> None:
    """A table's text in single lines of its own size (the body's exact 三号 line would make rows tall)."""
    paragraph.paragraph_format.line_spacing = Pt(size * 1.35)
    paragraph.paragraph_format.first_line_indent = Pt(0)


def _repeat_header(row) -> None:
    """The header row again at the top of each page a long table runs over."""
    props = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    props.append(repeat)


def _page(section, landscape: bool) -> None:
    margins = LANDSCAPE if landscape else PORTRAIT
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    section.top_margin, section.bottom_margin = Cm(margins["top"]), Cm(margins["bottom"])
    section.left_margin, section.right_margin = Cm(margins["left"]), Cm(margins["right"])
    section.footer_distance = Cm(2.3 if not landscape else 1.4)


def _new_section(doc, landscape: bool) -> None:
    """A new page in the other orientation; page numbers and headers run on (linked to the first section)."""
    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape)


def _paragraph(
    doc, text: str = "", *, font: str = FANGSONG, size: float = BODY_PT, indent: bool = True, align=None
):
    p = doc.add_paragraph()
    if text:
        _font(p.add_run(text), font, size)
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    return p


def _marks(report: Report) -> str:
    marks = [
        f"【{report.word(key)}】" for key, on in (("sample", report.sample), ("draft", report.draft)) if on
    ]
    return "".join(marks)


def _head_and_foot(doc, report: Report) -> None:
    """Page numbers outside (odd pages right, even pages left); a page header only for a draft or sample
    data, so that every page says so."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align, text in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, ("", FULL_SPACE)),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, (FULL_SPACE, "")),
    ):
        p = footer.paragraphs[0]
        p.alignment = align
        if text[0]:
            _font(p.add_run(text[0]), SONGTI, FOOT_PT)
        _page_number(p)
        if text[1]:
            _font(p.add_run(text[1]), SONGTI, FOOT_PT)
    marks = _marks(report)
    for header in (section.header, section.even_page_header):
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if marks:
            run = p.add_run(f"{marks} {report.title}（{report.period_label}）")
            _font(run, HEITI, 9)
            run.font.color.rgb = RGBColor(0xB8, 0x86, 0x0B)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _font(normal, FANGSONG, BODY_PT)
    normal.paragraph_format.line_spacing = Pt(LINE_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    for level, font in ((1, HEITI), (2, KAITI)):
        style = doc.styles[f"Heading {level}"]
        _font(style, font, BODY_PT, False)
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = Pt(LINE_PT)
    caption = doc.styles["Caption"]
    _font(caption, FANGSONG, 12, False)
    caption.font.italic = False
    caption.font.color.rgb = RGBColor(0, 0, 0)


def _red_header(doc, report: Report) -> None:
    """The 版头: 发文机关标志 in red, the 发文字号, the red rule."""
    if report.draft:
        mark = _paragraph(doc, report.word("draft"), font=HEITI, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        mark.paragraph_format.space_after = Pt(12)
    organ = doc.add_paragraph()
    organ.alignment = WD_ALIGN_PARAGRAPH.CENTER
    organ.paragraph_format.space_before = Pt(24)
    organ.paragraph_format.line_spacing = 1.0
    run = organ.add_run(report.issuer)
    _font(run, XIAOBIAOSONG, 26 if len(report.issuer) <= 12 else 22)
    run.font.color.rgb = RED
    number = _paragraph(doc, report.doc_number, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    number.paragraph_format.space_before = Pt(18)
    number.paragraph_format.space_after = Pt(6)
    _border(number, "bottom", "E60012", 18)


def _signature(doc, report: Report) -> None:
    """The 发文机关署名 and 成文日期, four characters in from the right."""
    _paragraph(doc)
    _paragraph(doc)
    for text in (report.issuer, report.issued_on):
        _paragraph(doc, text + FULL_SPACE * 4, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _imprint(doc, report: Report) -> None:
    """The 版记 after the last text (the standard puts it at the foot of the last page; a frame would, but
    LibreOffice drops its rules): 抄送 and 印发 between the standard's rules (thick outside, thin between)."""
    _paragraph(doc)
    rows = []
    if report.copy_to:
        rows.append(report.word("copy_to", copy_to=report.copy_to.rstrip("。.")))
    rows.append(report.word("printed", issuer=report.issuer, date=report.issued_on))
    for i, text in enumerate(rows):
        p = _paragraph(doc, "", indent=False)
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(FOOT_PT)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM) - Pt(2 * FOOT_PT), WD_TAB_ALIGNMENT.RIGHT)
        _font(p.add_run(text), FANGSONG, FOOT_PT)
        if i == 0:
            _border(p, "top", eighths=8)
        _border(p, "bottom", eighths=8 if i == len(rows) - 1 else 4)


def write_docx(report: Report) -> bytes:
    """The report as a 公文 after GB/T 9704-2012: red header, 发文字号, title, 主送, body in 仿宋 三号 with
    headings in 黑体 and 楷体, page numbers '— N —' outside, wide tables on landscape pages, signature and
    date, 版记."""
    doc = Document()
    _page(doc.sections[0], landscape=False)
    _styles(doc)
    _head_and_foot(doc, report)
    _red_header(doc, report)

    _paragraph(doc)
    title = _paragraph(
        doc, report.title, font=XIAOBIAOSONG, size=22, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    title.paragraph_format.line_spacing = Pt(36)
    edition = report.word("public") if report.public else ""
    _paragraph(
        doc,
        report.word("period", period=report.period_label, edition=edition),
        font=KAITI,
        indent=False,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _paragraph(doc)
    if report.recipients:
        _paragraph(doc, report.word("recipients", recipients=report.recipients.rstrip("：:")), indent=False)
    if report.sample:
        warn = _paragraph(doc, report.word("sample_notice"), font=HEITI)
        warn.runs[0].font.color.rgb = RGBColor(0xB8, 0x86, 0x0B)
    if charts.cjk_font() is None:
        _paragraph(doc, report.word("font_notice"))

    figures = 0
    for number, part in enumerate(report.sections):
        numerals = report.word("numerals").split(",")
        doc.add_heading(report.word("heading", number=numerals[number], title=part.title), level=1)
        for text in part.paragraphs:
            _paragraph(doc, text)
        for item in part.items:
            _paragraph(doc, f"· {item}")
        for figure in part.figures:
            figures += 1
            doc.add_picture(io.BytesIO(charts.render(figure, report.sample)), width=Cm(TEXT_WIDTH_CM))
            picture = doc.paragraphs[-1]
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.paragraph_format.line_spacing = 1.0  # an exact line height would crop the picture
            picture.paragraph_format.first_line_indent = Pt(0)
            caption = doc.add_paragraph(style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(
                caption.add_run(
                    report.word(
                        "figure_note",
                        caption=report.word("figure", n=figures, title=figure.title),
                        note=figure.caption,
                    )
                    if figure.caption
                    else report.word("figure", n=figures, title=figure.title)
                ),
                FANGSONG,
                12,
            )
        for index, table in enumerate(part.tables):
            _table(doc, table, index, report)
    _signature(doc, report)

    doc.add_page_break()
    doc.add_heading(report.word("data_version"), level=1)
    for key, value in report.data_version.items():
        _paragraph(doc, report.word("pair", key=key, value=value), size=12)
    _paragraph(doc, report.word("pair", key=report.word("generated_at"), value=report.generated_at), size=12)
    _imprint(doc, report)
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
    about.title = sheet_name(report.word("about"), set())
    bold = Font(bold=True)
    rows = [
        (report.title,),
        (report.word("report_period"), report.period_label),
        (report.word("region"), report.region),
        (report.word("generated_at"), report.generated_at),
        (report.word("edition"), report.word("draft") if report.draft else report.word("final")),
        (report.word("issuer"), report.issuer),
        (report.word("doc_number"), report.doc_number or "—"),
        (report.word("recipients_label"), report.recipients or "—"),
    ]
    if report.sample:
        rows.append((report.word("note"), report.word("sample_note")))
    rows += [(report.word("version_of", key=k), v) for k, v in report.data_version.items()]
    rows += [(), (report.word("sheet"), report.word("content"))]
    used = {about.title}
    names = [(sheet_name(report.words.get("sheet:" + t.key, t.key), used), t) for t in report.tables()]
    rows += [(name, t.title) for name, t in names]
    for row in rows:
        about.append([inert(v) for v in row])
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 80
    fill = PatternFill("solid", fgColor="E8EEF4")
    for name, table in names:
        ws = wb.create_sheet(name)
        ws.append([inert(report.word("with_sample", title=table.title) if report.sample else table.title)])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([inert(report.word("source", source=table.source) if table.source else "")])
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
