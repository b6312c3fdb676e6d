"""Grading a target against its observations (pure, no Django).

The rules follow the national energy "double control" barometer (晴雨表) and are written in
``docs/grading.md``; the interface shows the same sentences this module returns as ``reason``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from carbonpeak.core.text import Message, gettext_noop


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
PLATFORM_RULE = gettext_noop("本平台规则")


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
        if self.quarter == 4:
            return Message(gettext_noop("%(year)s年"), year=self.year)
        wording = {
            1: gettext_noop("%(year)s年1–3月"),
            2: gettext_noop("%(year)s年1–6月"),
            3: gettext_noop("%(year)s年1–9月"),
        }[self.quarter]
        return Message(wording, year=self.year)


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
    cap_noun: str = gettext_noop(
        "下达"
    )  # what the CAP total is called: 下达 (handed down) or 碳预算 (a budget)

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
    if unit in ("%", ""):
        return f"{text}{unit}"
    return Message(gettext_noop("%(number)s %(unit)s"), number=text, unit=Message(unit))


def _said(wording: str, **values: object) -> Message:
    """A reason: ``wording`` (marked for the catalogue) with its values, said in each reader's language."""
    return Message(wording, **values)


RULE = Message(PLATFORM_RULE)


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
        return Assessment(
            Grade.UNGRADED, None, None, "", _said(gettext_noop("常设规则或未给出目标值，不作进度评估"))
        )
    point = latest(points, as_of)
    if point is None:
        return Assessment(Grade.UNGRADED, None, None, "", _said(gettext_noop("尚无数据，无法评估")))
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
            Grade.UNGRADED,
            point.value,
            None,
            point.label,
            _said(gettext_noop("%(noun)s总量未录入，不作评估"), noun=Message(target.cap_noun)),
        )
    if point.year != target.target_year:
        return Assessment(
            Grade.UNGRADED,
            point.value,
            None,
            point.label,
            _said(
                gettext_noop("%(noun)s的是%(year)s年总量 %(total)s，%(year)s年数据尚无（最新为%(latest)s）"),
                noun=Message(target.cap_noun),
                year=target.target_year,
                total=_fmt(target.target_value, unit),
                latest=point.label,
            ),
        )
    if target.quarter_shares is None:
        allowance = target.target_value * point.quarter / 4
        share = (
            ""
            if point.quarter == 4
            else _said(gettext_noop("（按%(quarter)s/4分摊：%(rule)s）"), quarter=point.quarter, rule=RULE)
        )
    else:
        fraction = sum(target.quarter_shares[: point.quarter])
        allowance = target.target_value * fraction
        share = (
            ""
            if point.quarter == 4
            else _said(
                gettext_noop("（%(basis)s：前%(quarter)s季度占 %(share)s）"),
                basis=target.quarter_basis,
                quarter=point.quarter,
                share=f"{fraction:.1%}",
            )
        )
    words = _said(
        gettext_noop(
            "%(period)s %(value)s，%(noun)s%(year)s年总量 %(total)s，同期可用 %(allowance)s%(share)s"
        ),
        period=point.label,
        value=_fmt(point.value, unit),
        noun=Message(target.cap_noun),
        year=target.target_year,
        total=_fmt(target.target_value, unit),
        allowance=_fmt(allowance, unit),
        share=share,
    )
    over = point.value - allowance
    if over <= 1e-9 * max(1.0, abs(allowance)):
        return Assessment(
            Grade.GREEN,
            point.value,
            allowance,
            point.label,
            _said(gettext_noop("%(words)s，未超出"), words=words),
        )
    grade = Grade.YELLOW if over <= TOLERANCE * allowance else Grade.RED
    wording = (
        gettext_noop("%(words)s，超出 %(over)s，未超过可用量的10%%（%(rule)s）")
        if grade == Grade.YELLOW
        else gettext_noop("%(words)s，超出 %(over)s，超过可用量的10%%（%(rule)s）")
    )
    return Assessment(
        grade,
        point.value,
        allowance,
        point.label,
        _said(wording, words=words, over=_fmt(over, unit), rule=RULE),
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
    words = _said(
        gettext_noop(
            "累计：%(year)s年比%(base)s年上升 %(change)s，进度要求下降 %(required)s（%(target_year)s年下降 %(target)s%%）"
        )
        if change > 0
        else gettext_noop(
            "累计：%(year)s年比%(base)s年下降 %(change)s，进度要求下降 %(required)s（%(target_year)s年下降 %(target)s%%）"
        ),
        year=point.year,
        base=target.baseline_year,
        change=f"{abs(change):.1%}",
        required=f"{required:.1%}",
        target_year=target.target_year,
        target=f"{target.target_value:g}",
    )
    expected = target.baseline_value * (1 - required)
    if change > 0:
        return Assessment(
            Grade.RED,
            point.value,
            expected,
            point.label,
            _said(gettext_noop("%(words)s，不降反升"), words=words),
        )
    if -change < required - 1e-12:
        return Assessment(
            Grade.YELLOW,
            point.value,
            expected,
            point.label,
            _said(gettext_noop("%(words)s，慢于进度"), words=words),
        )
    return Assessment(
        Grade.GREEN,
        point.value,
        expected,
        point.label,
        _said(gettext_noop("%(words)s，达到进度"), words=words),
    )


def _grade_peak(target: GradingTarget) -> Assessment:
    if target.peak_probability is None:
        return Assessment(
            Grade.UNGRADED,
            None,
            None,
            "",
            _said(gettext_noop("达峰目标依据达峰预测评估；预测尚未运行，暂未评估")),
        )
    p = target.peak_probability
    g = Grade.GREEN if p >= 0.8 else Grade.YELLOW if p >= 0.5 else Grade.RED
    return Assessment(
        g,
        p,
        None,
        "",
        _said(
            gettext_noop(
                "规划情景下%(year)s年前达峰的概率为 %(p)s（不低于80%%基本顺利、50%%–80%%比较严峻、低于50%%十分严峻：%(rule)s）"
            ),
            year=target.target_year,
            p=f"{p:.1%}",
            rule=RULE,
        ),
    )


def _grade_intensity(target: GradingTarget, point: Point, points: list[Point]) -> Assessment:
    rate = target.required_annual_rate()
    expected = expected_at(target, point.year, point.quarter)
    previous = next((p for p in points if (p.year, p.quarter) == (point.year - 1, point.quarter)), None)
    if previous is None or not previous.value:
        return Assessment(
            Grade.UNGRADED,
            point.value,
            expected,
            point.label,
            _said(gettext_noop("%(period)s缺少上年同期数据，无法计算降幅"), period=point.label),
        )
    change = point.value / previous.value - 1
    moved = _said(
        gettext_noop("%(period)s比上年同期上升 %(change)s")
        if change > 0
        else gettext_noop("%(period)s比上年同期下降 %(change)s"),
        period=point.label,
        change=f"{abs(change):.1%}",
    )
    if change > 0:
        return Assessment(
            Grade.RED,
            point.value,
            expected,
            point.label,
            _said(gettext_noop("%(moved)s，强度不降反升"), moved=moved),
        )
    if rate is None:
        return Assessment(
            Grade.GREEN,
            point.value,
            expected,
            point.label,
            _said(gettext_noop("%(moved)s（上级下达的目标值未录入，只判断升降）"), moved=moved),
        )
    if -change < rate:
        return Assessment(
            Grade.YELLOW,
            point.value,
            expected,
            point.label,
            _said(gettext_noop("%(moved)s，低于年均应降 %(rate)s"), moved=moved, rate=f"{rate:.1%}"),
        )
    return Assessment(
        Grade.GREEN,
        point.value,
        expected,
        point.label,
        _said(gettext_noop("%(moved)s，达到年均应降 %(rate)s"), moved=moved, rate=f"{rate:.1%}"),
    )


def _grade_direction(target: GradingTarget, point: Point, points: list[Point]) -> Assessment:
    previous = next((p for p in points if (p.year, p.quarter) == (point.year - 1, point.quarter)), None)
    if previous is None:
        return Assessment(
            Grade.UNGRADED,
            point.value,
            None,
            point.label,
            _said(gettext_noop("%(period)s缺少上年同期数据，无法判断走向"), period=point.label),
        )
    change = point.value - previous.value
    up = target.higher_is_better
    words = _said(
        gettext_noop("%(period)s %(value)s，上年同期 %(previous)s"),
        period=point.label,
        value=_fmt(point.value, target.unit),
        previous=_fmt(previous.value, target.unit),
    )
    if change == 0:
        wording = (
            gettext_noop("%(words)s，持平，目标为持续提升（持平记为比较严峻：%(rule)s）")
            if up
            else gettext_noop("%(words)s，持平，目标为持续下降（持平记为比较严峻：%(rule)s）")
        )
        return Assessment(
            Grade.YELLOW, point.value, previous.value, point.label, _said(wording, words=words, rule=RULE)
        )
    right_way = (change > 0) == target.higher_is_better
    if right_way:
        wording = gettext_noop("%(words)s，持续提升") if up else gettext_noop("%(words)s，持续下降")
        return Assessment(Grade.GREEN, point.value, previous.value, point.label, _said(wording, words=words))
    wording = (
        gettext_noop("%(words)s，与持续提升的目标相反")
        if up
        else gettext_noop("%(words)s，与持续下降的目标相反")
    )
    return Assessment(Grade.RED, point.value, previous.value, point.label, _said(wording, words=words))


def _grade_level(target: GradingTarget, point: Point) -> Assessment:
    expected = expected_at(target, point.year, point.quarter)
    unit = target.unit
    if expected is None or target.target_value is None:
        return Assessment(
            Grade.UNGRADED,
            point.value,
            None,
            point.label,
            _said(
                gettext_noop("%(period)s %(value)s；缺少基期值，无法计算进度"),
                period=point.label,
                value=_fmt(point.value, unit),
            ),
        )
    gap = point.value - expected if target.higher_is_better else expected - point.value
    words = _said(
        gettext_noop("%(period)s %(value)s，进度要求 %(expected)s（%(year)s年目标 %(target)s）"),
        period=point.label,
        value=_fmt(point.value, unit),
        expected=_fmt(expected, unit),
        year=target.target_year,
        target=_fmt(target.target_value, unit),
    )
    if gap >= -1e-9 * max(1.0, abs(expected)):
        return Assessment(
            Grade.GREEN,
            point.value,
            expected,
            point.label,
            _said(gettext_noop("%(words)s，达到或快于进度"), words=words),
        )
    allowed = TOLERANCE * abs(target.target_value)
    behind = _fmt(-gap, unit)
    if -gap <= allowed:
        return Assessment(
            Grade.YELLOW,
            point.value,
            expected,
            point.label,
            _said(
                gettext_noop("%(words)s，落后 %(behind)s，未超过目标值的10%%（%(rule)s）"),
                words=words,
                behind=behind,
                rule=RULE,
            ),
        )
    return Assessment(
        Grade.RED,
        point.value,
        expected,
        point.label,
        _said(
            gettext_noop("%(words)s，落后 %(behind)s，超过目标值的10%%（%(rule)s）"),
            words=words,
            behind=behind,
            rule=RULE,
        ),
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
