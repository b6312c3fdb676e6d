"""A release's open data as CSV, JSON and .xlsx, with a data dictionary (pure, no Django).

Missing stays missing: a figure without a value is an empty cell with its state 缺失, never 0. Every text
cell is made inert against spreadsheet formulas. The headers and the dictionary are said in the reader's
language by ``say`` (Django's ``gettext`` from the view; the platform's own words without it); the content is
the release's, in the language it was made in.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Font

from carbonpeak.core.text import gettext_noop
from carbonpeak.core.upload_errors import inert

Say = Callable[[str], str]


def _same(text: str) -> str:
    return text


SAMPLE_NOTE = gettext_noop("示例数据：由有文档的脚本生成，非真实统计数据，仅供演示，不得引用")

FIGURE_FIELDS = [
    ("name", gettext_noop("指标"), gettext_noop("指标名称与口径")),
    ("value", gettext_noop("数值"), gettext_noop("年初至本季度末累计值；空白表示缺失（不是 0）")),
    ("unit", gettext_noop("单位"), gettext_noop("数值的计量单位")),
    ("period", gettext_noop("期间"), gettext_noop("数值所属期间")),
    (
        "state",
        gettext_noop("数据状态"),
        gettext_noop("已审核：经审核的统计数据核算；缺失：所需数据尚未报送或录入"),
    ),
    ("change_pct", gettext_noop("同比变化（%）"), gettext_noop("与上年同期累计相比的变化；空白表示无法计算")),
    ("source", gettext_noop("来源"), gettext_noop("数据来源与核算依据")),
    ("note", gettext_noop("说明"), gettext_noop("数值所依赖的示例输入等说明；空白表示无")),
]
TARGET_FIELDS = [
    ("name", gettext_noop("指标"), gettext_noop("方案目标的指标")),
    ("target", gettext_noop("目标"), gettext_noop("方案规定的目标值与年份")),
    ("period", gettext_noop("评估期"), gettext_noop("评估所用数据的期间")),
    ("value", gettext_noop("实际值"), gettext_noop("评估所用的实际值；空白表示缺失")),
    ("expected", gettext_noop("进度要求"), gettext_noop("按进度应达到的值；空白表示不适用")),
    ("unit", gettext_noop("单位"), gettext_noop("实际值与进度要求的单位")),
    ("grade", gettext_noop("评估"), gettext_noop("基本顺利、比较严峻、十分严峻或未评估")),
    ("state", gettext_noop("数据状态"), gettext_noop("评估所用数据的状态")),
    ("reason", gettext_noop("理由"), gettext_noop("评估结论的依据")),
]
ACTION_FIELDS = [
    ("name", gettext_noop("重点行动"), gettext_noop("方案中的重点行动")),
    (
        "progress",
        gettext_noop("本季度进展"),
        gettext_noop("已审核的任务进展报告的统计（不含部门填报的文字）"),
    ),
]


def _header(release: dict, say: Say) -> list[tuple[str, str]]:
    rows = [
        (say(gettext_noop("标题")), release["title"]),
        (say(gettext_noop("报告期")), release["period_label"]),
        (say(gettext_noop("发布时间")), release["released_at"]),
        (say(gettext_noop("发布说明")), release["note"]),
    ]
    if release.get("corrects"):
        rows.append((say(gettext_noop("更正说明")), release["correction_note"]))
    if release["sample"]:
        rows.append((say(gettext_noop("注意")), say(SAMPLE_NOTE)))
    return rows


def _dictionary(fields, say: Say) -> dict[str, str]:
    return {
        key: say(gettext_noop("%(title)s：%(text)s")) % {"title": say(title), "text": say(text)}
        for key, title, text in fields
    }


def as_json(release: dict, say: Say = _same) -> bytes:
    """The release as JSON: its metadata, figures, targets and actions, and the data dictionary."""
    data = dict(release)
    data["dictionary"] = {
        "figures": _dictionary(FIGURE_FIELDS, say),
        "targets": _dictionary(TARGET_FIELDS, say),
        "actions": _dictionary(ACTION_FIELDS, say),
    }
    if release["sample"]:
        data["notice"] = say(SAMPLE_NOTE)
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def as_csv(release: dict, part: str, say: Say = _same) -> bytes:
    """One table of the release ("figures", "targets" or "actions") as CSV (UTF-8 with BOM for Excel)."""
    fields = {"figures": FIGURE_FIELDS, "targets": TARGET_FIELDS, "actions": ACTION_FIELDS}[part]
    out = io.StringIO()
    writer = csv.writer(out)
    if release["sample"]:
        writer.writerow([say(SAMPLE_NOTE)])
    writer.writerow([say(title) for _k, title, _t in fields])
    for row in release[part]:
        writer.writerow([inert("" if row.get(k) is None else row[k]) for k, _title, _t in fields])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(release: dict, say: Say = _same) -> bytes:
    """The release as a workbook: 说明, 主要指标, 目标晴雨表, 重点行动进展 and 数据字典 sheets."""
    wb = Workbook()
    about = wb.active
    about.title = say(gettext_noop("说明"))
    for key, value in _header(release, say):
        about.append([inert(key), inert(value)])
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 14, 80
    dictionary_rows = []
    for part, title, fields in (
        ("figures", gettext_noop("主要指标"), FIGURE_FIELDS),
        ("targets", gettext_noop("目标晴雨表"), TARGET_FIELDS),
        ("actions", gettext_noop("重点行动进展"), ACTION_FIELDS),
    ):
        ws = wb.create_sheet(say(title)[:31])
        if release["sample"]:
            ws.append([say(SAMPLE_NOTE)])
        ws.append([say(name) for _k, name, _t in fields])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for row in release[part]:
            ws.append([inert(row.get(k)) for k, _name, _t in fields])
        dictionary_rows += [(say(title), say(name), say(text)) for _k, name, text in fields]
    terms = wb.create_sheet(say(gettext_noop("数据字典")))
    terms.append([say(gettext_noop("工作表")), say(gettext_noop("字段")), say(gettext_noop("含义"))])
    for row in dictionary_rows:
        terms.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
