"""Sample enterprises for the demo (示例数据): the names of Taicang's key energy users as public sources give
them (../shared/reference/taicang-public-figures.md, "Use them only as names of demo enterprises"), every
code and figure generated from a seed and labelled 示例数据 wherever it shows (pure, no Django).

The 统一社会信用代码 are made up (valid check characters, a serial that belongs to no one); the industry codes
are the GB/T 4754 class the business name says; roofs, PV and storage are drawn from the seed.
"""

from __future__ import annotations

import io
import random

from openpyxl import Workbook

from . import workbook
from .creditcode import check_character

DEFAULT_SEED = 20251130
# name, district, GB/T 4754 code, 重点用能, 碳市场, 两高, 数据中心, 国有, 外资来源 — from the public list of
# names; the flags follow the sector (power: ETS and 两高; paper and fibre: 两高) and are sample values. The
# last one is made up and named as such: the plan's action 十 (对德合作) is about German-invested enterprises
# in the 中德（太仓）产业合作示范区, and the demo needs one to show their English front door; no public source
# here names one as a key energy user.
ENTERPRISES = (
    ("华能太仓电厂（示例）", "港区", "D4411", True, True, True, False, True, ""),
    ("太仓华苏发电（示例）", "港区", "D4411", True, True, True, False, True, ""),
    ("国华太仓发电（示例）", "港区", "D4411", True, True, True, False, True, ""),
    ("太仓港协鑫发电（示例）", "港区", "D4411", True, True, True, False, False, ""),
    ("玖龙纸业（太仓）（示例）", "港区", "C2221", True, True, True, False, False, ""),
    ("申久化纤（示例）", "璜泾镇", "C2822", True, False, True, False, False, ""),
    ("桐昆化纤（示例）", "璜泾镇", "C2822", True, False, True, False, False, ""),
    ("荣文化纤（示例）", "璜泾镇", "C2822", True, False, True, False, False, ""),
    ("太仓中集集装箱制造（示例）", "港区", "C3433", True, False, False, False, True, ""),
    ("太仓示例数据中心（示例）", "高新区", "I6450", False, False, False, True, True, ""),
    ("中德示例精密部件（示例）", "高新区", "C3484", True, False, False, False, False, "德国"),
)

#: the serials (1-based, in ENTERPRISES) of the sample enterprises the demo's enterprise users report for
PAPER_MILL, GERMAN_INVESTED = 5, 11


def credit_code(n: int) -> str:
    """A made-up code with a valid check character: 9 (工商) 1 (企业) 320585 (太仓市) and a serial of our own."""
    first17 = f"91320585DEMO{n:05d}".replace("O", "0")
    return first17 + check_character(first17)


def register_bytes(seed: int = DEFAULT_SEED) -> bytes:
    """The sample register as the import template holds it, so it goes through the same checks."""
    rng = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.title = workbook.REGISTER_SHEET
    ws.append(["示例数据：由演示脚本生成"])
    ws.append(list(workbook.REGISTER_COLUMNS))
    bs = wb.create_sheet(workbook.BUILDINGS_SHEET)
    bs.append(["示例数据：由演示脚本生成"])
    bs.append(list(workbook.BUILDING_COLUMNS))
    yes = {True: "是", False: "否"}
    for n, (name, district, code, key, ets, two_high, dc, state, origin) in enumerate(ENTERPRISES, start=1):
        pue = round(rng.uniform(1.25, 1.45), 2) if dc else None
        ws.append(
            [
                credit_code(n),
                name,
                district,
                code,
                yes[key],
                yes[ets],
                yes[two_high],
                yes[dc],
                pue,
                yes[state],
                origin,
            ]
        )
        for b in range(rng.randint(1, 3)):
            new_build = rng.random() < 0.25
            roof = round(rng.uniform(1500, 40000), -2)
            pv = None if rng.random() < 0.15 else round(rng.choice([0, 0, rng.uniform(0.3, 6.0)]), 2)
            storage = None if pv is None or pv < 2 else round(pv * rng.choice([0.0, 0.05, 0.1]), 2)
            standard = state and rng.random() < 0.5
            exemption = "屋面承重不足，不符合安全条件（示例）" if pv == 0 and rng.random() < 0.3 else ""
            bs.append(
                [
                    credit_code(n),
                    f"{'新建' if new_build else ''}{b + 1}号{'机房楼' if dc else '厂房'}",
                    yes[not dc],  # a data centre's building is no industrial building
                    "新建" if new_build else "既有",
                    roof,
                    yes[standard],
                    yes[standard],
                    pv,
                    storage,
                    exemption,
                ]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def projects(seed: int = DEFAULT_SEED) -> list[dict]:
    """Sample 两高 projects (示例数据) of the sample enterprises, keyed by their serial: approvals, 验收 and
    reported use drawn from the seed, one of them running past its approval."""
    rng = random.Random(seed + 1)
    out = []
    for serial, name, status, disposal in (
        (5, "年产60万吨高档包装纸技改项目（示例）", "在建", "改造升级"),
        (6, "差别化涤纶长丝扩建项目（示例）", "已投产", "保留"),
        (7, "聚酯熔体直纺节能改造项目（示例）", "已投产", "改造升级"),
        (1, "燃煤机组灵活性改造项目（示例）", "在建", "改造升级"),
        (8, "老旧纺丝生产线（示例）", "已投产", "淘汰"),
    ):
        approved = round(rng.uniform(8000, 60000), -2)
        produced = status == "已投产"
        out.append(
            {
                "serial": serial,
                "name": name,
                "status": status,
                "disposal": disposal,
                "planned_tce": approved * 1.02,
                "review_number": f"苏发改能评〔2023〕{rng.randint(10, 99)}号（示例）",
                "approved_tce": approved,
                "acceptance_tce": round(approved * rng.uniform(0.9, 1.08), -1) if produced else None,
                "reported_year": 2025 if produced else None,
                "reported_tce": round(approved * (1.12 if serial == 7 else rng.uniform(0.8, 0.98)), -1)
                if produced
                else None,
                "renewable_commitment": serial in (5, 6),
                "renewable_share_pct": 20.0 if serial in (5, 6) else None,
            }
        )
    return out


# fuels of a sample report by sector, sized as a plausible share of a city like the sample accounts'
# (示例数据: quantities per year before the seed's ±10 %)
_REPORTS = {
    1: ([("原煤", "吨", 1_650_000)], 0, 4_600_000_000, 4_900_000_000, "燃煤发电"),
    2: ([("原煤", "吨", 1_400_000)], 0, 3_900_000_000, 4_150_000_000, "燃煤发电"),
    3: ([("原煤", "吨", 1_500_000)], 0, 4_200_000_000, 4_450_000_000, "燃煤发电"),
    4: (
        [("原煤", "吨", 1_100_000), ("天然气", "万立方米", 2_000)],
        0,
        3_100_000_000,
        3_300_000_000,
        "燃煤发电",
    ),
    5: ([("原煤", "吨", 1_200_000), ("天然气", "万立方米", 3_000)], 950_000_000, 0, None, ""),
    6: ([("原煤", "吨", 90_000), ("天然气", "万立方米", 2_500)], 520_000_000, 0, None, ""),
    7: ([("原煤", "吨", 110_000), ("天然气", "万立方米", 2_000)], 610_000_000, 0, None, ""),
    8: ([("天然气", "万立方米", 1_800)], 380_000_000, 0, None, ""),
    9: ([("天然气", "万立方米", 600), ("柴油", "吨", 900)], 160_000_000, 0, None, ""),
    10: ([], 210_000_000, 0, None, ""),
    11: ([("天然气", "万立方米", 150)], 90_000_000, 0, None, ""),
}
#: the years a sample enterprise has no sample report for: the German-invested one's 2025 report is the one
#: its reporter files in the demo (from its front door, in English)
_LEFT_TO_FILE = {11: (2025,)}


def reports(years: tuple[int, ...] = (2024, 2025), seed: int = DEFAULT_SEED) -> list[dict]:
    """Sample annual reports (示例数据) of the sample enterprises, keyed by serial and year."""
    rng = random.Random(seed + 2)
    out = []
    for serial, (fuels, bought, sold, generated, source) in _REPORTS.items():
        for year in years:
            scale = rng.uniform(0.9, 1.1)
            if year in _LEFT_TO_FILE.get(serial, ()):
                continue
            out.append(
                {
                    "serial": serial,
                    "year": year,
                    "fuels": [
                        {"fuel": f, "unit": u, "quantity": round(q * scale, -1), "use": "燃料"}
                        for f, u, q in fuels
                    ],
                    "electricity_bought_kwh": round(bought * scale, -3),
                    "electricity_sold_kwh": round(sold * scale, -3),
                    "electricity_generated_kwh": round(generated * scale, -3) if generated else None,
                    "generation_source": source,
                    "value_added": round(rng.uniform(5, 60) * 1e4 * scale, -1),
                }
            )
    return out


# 一企一策 of two sample enterprises (示例数据): titles and measures written for the demo
REDUCTION_PLANS = (
    (
        5,
        "玖龙纸业（太仓）碳减排专项工作方案（示例）",
        "示例数据：以煤改气、余热回收和屋顶光伏降低单位产品碳排放",
        (("燃煤锅炉改燃气锅炉（示例）", "2026-12-31"), ("纸机干燥部余热回收改造（示例）", "2027-06-30")),
    ),
    (
        10,
        "太仓示例数据中心绿色低碳升级方案（示例）",
        "示例数据：以间接蒸发冷却和液冷改造把 PUE 降到 1.3 以下",
        (("间接蒸发冷却改造（示例）", "2026-09-30"), ("高密机柜液冷试点（示例）", "2027-03-31")),
    ),
)
