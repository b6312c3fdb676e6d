"""A release's open data as CSV, JSON and .xlsx, with a data dictionary (pure, no Django).

Missing stays missing: a figure without a value is an empty cell with its state 缺失, never 0. Every text
cell is made inert against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.styles import Font

from carbonpeak.core.upload_errors import inert

SAMPLE_NOTE = "示例数据：由有文档的脚本生成，非真实统计数据，仅供演示，不得引用"

FIGURE_FIELDS = [
    ("name", "指标", "指标名称与口径"),
    ("value", "数值", "年初至本季度末累计值；空白表示缺失（不是 0）"),
    ("unit", "单位", "数值的计量单位"),
    ("period", "期间", "数值所属期间"),
    ("state", "数据状态", "已审核：经审核的统计数据核算；缺失：所需数据尚未报送或录入"),
    ("change_pct", "同比变化（%）", "与上年同期累计相比的变化；空白表示无法计算"),
    ("source", "来源", "数据来源与核算依据"),
    ("note", "说明", "数值所依赖的示例输入等说明；空白表示无"),
]
TARGET_FIELDS = [
    ("name", "指标", "方案目标的指标"),
    ("target", "目标", "方案规定的目标值与年份"),
    ("period", "评估期", "评估所用数据的期间"),
    ("value", "实际值", "评估所用的实际值；空白表示缺失"),
    ("expected", "进度要求", "按进度应达到的值；空白表示不适用"),
    ("unit", "单位", "实际值与进度要求的单位"),
    ("grade", "评估", "基本顺利、比较严峻、十分严峻或未评估"),
    ("state", "数据状态", "评估所用数据的状态"),
    ("reason", "理由", "评估结论的依据"),
]
ACTION_FIELDS = [
    ("name", "重点行动", "方案中的重点行动"),
    ("progress", "本季度进展", "已审核的任务进展报告的统计（不含部门填报的文字）"),
]


def _header(release: dict) -> list[tuple[str, str]]:
    rows = [
        ("标题", release["title"]),
        ("报告期", release["period_label"]),
        ("发布时间", release["released_at"]),
        ("发布说明", release["note"]),
    ]
    if release.get("corrects"):
        rows.append(("更正说明", release["correction_note"]))
    if release["sample"]:
        rows.append(("注意", SAMPLE_NOTE))
    return rows


def as_json(release: dict) -> bytes:
    """The release as JSON: its metadata, figures, targets and actions, and the data dictionary."""
    data = dict(release)
    data["dictionary"] = {
        "figures": {k: f"{title}：{text}" for k, title, text in FIGURE_FIELDS},
        "targets": {k: f"{title}：{text}" for k, title, text in TARGET_FIELDS},
        "actions": {k: f"{title}：{text}" for k, title, text in ACTION_FIELDS},
    }
    if release["sample"]:
        data["notice"] = SAMPLE_NOTE
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def as_csv(release: dict, part: str) -> bytes:
    """One table of the release ("figures", "targets" or "actions") as CSV (UTF-8 with BOM for Excel)."""
    fields = {"figures": FIGURE_FIELDS, "targets": TARGET_FIELDS, "actions": ACTION_FIELDS}[part]
    out = io.StringIO()
    writer = csv.writer(out)
    if release["sample"]:
        writer.writerow([SAMPLE_NOTE])
    writer.writerow([title for _k, title, _t in fields])
    for row in release[part]:
        writer.writerow([inert("" if row.get(k) is None else row[k]) for k, _title, _t in fields])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(release: dict) -> bytes:
    """The release as a workbook: 说明, 主要指标, 目标晴雨表, 重点行动进展 and 数据字典 sheets."""
    wb = Workbook()
    about = wb.active
    about.title = "说明"
    for key, value in _header(release):
        about.append([inert(key), inert(value)])
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 14, 80
    dictionary_rows = []
    for part, title, fields in (
        ("figures", "主要指标", FIGURE_FIELDS),
        ("targets", "目标晴雨表", TARGET_FIELDS),
        ("actions", "重点行动进展", ACTION_FIELDS),
    ):
        ws = wb.create_sheet(title)
        if release["sample"]:
            ws.append([SAMPLE_NOTE])
        ws.append([name for _k, name, _t in fields])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for row in release[part]:
            ws.append([inert(row.get(k)) for k, _name, _t in fields])
        dictionary_rows += [(title, name, text) for _k, name, text in fields]
    terms = wb.create_sheet("数据字典")
    terms.append(["工作表", "字段", "含义"])
    for row in dictionary_rows:
        terms.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
