"""The demo's carbon double control (示例数据): the 2024 budget of Taicang from a sourced intensity target and
growth (``data/demo-budget.csv``: the national 2024 target stands in for the unpublished Suzhou one, said so
wherever it shows), its allocation to the seven units and to sectors, and project assessments of made-up
projects of the sample enterprises."""

from __future__ import annotations

import csv
from pathlib import Path

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo-budget.csv"
YEAR = 2024

# (name, applicant serial in the sample register or None, applicant, district, sector, fuels, kWh, 万元, decision)
PROJECTS = (
    (
        "差别化功能性纤维扩能项目（示例）",
        6,
        "申久化纤（示例）",
        "璜泾镇",
        "化学纤维制造业",
        (("天然气", "万立方米", 1200.0),),
        1.2e8,
        60000.0,
        ("conditional", "配套建设屋顶光伏不低于2兆瓦；投产后纳入能耗在线监测（示例）"),
    ),
    (
        "智能装备产业园一期（示例）",
        None,
        "太仓示例智能装备有限公司（示例）",
        "高新区",
        "其他工业",
        (("天然气", "万立方米", 80.0),),
        2.4e7,
        90000.0,
        ("approved", ""),
    ),
    (
        "港区码头岸电改造项目（示例）",
        9,
        "太仓中集集装箱制造（示例）",
        "港区",
        "交通运输、仓储和邮政业",
        (),
        3.0e6,
        None,
        None,
    ),
)


def demo_inputs() -> dict[str, dict[str, str]]:
    with open(DEMO_FILE, encoding="utf-8") as fh:
        return {row["key"]: row for row in csv.DictReader(fh)}
