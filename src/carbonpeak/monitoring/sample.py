"""Seeded sample values (示例数据) for the indicators departments report, 2020–2025 (pure).

Public values are used where ``energy/data/taicang-public-figures.csv`` or the energy sample has them
(bus share 2020, built-up green cover 2019, PV capacity); every other value is generated: a 2020 level
below the target, then a path toward it whose pace differs per indicator, so that the barometer shows
targets on course, behind and far behind. Written up in ``docs/sample-data.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from carbonpeak.energy import sample as energy_sample
from carbonpeak.monitoring.indicators import COUNT_UNITS

YEARS = tuple(range(2020, 2026))
DEFAULT_SEED = 20260102
PUBLIC = {
    # indicator: (year, value, source)
    "新能源和清洁能源公交车辆占比": (2020, 58.0, "太仓融媒：2020年新能源和清洁能源公交 189/326 辆（转载）"),
    "城市建成区绿化覆盖率": (2019, 40.68, "太仓植树新闻（2020）：2019年建成区绿化覆盖率 40.68%"),
}


@dataclass(frozen=True)
class SampleSeries:
    indicator: str
    baseline_year: int
    baseline_value: float
    baseline_source: str
    values: dict[int, float]  # year → value (annual)


def generate(targets: list[dict], seed: int = DEFAULT_SEED) -> list[SampleSeries]:
    """One series per reported indicator; ``targets`` are dicts with indicator, year, value, unit, higher."""
    rng = np.random.default_rng(seed)
    out = []
    for t in sorted(targets, key=lambda t: t["indicator"]):
        name, goal, unit, higher = t["indicator"], t["value"], t["unit"], t["higher"]
        if goal is None or t["year"] is None:
            continue
        if name == "光伏装机并网容量":
            values = {y: float(energy_sample.ASSUMPTIONS["pv_mw"][y]) for y in YEARS}
            out.append(
                SampleSeries(name, 2020, values[2020], "示例数据（与能源示例数据的光伏装机一致）", values)
            )
            continue
        pace = float(rng.choice([1.15, 1.0, 0.85, 0.55]))  # ahead, on, a little behind, far behind
        if name in PUBLIC:
            base_year, base, source = PUBLIC[name]
        elif unit in ("个", "家", "座", "项"):
            base_year, base, source = 2020, 0.0, "示例数据"
        elif not higher:
            base_year, base, source = 2020, goal * 1.6 if goal else 8.0, "示例数据"
        else:
            base_year, base, source = 2020, round(goal * float(rng.uniform(0.55, 0.85)), 2), "示例数据"
        span = max(t["year"] - base_year, 1)
        values = {}
        for y in YEARS:
            if y < base_year:
                continue
            progress = min((y - base_year) / span * pace, 1.15)
            value = base + (goal - base) * progress
            value *= float(rng.lognormal(0, 0.01))
            if unit == "%" and higher:
                value = min(value, 100.0)
            # a count (个, 家, …) is a whole number: the plausibility rules refuse 9.26 家
            values[y] = float(round(max(value, 0.0))) if unit in COUNT_UNITS else round(max(value, 0.0), 2)
        if base_year in values:
            values[base_year] = base
        out.append(SampleSeries(name, base_year, base, source, values))
    return out
