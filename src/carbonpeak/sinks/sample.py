"""Seeded sample land data for the seven units, 2023–2025 (示例数据; pure).

Generator assumptions, not statistics: poplar stands (杨树, 阔叶) in every unit growing 3 % a year in stock
with 1 % harvested, a few 水杉 (针叶) stands, urban crown cover, wetlands protected at the plan's 64.5 %,
straw return and biochar. Every record carries a 5 % relative error and the source 示例数据.
"""

from __future__ import annotations

import random

YEARS = (2023, 2024, 2025)
SEED = 20260302
POPLAR_HA = {
    "港区": 900,
    "高新区": 600,
    "城厢镇": 500,
    "沙溪镇": 800,
    "浏河镇": 1100,
    "璜泾镇": 700,
    "双凤镇": 600,
}
METASEQUOIA_HA = {"浏河镇": 150, "沙溪镇": 90}
CROWN_HA = {"城厢镇": 420, "高新区": 380, "港区": 160}
WETLAND_HA = {"浏河镇": ("河流湿地", 3200), "港区": ("河流湿地", 2100), "沙溪镇": ("湖泊湿地", 600)}
STRAW_HA = {"璜泾镇": 2200, "双凤镇": 1800, "沙溪镇": 2000, "浏河镇": 1500}
BIOCHAR_T = {"双凤镇": 300}
WETLAND_PROTECTED = 0.645  # the plan's 湿地保护率 (八), so the sample data agrees with it
SOURCE = "示例数据（sinks/sample.py，seed 20260302）"


def records(seed: int = SEED) -> list[dict]:
    """(Long: the sample land table, district by district.)"""
    rng = random.Random(seed)
    out = []
    for district, area in POPLAR_HA.items():
        stock = area * rng.uniform(70, 95)
        for year in YEARS:
            harvest = stock * 0.01
            increment = stock * 0.03 + harvest if year > YEARS[0] else None
            out.append(
                {
                    "district": district,
                    "year": year,
                    "land_type": "forest",
                    "group": "杨树",
                    "leaf_type": "阔叶",
                    "area_ha": float(area),
                    "growing_stock_m3": round(stock),
                    "increment_m3": None if increment is None else round(increment),
                    "harvest_m3": round(harvest) if year > YEARS[0] else None,
                    "relative_error_pct": 5.0,
                }
            )
            stock *= 1.03
    for district, area in METASEQUOIA_HA.items():
        stock = area * rng.uniform(60, 80)
        for year in YEARS:
            out.append(
                {
                    "district": district,
                    "year": year,
                    "land_type": "forest",
                    "group": "水杉",
                    "leaf_type": "针叶",
                    "area_ha": float(area),
                    "growing_stock_m3": round(stock),
                    "relative_error_pct": 5.0,
                }
            )
            stock *= 1.04
    for year in YEARS:
        grow = 1 + 0.02 * (year - YEARS[0])
        for district, crown in CROWN_HA.items():
            out.append(
                {
                    "district": district,
                    "year": year,
                    "land_type": "urban_trees",
                    "group": "",
                    "crown_area_ha": round(crown * grow, 1),
                    "relative_error_pct": 5.0,
                }
            )
        for district, (kind, area) in WETLAND_HA.items():
            out.append(
                {
                    "district": district,
                    "year": year,
                    "land_type": "wetland",
                    "group": kind,
                    "area_ha": float(area),
                    "protected_area_ha": round(area * WETLAND_PROTECTED, 1),
                    "relative_error_pct": 5.0,
                }
            )
        for district, area in STRAW_HA.items():
            out.append(
                {
                    "district": district,
                    "year": year,
                    "land_type": "cropland",
                    "group": "秸秆还田",
                    "area_ha": float(area),
                    "relative_error_pct": 5.0,
                }
            )
        for district, tonnes in BIOCHAR_T.items():
            out.append(
                {
                    "district": district,
                    "year": year,
                    "land_type": "cropland",
                    "group": "生物质炭",
                    "biochar_t": float(tonnes * grow),
                    "relative_error_pct": 5.0,
                }
            )
    return out
