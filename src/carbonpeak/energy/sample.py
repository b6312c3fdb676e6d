"""Seeded generator of plausible quarterly energy statistics for Taicang 2020–2025 (示例数据; pure).

Public figures (GDP, population, power-plant capacities, the plan's PV target) are read from
``data/taicang-public-figures.csv`` with their sources and used as they are; everything else is generated
from the assumptions in ``ASSUMPTIONS`` below and is sample data, labelled 示例数据 wherever it shows.
The generator's assumptions are not reference factors: the accounting never reads them. How it works is
written in ``docs/sample-data.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from carbonpeak.energy.accounting import EconomicFigure, EnergyRecord
from carbonpeak.energy.certificates import BOUGHT, GREEN_TRADE, KWH_PER_CERTIFICATE, SOLD, CertificateEntry

PUBLIC_FIGURES = Path(__file__).resolve().parent / "data" / "taicang-public-figures.csv"
REGION = "太仓市"
SAMPLE_LABEL = "示例数据"
DEFAULT_SEED = 20260101
YEARS = tuple(range(2020, 2026))

# Generator assumptions (sample data, not reference figures): each is a plausible order of magnitude.
ASSUMPTIONS = {
    "coal_plant_hours": 4500,  # annual utilisation hours of the coal units
    "plant_coal_gce_per_kwh": 300,  # coal burned per kWh generated, as standard coal
    "raw_coal_kgce_per_kg": 0.7143,  # the same coefficient the factor set uses, to turn tce into tonnes
    "electricity_2020_100m_kwh": 120,  # 全社会用电量 2020, 亿千瓦时
    "electricity_growth": 0.05,
    "pv_mw": {2020: 160, 2021: 220, 2022: 300, 2023: 380, 2024: 460, 2025: 540},
    "pv_hours": 1100,
    "import_share": 0.03,  # electricity bought in from the grid at peak, share of consumption
    "green_trade_share": 0.15,  # of that, bought through green-power trades (绿电交易)
    "feedstock_share": {"化学纤维制造业": ("天然气", 0.20)},  # part of a sector's fuel used as raw material
    "gdp_real_growth_generated": {2021: 8.0, 2023: 5.0, 2025: 5.5},
    "gdp_deflator": 1.02,  # current-price growth beyond real growth where no public figure exists
    "population_growth_10k": 0.45,
    "noise": 0.03,
    # the register of 绿证 (sample data): what share of a year's 调入·绿电交易 carries a registered trade, and
    # certificates bought apart from electricity (张 per year, seller province) or sold out of the city
    "registered_green_trade_share": 0.8,
    "certificates_bought": {
        2024: (("单独绿证", 30_000, "内蒙古"),),
        2025: (("单独绿证", 60_000, "四川"), ("省内", 10_000, "江苏")),
    },
    "certificates_sold": {2025: 5_000},  # local PV whose certificates were sold out of the city
}
QUARTER_SHARE = {  # seasonal shares of a year's quantity
    "electricity": (0.23, 0.24, 0.28, 0.25),
    "heating": (0.30, 0.20, 0.18, 0.32),
    "flat": (0.24, 0.25, 0.26, 0.25),
    "solar": (0.20, 0.29, 0.31, 0.20),
    "gdp": (0.22, 0.25, 0.25, 0.28),
}
ELECTRICITY_SPLIT = {
    "农林牧渔业": 0.01,
    "造纸和纸制品业": 0.10,
    "化学纤维制造业": 0.15,
    "有色金属冶炼和压延加工业": 0.04,
    "其他工业": 0.45,
    "建筑业": 0.01,
    "交通运输、仓储和邮政业": 0.03,
    "批发和零售业、住宿和餐饮业": 0.06,
    "其他行业": 0.06,
    "城乡居民生活": 0.09,
}
# (sector, fuel, unit, 2020 annual quantity in that unit, annual trend, season)
FUEL_USE = (
    ("造纸和纸制品业", "原煤", "万吨", 95.0, -0.03, "flat"),  # process steam, beside the captive plants
    ("化学纤维制造业", "原煤", "万吨", 38.0, -0.05, "flat"),
    ("其他工业", "原煤", "万吨", 12.0, -0.10, "flat"),
    ("有色金属冶炼和压延加工业", "焦炭", "万吨", 1.8, -0.02, "flat"),
    ("其他工业", "天然气", "万立方米", 18000.0, 0.06, "heating"),
    ("化学纤维制造业", "天然气", "万立方米", 9000.0, 0.08, "heating"),
    ("批发和零售业、住宿和餐饮业", "天然气", "万立方米", 3200.0, 0.05, "heating"),
    ("城乡居民生活", "天然气", "万立方米", 5200.0, 0.04, "heating"),
    ("交通运输、仓储和邮政业", "柴油", "万吨", 16.0, -0.02, "flat"),
    ("交通运输、仓储和邮政业", "汽油", "万吨", 4.5, 0.02, "flat"),
    ("交通运输、仓储和邮政业", "燃料油", "万吨", 6.0, 0.01, "flat"),
    ("城乡居民生活", "汽油", "万吨", 9.0, 0.03, "flat"),
    ("农林牧渔业", "柴油", "万吨", 0.9, -0.03, "flat"),
    ("建筑业", "柴油", "万吨", 1.6, 0.00, "flat"),
    ("城乡居民生活", "液化石油气", "万吨", 1.2, -0.06, "heating"),
    ("批发和零售业、住宿和餐饮业", "液化石油气", "万吨", 0.8, -0.04, "heating"),
)


@dataclass
class SampleData:
    records: dict[str, list[EnergyRecord]] = field(default_factory=dict)  # by quarter key
    economy: dict[str, EconomicFigure] = field(default_factory=dict)  # by quarter key, year-to-date
    certificates: list[CertificateEntry] = field(default_factory=list)  # the register (示例数据)
    seed: int = DEFAULT_SEED
    sources: list[str] = field(default_factory=list)


def public_figures() -> list[dict[str, str]]:
    with open(PUBLIC_FIGURES, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _figure(rows, item: str, year: int) -> float | None:
    for r in rows:
        if r["item"] == item and r["year"] == str(year):
            return float(r["value"])
    return None


def generate(seed: int = DEFAULT_SEED, years: tuple[int, ...] = YEARS) -> SampleData:
    rng = np.random.default_rng(seed)
    a = ASSUMPTIONS
    rows = public_figures()
    out = SampleData(seed=seed, sources=sorted({f"{r['item']}: {r['source']}" for r in rows}))

    def noisy(value: float) -> float:
        return float(value * rng.lognormal(0.0, a["noise"]))

    coal_mw = sum(float(r["value"]) for r in rows if r["item"] == "coal_plant_mw")
    captive_mw = sum(float(r["value"]) for r in rows if r["item"] == "captive_plant_mw")
    gdp_annual, population = _economy(rows, years)
    for year in years:
        step = year - years[0]
        consumption = a["electricity_2020_100m_kwh"] * (1 + a["electricity_growth"]) ** step  # 亿千瓦时
        for q in range(1, 5):
            key = f"{year}Q{q}"
            recs: list[EnergyRecord] = []

            def add(sector: str, fuel: str, qty: float, unit: str, recs=recs, key=key) -> None:
                recs.append(EnergyRecord(key, REGION, sector, fuel, round(qty, 4), unit))

            # local generation: the utility plants (electricity sector) and the paper mills' captive plants
            hours = a["coal_plant_hours"] * QUARTER_SHARE["electricity"][q - 1]
            utility = noisy(coal_mw * 1000 * hours) / 1e4  # 万千瓦时
            captive = noisy(captive_mw * 1000 * hours) / 1e4
            tonnes_per_10k_kwh = (
                a["plant_coal_gce_per_kwh"] * 1e4 / 1e6 / a["raw_coal_kgce_per_kg"]
            )  # t per 万kWh
            add("电力、热力生产和供应业", "原煤", utility * tonnes_per_10k_kwh / 1e4, "万吨")
            add("造纸和纸制品业", "原煤", captive * tonnes_per_10k_kwh / 1e4, "万吨")
            pv = noisy(a["pv_mw"][year] * 1000 * a["pv_hours"] * QUARTER_SHARE["solar"][q - 1]) / 1e4
            generation_coal = utility + captive
            add("本地发电", "燃煤发电", generation_coal, "万千瓦时")
            add("本地发电", "光伏发电", pv, "万千瓦时")
            quarter_use = 0.0
            for sector, share in ELECTRICITY_SPLIT.items():
                kwh = noisy(consumption * 1e4 * share * QUARTER_SHARE["electricity"][q - 1])  # 万千瓦时
                quarter_use += kwh
                add(sector, "电力", kwh, "万千瓦时")
            imported = quarter_use * a["import_share"]
            green = imported * a["green_trade_share"]
            add("电力调入", "省内电网", imported - green, "万千瓦时")  # by grid structure (分电网结构)
            add("电力调入", "绿电交易", green, "万千瓦时")
            add("电力调出", "省内电网", max(0.0, generation_coal + pv + imported - quarter_use), "万千瓦时")
            for sector, fuel, unit, base, trend, season in FUEL_USE:
                annual = base * (1 + trend) ** step
                quantity = noisy(annual * QUARTER_SHARE[season][q - 1])
                feed_fuel, feed_share = a["feedstock_share"].get(sector, (None, 0.0))
                if fuel == feed_fuel:  # 原料用能: counted in energy, not burned (803号)
                    recs.append(
                        EnergyRecord(key, REGION, sector, fuel, round(quantity * feed_share, 4), unit, "原料")
                    )
                    quantity *= 1 - feed_share
                add(sector, fuel, quantity, unit)
            out.records[key] = recs
            ytd_share = sum(QUARTER_SHARE["gdp"][:q])
            gdp_current, growth = gdp_annual[year]
            out.economy[key] = EconomicFigure(
                key,
                REGION,
                gdp_current=round(gdp_current * ytd_share, 2),
                real_growth_pct=growth if year > years[0] else None,
                population=population[year] if q == 4 else None,
            )
    out.certificates = _certificates(out, years)
    return out


def _certificates(data: SampleData, years: tuple[int, ...]) -> list[CertificateEntry]:
    """A few register lines (示例数据): each year's green-power trades (most of 调入·绿电交易), and from 2024
    certificates bought apart from electricity and some local PV certificates sold out."""
    a = ASSUMPTIONS
    out = []

    def line(serial: str, on: dt.date, kind: str, direction: str, kwh: float, count=None, **kw) -> None:
        out.append(
            CertificateEntry(
                serial=f"示例-{serial}",
                region=REGION,
                used_on=on,
                kind=kind,
                direction=direction,
                kwh=kwh,
                certificates=count,
                source=f"{SAMPLE_LABEL}（演示脚本生成）",
                **kw,
            )
        )

    for year in years:
        if year < 2023:
            continue
        for q in range(1, 5):
            green = sum(
                r.quantity * 1e4
                for r in data.records.get(f"{year}Q{q}", [])
                if r.sector == "电力调入" and r.fuel == "绿电交易"
            )
            kwh = round(green * a["registered_green_trade_share"], -3)
            line(f"绿电-{year}Q{q}", dt.date(year, 3 * q, 28), GREEN_TRADE, BOUGHT, kwh, buyer="示例用电企业")
        for i, (kind, count, province) in enumerate(a["certificates_bought"].get(year, ()), start=1):
            line(
                f"绿证-{year}-{i:02d}",
                dt.date(year, 6, 30),
                kind,
                BOUGHT,
                count * KWH_PER_CERTIFICATE,
                count,
                buyer="示例用电企业",
                seller_province=province,
            )
        sold = a["certificates_sold"].get(year)
        if sold:
            line(
                f"售出-{year}",
                dt.date(year, 9, 30),
                "单独绿证",
                SOLD,
                sold * KWH_PER_CERTIFICATE,
                sold,
                seller="示例分布式光伏",
            )
    return out


def _economy(rows, years) -> tuple[dict[int, tuple[float, float]], dict[int, float]]:
    """Annual GDP (current prices, real growth) and population, public where published, else generated."""
    a = ASSUMPTIONS
    gdp: dict[int, tuple[float, float]] = {}
    population: dict[int, float] = {}
    for year in years:
        growth = _figure(rows, "gdp_real_growth", year)
        if growth is None:
            growth = a["gdp_real_growth_generated"].get(year, 5.0)
        current = _figure(rows, "gdp_current", year)
        if current is None:
            previous = gdp[year - 1][0] if year - 1 in gdp else None
            following = _figure(rows, "gdp_current", year + 1)
            if previous is not None and following is not None:
                current = (previous * following) ** 0.5  # between two published years
            elif previous is not None:
                current = previous * (1 + growth / 100) * a["gdp_deflator"]
            else:
                raise ValueError(f"{year}: no GDP to start from")
        gdp[year] = (round(current, 2), growth)
        people = _figure(rows, "population", year)
        if people is None:
            people = population[year - 1] + a["population_growth_10k"]
        population[year] = round(people, 2)
    return gdp, population


# ------------------------------------------------------------------ the seven units (示例数据)

DISTRICT_YEARS = (2023, 2024, 2025)
# Generator assumptions (sample data): each unit's share of a sector's quantity. The shares of a sector sum to
# less than one: what is left is the city's 未分解 (consumption the towns' statistics do not carry), which the
# roll-up shows. The power plants and the paper mill are in 港区 (浮桥), the chemical-fibre mills in 璜泾.
DISTRICT_WEIGHTS = {
    "港区": 0.20,
    "高新区": 0.28,
    "城厢镇": 0.14,
    "沙溪镇": 0.10,
    "浏河镇": 0.10,
    "璜泾镇": 0.09,
    "双凤镇": 0.06,
}  # Σ = 0.97
DISTRICT_SECTOR_SHARES = {
    "电力、热力生产和供应业": {"港区": 1.0},
    "造纸和纸制品业": {"港区": 0.97},
    "化学纤维制造业": {"璜泾镇": 0.80, "沙溪镇": 0.12, "双凤镇": 0.05},
    "有色金属冶炼和压延加工业": {"高新区": 0.60, "城厢镇": 0.37},
}
DISTRICT_GDP_WEIGHTS = {  # of the city's GDP; Σ = 1 (the economy is fully attributed)
    "港区": 0.22,
    "高新区": 0.31,
    "城厢镇": 0.14,
    "沙溪镇": 0.09,
    "浏河镇": 0.10,
    "璜泾镇": 0.08,
    "双凤镇": 0.06,
}


def district_data(data: SampleData, years: tuple[int, ...] = DISTRICT_YEARS) -> SampleData:
    """The seven units' quarters (示例数据): the city's records split by ``DISTRICT_SECTOR_SHARES`` (else
    ``DISTRICT_WEIGHTS``) with 2 % noise, coal generation in 港区, each unit's electricity balanced by its
    own 调入 or 调出, GDP by ``DISTRICT_GDP_WEIGHTS``. What the shares leave is the city's 未分解."""
    rng = np.random.default_rng(data.seed + 7)
    out = SampleData(seed=data.seed + 7, sources=data.sources)
    for key in sorted(data.records):
        if int(key[:4]) not in years:
            continue
        by_district: dict[str, list[EnergyRecord]] = {d: [] for d in DISTRICT_WEIGHTS}
        consumption = dict.fromkeys(DISTRICT_WEIGHTS, 0.0)
        generation = dict.fromkeys(DISTRICT_WEIGHTS, 0.0)
        for rec in data.records[key]:
            if rec.sector in ("电力调入", "电力调出"):
                continue  # each unit's own balance below
            if rec.sector == "本地发电":
                shares = {"港区": 1.0} if rec.fuel == "燃煤发电" else DISTRICT_WEIGHTS
            else:
                shares = DISTRICT_SECTOR_SHARES.get(rec.sector, DISTRICT_WEIGHTS)
            for district, share in shares.items():
                noise = 1.0 if share == 1.0 else float(rng.lognormal(0.0, 0.02))
                quantity = round(rec.quantity * share * noise, 4)
                by_district[district].append(
                    EnergyRecord(key, district, rec.sector, rec.fuel, quantity, rec.unit, rec.use)
                )
                if rec.fuel == "电力":
                    consumption[district] += quantity
                elif rec.sector == "本地发电":
                    generation[district] += quantity
        for district, recs in by_district.items():
            net = consumption[district] - generation[district]  # 万千瓦时
            recs.append(
                EnergyRecord(key, district, "电力调入", "省内电网", round(max(net, 0.0), 4), "万千瓦时")
            )
            recs.append(
                EnergyRecord(key, district, "电力调出", "省内电网", round(max(-net, 0.0), 4), "万千瓦时")
            )
            out.records[f"{key}/{district}"] = recs
            city = data.economy.get(key)
            if city is not None:
                out.economy[f"{key}/{district}"] = EconomicFigure(
                    key,
                    district,
                    gdp_current=round(city.gdp_current * DISTRICT_GDP_WEIGHTS[district], 2),
                    real_growth_pct=city.real_growth_pct,
                )
    return out
