"""Data quality of online-monitoring readings by the monitoring system's rules, per enterprise and month
(pure, no Django: DuckDB gathers per-meter figures from the store, plain Python judges them).

The rules and their thresholds are data (data/monitoring-dq.csv, from ../shared/reference, with sources):
completeness ≥ 90 %, the daily figures' sum within 5 % of the monthly figure, timestamps within ±1 minute
(daily) and ±1 day (monthly) of their period, a collection fault mended within 3 working days. Where the
rules are silent the platform decides, and says so (本平台规则): 15-minute readings are held to the daily
timestamp tolerance; working days are Monday to Friday, public holidays not deducted; a month not yet ended
is judged up to the latest reading in the store.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np

from carbonpeak.core.text import gettext_noop

from .readings import DAILY, FIFTEEN_MINUTES, GRANULARITY_LABEL, MONTHLY, readings_view

DATA = Path(__file__).resolve().parent / "data" / "monitoring-dq.csv"
COMPLETENESS, DAILY_MONTHLY, TIMESTAMP, REPAIR = "completeness", "daily_monthly", "timestamp", "repair"
RULES = (COMPLETENESS, DAILY_MONTHLY, TIMESTAMP, REPAIR)
RULE_LABEL = {
    COMPLETENESS: gettext_noop("数据完整率"),
    DAILY_MONTHLY: gettext_noop("日数据累计与月数据偏差"),
    TIMESTAMP: gettext_noop("数据时标偏差"),
    REPAIR: gettext_noop("采集故障修复时限"),
}
PASS, FAIL, NOT_JUDGED = "pass", "fail", "na"
STATUS_LABEL = {PASS: gettext_noop("合格"), FAIL: gettext_noop("不合格"), NOT_JUDGED: gettext_noop("未评")}
PLATFORM_RULES = (
    gettext_noop("15分钟数据的时标按日数据的容许偏差（±1分钟）检查"),
    gettext_noop("工作日按周一至周五计，法定节假日未扣除"),
    gettext_noop("未结束的月份按库中最新读数时刻之前的时段评价"),
    gettext_noop("计量器具停报超过12个月即视为停用，不再计入应报"),
)
#: the items and units of ``data/monitoring-dq.csv``, named here so that the catalogue has them (a test keeps
#: them the same as the file's)
ITEM_NAMES = (
    gettext_noop("数据完整率"),
    gettext_noop("日数据累计与月数据偏差"),
    gettext_noop("数据时标偏差（日数据，1分钟）"),
    gettext_noop("数据时标偏差（月数据，1天）"),
    gettext_noop("采集故障修复时限"),
)
UNIT_NAMES = (
    gettext_noop("%（≥）"),
    gettext_noop("%（≤）"),
    gettext_noop("秒（≤）"),
    gettext_noop("个工作日（≤）"),
)
SILENT_MONTHS = 12  # a meter silent longer than this is taken as retired (本平台规则, above)
EPSILON = 1e-9  # a threshold met exactly is met, whatever the last bit of the division
STEP = {FIFTEEN_MINUTES: timedelta(minutes=15), DAILY: timedelta(days=1)}


@dataclass(frozen=True)
class Threshold:
    key: str
    item: str
    value: float
    unit: str
    source: str
    status: str


@lru_cache(maxsize=1)
def thresholds() -> dict[str, Threshold]:
    """The monitoring system's thresholds with their sources (data/monitoring-dq.csv)."""
    with open(DATA, encoding="utf-8") as fh:
        return {
            r["key"]: Threshold(r["key"], r["item"], float(r["value"]), r["unit"], r["source"], r["status"])
            for r in csv.DictReader(fh)
        }


def tolerance_s(granularity: str) -> float:
    t = thresholds()
    key = "timestamp_tolerance_monthly" if granularity == MONTHLY else "timestamp_tolerance_daily"
    return t[key].value


@dataclass(frozen=True)
class MeterMonth:
    """One meter's readings of one kind in one month, as the store holds them."""

    credit_code: str
    region: str
    month: str
    meter: str
    energy_type: str
    granularity: str
    slots: int
    total: float
    worst_offset_s: float
    off_time: int


@dataclass(frozen=True)
class Gap:
    """A stretch with no readings from a meter: after ``last`` until ``resumed`` (or still open at the
    store's latest reading)."""

    credit_code: str
    meter: str
    energy_type: str
    granularity: str
    last: datetime
    resumed: datetime
    ongoing: bool


@dataclass(frozen=True)
class Check:
    """One rule's verdict for one enterprise in one month."""

    credit_code: str
    region: str
    month: str
    rule: str
    status: str
    figure: float | None
    detail: str


def gather(store: Path, months: list[str]) -> tuple[list[MeterMonth], list[Gap], datetime | None]:
    """Per meter-month figures and the long gaps of the given months (each series' last reading before them
    included, so that a gap running into them — a meter silent since long before — is seen), and the latest
    reading in the store."""
    con = duckdb.connect()
    try:
        if not readings_view(con, store, None, name="everything"):
            return [], [], None
        as_of = con.execute("SELECT max(slot) FROM everything").fetchone()[0]
        before = {_month_before(m) for m in months}
        if not readings_view(con, store, sorted(set(months) | before)):
            return [], [], as_of
        tolerance = " ".join(f"WHEN '{g}' THEN {tolerance_s(g)}" for g in (FIFTEEN_MINUTES, DAILY, MONTHLY))
        wanted = ", ".join(f"'{m}'" for m in months)
        stats = [
            MeterMonth(*row)
            for row in con.execute(
                f"""
                SELECT credit_code, region, month, meter, energy_type, granularity,
                       count(DISTINCT slot), sum(value), max(abs(offset_s)),
                       sum(CASE WHEN abs(offset_s) > CASE granularity {tolerance} END THEN 1 ELSE 0 END)
                FROM readings WHERE month IN ({wanted})
                GROUP BY ALL ORDER BY ALL
                """
            ).fetchall()
        ]
        gaps = [
            Gap(*row)
            for row in con.execute(
                f"""
                WITH s AS (
                    SELECT DISTINCT credit_code, meter, energy_type, granularity, slot
                    FROM readings WHERE granularity <> '{MONTHLY}'
                    UNION
                    SELECT credit_code, meter, energy_type, granularity, max(slot)
                    FROM everything
                    WHERE month < '{min(months)}' AND month >= '{_months_before(min(months), SILENT_MONTHS)}'
                      AND granularity <> '{MONTHLY}'
                    GROUP BY ALL
                ), n AS (
                    SELECT *, lead(slot) OVER (PARTITION BY credit_code, meter, energy_type, granularity
                                               ORDER BY slot) AS next_slot
                    FROM s
                )
                SELECT credit_code, meter, energy_type, granularity, slot, coalesce(next_slot, ?),
                       next_slot IS NULL
                FROM n WHERE coalesce(next_slot, ?) - slot > INTERVAL 3 DAY
                ORDER BY ALL
                """,
                [as_of, as_of],
            ).fetchall()
        ]
        return stats, gaps, as_of
    finally:
        con.close()


def _months_before(month: str, n: int) -> str:
    for _ in range(n):
        month = _month_before(month)
    return month


def _retired(g: Gap, month_start: datetime) -> bool:
    """The meter's last reading lies more than SILENT_MONTHS calendar months before the month: retired there
    (the same bound as the lookup of each series' last reading in ``gather``)."""
    months_apart = (month_start.year - g.last.year) * 12 + month_start.month - g.last.month
    return months_apart > SILENT_MONTHS


def _month_before(month: str) -> str:
    first = date.fromisoformat(month + "-01")
    return (first - timedelta(days=1)).strftime("%Y-%m")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    start = datetime.fromisoformat(month + "-01")
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def expected_slots(month: str, granularity: str, as_of: datetime) -> int:
    """Periods a meter of this kind should have reported in the month, up to the store's latest reading."""
    start, end = month_bounds(month)
    step = STEP[granularity]
    until = min(end, as_of + step)
    return max(0, int((until - start) / step))


def working_days(first_missing: datetime, resumed: datetime) -> int:
    """Monday–Friday days from the first missing period's day up to (not including) the day readings came
    back (本平台规则: public holidays not deducted)."""
    return int(np.busday_count(first_missing.date(), resumed.date()))


def _pct(x: float) -> str:
    return f"{x:.1f}%"


def evaluate(
    stats: list[MeterMonth], gaps: list[Gap], as_of: datetime | None, months: list[str]
) -> list[Check]:
    """Each enterprise-month's verdict on the four rules (every rule present: 未评 when it has nothing to
    judge, with the reason).
    (Long: the four rules of the monitoring system's data-quality standard, one block each, in its order.)"""
    t = thresholds()
    by_enterprise: dict[tuple[str, str], list[MeterMonth]] = {}
    for s in stats:
        if s.month in months:
            by_enterprise.setdefault((s.credit_code, s.month), []).append(s)
    # a meter silent for a whole month has no figures in it, only a gap across it: it still counts as
    # expected (missing is never invisible), and an enterprise silent altogether still gets its verdicts
    reporting = {(s.credit_code, s.month, s.meter, s.energy_type, s.granularity) for s in stats}
    silent: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for g in gaps:
        for month in months:
            start, end = month_bounds(month)
            touches = g.last + STEP[g.granularity] < end and g.resumed > start and not _retired(g, start)
            if touches and (g.credit_code, month, g.meter, g.energy_type, g.granularity) not in reporting:
                silent.setdefault((g.credit_code, month), set()).add((g.meter, g.granularity))
                by_enterprise.setdefault((g.credit_code, month), [])
    out: list[Check] = []
    for (code, month), rows in sorted(by_enterprise.items()):
        region = rows[0].region if rows else code[2:8]
        start, end = month_bounds(month)
        ended = as_of is not None and as_of + timedelta(minutes=15) >= end

        # completeness: periods with a reading over periods expected, over the 15-minute and daily series
        expected = got = 0
        worst: tuple[float, str] | None = None
        for s in rows:
            if s.granularity == MONTHLY or as_of is None:
                continue
            e = expected_slots(month, s.granularity, as_of)
            expected, got = expected + e, got + min(s.slots, e)
            if e and (worst is None or s.slots / e < worst[0]):
                worst = (s.slots / e, f"{s.meter}（{GRANULARITY_LABEL[s.granularity]}）")
        for meter, granularity in sorted(silent.get((code, month), ())):
            if as_of is not None and (e := expected_slots(month, granularity, as_of)):
                expected += e
                worst = (0.0, f"{meter}（{GRANULARITY_LABEL[granularity]}，本月无读数）")
        floor = t["completeness_min"].value
        if expected:
            ratio = 100 * got / expected
            detail = f"{got}/{expected} 个时段有数据（{_pct(ratio)}，要求 ≥ {floor:g}%）"
            if worst and worst[0] < floor / 100:
                detail += f"；最低：{worst[1]} {_pct(100 * worst[0])}"
            if not ended:
                detail += f"；本月未结束，计至 {as_of:%Y-%m-%d %H:%M}"
            out.append(
                Check(
                    code,
                    region,
                    month,
                    COMPLETENESS,
                    PASS if ratio >= floor - EPSILON else FAIL,
                    ratio,
                    detail,
                )
            )
        else:
            out.append(
                Check(code, region, month, COMPLETENESS, NOT_JUDGED, None, "本月只有月数据，无法计算完整率")
            )

        # daily figures summed against the monthly figure, meter by meter
        limit = t["daily_monthly_max_deviation"].value
        per_meter: dict[tuple[str, str], dict[str, float]] = {}
        for s in rows:
            per_meter.setdefault((s.meter, s.energy_type), {})[s.granularity] = s.total
        deviations = []
        for (meter, energy_type), totals in sorted(per_meter.items()):
            fine = totals.get(DAILY, totals.get(FIFTEEN_MINUTES))
            monthly = totals.get(MONTHLY)
            if fine is None or monthly is None:
                continue
            dev = abs(fine - monthly) / monthly * 100 if monthly else (0.0 if fine == 0 else float("inf"))
            deviations.append((dev, f"{meter}（{energy_type}）"))
        if not deviations:
            out.append(
                Check(
                    code,
                    region,
                    month,
                    DAILY_MONTHLY,
                    NOT_JUDGED,
                    None,
                    "没有同一计量器具的月数据与日（或15分钟）数据可比",
                )
            )
        elif not ended:
            out.append(Check(code, region, month, DAILY_MONTHLY, NOT_JUDGED, None, "本月未结束，月末后评价"))
        else:
            dev, where = max(deviations)
            shown = "∞" if dev == float("inf") else _pct(dev)
            out.append(
                Check(
                    code,
                    region,
                    month,
                    DAILY_MONTHLY,
                    PASS if dev <= limit + EPSILON else FAIL,
                    None if dev == float("inf") else dev,
                    f"最大偏差 {shown}（{where}，要求 ≤ {limit:g}%；共比对 {len(deviations)} 个计量器具）",
                )
            )

        # timestamps against their period
        off = sum(s.off_time for s in rows)
        total_readings = sum(s.slots for s in rows)
        worst_s = max((s.worst_offset_s for s in rows), default=0)
        if not rows:
            out.append(Check(code, region, month, TIMESTAMP, NOT_JUDGED, None, "本月没有读数"))
        elif off:
            detail = f"{off} 条读数的时标偏离时段超过容许值（最大偏离 {_duration(worst_s)}；日数据 ±1分钟、月数据 ±1天）"
            out.append(Check(code, region, month, TIMESTAMP, FAIL, float(off), detail))
        else:
            detail = f"{total_readings} 条读数时标均在容许范围内（最大偏离 {_duration(worst_s)}）"
            out.append(Check(code, region, month, TIMESTAMP, PASS, 0.0, detail))

        # collection faults: a gap in the month longer than the repair limit
        limit_days = int(t["repair_max_working_days"].value)
        long_gaps = []
        for g in gaps:
            if g.credit_code != code:
                continue
            first_missing = g.last + STEP[g.granularity]
            if first_missing >= end or g.resumed <= start or _retired(g, start):
                continue  # the gap does not touch this month, or the meter is retired by then
            days = working_days(first_missing, g.resumed)
            if days > limit_days:
                long_gaps.append((days, g))
        if long_gaps:
            days, g = max(long_gaps, key=lambda x: x[0])
            state = "至今未恢复" if g.ongoing else f"{g.resumed:%Y-%m-%d %H:%M} 恢复"
            detail = (
                f"{g.meter}（{g.energy_type}）自 {g.last + STEP[g.granularity]:%Y-%m-%d %H:%M} 起中断，{state}，"
                f"历时 {days} 个工作日（要求 ≤ {limit_days}）"
            )
            out.append(Check(code, region, month, REPAIR, FAIL, float(days), detail))
        elif any(s.granularity != MONTHLY for s in rows):
            out.append(
                Check(code, region, month, REPAIR, PASS, 0.0, f"本月无超过 {limit_days} 个工作日的采集中断")
            )
        else:
            out.append(
                Check(code, region, month, REPAIR, NOT_JUDGED, None, "本月只有月数据，无法判断采集中断")
            )
    return out


def _duration(seconds: float) -> str:
    seconds = float(seconds or 0)
    if seconds < 120:
        return f"{seconds:.0f}秒"
    if seconds < 7200:
        return f"{seconds / 60:.0f}分钟"
    if seconds < 172800:
        return f"{seconds / 3600:.1f}小时"
    return f"{seconds / 86400:.1f}天"
