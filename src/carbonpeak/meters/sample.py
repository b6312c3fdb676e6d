"""Sample online-monitoring readings (示例数据) for the demo's sample enterprises, seeded (pure, no Django).

Each enterprise's year is spread from the figures of its own sample report: electricity as 15-minute
readings with a daily and weekly shape, natural gas as daily figures with the month's figure beside them,
coal as monthly figures (weighbridge data come monthly), each within a few per cent of the report. Three
faults are planted so the data-quality rules have something to find, and the demo shows them:

* ``OUTAGE``: an electricity meter silent for a week (completeness and the repair limit fail);
* ``MONTHLY_OFF``: a monthly gas figure 7 % above its daily figures (the daily/monthly rule fails);
* ``LATE_STAMPS``: daily gas figures stamped minutes late for a month (the timestamp rule fails).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa

DEFAULT_SEED = 20260401
DAYS_2024 = 366


@dataclass(frozen=True)
class SampleEnterprise:
    credit_code: str
    electricity_kwh: float  # a year's consumption, from its report
    fuels: tuple[tuple[str, str, float], ...]  # (energy type, base unit, a year's quantity in it)


@dataclass(frozen=True)
class Fault:
    credit_code: str
    month: str
    what: str


def _columns() -> dict[str, list]:
    return {
        k: []
        for k in ("统一社会信用代码", "计量器具编号", "能源品种", "数据时标", "数值", "计量单位", "数据类型")
    }


def readings(
    enterprises: list[SampleEnterprise],
    start: datetime = datetime(2024, 1, 1),
    end: datetime = datetime(2025, 4, 1),
    seed: int = DEFAULT_SEED,
) -> tuple[pa.Table, list[Fault]]:
    """A file's worth of readings (the import's own columns and spellings) and the faults planted in it."""
    rng = np.random.default_rng(seed)
    faults: list[Fault] = []
    outage = enterprises[1].credit_code if len(enterprises) > 1 else None
    monthly_off = enterprises[0].credit_code
    late = enterprises[2].credit_code if len(enterprises) > 2 else None
    tables = []
    slots = np.arange(start, end, timedelta(minutes=15)).astype("datetime64[m]")
    hours = (slots.astype("datetime64[h]").astype(int) % 24).astype(float)
    weekday = ((slots.astype("datetime64[D]").astype(int) + 3) % 7) < 5  # 1970-01-01 was a Thursday
    shape = (1 + 0.25 * np.sin((hours - 8) / 24 * 2 * np.pi)) * np.where(weekday, 1.0, 0.85)
    days = np.arange(start, end, timedelta(days=1)).astype("datetime64[D]")
    months = np.unique(days.astype("datetime64[M]"))
    for e in enterprises:
        # electricity: 15-minute readings scaled so that a year sums to the report's figure (±3 %)
        per_slot = e.electricity_kwh / (DAYS_2024 * 96) / shape.mean()
        values = per_slot * shape * rng.normal(1.0, 0.03, len(slots)) * rng.uniform(0.97, 1.03)
        keep = np.ones(len(slots), dtype=bool)
        if e.credit_code == outage:
            silent = (slots >= np.datetime64("2024-09-09T00:00")) & (
                slots < np.datetime64("2024-09-16T10:00")
            )
            keep &= ~silent
            faults.append(Fault(e.credit_code, "2024-09", "电表 E-01 中断一周：完整率、故障修复时限不合格"))
        cols = _columns()
        n = int(keep.sum())
        cols["统一社会信用代码"] = [e.credit_code] * n
        cols["计量器具编号"] = ["E-01"] * n
        cols["能源品种"] = ["电力"] * n
        cols["数据时标"] = [str(s).replace("T", " ") + ":00" for s in slots[keep]]
        cols["数值"] = np.round(values[keep], 3).tolist()
        cols["计量单位"] = ["千瓦时"] * n
        cols["数据类型"] = ["15分钟"] * n
        tables.append(cols)
        for energy_type, unit, quantity in e.fuels:
            cols = _columns()
            meter = "G-01" if energy_type == "天然气" else "F-" + energy_type
            daily_values = quantity / DAYS_2024 * rng.normal(1.0, 0.05, len(days)) * rng.uniform(0.97, 1.03)
            if energy_type == "天然气":  # daily figures, and the month's figure beside them
                for day, value in zip(days, daily_values, strict=True):
                    stamp = datetime.fromisoformat(str(day))
                    if e.credit_code == late and str(day).startswith("2024-03"):
                        stamp += timedelta(minutes=7)
                    _row(cols, e.credit_code, meter, energy_type, stamp, value, unit, "日")
            for month in months:
                in_month = days.astype("datetime64[M]") == month
                value = float(daily_values[in_month].sum())
                if e.credit_code == monthly_off and energy_type == "天然气" and str(month) == "2024-07":
                    value *= 1.07
                    faults.append(
                        Fault(e.credit_code, "2024-07", "天然气月数据比日数据累计高 7%：日月偏差不合格")
                    )
                stamp = datetime.fromisoformat(str(month) + "-01")
                _row(cols, e.credit_code, meter, energy_type, stamp, value, unit, "月")
            tables.append(cols)
        if e.credit_code == late:
            faults.append(Fault(e.credit_code, "2024-03", "天然气日数据时标晚 7 分钟：时标偏差不合格"))
    merged = _columns()
    for cols in tables:
        for k in merged:
            merged[k].extend(cols[k])
    return pa.table(merged), faults


def _row(
    cols: dict, code: str, meter: str, energy_type: str, stamp: datetime, value: float, unit: str, kind: str
):
    cols["统一社会信用代码"].append(code)
    cols["计量器具编号"].append(meter)
    cols["能源品种"].append(energy_type)
    cols["数据时标"].append(stamp.strftime("%Y-%m-%d %H:%M:%S"))
    cols["数值"].append(round(float(value), 3))
    cols["计量单位"].append(unit)
    cols["数据类型"].append(kind)
