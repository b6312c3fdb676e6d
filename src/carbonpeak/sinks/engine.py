"""The sink engine (pure, no Django): carbon stocks and annual sinks of forests, urban trees, wetlands and
cropland from land data and a versioned sink factor set, with a Monte Carlo band.

Forests (IPCC 2006 Vol. 4 Ch. 2 and 4, as the provincial inventory practice writes it):

* stock:  C = V × BCEF_S × (1 + R) × CF            (Eq. 2.8; BCEF_S = D × BEF, used when BCEF_S is absent)
* stock-difference: sink = (C_t − C_t0) / (t − t0) × 44/12, both stocks valued with the earlier year's BCEF
  and R classes (本平台规则: a class boundary crossed between the two years is not read as a sink or a loss);
  the stock series shown is chained on the same rule — the first year at its own classes, each later year the
  one before plus the change the sink counts — so the chart's change between two years is always the sink
* gain–loss: sink = (I_V × BCEF_I − H × BCEF_R) × (1 + R) × CF × 44/12   (Eq. 2.9–2.12)

V growing stock (蓄积, m³), I_V the year's net increment (m³), H wood removed (m³); BCEF by growing stock per
hectare, R by above-ground biomass per hectare. Urban trees (Tier 2a, crown cover × CRW), wetlands (area ×
burial rate) and cropland (straw return area × SOC rate; biochar × its lasting carbon) follow the same pattern.

A parameter the set lacks or holds without a value (参考资料未找到) makes the result 缺失, naming it: never a
default. The climate zone chosen is recorded with every result. The band draws every parameter with a range
uniformly within it and each land record's activity data with its stated relative error (a 90 % half-width,
normal), both 本平台规则 where the source gives only a range; a parameter without a range is held at its
value and listed, so the band says what it does not include.
"""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from carbonpeak.core.text import gettext_noop

CO2_PER_C = 44 / 12
ALL = "全部"
Z90 = 1.6448536269514722  # a 90 % half-width → one standard deviation
DRAWS = 2000
PLATFORM_RULE = "本平台规则"
BUNDLED = Path(__file__).resolve().parent / "data" / "sink-factors.csv"

LAND_TYPES = {
    "forest": gettext_noop("乔木林"),
    "urban_trees": gettext_noop("城市树木"),
    "wetland": gettext_noop("湿地"),
    "cropland": gettext_noop("耕地"),
}
PARAMETER_NAMES = {
    "cf": gettext_noop("含碳率 CF"),
    "root_shoot": gettext_noop("根茎比 R"),
    "bcef_s": gettext_noop("生物量转换扩展因子 BCEF_S"),
    "bcef_i": gettext_noop("生物量转换扩展因子 BCEF_I"),
    "bcef_r": gettext_noop("生物量转换扩展因子 BCEF_R"),
    "wood_density": gettext_noop("基本木材密度 D"),
    "bef": gettext_noop("生物量扩展因子 BEF"),
    "urban_crw": gettext_noop("树冠覆盖年碳累积率 CRW"),
    "wetland_burial": gettext_noop("湿地碳埋藏速率"),
    "straw_return_soc": gettext_noop("秸秆还田土壤有机碳年增量"),
    "biochar_carbon": gettext_noop("生物质炭持久碳含量"),
}
STOCK_DIFFERENCE, GAIN_LOSS, AREA_RATE = "stock_difference", "gain_loss", "area_rate"
METHOD_NAMES = {
    STOCK_DIFFERENCE: gettext_noop("蓄积量差法"),
    GAIN_LOSS: gettext_noop("生长–消耗法"),
    AREA_RATE: gettext_noop("面积×速率"),
}


@dataclass(frozen=True)
class SinkFactor:
    parameter: str
    zone: str
    group: str
    class_low: float | None
    class_high: float | None
    value: float | None
    low: float | None
    high: float | None
    unit: str
    source: str
    status: str

    @property
    def key(self) -> str:
        return f"{self.parameter}|{self.zone}|{self.group}|{self.class_low}|{self.class_high}"

    def describe(self) -> str:
        where = "、".join(
            x for x in (self.zone if self.zone != ALL else "", self.group if self.group != ALL else "") if x
        )
        return f"{PARAMETER_NAMES.get(self.parameter, self.parameter)}{f'（{where}）' if where else ''}"


@dataclass(frozen=True)
class SinkFactorSet:
    name: str
    version: str
    climate_zone: str  # 温带 / 亚热带湿润 …: the zone whose parameters apply, recorded with every result
    climate_zone_source: str
    factors: tuple[SinkFactor, ...]

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def find(
        self, parameter: str, groups: Iterable[str], class_value: float | None = None
    ) -> SinkFactor | None:
        """The most specific row: this zone before 全部, the first matching group, the class holding the value;
        of two rows for the same place the later wins (a coordinator's entry over the bundled one)."""
        groups = [g for g in groups if g]
        for zone in (self.climate_zone, ALL):
            for group in [*groups, ALL]:
                for f in reversed(self.factors):
                    if (f.parameter, f.zone, f.group) != (parameter, zone, group):
                        continue
                    if f.class_low is None and f.class_high is None:
                        return f
                    if class_value is None:
                        continue
                    if (f.class_low is None or class_value >= f.class_low) and (
                        f.class_high is None or class_value < f.class_high
                    ):
                        return f
        return None


def read_factors(text: str) -> tuple[SinkFactor, ...]:
    def number(value: str) -> float | None:
        value = (value or "").strip()
        return float(value) if value else None

    return tuple(
        SinkFactor(
            row["parameter"].strip(),
            row["zone"].strip() or ALL,
            row["group"].strip() or ALL,
            number(row["class_low"]),
            number(row["class_high"]),
            number(row["value"]),
            number(row["low"]),
            number(row["high"]),
            row["unit"].strip(),
            row["source"].strip(),
            row["status"].strip(),
        )
        for row in csv.DictReader(io.StringIO(text))
    )


def bundled_factors() -> tuple[SinkFactor, ...]:
    return read_factors(BUNDLED.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class LandRecord:
    district: str
    year: int
    land_type: str  # a key of LAND_TYPES
    group: str = ""  # species group (杨树), wetland type, or cropland practice (秸秆还田 / 生物质炭)
    leaf_type: str = ""  # forests: 阔叶 / 针叶
    area_ha: float | None = None
    growing_stock_m3: float | None = None
    increment_m3: float | None = None  # the year's net increment of growing stock
    harvest_m3: float | None = None
    crown_area_ha: float | None = None
    biochar_t: float | None = None
    relative_error_pct: float | None = None  # of the activity data, a 90 % half-width


@dataclass
class SinkResult:
    district: str
    land_type: str
    group: str
    year: int
    method: str
    climate_zone: str
    factor_set: str
    stock_tc: float | None = None  # carbon stock at the end of the year (forests)
    sink_tco2: float | None = None  # removals per year, positive = taken up
    band: tuple[float, float, float] | None = None  # P5, P50, P95 of the sink
    parameters: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    ranges_missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "district": self.district,
            "land_type": self.land_type,
            "land_type_label": LAND_TYPES.get(self.land_type, self.land_type),
            "group": self.group,
            "year": self.year,
            "method": self.method,
            "method_label": METHOD_NAMES.get(self.method, self.method),
            "climate_zone": self.climate_zone,
            "factor_set": self.factor_set,
            "stock_tc": _r(self.stock_tc),
            "sink_tco2": _r(self.sink_tco2),
            "interval": None
            if self.band is None
            else {"p5": _r(self.band[0]), "p50": _r(self.band[1]), "p95": _r(self.band[2])},
            "parameters": self.parameters,
            "missing": self.missing,
            "ranges_missing": self.ranges_missing,
            "notes": self.notes,
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


class _Values:
    """Parameter values as used: points, or draws (the same draw wherever a row is used)."""

    def __init__(self, factors: SinkFactorSet, seed: int | None, draws: int):
        self.factors, self.seed, self.draws = factors, seed, draws
        self.used: dict[str, SinkFactor] = {}
        self.missing: list[str] = []

    def get(self, parameter: str, groups: Iterable[str], class_value=None, *, what: str = ""):
        groups = list(groups)
        row = self.factors.find(parameter, groups, _point(class_value))
        if row is None or row.value is None:
            groups_words = "、".join(g for g in groups if g) or ALL
            why = row.source if row is not None else "因子集中没有此项"
            self.missing.append(
                f"{PARAMETER_NAMES.get(parameter, parameter)}（{self.factors.climate_zone}，{groups_words}"
                f"{'，' + what if what else ''}）：{why}"
            )
            return None
        self.used[row.key] = row
        if self.seed is None or row.low is None or row.high is None or row.high <= row.low:
            return row.value
        rng = np.random.default_rng([self.seed, zlib.crc32(row.key.encode("utf-8"))])
        return rng.uniform(row.low, row.high, self.draws)

    def activity(self, record: LandRecord):
        if self.seed is None or not record.relative_error_pct:
            return 1.0
        key = f"{record.district}|{record.land_type}|{record.group}"  # the same survey error every year
        rng = np.random.default_rng([self.seed, zlib.crc32(key.encode("utf-8")), 1])
        return np.clip(rng.normal(1.0, record.relative_error_pct / 100 / Z90, self.draws), 0.0, None)


def _point(value):
    if value is None:
        return None
    return float(np.median(value)) if isinstance(value, np.ndarray) else float(value)


def _forest_stock(record: LandRecord, values: _Values, classes: LandRecord | None = None):
    """C (t C) of one forest record, or None when a parameter is missing. ``classes``: the record whose
    growing stock per hectare picks the BCEF and R classes (for a stock difference, the earlier year's for
    both years, so that crossing a class boundary is not taken for a change of stock: 本平台规则)."""
    if record.growing_stock_m3 is None or not record.area_ha:
        values.missing.append(f"{record.district}{record.year}年{record.group or '乔木林'}：蓄积或面积未报")
        return None
    groups = (record.group, record.leaf_type)
    volume = record.growing_stock_m3 * values.activity(record)
    basis = classes if classes is not None and classes.growing_stock_m3 and classes.area_ha else record
    per_ha = basis.growing_stock_m3 / basis.area_ha
    bcef = values.get("bcef_s", groups, per_ha, what=f"蓄积 {per_ha:.0f} m³/hm²")
    if bcef is None:  # BCEF_S absent for this group and zone: D × BEF (the provincial inventory's chain)
        values.missing.pop()
        density = values.get("wood_density", groups)
        bef = values.get("bef", groups)
        if density is None or bef is None:
            values.missing.insert(0, f"{PARAMETER_NAMES['bcef_s']}或（D 与 BEF）缺失")
            return None
        bcef = density * bef
    agb = volume * bcef
    agb_per_ha = per_ha * _point(bcef)
    ratio = values.get(
        "root_shoot",
        groups,
        agb_per_ha,
        what=f"地上生物量 {agb_per_ha:.0f} t/hm²",
    )
    cf = values.get("cf", groups)
    if ratio is None or cf is None:
        return None
    return agb * (1 + ratio) * cf


def _gain_loss(record: LandRecord, values: _Values):
    if record.increment_m3 is None or not record.area_ha or record.growing_stock_m3 is None:
        values.missing.append(
            f"{record.district}{record.year}年{record.group or '乔木林'}：年生长量、蓄积或面积未报"
        )
        return None
    if record.harvest_m3 is None:  # an unreported harvest is not a harvest of 0: the losses are unknown
        values.missing.append(
            f"{record.district}{record.year}年{record.group or '乔木林'}：年采伐消耗未报（没有采伐请填 0），"
            "生物量增长—损失法碳汇缺失"
        )
        return None
    groups = (record.group, record.leaf_type)
    scale = values.activity(record)
    per_ha = record.growing_stock_m3 / record.area_ha
    bcef_i = values.get("bcef_i", groups, per_ha, what=f"蓄积 {per_ha:.0f} m³/hm²")
    bcef_r = (
        values.get("bcef_r", groups, per_ha, what=f"蓄积 {per_ha:.0f} m³/hm²") if record.harvest_m3 else 0.0
    )
    bcef_s = values.get("bcef_s", groups, per_ha, what=f"蓄积 {per_ha:.0f} m³/hm²")
    if bcef_s is None or bcef_i is None or bcef_r is None:
        return None
    agb_per_ha = per_ha * _point(bcef_s)
    ratio = values.get("root_shoot", groups, agb_per_ha, what=f"地上生物量 {agb_per_ha:.0f} t/hm²")
    cf = values.get("cf", groups)
    if ratio is None or cf is None:
        return None
    gains = record.increment_m3 * scale * bcef_i
    losses = record.harvest_m3 * scale * bcef_r
    return (gains - losses) * (1 + ratio) * cf * CO2_PER_C


def _area_rate(record: LandRecord, values: _Values):
    scale = values.activity(record)
    if record.land_type == "urban_trees":
        if record.crown_area_ha is None:
            values.missing.append(f"{record.district}{record.year}年城市树木：树冠覆盖面积未报")
            return None
        rate = values.get("urban_crw", (record.group,))
        return None if rate is None else record.crown_area_ha * scale * rate * CO2_PER_C
    if record.land_type == "wetland":
        if record.area_ha is None:
            values.missing.append(f"{record.district}{record.year}年湿地：面积未报")
            return None
        rate = values.get("wetland_burial", (record.group,))
        return None if rate is None else record.area_ha * scale * rate * CO2_PER_C
    if record.group == "生物质炭":
        if record.biochar_t is None:
            values.missing.append(f"{record.district}{record.year}年生物质炭：施用量未报")
            return None
        rate = values.get("biochar_carbon", (record.group,))
        return None if rate is None else record.biochar_t * scale * rate * CO2_PER_C
    if record.area_ha is None:
        values.missing.append(f"{record.district}{record.year}年{record.group or '耕地'}：面积未报")
        return None
    rate = values.get("straw_return_soc", (record.group,))
    return None if rate is None else record.area_ha * scale * rate * CO2_PER_C


def _finish(result: SinkResult, point: _Values, drawn: _Values | None, sink_point, sink_draws) -> SinkResult:
    result.parameters = [
        {
            "parameter": f.parameter,
            "name": f.describe(),
            "value": f.value,
            "range": None if f.low is None or f.high is None else [f.low, f.high],
            "unit": f.unit,
            "source": f.source,
            "status": f.status,
        }
        for f in point.used.values()
    ]
    result.missing = list(dict.fromkeys(point.missing))
    result.ranges_missing = sorted(
        {f.describe() for f in point.used.values() if f.low is None or f.high is None}
    )
    if result.missing or sink_point is None:
        result.sink_tco2 = None
        result.stock_tc = result.stock_tc if not result.missing else None
        return result
    result.sink_tco2 = float(sink_point)
    if isinstance(sink_draws, np.ndarray):
        p5, p50, p95 = np.percentile(sink_draws, [5, 50, 95])
        result.band = (float(p5), float(p50), float(p95))
    else:
        result.band = (result.sink_tco2, result.sink_tco2, result.sink_tco2)
        result.notes.append("各参数与活动数据均未录入不确定范围：区间退化为一点")
    return result


def compute(
    records: Iterable[LandRecord], factors: SinkFactorSet, *, seed: int = 20260301, draws: int = DRAWS
) -> list[SinkResult]:
    """Every record's sink: forests by stock difference (against the group's previous year with data) and by
    gain–loss (where the year's increment is reported); the other land types by area × rate."""
    records = sorted(records, key=lambda r: (r.district, r.land_type, r.group, r.year))
    out: list[SinkResult] = []
    previous: dict[tuple[str, str, str], LandRecord] = {}
    chained: dict[tuple[str, str, str], float | None] = {}  # the stock shown, chained on the sink's rule
    for record in records:
        key = (record.district, record.land_type, record.group)

        def new(method: str, record: LandRecord = record) -> SinkResult:
            return SinkResult(
                record.district,
                record.land_type,
                record.group,
                record.year,
                method,
                factors.climate_zone,
                factors.label,
            )

        if record.land_type == "forest" and not factors.climate_zone:
            result = new(STOCK_DIFFERENCE)
            result.missing.append("气候带未选择：森林参数按气候带取值，须由协调员选择并注明依据")
            out.append(result)
            continue
        if record.land_type == "forest":
            before = previous.get(key)
            result = new(STOCK_DIFFERENCE)
            point, drawn = _Values(factors, None, draws), _Values(factors, seed, draws)
            stock = _forest_stock(record, point)
            own = None if stock is None else float(stock)
            result.stock_tc = own
            if before is None:
                result.notes.append("无上一期蓄积：蓄积量差法自下一期起计算")
                out.append(_finish(result, point, drawn, None, None))
            else:
                stock_same = _forest_stock(record, _Values(factors, None, draws), before)
                stock_same_draws = _forest_stock(record, drawn, before)
                old, old_draws = _forest_stock(before, point), _forest_stock(before, drawn)
                years = record.year - before.year
                sink = None if stock_same is None or old is None else (stock_same - old) / years * CO2_PER_C
                sink_draws = None if sink is None else (stock_same_draws - old_draws) / years * CO2_PER_C
                result.notes.append(
                    f"与{before.year}年蓄积比较（{years}年；两期按{before.year}年的蓄积分级取 BCEF 与 R，{PLATFORM_RULE}）"
                )
                if sink is not None and chained.get(key) is not None:
                    result.stock_tc = chained[key] + float(stock_same - old)
                    if own is not None and abs(result.stock_tc - own) > 0.5:
                        result.notes.append(
                            f"碳储量按上一期的分级衔接（与碳汇同一规则，{PLATFORM_RULE}）；"
                            f"按本年分级单独计算为 {own:,.1f} 吨碳"
                        )
                out.append(_finish(result, point, drawn, sink, sink_draws))
            chained[key] = result.stock_tc
            previous[key] = record
            if record.increment_m3 is not None:
                result = new(GAIN_LOSS)
                result.stock_tc = None if stock is None else float(stock)
                point, drawn = _Values(factors, None, draws), _Values(factors, seed, draws)
                sink, sink_draws = _gain_loss(record, point), _gain_loss(record, drawn)
                out.append(_finish(result, point, drawn, sink, sink_draws))
            continue
        result = new(AREA_RATE)
        point, drawn = _Values(factors, None, draws), _Values(factors, seed, draws)
        out.append(_finish(result, point, drawn, _area_rate(record, point), _area_rate(record, drawn)))
    return out
