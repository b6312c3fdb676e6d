"""The projection itself: calibrate, draw, run the paths, summarise, validate and attribute (``project``)."""

from __future__ import annotations

import numpy as np

from carbonpeak.core.text import Message, gettext_noop

from .calibration import calibrate, resolve_history, sample_inputs
from .history import History
from .levers import DISTRIBUTIONS, DRAWN, LEVERS, Assumption, Scenario, retirements
from .paths import Paths, paths
from .pipeline import ASSUMPTION, PROJECTS
from .results import LeverEffect, Projection, _fixed_values, _p_peak_by, _peaks, _round
from .shapes import (
    BOUNDARIES,
    BOUNDARY_NAMES,
    END_YEAR,
    PEAK_DEADLINE,
    PEAK_TOLERANCE,
    PLATEAU_WINDOW,
    SECTORS,
    ProjectionError,
)
from .validation import _boundary_history, backcast, validate

#: what the coordinator has said of a dated event, read from its probability (1, 0, or anything between)
EVENT_STATUS = {1.0: gettext_noop("确认投运"), 0.0: gettext_noop("不投运")}
RETIREMENT_STATUS = {1.0: gettext_noop("确认退役"), 0.0: gettext_noop("不退役")}
UNCONFIRMED = gettext_noop("未确认")
#: an event happening or not, in a case's or a branch's label
HAPPENS = {
    "投运": (gettext_noop("投运"), gettext_noop("不投运")),
    "退役": (gettext_noop("退役"), gettext_noop("不退役")),
}


def _events(assumptions: dict[str, Assumption], base: int, end_year: int) -> list[tuple[dict, str]]:
    """Named, dated events the model applies (a unit entering or leaving service): a jump in their year is
    theirs. Each with the key of its drawn 0/1 (whether it happens). Its status is the coordinator's: 确认
    (probability 1), 不投运/不退役 (0), else 未确认 — drawn in or out."""
    out = []
    mw = assumptions["power.new_coal_mw"].central
    year = int(assumptions["power.new_coal_year"].central)
    p = assumptions["power.new_coal_probability"]
    if mw > 0 and base < year <= end_year:
        unit = Message(gettext_noop("新增燃煤机组 %(mw)s 兆瓦"), mw=f"{mw:g}")
        event = {
            "key": "power.new_coal",
            "year": year,
            "unit": unit,
            "name": Message(gettext_noop("%(unit)s投运"), unit=unit),
            "label": Message(gettext_noop("%(unit)s投运"), unit=unit),
            "kind": "投运",
            "mw": mw,
            "status": EVENT_STATUS.get(float(p.central), UNCONFIRMED),
            "probability": _round(p.central, 4),
            "source": assumptions["power.new_coal_mw"].source,
            "status_source": p.source,
        }
        out.append((event, "power.new_coal_probability"))
    for prefix in retirements(assumptions):
        capacity, when = assumptions[f"{prefix}.mw"], assumptions[f"{prefix}.year"]
        p = assumptions[f"{prefix}.probability"]
        year = int(when.central)
        if capacity.central <= 0 or not base < year <= end_year:
            continue
        unit = Message(gettext_noop("%(name)s %(mw)s 兆瓦"), name=capacity.label, mw=f"{capacity.central:g}")
        event = {
            "key": prefix,
            "year": year,
            "unit": unit,
            "name": Message(gettext_noop("%(unit)s退役"), unit=unit),
            "label": Message(gettext_noop("%(unit)s退役"), unit=unit),
            "kind": "退役",
            "mw": capacity.central,
            "status": RETIREMENT_STATUS.get(float(p.central), UNCONFIRMED),
            "probability": _round(p.central, 4),
            "source": capacity.source,
            "status_source": p.source,
        }
        out.append((event, f"{prefix}.probability"))
    return out


#: at most this many unconfirmed events are shown as separate cases (2ⁿ of them); beyond, the largest
MAX_CASE_EVENTS = 3


def _branches(
    events: list[tuple[dict, str]], x: dict, projected: np.ndarray, by_deadline: np.ndarray
) -> tuple[np.ndarray | None, list[dict]]:
    """Each unconfirmed event splits the draws in two: its branches' P(peak) from the per-draw
    ``by_deadline`` and their bands. Together the unconfirmed events make the cases (every combination of
    happening or not, the largest ``MAX_CASE_EVENTS`` by capacity): the chart draws each case's median, so no
    median is drawn through the gap between them (the mixture is only a labelled summary). Returns each draw's
    case (None without an unconfirmed event) and the cases."""
    open_ = [(e, key) for e, key in events if e["status"] == UNCONFIRMED]
    for event, key in open_:
        happened = np.asarray(x[key]) > 0.5
        yes, no = HAPPENS[event["kind"]]
        event["branches"] = [
            {
                "label": Message(label),
                "share": _round(float(mask.mean()), 4),
                "draws": int(mask.sum()),
                "p_peak_by_2030": _round(float(by_deadline[mask].mean()), 4),
                "quantiles": _quantiles(projected[mask]),
            }
            for label, mask in ((yes, happened), (no, ~happened))
            if mask.any()
        ]
    if not open_:
        return None, []
    split = sorted(open_, key=lambda ek: -ek[0]["mw"])[:MAX_CASE_EVENTS]
    case = np.zeros(len(by_deadline), dtype=int)
    for j, (_, key) in enumerate(split):
        case += (np.asarray(x[key]) > 0.5).astype(int) << j
    cases = []
    for c in np.unique(case):
        mask = case == c
        said = []
        for j, (event, _) in enumerate(split):
            yes, no = HAPPENS[event["kind"]]
            said.append(Message(yes if c >> j & 1 else no))
            if len(split) > 1:
                said[-1] = Message(gettext_noop("%(unit)s%(happens)s"), unit=event["unit"], happens=said[-1])
        cases.append(
            {
                "label": Message.join(said, separator="、"),
                "share": _round(float(mask.mean()), 4),
                "draws": int(mask.sum()),
                "p_peak_by_2030": _round(float(by_deadline[mask].mean()), 4),
                "quantiles": _quantiles(projected[mask]),
            }
        )
    return case, cases


#: the draws on which the levers' inner combinations are run for their Shapley shares (all levers on and all
#: off use every draw, so the shares add up exactly to P(all) − P(none)); their error is stated beside them
SHAPLEY_DRAWS = 1000
SHAPLEY_BLOCKS = 4


def _first(x: dict, draws: int) -> dict:
    return {key: value[:draws] for key, value in x.items()}


def shapley(keys: list[str], peaked, draws: int) -> dict:
    """Each lever's Shapley share of P(peak ≤ deadline): the average, over every order in which the levers
    could be switched on, of what switching it on adds — exact over all 2ⁿ combinations. ``peaked(on,
    draws)`` is the per-draw indicator with the levers ``on`` on the first ``draws`` draws. All on and all off
    use every draw, the inner combinations the first ``SHAPLEY_DRAWS``, so the shares sum exactly to P(all)
    − P(none); their sampling error is the spread of the same shares over ``SHAPLEY_BLOCKS`` blocks of the
    inner draws."""
    from math import factorial

    n = len(keys)
    inner = min(draws, SHAPLEY_DRAWS)
    full_on = peaked(dict.fromkeys(keys, True), draws)
    full_off = peaked(dict.fromkeys(keys, False), draws)
    indicator: dict[int, np.ndarray] = {0: full_off[:inner], (1 << n) - 1: full_on[:inner]}
    for mask in range(1, (1 << n) - 1):
        indicator[mask] = peaked({k: bool(mask >> j & 1) for j, k in enumerate(keys)}, inner)
    weight = [factorial(size) * factorial(n - size - 1) / factorial(n) for size in range(n)]

    def shares(value) -> dict[str, float]:
        out = {}
        for j, key in enumerate(keys):
            total = 0.0
            for mask in range(1 << n):
                if mask >> j & 1:
                    continue
                total += weight[bin(mask).count("1")] * (value(mask | 1 << j) - value(mask))
            out[key] = total
        return out

    def value(mask: int) -> float:
        if mask == (1 << n) - 1:
            return float(full_on.mean())
        if mask == 0:
            return float(full_off.mean())
        return float(indicator[mask].mean())

    result = shares(value)
    blocks = np.array_split(np.arange(inner), SHAPLEY_BLOCKS)
    per_block = [shares(lambda mask, b=b: float(indicator[mask][b].mean())) for b in blocks if len(b)]
    errors = {
        key: float(np.std([s[key] for s in per_block], ddof=1) / np.sqrt(len(per_block)))
        if len(per_block) > 1
        else None
        for key in keys
    }
    p_all, p_none = float(full_on.mean()), float(full_off.mean())
    return {
        "method": "Shapley",
        "p_all_levers": _round(p_all, 4),
        "p_no_levers": _round(p_none, 4),
        "sum_of_shares": _round(sum(result.values()), 4),
        "inner_draws": inner,
        "largest_error": _round(max((e for e in errors.values() if e is not None), default=0.0), 4),
        "text": Message(
            gettext_noop(
                "各措施的贡献按 Shapley 值分摊（对措施开启的全部 %(combinations)s 种组合取平均），合计等于全部措施"
                "开启与全部关闭的概率之差（%(p_all)s − %(p_none)s）；中间组合用前 %(inner)s 次抽样计算，"
                "抽样误差最大约 ±%(error)s 个百分点"
            ),
            combinations=1 << n,
            p_all=f"{p_all:.1%}",
            p_none=f"{p_none:.1%}",
            inner=f"{inner:,}",
            error=f"{max((e for e in errors.values() if e is not None), default=0.0) * 100:.1f}",
        ),
        "shares": result,
        "errors": errors,
    }


DRAWS_KEY = "_by_deadline"
#: what a driver is called where it is not an assumption of the scenario's table
DRIVER_LABELS = {"elasticity": gettext_noop("各行业能源消费对经济增长的弹性（按核算历史拟合）")}


def _drivers(x: dict, assumptions: dict[str, Assumption], by_deadline: np.ndarray, boundary: str) -> dict:
    """The two drawn assumptions that move P(peak ≤ deadline) most on ``boundary``: P among the draws whose
    value is in the top third against the bottom third (a 0/1 event: drawn in against out), from the
    projection's own draws — no extra run. One sentence says which, so that two boundaries' different P read
    as consequences of different assumptions, not as a contradiction."""
    found = []
    drawn = (*DRAWN, *(f"{prefix}.probability" for prefix in retirements(assumptions)))
    for key in (*drawn, "gdp.growth", "elasticity"):
        if key not in x:
            continue
        values = np.asarray(x[key], dtype=float)
        values = values.reshape(len(values), -1).mean(axis=1)
        if np.ptp(values) == 0:
            continue
        event = key in assumptions and assumptions[key].distribution == "bernoulli"
        if event:
            low, high = values < 0.5, values >= 0.5
        else:
            lo, hi = np.quantile(values, [1 / 3, 2 / 3])
            low, high = values <= lo, values >= hi
        if not low.any() or not high.any():
            continue
        delta = float(by_deadline[high].mean() - by_deadline[low].mean())
        label = DRIVER_LABELS.get(key) or assumptions[key].label
        found.append(
            {
                "key": key,
                "label": label if isinstance(label, Message) else Message(label),
                "event": event,
                "delta_p": _round(delta, 4),
            }
        )
    found.sort(key=lambda d: -abs(d["delta_p"]))
    top = found[:2]

    def said(d: dict) -> Message:
        how = (
            gettext_noop("发生比不发生")
            if d["event"]
            else gettext_noop("取值最高的三分之一抽样比最低的三分之一")
        )
        return Message(
            gettext_noop("“%(assumption)s”（%(how)s %(points)s 个百分点）"),
            assumption=d["label"],
            how=Message(how),
            points=f"{d['delta_p'] * 100:+.1f}",
        )

    name = Message(BOUNDARY_NAMES[boundary])
    if len(top) == 2:
        which = Message(gettext_noop("%(first)s和%(second)s"), first=said(top[0]), second=said(top[1]))
    elif top:
        which = said(top[0])
    sentence = (
        Message(gettext_noop("%(boundary)s：影响达峰概率最大的假设是%(which)s。"), boundary=name, which=which)
        if top
        else Message(gettext_noop("%(boundary)s：各抽样假设对达峰概率没有可分辨的影响。"), boundary=name)
    )
    return {"assumptions": top, "sentence": sentence}


def boundary_sentence(history: History) -> Message:
    """Why the three boundaries give different answers, in one sentence a coordinator reads."""
    if history.net_import_kwh[-1] < 0:
        return Message(
            gettext_noop(
                "本市是电力净调出地区：本地燃烧口径计入电厂为外地发电所烧的煤，净调入口径按电网因子扣减调出电量的"
                "排放，消费口径只计本市用电；因此电网变清洁会使净调入口径的扣减变小、排放上升，而本地燃烧口径只随"
                "本地燃煤变化。"
            )
        )
    return Message(
        gettext_noop(
            "本市是电力净调入地区：净调入口径和消费口径按电网因子计入调入电力的排放，本地燃烧口径不计；"
            "因此电网变清洁会使前两种口径下降更快，而本地燃烧口径只随本地燃料消费变化。"
        )
    )


def project(
    history: History,
    scenario: Scenario,
    draws: int = 10_000,
    seed: int = 1,
    end_year: int = END_YEAR,
    *,
    sensitivity: bool = True,
    deadline: int = PEAK_DEADLINE,
    boundary: str | None = None,
    validation: bool = True,
) -> Projection:
    """Draw every uncertain input ``draws`` times and run the scenario; with ``sensitivity``, run it again
    with each active lever switched off (same draws) to measure what that lever contributes. Peak figures
    are given on every boundary; the headline (fan chart, tornado) on ``boundary``, by default the one the
    accounting names as assessed.
    (Long: the projection's steps (calibrate, draw, run, summarise, validate, attribute) in order.)"""
    if draws < 1:
        raise ProjectionError(Message(gettext_noop("抽样次数须为正整数")))
    boundary = boundary or history.boundary
    if boundary not in BOUNDARIES:
        raise ProjectionError(
            Message(
                gettext_noop("口径须为 %(allowed)s（填的是“%(typed)s”）"),
                allowed=" / ".join(BOUNDARIES),
                typed=boundary,
            )
        )
    cal = calibrate(history)
    if end_year <= cal.base_year:
        raise ProjectionError(Message(gettext_noop("预测终止年份须晚于基年 %(year)s"), year=cal.base_year))
    assumptions = resolve_history(scenario, cal)
    tolerance = (
        assumptions["peak.tolerance"].central / 100 if "peak.tolerance" in assumptions else PEAK_TOLERANCE
    )
    years = np.arange(cal.base_year + 1, end_year + 1)
    x = sample_inputs(assumptions, cal, draws, len(years), seed)
    fixed = _fixed_values(assumptions)
    levers = {lever.key: scenario.lever_on(lever.key) for lever in LEVERS}
    pipeline = scenario.pipeline
    main = paths(cal, x, fixed, levers, years, pipeline=pipeline)
    all_years = np.array([*history.years, *years])
    at_deadline = int(np.searchsorted(years, min(deadline, end_year)))

    def peak_figures(b: str, projected: np.ndarray) -> dict:
        hist = _boundary_history(history, b)
        year, value = _peaks(hist, projected, all_years, tolerance)
        peaked = year > 0
        ordered = np.where(peaked, year, end_year + 1)
        histogram: dict[str, int] = {}
        for y in all_years[:-1]:
            n = int((year == y).sum())
            if n:
                histogram[str(int(y))] = n
        if (~peaked).any():
            histogram["未达峰"] = int((~peaked).sum())
        quantile_years = {q: int(np.quantile(ordered, p, method="inverted_cdf")) for q, p in _Q.items()}
        return {
            "p_peak_by_deadline": float((peaked & (year <= deadline)).mean()),
            "p_plateau": float((peaked & (np.abs(year - deadline) <= PLATEAU_WINDOW)).mean()),
            "peak_year": {q: (y if y <= end_year else None) for q, y in quantile_years.items()},
            "peak_value": {q: float(np.quantile(value, p)) for q, p in _Q.items()},
            "histogram": histogram,
            "quantiles": _quantiles(projected),
            "history": [float(v) for v in hist],
            DRAWS_KEY: peaked & (year <= deadline),  # per draw, for the drivers (not stored)
        }

    figures = {b: peak_figures(b, main.by_boundary[b]) for b in BOUNDARIES}
    by_deadline = {b: f.pop(DRAWS_KEY) for b, f in figures.items()}  # per draw, computed once
    drivers = {b: _drivers(x, assumptions, by_deadline[b], b) for b in figures}
    dated = _events(assumptions, cal.base_year, end_year)
    case, cases = _branches(dated, x, main.by_boundary[boundary], by_deadline[boundary])
    checked = validate(history, scenario, draws, seed, boundary) if validation else None
    band_notes = _calibrate_bands(
        figures, checked, boundary, {b: main.by_boundary[b] for b in BOUNDARIES}, case, cases, dated, x
    )
    events = [e for e, _ in dated]
    headline = figures[boundary]
    p_main = headline["p_peak_by_deadline"]

    effects = []
    without: dict[str, Paths] = {}
    for lever in LEVERS:
        active = levers[lever.key]
        if not (sensitivity and active):
            effects.append(
                LeverEffect(
                    lever.key, lever.label, active, 0.0, 0.0, "" if active else gettext_noop("未启用")
                )
            )
            continue
        off = without[lever.key] = paths(
            cal, x, fixed, {**levers, lever.key: False}, years, pipeline=pipeline
        )
        on_path, off_path = main.by_boundary[boundary], off.by_boundary[boundary]
        reduction = float(np.median(off_path[:, at_deadline] - on_path[:, at_deadline]))
        p_off = _p_peak_by(_boundary_history(history, boundary), off_path, all_years, deadline, tolerance)
        effects.append(
            LeverEffect(lever.key, lever.label, True, reduction, p_main - p_off, delta_alone=p_main - p_off)
        )
    attribution = {}
    if sensitivity and any(e.active for e in effects):

        def peaked(on: dict[str, bool], n: int) -> np.ndarray:
            if n == draws and all(on.values()):
                return by_deadline[boundary]  # every lever on, every draw: the projection itself
            run = paths(
                cal, x if n == draws else _first(x, n), fixed, {**levers, **on}, years, pipeline=pipeline
            )
            year, _ = _peaks(
                _boundary_history(history, boundary), run.by_boundary[boundary], all_years, tolerance
            )
            return (year > 0) & (year <= deadline)

        attribution = shapley([e.key for e in effects if e.active], peaked, draws)
        for e in effects:
            if e.active:
                e.delta_probability, e.error = attribution["shares"][e.key], attribution["errors"][e.key]
    effects.sort(key=lambda e: -abs(e.reduction_2030_t))

    # Whether refined oil peaks by the plan's year is judged on the paths without the cap that the
    # oil-peak lever imposes (with it, the peak would hold by construction).
    oil_year = int(fixed["oil.peak_year"]) or None
    p_oil = None
    if oil_year is not None and history.refined_oil_t.any():
        uncapped = main
        if levers["oil_peak"]:
            uncapped = without.get("oil_peak") or paths(
                cal, x, fixed, {**levers, "oil_peak": False}, years, pipeline=pipeline
            )
        p_oil = _p_peak_by(history.refined_oil_t, uncapped.refined_oil_t, all_years, oil_year, tolerance)

    return Projection(
        scenario=scenario.name,
        description=scenario.description,
        draws=draws,
        seed=seed,
        base_year=cal.base_year,
        end_year=end_year,
        deadline=deadline,
        history_years=history.years,
        history_co2_t=headline["history"],
        history_refined_oil_t=[float(v) for v in history.refined_oil_t],
        years=tuple(int(y) for y in years),
        co2_quantiles=headline["quantiles"],
        oil_quantiles=_quantiles(main.refined_oil_t),
        sector_p50_t={
            s.label: [float(v) for v in np.median(main.sector_co2_t[i], axis=0)]
            for i, s in enumerate(SECTORS)
        },
        electricity_p50_t=[float(v) for v in np.median(main.electricity_co2_t, axis=0)],
        p_peak_by_deadline=p_main,
        peak_year_quantiles=headline["peak_year"],
        peak_value_quantiles=headline["peak_value"],
        peak_year_histogram=headline["histogram"],
        oil_peak_year=oil_year,
        p_oil_peak_by_target=p_oil,
        levers=effects,
        fit=backcast(history, cal, assumptions, boundary),
        assumptions=[
            _assumption_row(a, scenario.assumptions[k].distribution == "history")
            for k, a in assumptions.items()
        ],
        notes=list(scenario.notes)
        + band_notes
        + (
            [
                Message(
                    gettext_noop(
                        "历史数据不全的年份：%(years)s（有未报的行或电力平衡项，见核算结果）；预测以这些年份已报的"
                        "数据校准，结果可能偏低，请补报后重算"
                    ),
                    years=Message.join([str(y) for y in history.incomplete_years], separator="、"),
                )
            ]
            if history.incomplete_years
            else []
        ),
        sample=history.sample,
        boundary=boundary,
        tolerance=tolerance,
        p_plateau=headline["p_plateau"],
        by_boundary={
            b: {k: v for k, v in f.items() if k != "histogram"} for b, f in figures.items() if b != boundary
        },
        validation=checked,
        events=events,
        cases=cases,
        boundary_sentence=boundary_sentence(history),
        drivers=drivers,
        attribution={k: v for k, v in attribution.items() if k not in ("shares", "errors")},
        measures=_measures(levers, pipeline, deadline),
        grading_sentence=Message(
            gettext_noop(
                "评估“二氧化碳排放达峰”目标用的是%(boundary)s：它是核算因子集中设定的考核口径（依据见“核算因子”页），"
                "另两种口径只作对照。"
            ),
            boundary=Message(BOUNDARY_NAMES[history.boundary]),
        ),
    )


_Q = {"p10": 0.1, "p50": 0.5, "p90": 0.9}


def _measures(levers: dict[str, bool], pipeline, deadline: int) -> list[dict]:
    """Each measure, whether it is on, and where its size comes from: the key projects in hand (bottom-up,
    with what they amount to by the deadline) or the scenario's assumption (top-down)."""
    out = []
    for lever in LEVERS:
        sized = pipeline is not None and pipeline.sizes(lever.key)
        row = {
            "key": lever.key,
            "label": Message(lever.label),
            "active": levers[lever.key],
            "source": PROJECTS if sized else ASSUMPTION,
        }
        if sized:
            row["projects"] = pipeline.describe(lever.key, deadline)
        out.append(row)
    return out


def _calibrate_bands(
    figures: dict[str, dict],
    checked: dict | None,
    boundary: str,
    projected: dict[str, np.ndarray],
    case: np.ndarray | None,
    cases: list[dict],
    dated: list[tuple[dict, str]],
    x: dict,
) -> list[str]:
    """Where the backtest's 80 % intervals held fewer than 80 % of the years that followed, widen each
    boundary's spread by the factor that would have held them (本平台规则): every draw moves away from its own
    case's median (unconfirmed events happening or not, ``case``; else all draws) by that factor, and the
    bands are read again — so a band is never stretched across the gap between two cases. The notes say so
    for the boundary shown. P(peak) is counted on the draws as they are."""
    if not checked or "by_boundary" not in checked:
        return []
    notes: list[str] = []
    for b, f in figures.items():
        test = checked["by_boundary"][b]
        factor = test["band_factor_80"]
        if factor is None and b == boundary and test["points"]:
            notes.append(
                Message(
                    gettext_noop(
                        "样本外回测中 80%% 区间只覆盖了 %(coverage)s 的年份，且有年份偏离过远，区间无法按倍数校准："
                        "扇形图的区间偏窄，仅供参考"
                    ),
                    coverage=f"{test['coverage_80']:.0%}",
                )
            )
        if factor is None or factor <= 1:
            continue
        draws = projected[b]
        masks = (
            [case == c for c in np.unique(case)] if case is not None else [np.ones(len(draws), dtype=bool)]
        )
        widened = np.empty_like(draws)
        for mask in masks:
            centre = np.median(draws[mask], axis=0)
            widened[mask] = centre + factor * (draws[mask] - centre)
        f["quantiles"] = _quantiles(widened)
        if b == boundary:
            for c, mask in zip(cases, masks, strict=False):
                c["quantiles"] = _quantiles(widened[mask])
            for event, key in dated:
                happened = np.asarray(x[key]) > 0.5
                for branch, mask in zip(event.get("branches", []), (happened, ~happened), strict=False):
                    branch["quantiles"] = _quantiles(widened[mask])
            template = (
                gettext_noop(
                    "样本外回测中 80%% 区间只覆盖了 %(coverage)s 的年份（%(points)s 个）：区间按回测放宽为原来的 "
                    "%(factor)s 倍（各抽样按所在情形的中位数放宽，不跨越各情形之间的空档）（校准，本平台规则）；"
                    "达峰概率按原抽样计算"
                )
                if case is not None
                else gettext_noop(
                    "样本外回测中 80%% 区间只覆盖了 %(coverage)s 的年份（%(points)s 个）：区间按回测放宽为原来的 "
                    "%(factor)s 倍（校准，本平台规则）；达峰概率按原抽样计算"
                )
            )
            notes.append(
                Message(
                    template,
                    coverage=f"{test['coverage_80']:.0%}",
                    points=test["points"],
                    factor=f"{factor:.2f}",
                )
            )
    return notes


def _quantiles(values: np.ndarray) -> dict[str, list[float]]:
    q = np.quantile(values, list(_Q.values()), axis=0)
    return {name: [float(v) for v in q[i]] for i, name in enumerate(_Q)}


def _assumption_row(a: Assumption, calibrated: bool = False) -> dict:
    return {
        "calibrated": calibrated,
        "key": a.key,
        "label": a.label if isinstance(a.label, Message) else Message(a.label),
        "unit": Message(a.unit) if a.unit else "",
        "distribution": a.distribution,
        "distribution_label": Message(DISTRIBUTIONS[a.distribution]),
        "low": a.low,
        "mode": a.mode,
        "high": a.high,
        "value": a.describe(),
        "source": a.source,
    }
