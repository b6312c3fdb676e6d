"""Uncertain inputs (assumptions with their distribution and source), the plan's measures as levers, scenarios, and the seeded streams they are drawn from."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace

import numpy as np

from carbonpeak.core.text import Message, gettext_noop

from .pipeline import Pipeline
from .shapes import Z90, ProjectionError

# ------------------------------------------------------------------ assumptions and scenarios

DISTRIBUTIONS = {
    "fixed": gettext_noop("定值"),
    "uniform": gettext_noop("均匀分布"),
    "triangular": gettext_noop("三角分布"),
    "normal": gettext_noop("正态分布（P10–P90）"),
    "bernoulli": gettext_noop("0/1（给定概率）"),
    "history": gettext_noop("按核算历史校准"),
}

#: an assumption's three numbers as the edit form names them
BOUND_NAMES = {"low": gettext_noop("下限"), "mode": gettext_noop("取值"), "high": gettext_noop("上限")}


@dataclass(frozen=True)
class Assumption:
    """One model input: a distribution over its value and where that value comes from.

    ``low``/``mode``/``high`` mean: fixed → mode; uniform → low..high; triangular → low, mode, high;
    normal → mode is the mean, low/high the P10/P90; bernoulli → mode is the probability of 1.
    """

    key: str
    label: str
    unit: str
    distribution: str
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if self.distribution not in DISTRIBUTIONS:
            raise ProjectionError(
                Message(
                    gettext_noop("假设“%(label)s”的分布“%(distribution)s”未知"),
                    label=Message(self.label),
                    distribution=self.distribution,
                )
            )
        need = {
            "history": (),
            "fixed": ("mode",),
            "uniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
            "normal": ("low", "mode", "high"),
            "bernoulli": ("mode",),
        }[self.distribution]
        for name in need:
            if getattr(self, name) is None:
                raise ProjectionError(
                    Message(
                        gettext_noop("假设“%(label)s”（%(distribution)s）缺少%(which)s值"),
                        label=Message(self.label),
                        distribution=Message(DISTRIBUTIONS[self.distribution]),
                        which=Message(BOUND_NAMES[name]),
                    )
                )
        lo, hi = self.low, self.high
        if lo is not None and hi is not None and lo > hi:
            raise ProjectionError(
                Message(
                    gettext_noop("假设“%(label)s”的下限 %(low)s 大于上限 %(high)s"),
                    label=Message(self.label),
                    low=f"{lo:g}",
                    high=f"{hi:g}",
                )
            )
        if self.distribution == "triangular" and not (lo <= self.mode <= hi):  # type: ignore[operator]
            raise ProjectionError(
                Message(gettext_noop("假设“%(label)s”的众数须在下限与上限之间"), label=Message(self.label))
            )
        if self.distribution == "bernoulli" and not 0 <= self.mode <= 1:  # type: ignore[operator]
            raise ProjectionError(
                Message(gettext_noop("假设“%(label)s”的概率须在0与1之间"), label=Message(self.label))
            )

    @property
    def central(self) -> float:
        if self.distribution == "uniform":
            return (self.low + self.high) / 2  # type: ignore[operator]
        return float(self.mode)  # type: ignore[arg-type]

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n values from this assumption's own generator (see ``stream``)."""
        if self.distribution == "fixed":
            return np.full(n, float(self.mode))  # type: ignore[arg-type]
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, n)  # type: ignore[arg-type]
        if self.distribution == "bernoulli":
            return (rng.random(n) < self.mode).astype(float)
        if self.distribution == "triangular":
            if self.low == self.high:
                return np.full(n, float(self.low))  # type: ignore[arg-type]
            return rng.triangular(self.low, self.mode, self.high, n)  # type: ignore[arg-type]
        sigma = (self.high - self.low) / (2 * Z90)  # type: ignore[operator]
        return self.mode + sigma * rng.standard_normal(n)

    def describe(self) -> Message:
        def n(value: float | None) -> str:
            return f"{value:.4g}" if value is not None else "—"

        if self.distribution == "history":
            return Message(DISTRIBUTIONS["history"])
        if self.distribution == "fixed":
            return Message("%(value)s", value=n(self.mode))
        if self.distribution == "uniform":
            return Message("%(low)s–%(high)s", low=n(self.low), high=n(self.high))
        if self.distribution == "bernoulli":
            return Message(gettext_noop("概率 %(value)s"), value=n(self.mode))
        if self.distribution == "normal":
            return Message(
                gettext_noop("%(mean)s（P10 %(low)s，P90 %(high)s）"),
                mean=n(self.mode),
                low=n(self.low),
                high=n(self.high),
            )
        return Message(
            gettext_noop("%(low)s–%(high)s，最可能 %(mode)s"),
            low=n(self.low),
            high=n(self.high),
            mode=n(self.mode),
        )


@dataclass(frozen=True)
class Lever:
    key: str  # lever.<key> switches it
    label: str
    parameters: tuple[str, ...]  # the assumptions it reads


LEVERS: tuple[Lever, ...] = (
    Lever("pv", gettext_noop("光伏装机"), ("pv.target_mw", "pv.target_year")),
    Lever(
        "fleets",
        gettext_noop("公交、出租及公共领域车辆电动化"),
        (
            "fleet.bus_target",
            "fleet.bus_target_year",
            "fleet.taxi_target",
            "fleet.taxi_target_year",
            "fleet.public_target",
        ),
    ),
    Lever(
        "buildings",
        gettext_noop("城镇建筑可再生能源替代"),
        ("buildings.renewable_target", "buildings.renewable_target_year"),
    ),
    Lever("datacentre", gettext_noop("新建数据中心能效（PUE）"), ("dc.pue_target",)),
    Lever("oil_peak", gettext_noop("成品油消费达峰"), ("oil.peak_year",)),
    Lever("industry", gettext_noop("重点行业能效提升"), ("industry.extra_efficiency",)),
    Lever("coal_shift", gettext_noop("工业燃煤压减（煤改气）"), ("coal.shift_rate",)),
)
LEVER_BY_KEY = {lever.key: lever for lever in LEVERS}


def stream(seed: int, key: str) -> np.random.Generator:
    """Each input has its own generator derived from the seed and its name: a run with a lever switched
    off, or with another input's distribution edited, shares every other draw (common random numbers)."""
    return np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])


DRAWN = (
    "power.new_coal_probability",
    "fleet.bus_base",
    "pv.hours",
    "pv.annual_addition_mw",
    "fleet.taxi_base",
    "fleet.public_base",
    "fleet.turnover",
    "fleet.bus_oil_share",
    "fleet.taxi_oil_share",
    "fleet.public_oil_share",
    "ev.energy_ratio",
    "buildings.renewable_base",
    "dc.pue_base",
    "dc.share",
    "industry.extra_efficiency",
    "coal.shift_rate",
    "grid.change",
    "power.coal_change",
)
FIXED = (
    "power.existing_coal_mw",
    "power.new_coal_mw",
    "power.new_coal_year",
    "pv.target_mw",
    "pv.target_year",
    "fleet.bus_target",
    "fleet.bus_target_year",
    "fleet.taxi_target",
    "fleet.taxi_target_year",
    "fleet.public_target",
    "buildings.renewable_target",
    "buildings.renewable_target_year",
    "dc.pue_target",
    "oil.peak_year",
)
#: an existing unit leaving service, as the coordinator entered it: ``power.retire.<n>.mw`` (its capacity),
#: ``.year`` (from which it no longer runs) and ``.probability`` (drawn: 1 confirmed, 0 cancelled)
RETIREMENT = "power.retire."


def retirements(keys) -> list[str]:
    """The retirement events among a scenario's assumptions (or fixed values), as their key prefixes."""
    return sorted({k[: k.rindex(".")] for k in keys if k.startswith(RETIREMENT) and k.endswith(".mw")})


TREND_SE_SCALE = "trend.se_scale"
PERSISTENCE = "gdp.persistence"  # AR(1) coefficient of the GDP growth shock
CORRELATION = "elasticity.correlation"  # share of the elasticities' variance that is common to all sectors


@dataclass
class Scenario:
    """A named set of assumptions; ``notes`` say what could not be resolved (e.g. a lever without target)."""

    name: str
    description: str
    assumptions: dict[str, Assumption]
    notes: list[str] = field(default_factory=list)
    pipeline: Pipeline | None = None  # the key projects in hand, sizing the measures it names

    def lever_on(self, key: str) -> bool:
        a = self.assumptions.get(f"lever.{key}")
        return a is not None and a.central >= 0.5

    def with_lever(self, key: str, on: bool) -> Scenario:
        a = self.assumptions[f"lever.{key}"]
        changed = dict(self.assumptions)
        changed[a.key] = replace(a, distribution="fixed", mode=1.0 if on else 0.0, low=None, high=None)
        return replace(self, assumptions=changed)
