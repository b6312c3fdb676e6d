"""What a projection returns: quantiles, the peak-year distribution, P(peak ≤ 2030), each lever's effect."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from carbonpeak.core.text import Message, gettext_noop

from .levers import FIXED, Assumption, retirements
from .shapes import BOUNDARY_NAMES, PEAK_TOLERANCE, PLATEAU_WINDOW

# ------------------------------------------------------------------ the projection


@dataclass
class LeverEffect:
    key: str
    label: str
    active: bool
    reduction_2030_t: float  # median over draws of CO2 without the lever − with it, in the deadline year
    delta_probability: float  # the lever's Shapley share of P(all levers) − P(none): the shares add up
    note: str = ""
    delta_alone: float | None = None  # P with every lever − P with this one switched off (they do not add up)
    error: float | None = None  # the Shapley share's sampling error (one standard error)


@dataclass
class Projection:
    scenario: str
    description: str
    draws: int
    seed: int
    base_year: int
    end_year: int
    deadline: int
    history_years: tuple[int, ...]
    history_co2_t: list[float]
    history_refined_oil_t: list[float]
    years: tuple[int, ...]  # projected years
    co2_quantiles: dict[str, list[float]]  # p10/p50/p90 per projected year
    oil_quantiles: dict[str, list[float]]
    sector_p50_t: dict[str, list[float]]
    electricity_p50_t: list[float]
    p_peak_by_deadline: float
    peak_year_quantiles: dict[str, int | None]  # None: not peaked by the end year at that quantile
    peak_value_quantiles: dict[str, float]
    peak_year_histogram: dict[str, int]  # year or "未达峰"
    oil_peak_year: int | None
    p_oil_peak_by_target: float | None
    levers: list[LeverEffect]
    fit: dict
    assumptions: list[dict]
    notes: list[str]
    sample: bool
    boundary: str = "assessed"
    tolerance: float = PEAK_TOLERANCE
    p_plateau: float = 0.0
    by_boundary: dict = field(default_factory=dict)  # the other two boundaries' peak figures
    validation: dict | None = None
    events: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)  # unconfirmed events happening or not, each combination
    boundary_sentence: str = ""
    drivers: dict = field(default_factory=dict)  # boundary → the two assumptions that move its P most
    attribution: dict = field(default_factory=dict)  # how the levers' shares were computed, and their sum
    grading_sentence: str = ""
    measures: list[dict] = field(default_factory=list)  # each measure's source: projects or assumption

    def to_json(self) -> dict:
        """The CLI's and the API's shape: the issue's keys first, details after."""
        return {
            "scenario": self.scenario,
            "draws": self.draws,
            "seed": self.seed,
            "p_peak_by_2030": _round(self.p_peak_by_deadline, 4),
            "boundary": self.boundary,
            "boundary_label": Message(BOUNDARY_NAMES[self.boundary]),
            "peak_rule": {"tolerance": self.tolerance, "text": peak_rule(self.tolerance)},
            "p_plateau": _round(self.p_plateau, 4),
            "plateau_window": [self.deadline - PLATEAU_WINDOW, self.deadline + PLATEAU_WINDOW],
            "validation": self.validation,
            "events": self.events,
            "cases": self.cases,
            "boundaries": {
                b: {
                    "label": Message(BOUNDARY_NAMES[b]),
                    "p_peak_by_2030": _round(f["p_peak_by_deadline"], 4),
                    "p_plateau": _round(f["p_plateau"], 4),
                    "peak_year": f["peak_year"],
                    "trajectory": {
                        str(y): {q: _round(f["quantiles"][q][i], 0) for q in ("p10", "p50", "p90")}
                        for i, y in enumerate(self.years)
                    },
                    "history": {
                        str(y): _round(v, 0) for y, v in zip(self.history_years, f["history"], strict=True)
                    },
                }
                for b, f in self.by_boundary.items()
            },
            "boundary_sentence": self.boundary_sentence,
            "drivers": self.drivers,
            "attribution": self.attribution,
            "grading_sentence": self.grading_sentence,
            "peak_year": self.peak_year_quantiles,
            "peak_value_t": {k: _round(v, 0) for k, v in self.peak_value_quantiles.items()},
            "trajectory": {
                str(y): {q: _round(self.co2_quantiles[q][i], 0) for q in ("p10", "p50", "p90")}
                for i, y in enumerate(self.years)
            },
            "levers": {e.label: _round(e.reduction_2030_t, 0) for e in self.levers if e.active},
            "lever_details": [
                {
                    "key": e.key,
                    "label": Message(e.label),
                    "active": e.active,
                    "reduction_2030_t": _round(e.reduction_2030_t, 0),
                    "delta_p_peak_by_2030": _round(e.delta_probability, 4),
                    "delta_p_error": _round(e.error, 4),
                    "delta_p_switched_off": _round(e.delta_alone, 4),
                    "note": Message(e.note) if e.note else "",
                }
                for e in self.levers
            ],
            "base_year": self.base_year,
            "end_year": self.end_year,
            "history": {
                str(y): _round(v, 0) for y, v in zip(self.history_years, self.history_co2_t, strict=True)
            },
            "peak_year_histogram": self.peak_year_histogram,
            "refined_oil": {
                "peak_year_target": self.oil_peak_year,
                "p_peak_by_target": _round(self.p_oil_peak_by_target, 4),
                "trajectory_t": {
                    str(y): {q: _round(self.oil_quantiles[q][i], 0) for q in ("p10", "p50", "p90")}
                    for i, y in enumerate(self.years)
                },
            },
            "measures": self.measures,
            "fit": self.fit,
            "notes": self.notes,
            "sample": self.sample,
        }


def _round(value: float | None, digits: int) -> float | None:
    if value is None:
        return None
    out = round(float(value), digits)
    return int(out) if digits == 0 else out


def _peaks(
    history: np.ndarray, projected: np.ndarray, all_years: np.ndarray, tolerance: float = PEAK_TOLERANCE
) -> tuple[np.ndarray, np.ndarray]:
    """The robust peak rule, per draw: the peak year is the first year Y after which the path (history, then
    projection) never exceeds E(Y) by more than ``tolerance`` through the horizon; 0 where no year
    qualifies (the last year never does: nothing after it shows that it was a peak). A history year is a
    peak only if everything after it stays below it. Returns the peak year and E(Y) (the path's maximum
    where it has not peaked)."""
    full = np.concatenate([np.broadcast_to(history, (projected.shape[0], len(history))), projected], axis=1)
    later = np.maximum.accumulate(full[:, ::-1], axis=1)[:, ::-1]  # the maximum from each year to the end
    after = np.full_like(full, np.inf)
    after[:, :-1] = later[:, 1:]
    ok = after <= full + tolerance * np.abs(full) + 1e-9
    peaked = ok.any(axis=1)
    at = ok.argmax(axis=1)
    value = np.where(peaked, full[np.arange(full.shape[0]), at], full.max(axis=1))
    return np.where(peaked, all_years[at], 0), value


def _p_peak_by(
    history: np.ndarray,
    projected: np.ndarray,
    all_years: np.ndarray,
    year: int,
    tolerance: float = PEAK_TOLERANCE,
) -> float:
    peak_year, _ = _peaks(history, projected, all_years, tolerance)
    return float(((peak_year > 0) & (peak_year <= year)).mean())


def peak_rule(tolerance: float) -> Message:
    return Message(
        gettext_noop(
            "峰值年：此后各年（至预测终止年）排放均不超过该年排放的 %(ratio)s 倍的第一年（容差 %(tolerance)s，"
            "本平台规则）；预测终止年本身不算峰值；历史年份只有其后各年都不超过它才算峰值"
        ),
        ratio=f"{1 + tolerance:g}",
        tolerance=f"{tolerance:.0%}",
    )


def _fixed_values(assumptions: dict[str, Assumption]) -> dict[str, float]:
    fixed = {key: assumptions[key].central for key in FIXED}
    for prefix in retirements(assumptions):
        fixed[f"{prefix}.mw"] = assumptions[f"{prefix}.mw"].central
        fixed[f"{prefix}.year"] = assumptions[f"{prefix}.year"].central
    return fixed
