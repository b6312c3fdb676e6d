"""Reading a published plan PDF: the text layer back into paragraphs, without what the page layout adds.

A government PDF lays each paragraph out as lines of equal width, the first indented by two characters; page
numbers (``— 3 —``), running headers (``XX人民政府行政规范性文件``) and footers repeat on every page. pdfplumber
(pdfminer.six) gives each line with its position; from those the paragraphs are rebuilt: a line continues
the paragraph above when it starts at the left margin and the line above reached the right margin. Lines
that repeat at the top or bottom of most pages, and page numbers, are dropped. Tables whose header names
tasks and their units, or indicators and their targets, are kept apart as rows (``SourceTable``).

Pure: no Django (see the package docstring).
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from .numbering import squeeze_spaces
from .shapes import PlanParseError
from .tables import SourceTable, cell_text, is_kept_table

MAX_PDF_PAGES = 300  # a plan is tens of pages; beyond this the file is not a plan
_BAND = 0.1  # top and bottom tenth of a page: where headers, footers and page numbers sit
_PAGE_NUMBER = re.compile(r"^[-—–－‒\s·]*(?:第\s*)?#(?:\s*页)?(?:\s*[/／]\s*#|\s*共\s*#\s*页)?[-—–－‒\s·]*$")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}[.．、](?!\d)|附件\s*\d)"
)
_DASHED_NUMBER = re.compile(r"^[-—–－‒]+#[-—–－‒]+$")  # '— 3 —' is a page number wherever it sits


@dataclass
class SourceDocument:
    """What a plan file holds: its text and the tables kept apart from it."""

    text: str
    tables: list[SourceTable] = field(default_factory=list)
    pages: int = 0


def read_pdf(data: bytes) -> SourceDocument:
    """Text and tables of a text PDF; a scanned PDF (no text layer) or a damaged one is refused in Chinese."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise PlanParseError("读取 PDF 需要 pdfplumber") from exc
    locked = (PDFPasswordIncorrect, PDFEncryptionError)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds on a damaged file; pdfplumber wraps them
        # pdfplumber wraps pdfminer's password error in its own exception: look inside before calling it damaged
        inner = [exc, exc.__context__, exc.__cause__, *exc.args]
        if any(isinstance(e, locked) for e in inner):
            raise PlanParseError("PDF 已加密（需要密码才能打开）：请提供未加密的文件") from exc
        raise PlanParseError(f"无法打开 PDF（文件可能已损坏）：{type(exc).__name__}") from exc
    with pdf:
        try:
            pages = pdf.pages
            if len(pages) > MAX_PDF_PAGES:
                raise PlanParseError(f"PDF 共 {len(pages)} 页，超过 {MAX_PDF_PAGES} 页：这不像一份方案")
            return _read_pages(pages)
        except PlanParseError:
            raise
        except Exception as exc:  # a page pdfminer cannot lay out
            raise PlanParseError(f"无法读取 PDF 的文字（{type(exc).__name__}）") from exc


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    height: float


def _read_pages(pages) -> SourceDocument:
    lines: list[_Line] = []
    tables: list[SourceTable] = []
    images = 0
    for number, page in enumerate(pages, start=1):
        images += len(page.images)
        kept_boxes = []
        for table in page.find_tables():
            rows = [[cell_text(c) for c in row] for row in table.extract()]
            rows = [r for r in rows if any(r)]
            if not rows:
                continue
            continuing = (
                tables
                and tables[-1].page == number - 1
                and len(rows[0]) == len(tables[-1].header)
                and not is_kept_table(rows[0])
                and table.bbox[1] < page.height * 0.25
            )
            if is_kept_table(rows[0]):
                tables.append(SourceTable(header=rows[0], rows=rows[1:], page=number))
            elif continuing:
                tables[-1].rows.extend(rows)
                tables[-1].page = number
            else:
                continue
            kept_boxes.append(table.bbox)
        for ln in _text_lines(page.chars):
            if any(
                b[0] - 1 <= ln["x0"]
                and ln["x1"] <= b[2] + 1
                and b[1] - 1 <= ln["top"]
                and ln["bottom"] <= b[3] + 1
                for b in kept_boxes
            ):
                continue
            chars = ln["chars"]
            size = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0] if chars else 12.0
            lines.append(
                _Line(number, ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"], size, page.height)
            )
    if not lines and not tables:
        if images:
            raise PlanParseError(
                "这份 PDF 是扫描件，没有文字层：请提供文字版 PDF、Word 或文本文件（或先做文字识别）"
            )
        raise PlanParseError("PDF 中没有文字")
    body = _drop_page_furniture(lines, len(pages))
    if sum(len(ln.text) for ln in body) < 20 * len(pages) and images:
        raise PlanParseError("这份 PDF 几乎没有文字层（可能是扫描件）：请提供文字版 PDF、Word 或文本文件")
    for table in tables:
        table.rows = _merge_broken_rows(table.rows)
    return SourceDocument(text=_paragraphs(body), tables=tables, pages=len(pages))


#: how far apart two characters of one line may be before a space is put between them (pdfplumber's default)
_SPACE_GAP = 3.0


def _text_lines(chars: list[dict]) -> list[dict]:
    """The page's characters as lines, by vertical overlap: a character belongs to a line when its box
    overlaps the box of the line's first character by more than half the smaller height — whatever its font,
    so digits set a few points below the Chinese baseline stay in their sentence. Each line: its text, box
    and characters (in the shape ``pdfplumber``'s ``extract_text_lines`` gives)."""
    bands: list[list] = []  # [top, bottom, chars] of the lines still open, the newest last
    # blank characters are dropped, as pdfplumber does: a gap wider than ``_SPACE_GAP`` becomes one space
    for c in sorted((c for c in chars if c["text"].strip()), key=lambda c: (c["top"], c["x0"])):
        height = c["bottom"] - c["top"]
        for band in reversed(bands[-4:]):
            overlap = min(band[1], c["bottom"]) - max(band[0], c["top"])
            if overlap > 0.5 * min(height, band[1] - band[0]):
                band[2].append(c)
                break
        else:
            bands.append([c["top"], c["bottom"], [c]])
    lines = []
    for top, bottom, members in sorted(bands, key=lambda b: b[0]):
        members.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        for before, c in zip([None, *members], members, strict=False):
            if before is not None and c["x0"] - before["x1"] > _SPACE_GAP:
                parts.append(" ")
            parts.append(c["text"])
        lines.append(
            {
                "text": "".join(parts),
                "x0": members[0]["x0"],
                "x1": max(c["x1"] for c in members),
                "top": top,
                "bottom": bottom,
                "chars": members,
            }
        )
    return lines


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_page_furniture(lines: list[_Line], page_count: int) -> list[_Line]:
    """Page numbers and lines repeated in the top or bottom band of most pages go."""

    def in_band(ln: _Line) -> bool:
        return ln.top < ln.height * _BAND or ln.bottom > ln.height * (1 - _BAND)

    pages_with: dict[str, set[int]] = {}
    for ln in lines:
        if in_band(ln):
            pages_with.setdefault(_furniture_key(ln.text), set()).add(ln.page)
    repeated = {k for k, p in pages_with.items() if page_count >= 3 and len(p) >= max(3, page_count * 0.4)}
    kept = []
    for ln in lines:
        key = _furniture_key(ln.text)
        if (in_band(ln) and (key in repeated or _PAGE_NUMBER.match(key))) or _DASHED_NUMBER.match(key):
            continue
        kept.append(ln)
    return kept


def _mode(values: list[float]) -> float:
    return Counter(round(v) for v in values).most_common(1)[0][0] if values else 0.0


def _paragraphs(lines: list[_Line]) -> str:
    """Lines back into paragraphs: a line at the left margin continues a line that reached the right one."""
    if not lines:
        return ""
    left = _mode([ln.x0 for ln in lines])
    pitch = _mode([b.top - a.top for a, b in itertools.pairwise(lines) if a.page == b.page and b.top > a.top])
    right = _mode([ln.x1 for ln in lines if len(ln.text) >= 10]) or max(ln.x1 for ln in lines)
    paragraphs: list[str] = []
    previous: _Line | None = None
    for ln in lines:
        text = squeeze_spaces(ln.text.strip())
        if not text:
            continue
        tolerance = ln.size * 0.6
        continues = (
            previous is not None
            and abs(ln.x0 - left) <= tolerance
            and (
                previous.x1 >= right - ln.size * 1.5
                # a body line cut a few characters short (justified type keeps '〔' off a line's end) runs on;
                # a short title or heading does not
                or (
                    previous.x0 <= left + ln.size * 2.5
                    and previous.x1 >= right - ln.size * 4
                    and not re.search(r"[。；：！？:;!?）)〕]$", previous.text)
                )
            )
            and not _HEADING.match(text)
            and (previous.page != ln.page or ln.top - previous.top < max(pitch, ln.size) * 1.35)
        )
        if continues and paragraphs:
            joiner = " " if re.match(r"[A-Za-z]", text) and re.search(r"[A-Za-z]$", paragraphs[-1]) else ""
            paragraphs[-1] += joiner + text
        else:
            paragraphs.append(text)
        previous = ln
    return "\n".join(paragraphs)


def _merge_broken_rows(rows: list[list[str]]) -> list[list[str]]:
    """A row split over a page break arrives as a row with an empty first cell: it joins the one above."""
    out: list[list[str]] = []
    for row in rows:
        if out and not row[0] and len(row) == len(out[-1]):
            out[-1] = [a + b for a, b in zip(out[-1], row, strict=True)]
        else:
            out.append(row)
    return out
