"""The indicators the platform knows how to compute from the accounting, and how a target maps to a rule (pure).

Everything else a plan names is a reported indicator, owned by the department that leads the task the
target belongs to. The importer proposes these links; the coordinator confirms or corrects them.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbonpeak.monitoring.grading import PLATFORM_RULE, Rule


@dataclass(frozen=True)
class ComputedIndicator:
    code: str
    name: str
    names: tuple[str, ...]  # how plans name it
    unit: str
    higher_is_better: bool
    field: str  # how the value is read from an accounting result (see value_from_account)


COMPUTED = (
    ComputedIndicator(
        "non_fossil_share", "非化石能源消费比重", ("非化石能源消费比重",), "%", True, "non_fossil_share"
    ),
    ComputedIndicator("coal_share", "煤炭消费比重", ("煤炭消费比重",), "%", False, "coal_share"),
    ComputedIndicator(
        "energy_intensity",
        "单位地区生产总值能耗",
        ("单位地区生产总值能耗", "单位地区生产总值能源消耗", "能耗强度"),
        "吨标准煤/万元",
        False,
        "energy_intensity_tce_per_10k_yuan",
    ),
    ComputedIndicator(
        "carbon_intensity",
        "单位地区生产总值二氧化碳排放",
        ("单位地区生产总值二氧化碳排放", "碳排放强度"),
        "吨二氧化碳/万元",
        False,
        "carbon_intensity_t_per_10k_yuan",
    ),
    ComputedIndicator(
        "co2_total", "二氧化碳排放量", ("二氧化碳排放量", "二氧化碳排放总量"), "万吨", False, "co2_t"
    ),
    ComputedIndicator(
        "energy_total",
        "能源消费总量",
        ("能源消费总量", "能耗总量", "能源消费总量（考核）"),
        "万吨标准煤",
        False,
        "energy_tce_assessed",  # 等价值 less non-fossil (113号) and 原料用能 (803号): what total control counts
    ),
    ComputedIndicator(
        "fossil_total",
        "化石能源消费总量",
        ("化石能源消费总量", "化石能源消费量"),
        "万吨标准煤",
        False,
        "fossil_tce",  # 等价值 less non-fossil energy (113号: 重点控制化石能源消费)
    ),
    ComputedIndicator(
        "refined_oil", "成品油消费量", ("成品油消费", "成品油消费量"), "万吨", False, "refined_oil"
    ),
)
COMPUTED_BY_NAME = {name: c for c in COMPUTED for name in c.names}
# reported indicators the sinks' land data can compute (sinks.selectors.land_points): where a year has the
# land data, its computed value grades and the department's value stands beside it for comparison
LAND_COMPUTED = {"湿地保护率": "wetland_protection"}


def land_field_for(indicator: str) -> str:
    """The land computation for a plan's indicator name (全市湿地保护率 → wetland_protection), or ''."""
    return next((field for name, field in LAND_COMPUTED.items() if name in indicator), "")


REFINED_OIL = ("汽油", "煤油", "柴油")
COUNT_UNITS = ("个", "家", "座", "项", "辆", "台")
TOTALS = ("energy_total", "fossil_total", "co2_total")  # graded as a cap when handed down (下达)


def value_from_account(field: str, data: dict) -> float | None:
    """The indicator's value from an accounting result's ``data``, in the indicator's unit."""
    if field == "refined_oil":
        tonnes = [data["by_fuel"][f]["quantity"] for f in REFINED_OIL if f in data["by_fuel"]]
        return sum(tonnes) / 1e4 if tonnes else None
    value = data.get(field)
    if value is None:
        return None
    if field in ("non_fossil_share", "coal_share"):
        return value * 100
    if field in ("co2_t", "energy_tce_assessed", "fossil_tce"):
        return value / 1e4
    return value


def rule_for(kind: str, comparator: str, indicator: str, unit: str) -> Rule:
    """The grading rule a target's kind and comparator call for."""
    computed = COMPUTED_BY_NAME.get(indicator)
    if kind == "peak":
        return Rule.PEAK
    if kind == "rule":
        return Rule.NONE
    if kind == "direction":
        return Rule.DIRECTION
    if computed is not None and computed.code in ("energy_intensity", "carbon_intensity"):
        return Rule.INTENSITY
    if computed is not None and computed.code in TOTALS and comparator in ("<=", "<", "external"):
        return Rule.CAP
    if kind == "external":
        return Rule.LEVEL
    if unit in COUNT_UNITS and comparator in ("=", ">=", ">"):
        return Rule.CUMULATIVE
    return Rule.LEVEL


def higher_is_better(comparator: str, indicator: str, value: float | None) -> bool:
    computed = COMPUTED_BY_NAME.get(indicator)
    if computed is not None:
        return computed.higher_is_better
    if comparator in ("<=", "<", "decrease"):
        return False
    return not (comparator == "=" and value == 0)


MAX_MAGNITUDE = 1e12  # no indicator of a city reaches it in any unit: beyond, a typing error
FIRST_YEAR = 2015  # values before the plans' base year (2020) and its five-year lead-in are not reported here


def implausible(unit: str, value: float, year: int, quarter: int, today: tuple[int, int]) -> str | None:
    """Why a reported value cannot be right, in Chinese (None when it can): the unit implies its bounds — a
    share in [0, 100] %, a count a non-negative whole number, every level non-negative and finite — and the
    period lies between 2015 and the current quarter (bounds: 本平台规则)."""
    if value != value or value in (float("inf"), float("-inf")) or abs(value) > MAX_MAGNITUDE:
        return f"数值 {value!r} 不是有效数值"
    if not (FIRST_YEAR, 1) <= (year, quarter) <= today:
        return f"报告期须在 {FIRST_YEAR} 年至本季度（{today[0]}年第{today[1]}季度）之间（{PLATFORM_RULE}）"
    if unit.strip() == "%" and not 0 <= value <= 100:
        return f"百分比须在 0–100 之间，填的是 {value:g}（{PLATFORM_RULE}）"
    if unit.strip() in COUNT_UNITS and (value < 0 or value != int(value)):
        return f"以“{unit}”计的数量须为非负整数，填的是 {value:g}（{PLATFORM_RULE}）"
    if value < 0:
        return f"数值不能为负（{value:g} {unit}）（{PLATFORM_RULE}）"
    return None


def jump(value: float, previous: float | None, threshold: float) -> str | None:
    """A change on the previous approved value large enough that the reviewer should look (not refused)."""
    if previous is None or not previous:
        return None
    change = value / previous - 1
    if abs(change) <= threshold:
        return None
    return f"比上期已审核值 {previous:g} {'增加' if change > 0 else '减少'} {abs(change):.0%}，超过 {threshold:.0%}，请核实"
