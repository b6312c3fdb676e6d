"""Tables in a plan: the task table (重点任务分工表: 序号, 任务, 牵头单位, 配合单位, 完成时限) and the indicator
table (指标, 基期值, 目标值, 属性 约束性/预期性), each into a section of tasks or of targets.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .clauses import Conventions, parse_clause
from .numbering import normalise_text
from .shapes import EQ, Section, Target, Task
from .targets import value_of


@dataclass
class SourceTable:
    """A table of the document: its header row and body rows of plain cell text."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    page: int = 0
    caption: str = ""


def cell_text(value: object) -> str:
    """A cell's text on one line, full-width digits and PDF spaces normalised."""
    return normalise_text(re.sub(r"\s*\n\s*", "", str(value or ""))).strip()


_TASK_COL = re.compile(r"任务|工作内容|重点工作|举措|措施|工作事项|具体内容")
_LEAD_COL = re.compile(r"牵头")
_RESPONSIBLE_COL = re.compile(r"责任单位|责任部门|责任主体")
_SUPPORT_COL = re.compile(r"配合|参与|协同|协办")
_DEADLINE_COL = re.compile(r"时限|期限|完成时间|时间节点|进度安排")
_NUMBER_COL = re.compile(r"^(?:序号|编号|序)$")
_INDICATOR_COL = re.compile(r"指标")
_UNIT_COL = re.compile(r"^单位$|计量单位")
_BASE_COL = re.compile(r"基期|基准|现状|基数")
_TARGET_COL = re.compile(r"目标|20\d\d")
_ATTRIBUTE_COL = re.compile(r"属性|性质|类型")


def is_task_table(header: list[str]) -> bool:
    joined = "".join(header)
    return bool(
        any(_TASK_COL.search(h) and not _LEAD_COL.search(h) for h in header)
        and re.search(r"牵头|责任|配合", joined)
    )


def is_indicator_table(header: list[str]) -> bool:
    return any(_INDICATOR_COL.search(h) for h in header) and any(
        _TARGET_COL.search(h) for h in header if not _INDICATOR_COL.search(h)
    )


def is_kept_table(header: list[str]) -> bool:
    """Whether a table is one the importer reads (tasks or indicators); others stay out of the plan."""
    return is_task_table(header) or is_indicator_table(header)


def _column(header: list[str], pattern: re.Pattern, exclude: re.Pattern | None = None) -> int | None:
    for i, h in enumerate(header):
        if pattern.search(h) and not (exclude and exclude.search(h)):
            return i
    return None


def parse_deadline(text: str) -> str:
    """ISO date of a deadline as plans write it ('2025年底前', '2024年6月底', '2023-2025年'); '' when it is
    none ('长期坚持', '持续推进')."""
    text = cell_text(text)
    years = re.findall(r"(20\d\d)\s*年?", text)
    if not years:
        return ""
    year = int(years[-1])
    m = re.search(rf"{year}\s*年\s*(\d{{1,2}})\s*月", text)
    if m and 1 <= int(m.group(1)) <= 12:
        month = int(m.group(1))
        last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return dt.date(year, month, last).isoformat()
    return dt.date(year, 12, 31).isoformat()


def sections_from_tables(
    tables: list[SourceTable], conventions: Conventions
) -> tuple[list[Section], list[str]]:
    """A section per task or indicator table, numbered 表1, 表2 … in the order they appear."""
    sections: list[Section] = []
    warnings: list[str] = []
    for n, table in enumerate(tables, start=1):
        header = [cell_text(h) for h in table.header]
        if is_task_table(header):
            section = _task_section(n, table, header, conventions, warnings)
        elif is_indicator_table(header):
            section = _indicator_section(n, table, header, warnings)
        else:
            continue
        sections.append(section)
    return sections, warnings


def _task_section(
    n: int, table: SourceTable, header: list[str], conventions: Conventions, warnings: list[str]
) -> Section:
    task_col = _column(header, _TASK_COL, _LEAD_COL)
    lead_col = _column(header, _LEAD_COL)
    responsible_col = _column(header, _RESPONSIBLE_COL, _LEAD_COL)
    support_col = _column(header, _SUPPORT_COL, _LEAD_COL)
    deadline_col = _column(header, _DEADLINE_COL)
    number_col = _column(header, _NUMBER_COL)
    section = Section(
        key=f"表{n}", number=f"表{n}", title=table.caption or "重点任务分工表", text="", kind="items"
    )
    for i, raw in enumerate(table.rows, start=1):
        row = [cell_text(c) for c in raw] + [""] * (len(header) - len(raw))
        task_text = row[task_col] if task_col is not None else ""
        if not task_text or task_text == header[task_col]:
            continue  # a category row or a repeated header after a page break
        number = row[number_col] if number_col is not None and row[number_col] else str(i)
        parts = []
        if lead_col is not None and row[lead_col]:
            parts.append(f"牵头单位：{row[lead_col]}")
        if responsible_col is not None and row[responsible_col]:
            parts.append(f"责任单位：{row[responsible_col]}")
        if support_col is not None and row[support_col]:
            parts.append(f"配合单位：{row[support_col]}")
        clause_text = "；".join(parts)
        title = re.split(r"[。；]", task_text, maxsplit=1)[0][:120]
        task = Task(
            key=f"表{n}.{number[:12]}",
            number=number[:10],
            title=title,
            text=task_text,
            clause=clause_text,
        )
        if clause_text:
            clause = parse_clause(clause_text, conventions=conventions)
            task.lead, task.support, task.implement = clause.lead, clause.support, clause.implement
        else:
            warnings.append(f"表{n} 第 {i} 行“{title}”没有牵头或责任单位")
        if deadline_col is not None:
            task.deadline = row[deadline_col][:60]
            task.due = parse_deadline(row[deadline_col])
        section.items.append(task)
    return section


def _indicator_section(n: int, table: SourceTable, header: list[str], warnings: list[str]) -> Section:
    indicator_col = _column(header, _INDICATOR_COL, _ATTRIBUTE_COL)
    unit_col = _column(header, _UNIT_COL)
    base_col = _column(header, _BASE_COL)
    attribute_col = _column(header, _ATTRIBUTE_COL)
    target_cols = [
        i
        for i, h in enumerate(header)
        if _TARGET_COL.search(h) and i not in (indicator_col, base_col, attribute_col, unit_col)
    ]
    section = Section(key=f"表{n}", number=f"表{n}", title=table.caption or "主要指标", text="", kind="text")
    for i, raw in enumerate(table.rows, start=1):
        row = [cell_text(c) for c in raw] + [""] * (len(header) - len(raw))
        name = row[indicator_col] if indicator_col is not None else ""
        if not name:
            continue
        unit_in_name = re.search(r"[（(]([^（）()]{1,12})[）)]$", name)
        indicator = name[: unit_in_name.start()] if unit_in_name else name
        unit = (row[unit_col] if unit_col is not None else "") or (
            unit_in_name.group(1) if unit_in_name else ""
        )
        base = value_of(row[base_col]) if base_col is not None else None
        attribute = next(
            (a for a in ("约束性", "预期性") if attribute_col is not None and a in row[attribute_col]), ""
        )
        for col in target_cols:
            parsed = value_of(row[col])
            if parsed is None:
                if row[col]:
                    warnings.append(f"表{n} 第 {i} 行“{indicator}”的目标值“{row[col]}”无法识别为数值，未导入")
                continue
            comparator, value, value_max, cell_unit = parsed
            year = re.search(r"(20\d\d)", header[col])
            section.targets.append(
                Target(
                    year=int(year.group(1)) if year else None,
                    indicator=indicator,
                    comparator=comparator or EQ,
                    value=value,
                    unit=unit or cell_unit,
                    commitment="达到",
                    sentence="｜".join(c for c in row if c),
                    value_max=value_max,
                    base_value=base[1] if base else None,
                    attribute=attribute,
                )
            )
    return section
