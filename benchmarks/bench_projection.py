"""Projection speed: the vectorised Monte Carlo against the same model as a plain Python loop over draws.

Usage: python benchmarks/bench_projection.py [--draws 10000] [--seed 1] [--loop-draws 200] [--repeat 3]

History: the seeded sample data (示例数据) accounted with the bundled factor set, 2020–2025. Scenario:
规划情景 with the bundled plan's targets. Both sides do the same work as ``carbonpeak project``: the scenario
once plus once per active lever switched off (the tornado), to 2035.
- T: ``carbonpeak.projection.model.project`` with ``--draws`` draws (best of ``--repeat``), including
  sampling, quantiles, peak statistics, lever sensitivity and the history fit;
- B: ``carbonpeak.projection.loop.co2_path`` (one draw at a time, plain Python) on ``--loop-draws`` draws
  of the same inputs, scaled to ``--draws``.
Peak memory is what numpy allocates during one projection (tracemalloc). Goal: T < 1 s for 10,000 draws.
T includes the three boundaries' peak statistics, the rolling-origin backtest (one projection per origin) and
the levers' Shapley attribution (all levers off on every draw, the 126 inner combinations on 1,000 draws).
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from pathlib import Path

import numpy as np

from carbonpeak.energy import accounting, factors, sample
from carbonpeak.projection import loop, model, scenarios

PLAN = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "carbonpeak"
    / "plans"
    / "data"
    / "taicang-carbon-peak-plan.json"
)


def sample_history() -> model.History:
    data = sample.generate()
    fs = factors.load_factor_set("national")
    records = [r for rs in data.records.values() for r in rs]
    acc = accounting.account(records, fs, list(data.economy.values()))
    years = [a.to_dict() for a in acc.ordered() if (a.period.first, a.period.last) == (1, 4)]
    published = {
        f.year: fs.grid("江苏", f.year).value
        for f in fs.factors
        if f.kind == "grid_co2" and f.key == "江苏" and f.value is not None
    }
    return model.history_from_periods(years, published, factor_set=fs.label, sample=True)


def planned_scenario() -> model.Scenario:
    targets: dict[str, scenarios.PlanTarget] = {}
    for t in json.loads(PLAN.read_text(encoding="utf-8"))["targets"]:
        targets.setdefault(t["indicator"], scenarios.PlanTarget(t["indicator"], t["year"], t["value"]))
    return scenarios.built_in(scenarios.PLANNED, targets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--loop-draws", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    history = sample_history()
    scenario = planned_scenario()
    print(
        f"history {history.years[0]}–{history.years[-1]} (示例数据), scenario {scenario.name}, seed {args.seed}"
    )

    model.project(history, scenario, 100, args.seed)  # warm-up (imports, einsum path)
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = model.project(history, scenario, args.draws, args.seed)
        times.append(time.perf_counter() - started)
    t = min(times)
    print(
        f"vectorised: {', '.join(f'{x:.3f}' for x in times)} s; P(peak ≤ 2030) = {result.p_peak_by_deadline:.4f} "
        f"({result.boundary}); other boundaries: "
        + ", ".join(f"{b} {f['p_peak_by_deadline']:.4f}" for b, f in result.by_boundary.items())
    )
    v = result.validation or {}
    print(
        f"out of sample ({v.get('calibration_years')} → {v.get('holdout_years')}): "
        f"80 % interval coverage {v.get('coverage_80')}, median absolute error {v.get('median_abs_error')}"
    )

    tracemalloc.start()
    model.project(history, scenario, args.draws, args.seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    cal = model.calibrate(history)
    resolved = model.resolve_history(scenario, cal)
    years = np.arange(cal.base_year + 1, model.END_YEAR + 1)
    x = model.sample_inputs(resolved, cal, args.loop_draws, len(years), args.seed)
    fixed = {k: resolved[k].central for k in model.FIXED}
    levers = {lever.key: scenario.lever_on(lever.key) for lever in model.LEVERS}
    runs = [levers] + [{**levers, key: False} for key, on in levers.items() if on]
    inputs = [loop.draw_inputs(x, d) for d in range(args.loop_draws)]
    year_list = years.tolist()
    started = time.perf_counter()
    for lever_set in runs:
        for one in inputs:
            loop.co2_path(cal, one, fixed, lever_set, year_list)
    loop_time = time.perf_counter() - started
    b = loop_time * args.draws / args.loop_draws
    print(f"plain loop: {loop_time:.3f} s for {args.loop_draws} draws × {len(runs)} runs")
    print(
        f"projection {args.draws} draws: {t:.3f} s, baseline {b:.1f} s (the same model as a plain Python loop "
        f"over draws, on {args.loop_draws} draws, scaled), ratio {b / t:.0f}, peak memory {peak / 2**20:.0f} MB"
    )


if __name__ == "__main__":
    main()
