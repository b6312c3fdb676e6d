"""Names the statistics office uses for fuels, sectors, generation sources and units (pure, no Django).

Reports arrive with the statistics office's own spellings; every name is resolved here to one canonical
name, so an unknown name is an error that says which name and what is accepted, never a silent zero.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from carbonpeak.core import periods
from carbonpeak.core.periods import Period
from carbonpeak.core.text import gettext_noop

if TYPE_CHECKING:  # pint is imported when units are first converted: it takes a tenth of a second
    import pint

# ---------------------------------------------------------------- units

MASS, VOLUME, ENERGY, COAL_EQUIVALENT = "mass", "volume", "energy", "coal_equivalent"
BASE_UNIT = {MASS: "t", VOLUME: "m**3", ENERGY: "kWh", COAL_EQUIVALENT: "tce"}
GJ_PER_KWH = 0.0036  # 1 kWh = 3.6 MJ, for showing heat in 吉焦
DIMENSION_LABEL = {MASS: "质量", VOLUME: "体积", ENERGY: "能量", COAL_EQUIVALENT: "标准煤"}

# Chinese unit names as reported → pint expressions. Scale words (万, 亿, 百万) are part of the unit.
UNIT_ALIASES: dict[str, str] = {
    "吨": "t",
    "万吨": "1e4 t",
    "千克": "kg",
    "公斤": "kg",
    "立方米": "m**3",
    "万立方米": "1e4 m**3",
    "亿立方米": "1e8 m**3",
    "千瓦时": "kWh",
    "度": "kWh",
    "万千瓦时": "1e4 kWh",
    "亿千瓦时": "1e8 kWh",
    "兆瓦时": "MWh",
    "吉瓦时": "GWh",
    "吉焦": "GJ",
    "百万千焦": "1e6 kJ",
    "兆焦": "MJ",
    "吨标准煤": "tce",
    "万吨标准煤": "1e4 tce",
    "千克标准煤": "kgce",
    "吨标煤": "tce",
    "万吨标煤": "1e4 tce",
    # ASCII spellings used in CSV exports
    "t": "t",
    "kg": "kg",
    "m3": "m**3",
    "kwh": "kWh",
    "mwh": "MWh",
    "gj": "GJ",
    "tce": "tce",
    "kgce": "kgce",
}
UNIT_NAMES = (
    gettext_noop("吨"),
    gettext_noop("万吨"),
    gettext_noop("立方米"),
    gettext_noop("万立方米"),
    gettext_noop("千瓦时"),
    gettext_noop("万千瓦时"),
    gettext_noop("亿千瓦时"),
    gettext_noop("吉焦"),
    gettext_noop("百万千焦"),
    gettext_noop("吨标准煤"),
    gettext_noop("万吨标准煤"),
)


@lru_cache(maxsize=1)
def unit_registry() -> pint.UnitRegistry:
    """pint with standard coal, carbon and CO2 as their own dimensions (they are accounting quantities)."""
    import pint

    ureg = pint.UnitRegistry()
    ureg.define("kgce = [coal_equivalent]")
    ureg.define("tce = 1000 * kgce")
    ureg.define("gce = 0.001 * kgce")
    ureg.define("tC = [carbon]")
    ureg.define("tCO2 = [carbon_dioxide]")
    ureg.define("kgCO2 = 0.001 * tCO2")
    return ureg


class UnknownName(ValueError):
    """A fuel, sector, unit or period the catalogue does not know; the message names it."""


@lru_cache(maxsize=4096)
def _clean(name: str) -> str:
    name = str(name).strip().replace("\u3000", "").replace(" ", "")
    return name.replace("（", "(").replace("）", ")").replace("，", ",")


@dataclass(frozen=True)
class UnitScale:
    """A reported unit: its dimension and the factor that takes it to the dimension's base unit."""

    name: str
    dimension: str
    to_base: float


@lru_cache(maxsize=256)
def parse_unit(name: str) -> UnitScale:
    cleaned = _clean(name)
    expr = UNIT_ALIASES.get(cleaned) or UNIT_ALIASES.get(cleaned.lower())
    if expr is None:
        raise UnknownName(f"未知计量单位“{name}”；可用单位：{'、'.join(UNIT_NAMES)}")
    ureg = unit_registry()
    quantity = ureg.Quantity(expr)
    for dimension, base in BASE_UNIT.items():
        base_q = ureg.Quantity(1, base)
        if quantity.dimensionality == base_q.dimensionality:
            return UnitScale(cleaned, dimension, float(quantity.to(base).magnitude))
    raise UnknownName(f"计量单位“{name}”无法换算")  # pragma: no cover - every alias has a dimension


@lru_cache(maxsize=1024)
def factor_in(value: float, unit: str, target: str) -> float:
    """Convert a factor's value from the unit written in the data file to the unit the engine uses."""
    ureg = unit_registry()
    unit = unit.replace("m3", "m**3")
    return float(ureg.Quantity(value, unit).to(target).magnitude)


# ---------------------------------------------------------------- fuels

COAL, OIL, GAS, ELECTRICITY, HEAT = "coal", "oil", "gas", "electricity", "heat"
FAMILY_LABEL = {COAL: "煤炭", OIL: "石油", GAS: "天然气", ELECTRICITY: "电力", HEAT: "热力"}


@dataclass(frozen=True)
class Fuel:
    name: str
    family: str
    dimension: str
    aliases: tuple[str, ...] = ()


FUELS: tuple[Fuel, ...] = (
    Fuel(gettext_noop("原煤"), COAL, MASS, ("煤炭", "烟煤", "无烟煤")),
    Fuel(gettext_noop("洗精煤"), COAL, MASS),
    Fuel(gettext_noop("洗中煤"), COAL, MASS, ("其他洗煤",)),
    Fuel(gettext_noop("煤泥"), COAL, MASS),
    Fuel(gettext_noop("焦炭"), COAL, MASS),
    Fuel(gettext_noop("焦炉煤气"), COAL, VOLUME),
    Fuel(gettext_noop("高炉煤气"), COAL, VOLUME),
    Fuel(gettext_noop("发生炉煤气"), COAL, VOLUME),
    Fuel(gettext_noop("重油催化裂解煤气"), OIL, VOLUME),
    Fuel(gettext_noop("重油热裂解煤气"), OIL, VOLUME),
    Fuel(gettext_noop("焦炭制气"), COAL, VOLUME),
    Fuel(gettext_noop("压力气化煤气"), COAL, VOLUME),
    Fuel(gettext_noop("水煤气"), COAL, VOLUME),
    Fuel(gettext_noop("煤焦油"), COAL, MASS),
    Fuel(gettext_noop("粗苯"), COAL, MASS),
    Fuel(gettext_noop("煤矿瓦斯气"), GAS, VOLUME),
    Fuel(gettext_noop("原油"), OIL, MASS),
    Fuel(gettext_noop("汽油"), OIL, MASS),
    Fuel(gettext_noop("煤油"), OIL, MASS, ("航空煤油",)),
    Fuel(gettext_noop("柴油"), OIL, MASS),
    Fuel(gettext_noop("燃料油"), OIL, MASS),
    Fuel(gettext_noop("渣油"), OIL, MASS),
    Fuel(gettext_noop("液化石油气"), OIL, MASS, ("LPG",)),
    Fuel(gettext_noop("炼厂干气"), OIL, MASS),
    Fuel(gettext_noop("天然气"), GAS, VOLUME, ("管道天然气", "油田天然气")),
    Fuel(gettext_noop("气田天然气"), GAS, VOLUME),
    Fuel(gettext_noop("电力"), ELECTRICITY, ENERGY, ("电", "用电量", "电能")),
    Fuel(gettext_noop("热力"), HEAT, ENERGY, ("蒸汽", "外购热力")),
)

# ---------------------------------------------------------------- electricity balance

GENERATION, IMPORT, EXPORT = gettext_noop("本地发电"), gettext_noop("电力调入"), gettext_noop("电力调出")
BALANCE_ITEMS = {GENERATION: GENERATION, IMPORT: IMPORT, EXPORT: EXPORT}
BALANCE_ALIASES = {
    "调入": IMPORT,
    "调入电量": IMPORT,
    "调出": EXPORT,
    "调出电量": EXPORT,
    "发电量": GENERATION,
}


@dataclass(frozen=True)
class GridStructure:
    """A part of 调入/调出 by grid structure (分电网结构, plan 四(一)); the list is data (data/grid-structures.csv),
    so a city can add its own. ``non_fossil`` is ``all`` (green-power trades: wholly non-fossil) or
    ``grid_share`` (the share of factor kind grid_non_fossil_share under ``share_key``)."""

    name: str
    non_fossil: str
    share_key: str
    aliases: tuple[str, ...]
    basis: str

    def key_for(self, grid_region: str) -> str:
        return self.share_key.replace("{grid_region}", grid_region)


def _read_structures() -> tuple[GridStructure, ...]:
    path = Path(__file__).resolve().parent / "data" / "grid-structures.csv"
    with open(path, encoding="utf-8") as fh:
        return tuple(
            GridStructure(
                r["name"],
                r["non_fossil"],
                r["share_key"],
                tuple(filter(None, r["aliases"].split(";"))),
                r["basis"],
            )
            for r in csv.DictReader(fh)
        )


GRID_STRUCTURES = _read_structures()
UNSPLIT = "电力"  # 调入/调出 not split by structure: counted as 省内电网 (本平台规则)
_STRUCTURES = {n: g for g in GRID_STRUCTURES for n in (g.name, *g.aliases)}


def resolve_structure(name: str) -> GridStructure | None:
    """The structure a 调入/调出 row names in its fuel column; None for plain 电力 (not split)."""
    cleaned = _clean(name)
    if cleaned in (UNSPLIT, "电", "电能", ""):
        return None
    structure = _STRUCTURES.get(cleaned) or _STRUCTURES.get(cleaned.removeprefix("电力").strip("（）()·-"))
    if structure is None:
        names = "、".join(g.name for g in GRID_STRUCTURES)
        raise UnknownName(f"未知电网结构“{name}”（调入、调出行的能源品种填“电力”或电网结构）；可用：{names}")
    return structure


@dataclass(frozen=True)
class GenerationSource:
    name: str
    non_fossil: bool
    coal_fired: bool = False
    aliases: tuple[str, ...] = ()


GENERATION_SOURCES: tuple[GenerationSource, ...] = (
    GenerationSource(gettext_noop("燃煤发电"), False, True, ("燃煤", "煤电", "火电-燃煤")),
    GenerationSource(gettext_noop("燃气发电"), False, False, ("燃气", "气电")),
    GenerationSource(gettext_noop("其他火力发电"), False, False, ("其他火电", "火电")),
    GenerationSource(gettext_noop("光伏发电"), True, False, ("光伏", "太阳能发电")),
    GenerationSource(gettext_noop("风力发电"), True, False, ("风电",)),
    GenerationSource(gettext_noop("生物质发电"), True, False, ("生物质",)),
    GenerationSource(gettext_noop("垃圾焚烧发电"), True, False, ("垃圾发电",)),
    GenerationSource(gettext_noop("水力发电"), True, False, ("水电",)),
    GenerationSource(gettext_noop("核电"), True, False, ("核能发电",)),
)

# ---------------------------------------------------------------- sectors


@dataclass(frozen=True)
class Sector:
    name: str
    group: str
    short: str
    aliases: tuple[str, ...] = field(default=())


_INDUSTRY = (
    ("电力、热力生产和供应业", "电力", ("电力热力", "电力行业")),
    ("造纸和纸制品业", "造纸", ("造纸业",)),
    ("化学纤维制造业", "化纤", ("化纤业",)),
    ("有色金属冶炼和压延加工业", "有色", ("有色金属",)),
    ("其他工业", "其他工业", ()),
)


def _industry(name: str, short: str, extra: tuple[str, ...]) -> Sector:
    forms = [short, *extra]
    forms += [f"工业{sep}{short}" for sep in ("-", "·", "/", "—", ":", "：")]
    forms += [f"工业({short})", f"工业：{name}", f"工业-{name}"]
    return Sector(name, "工业", short, tuple(forms))


SECTORS: tuple[Sector, ...] = (
    Sector("农林牧渔业", "农林牧渔业", "农林牧渔", ("农业", "农林牧渔", "第一产业", "农、林、牧、渔业")),
    *(_industry(n, s, e) for n, s, e in _INDUSTRY),
    Sector("建筑业", "建筑业", "建筑", ("建筑",)),
    Sector(
        "交通运输、仓储和邮政业", "交通运输、仓储和邮政业", "交通运输", ("交通运输", "交通", "交通运输业")
    ),
    Sector(
        "批发和零售业、住宿和餐饮业",
        "批发和零售业、住宿和餐饮业",
        "批发零售住宿餐饮",
        ("批发零售住宿餐饮", "批发和零售业", "住宿和餐饮业", "批发零售业、住宿餐饮业"),
    ),
    Sector("其他行业", "其他行业", "其他行业", ("其他服务业", "其他")),
    Sector("城乡居民生活", "城乡居民生活", "居民生活", ("居民生活", "生活消费", "居民生活消费")),
)
SECTOR_GROUPS: tuple[str, ...] = tuple(dict.fromkeys(s.group for s in SECTORS))


def _index(items) -> dict[str, object]:
    index: dict[str, object] = {}
    for item in items:
        for form in (item.name, *item.aliases):
            index[_clean(form)] = item
    return index


_FUELS = _index(FUELS)
_SOURCES = _index(GENERATION_SOURCES)
_SECTORS = _index(SECTORS)
FUEL_BY_NAME = {f.name: f for f in FUELS}
SOURCE_BY_NAME = {s.name: s for s in GENERATION_SOURCES}
SECTOR_BY_NAME = {s.name: s for s in SECTORS}


@lru_cache(maxsize=1024)
def resolve_fuel(name: str) -> Fuel:
    fuel = _FUELS.get(_clean(name))
    if fuel is None:
        raise UnknownName(f"未知能源品种“{name}”；可用品种：{'、'.join(f.name for f in FUELS)}")
    return fuel  # type: ignore[return-value]


def resolve_source(name: str) -> GenerationSource:
    source = _SOURCES.get(_clean(name))
    if source is None:
        names = "、".join(s.name for s in GENERATION_SOURCES)
        raise UnknownName(f"未知发电类型“{name}”（“本地发电”行的能源品种须为发电类型）；可用：{names}")
    return source  # type: ignore[return-value]


@lru_cache(maxsize=1024)
def resolve_sector(name: str) -> str:
    """Canonical sector or balance-item name."""
    cleaned = _clean(name)
    if cleaned in BALANCE_ITEMS:
        return cleaned
    if cleaned in BALANCE_ALIASES:
        return BALANCE_ALIASES[cleaned]
    sector = _SECTORS.get(cleaned)
    if sector is None:
        if cleaned in ("工业", "第二产业"):
            subs = "、".join(s for _, s, _ in _INDUSTRY)
            raise UnknownName(f"行业“{name}”须细分到工业子行业：{subs}（未细分的填“其他工业”）")
        names = "、".join(s.name for s in SECTORS)
        raise UnknownName(f"未知行业“{name}”；可用行业：{names}；电力平衡项：本地发电、电力调入、电力调出")
    return sector.name  # type: ignore[union-attr]


# ---------------------------------------------------------------- periods


@lru_cache(maxsize=4096)
def parse_period(text: str) -> Period:
    """``core.periods.parse_period``, its refusal spoken as the catalogue's: an unknown period is an
    unknown name like any other a statistics form may hold."""
    try:
        return periods.parse_period(text)
    except periods.InvalidPeriod as exc:
        raise UnknownName(str(exc)) from None
