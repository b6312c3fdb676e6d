"""Grading a target against its observations (pure, no Django).

The rules follow the national energy "double control" barometer (晴雨表) and are written in
``docs/grading.md``; the interface shows the same sentences this module returns as ``reason``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from carbonpeak.core.text import gettext_noop


class Grade(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    UNGRADED = "ungraded"

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]

    @property
    def rank(self) -> int:
        """Higher is better; ungraded sits outside the order."""
        return {Grade.RED: 0, Grade.YELLOW: 1, Grade.GREEN: 2, Grade.UNGRADED: -1}[self]


GRADE_LABELS = {  # shown in the reader's language where a page shows them (gettext_noop marks them)
    Grade.GREEN: gettext_noop("基本顺利"),
    Grade.YELLOW: gettext_noop("比较严峻"),
    Grade.RED: gettext_noop("十分严峻"),
    Grade.UNGRADED: gettext_noop("未评估"),
}


class DataState(StrEnum):
    ON_TIME = "on_time"
    OVERDUE = "overdue"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return {
            DataState.ON_TIME: gettext_noop("按时"),
            DataState.OVERDUE: gettext_noop("逾期"),
            DataState.MISSING: gettext_noop("缺失"),
        }[self]


class Rule(StrEnum):
    INTENSITY = "intensity"  # lower is better, graded on the change on the same period last year
    LEVEL = "level"  # a level to reach by the target year, graded against the linear path
    CUMULATIVE = "cumulative"  # a count that accumulates from zero at the baseline
    PEAK = "peak"  # graded from the projection's probability once it exists
    DIRECTION = "direction"  # 持续提升 / 持续下降
    CAP = "cap"  # a total handed down for a year (能源消费总量, 化石能源消费总量, 二氧化碳排放总量): not above it
    NONE = "none"  # standing rules and targets without a value


RULE_LABELS = {
    Rule.INTENSITY: gettext_noop("强度目标：比上年同期的降幅"),
    Rule.LEVEL: gettext_noop("数量目标：基期至目标年的线性进度"),
    Rule.CUMULATIVE: gettext_noop("累计目标：自基期零起的线性进度"),
    Rule.PEAK: gettext_noop("达峰目标：依据达峰预测"),
    Rule.DIRECTION: gettext_noop("方向性目标：与上年同期相比的走向"),
    Rule.CAP: gettext_noop("总量目标：不超过上级下达的当年总量（季度按累计季度数分摊）"),
    Rule.NONE: gettext_noop("不作进度评估"),
}
TOLERANCE = 0.10  # behind the path by no more than 10 % of the target value is yellow
# said beside every rule the national barometer (晴雨表) does not give: the 10 % band on progress targets, the
# peak-probability thresholds, flat = yellow for direction targets (shared/reference/README.md)
PLATFORM_RULE = "本平台规则"


@dataclass(frozen=True, order=True)
class Point:
    """An observation: the value for the year up to ``quarter`` (4 = the whole year)."""

    year: int
    quarter: int
    value: float

    @property
    def position(self) -> float:
        return self.year - 1 + self.quarter / 4

    @property
    def label(self) -> str:
        return f"{self.year}年" if self.quarter == 4 else f"{self.year}年1–{self.quarter * 3}月"


@dataclass(frozen=True)
class GradingTarget:
    rule: Rule
    higher_is_better: bool = True
    target_year: int | None = None
    target_value: float | None = None  # the level; for INTENSITY the required reduction in % on the baseline
    baseline_year: int | None = None
    baseline_value: float | None = None
    unit: str = ""
    peak_probability: float | None = None  # P(peak by the target year), from the projection
    # CAP: each quarter's share of the year (a carbon budget's seasonal split); None: quarters/4
    quarter_shares: tuple[float, float, float, float] | None = None
    quarter_basis: str = ""  # the words for how the shares were set
    cap_noun: str = "下达"  # what the CAP total is called: 下达 (handed down) or 碳预算 (a budget)

    def required_annual_rate(self) -> float | None:
        """INTENSITY: the equal yearly fall that reaches the reduction by the target year."""
        if self.rule != Rule.INTENSITY or None in (self.target_value, self.target_year, self.baseline_year):
            return None
        years = self.target_year - self.baseline_year
        if years <= 0:
            return None
        return 1 - (1 - self.target_value / 100) ** (1 / years)


@dataclass(frozen=True)
class Assessment:
    grade: Grade
    value: float | None
    expected: float | None
    period: str
    reason: str

    def to_dict(self) -> dict:
        return {
            "grade": self.grade.value,
            "grade_label": self.grade.label,
            "value": self.value,
            "expected": self.expected,
            "period": self.period,
            "reason": self.reason,
        }


def _fmt(value: float, unit: str = "") -> str:
    text = f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{text}{unit}" if unit in ("%", "") else f"{text} {unit}"


def expected_at(target: GradingTarget, year: int, quarter: int = 4) -> float | None:
    """The value the path expects by the end of ``quarter`` of ``year``."""
    if None in (target.baseline_year, target.baseline_value, target.target_year):
        return None
    position = year - 1 + quarter / 4
    start, end = float(target.baseline_year), float(target.target_year)
    if target.rule == Rule.INTENSITY:
        rate = target.required_annual_rate()
        if rate is None:
            return None
        return target.baseline_value * (1 - rate) ** min(max(position - start, 0.0), end - start)
    if target.rule not in (Rule.LEVEL, Rule.CUMULATIVE) or target.target_value is None:
        return None
    if end <= start:
        return target.target_value
    share = min(max((position - start) / (end - start), 0.0), 1.0)
    return target.baseline_value + (target.target_value - target.baseline_value) * share


def latest(points: list[Point], as_of: tuple[int, int] | None = None) -> Point | None:
    eligible = [p for p in points if as_of is None or (p.year, p.quarter) <= as_of]
    return max(eligible, default=None)


def grade_changed(previous: str | None, new: str) -> bool:
    """Does a move from ``previous`` to ``new`` raise a warning? Only a move between two grades does: a first
    grade, a grade after 未评估 and a fall to 未评估 (the data are then missing or overdue, which warn on their
    own) do not (本平台规则, the same for targets, budgets and meters)."""
    return previous is not None and Grade.UNGRADED not in (previous, new) and previous != new


def grade(target: GradingTarget, points: list[Point], as_of: tuple[int, int] | None = None) -> Assessment:
    """Grade the latest observation up to ``as_of`` (year, quarter)."""
    if target.rule == Rule.PEAK:
        return _grade_peak(target)
    if target.rule == Rule.NONE:
        return Assessment(Grade.UNGRADED, None, None, "", "常设规则或未给出目标值，不作进度评估")
    point = latest(points, as_of)
    if point is None:
        return Assessment(Grade.UNGRADED, None, None, "", "尚无数据，无法评估")
    if target.rule == Rule.INTENSITY:
        return _grade_intensity(target, point, points)
    if target.rule == Rule.DIRECTION:
        return _grade_direction(target, point, points)
    if target.rule == Rule.CAP:
        return _grade_cap(target, point)
    return _grade_level(target, point)


def _grade_cap(target: GradingTarget, point: Point) -> Assessment:
    """A total handed down for one year: the year's value against it; a year-to-date value against the share
    of the quarters elapsed (quarters/4, 本平台规则); over by up to 10 % of the allowance yellow (本平台规则)."""
    unit = target.unit
    if target.target_value is None or target.target_year is None:
        return Assessment(
            Grade.UNGRADED, point.value, None, point.label, f"{target.cap_noun}总量未录入，不作评估"
        )
    if point.year != target.target_year:
        return Assessment(
            Grade.UNGRADED,
            point.value,
            None,
            point.label,
            f"{target.cap_noun}的是{target.target_year}年总量 {_fmt(target.target_value, unit)}，"
            f"{target.target_year}年数据尚无（最新为{point.label}）",
        )
    if target.quarter_shares is None:
        allowance = target.target_value * point.quarter / 4
        share = "" if point.quarter == 4 else f"（按{point.quarter}/4分摊：{PLATFORM_RULE}）"
    else:
        fraction = sum(target.quarter_shares[: point.quarter])
        allowance = target.target_value * fraction
        share = (
            ""
            if point.quarter == 4
            else f"（{target.quarter_basis}：前{point.quarter}季度占 {fraction:.1%}）"
        )
    words = (
        f"{point.label} {_fmt(point.value, unit)}，{target.cap_noun}{target.target_year}年总量 "
        f"{_fmt(target.target_value, unit)}，同期可用 {_fmt(allowance, unit)}{share}"
    )
    over = point.value - allowance
    if over <= 1e-9 * max(1.0, abs(allowance)):
        return Assessment(Grade.GREEN, point.value, allowance, point.label, f"{words}，未超出")
    grade = Grade.YELLOW if over <= TOLERANCE * allowance else Grade.RED
    band = "未超过" if grade == Grade.YELLOW else "超过"
    return Assessment(
        grade,
        point.value,
        allowance,
        point.label,
        f"{words}，超出 {_fmt(over, unit)}，{band}可用量的10%（{PLATFORM_RULE}）",
    )


def grade_progress(
    target: GradingTarget, points: list[Point], as_of: tuple[int, int] | None = None
) -> Assessment | None:
    """The second line of an intensity target: the cumulative change of the latest full year on the base year
    against the progress the five-year reduction requires by then (−14.5 % on 2020 by 2025 → about −9.0 % by
    2023), graded as the barometer grades: rose on the base year red, fell by less than required yellow."""
    rate = target.required_annual_rate()
    if target.rule != Rule.INTENSITY or rate is None or not target.baseline_value:
        return None
    years = [p for p in points if p.quarter == 4 and p.year > target.baseline_year]
    point = latest(years, as_of)
    if point is None:
        return None
    elapsed = min(point.year, target.target_year) - target.baseline_year
    required = 1 - (1 - rate) ** elapsed  # the cumulative fall due by then
    change = point.value / target.baseline_value - 1
    words = (
        f"累计：{point.year}年比{target.baseline_year}年{'上升' if change > 0 else '下降'} {abs(change):.1%}，"
        f"进度要求下降 {required:.1%}（{target.target_year}年下降 {target.target_value:g}%）"
    )
    expected = target.baseline_value * (1 - required)
    if change > 0:
        return Assessment(Grade.RED, point.value, expected, point.label, f"{words}，不降反升")
    if -change < required - 1e-12:
        return Assessment(Grade.YELLOW, point.value, expected, point.label, f"{words}，慢于进度")
    return Assessment(Grade.GREEN, point.value, expected, point.label, f"{words}，达到进度")


def _grade_peak(target: GradingTarget) -> Assessment:
    if target.peak_probability is None:
        return Assessment(Grade.UNGRADED, None, None, "", "达峰目标依据达峰预测评估；预测尚未运行，暂未评估")
    p = target.peak_probability
    g = Grade.GREEN if p >= 0.8 else Grade.YELLOW if p >= 0.5 else Grade.RED
    return Assessment(
        g,
        p,
        None,
        "",
        f"规划情景下{target.target_year}年前达峰的概率为 {p:.1%}（不低于80%基本顺利、50%–80%比较严峻、低于50%十分严峻：{PLATFORM_RULE}）",
    )


def _grade_intensity(target: GradingTarget, point: Point, points: list[Point]) -> Assessment:
    rate = target.required_annual_rate()
    expected = expected_at(target, point.year, point.quarter)
    previous = next((p for p in points if (p.year, p.quarter) == (point.year - 1, point.quarter)), None)
    if previous is None or not previous.value:
        return Assessment(
            Grade.UNGRADED, point.value, expected, point.label, f"{point.label}缺少上年同期数据，无法计算降幅"
        )
    change = point.value / previous.value - 1
    moved = f"{point.label}比上年同期{'上升' if change > 0 else '下降'} {abs(change):.1%}"
    if change > 0:
        return Assessment(Grade.RED, point.value, expected, point.label, f"{moved}，强度不降反升")
    if rate is None:
        return Assessment(
            Grade.GREEN, point.value, expected, point.label, f"{moved}（上级下达的目标值未录入，只判断升降）"
        )
    if -change < rate:
        return Assessment(
            Grade.YELLOW, point.value, expected, point.label, f"{moved}，低于年均应降 {rate:.1%}"
        )
    return Assessment(Grade.GREEN, point.value, expected, point.label, f"{moved}，达到年均应降 {rate:.1%}")


def _grade_direction(target: GradingTarget, point: Point, points: list[Point]) -> Assessment:
    previous = next((p for p in points if (p.year, p.quarter) == (point.year - 1, point.quarter)), None)
    if previous is None:
        return Assessment(
            Grade.UNGRADED, point.value, None, point.label, f"{point.label}缺少上年同期数据，无法判断走向"
        )
    change = point.value - previous.value
    wanted = "提升" if target.higher_is_better else "下降"
    words = f"{point.label} {_fmt(point.value, target.unit)}，上年同期 {_fmt(previous.value, target.unit)}"
    if change == 0:
        return Assessment(
            Grade.YELLOW,
            point.value,
            previous.value,
            point.label,
            f"{words}，持平，目标为持续{wanted}（持平记为比较严峻：{PLATFORM_RULE}）",
        )
    right_way = (change > 0) == target.higher_is_better
    if right_way:
        return Assessment(Grade.GREEN, point.value, previous.value, point.label, f"{words}，持续{wanted}")
    return Assessment(
        Grade.RED, point.value, previous.value, point.label, f"{words}，与持续{wanted}的目标相反"
    )


def _grade_level(target: GradingTarget, point: Point) -> Assessment:
    expected = expected_at(target, point.year, point.quarter)
    unit = target.unit
    if expected is None or target.target_value is None:
        return Assessment(
            Grade.UNGRADED,
            point.value,
            None,
            point.label,
            f"{point.label} {_fmt(point.value, unit)}；缺少基期值，无法计算进度",
        )
    gap = point.value - expected if target.higher_is_better else expected - point.value
    words = f"{point.label} {_fmt(point.value, unit)}，进度要求 {_fmt(expected, unit)}（{target.target_year}年目标 {_fmt(target.target_value, unit)}）"
    if gap >= -1e-9 * max(1.0, abs(expected)):
        return Assessment(Grade.GREEN, point.value, expected, point.label, f"{words}，达到或快于进度")
    allowed = TOLERANCE * abs(target.target_value)
    behind = f"落后 {_fmt(-gap, unit)}"
    if -gap <= allowed:
        return Assessment(
            Grade.YELLOW,
            point.value,
            expected,
            point.label,
            f"{words}，{behind}，未超过目标值的10%（{PLATFORM_RULE}）",
        )
    return Assessment(
        Grade.RED,
        point.value,
        expected,
        point.label,
        f"{words}，{behind}，超过目标值的10%（{PLATFORM_RULE}）",
    )


def data_state(points: list[Point], due: tuple[int, int] | None) -> DataState:
    """按时 when the latest period already due has a value; 逾期 when it has not; 缺失 when nothing ever came."""
    if not points:
        return DataState.MISSING
    if due is None:
        return DataState.ON_TIME
    return DataState.ON_TIME if any((p.year, p.quarter) >= due for p in points) else DataState.OVERDUE


def latest_due_period(
    today_year: int, today_month: int, today_day: int, *, quarterly: bool, due_days: int = 30
) -> tuple[int, int]:
    """The most recent period whose reporting deadline (period end + ``due_days``) has passed."""
    today = dt.date(today_year, today_month, today_day)
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(12):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        if not quarterly and quarter != 4:
            continue
        end = dt.date(year, quarter * 3, calendar.monthrange(year, quarter * 3)[1])
        if end + dt.timedelta(days=due_days) <= today:
            return year, quarter
    return year, quarter
