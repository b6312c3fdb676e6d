"""Bulk accounting speed: the engine against one hand-written DuckDB query over the same records.

Usage: python benchmarks/bench_accounting.py --rows 10000000 [--repeat 3] [--seed 1]

Generates N meter-level records (8 quarters × 10 districts × every sector × 8 fuel/unit pairs, random
quantities), then times, in the same run and on the same in-memory Arrow table:
- the engine: ``carbonpeak.energy.accounting.account`` (validation, unit conversion, factors, electricity
  balance, year-to-date totals, everything it returns);
- the floor: one hand-written DuckDB SQL query that joins the records with a per-(fuel, unit) factor table
  and sums tce and CO2 by period, region, sector and fuel — the least any engine must do;
- a naive baseline: a plain Python loop over the rows with dictionary lookups, on a sample, scaled to N
  (nothing beyond what ``make demo`` installs).
The last line prints the figures and the ratio engine/floor (goal ≤ 1.5).
"""

from __future__ import annotations

import argparse
import resource
import time

import duckdb
import numpy as np
import pyarrow as pa

from carbonpeak.energy import catalog
from carbonpeak.energy.accounting import account
from carbonpeak.energy.factors import load_factor_set

PERIODS = [f"{y}Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4)]
REGIONS = [
    "港区",
    "高新区",
    "城厢镇",
    "沙溪镇",
    "浏河镇",
    "璜泾镇",
    "双凤镇",
    "科教新城",
    "娄东街道",
    "陆渡街道",
]
SECTORS = [s.name for s in catalog.SECTORS]
FUEL_UNITS = [
    ("原煤", "吨"),
    ("焦炭", "吨"),
    ("汽油", "吨"),
    ("柴油", "吨"),
    ("天然气", "立方米"),
    ("液化石油气", "千克"),
    ("电力", "千瓦时"),
    ("热力", "吉焦"),
]


def generate(rows: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)

    def column(values: list[str]) -> pa.DictionaryArray:
        codes = rng.integers(0, len(values), rows, dtype=np.int32)
        return pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(values))

    fuel_codes = rng.integers(0, len(FUEL_UNITS), rows, dtype=np.int32)
    units = sorted({u for _, u in FUEL_UNITS})
    unit_of_fuel = np.array([units.index(u) for _, u in FUEL_UNITS], dtype=np.int32)
    return pa.table(
        {
            "period": column(PERIODS),
            "region": column(REGIONS),
            "sector": column(SECTORS),
            "fuel": pa.DictionaryArray.from_arrays(
                pa.array(fuel_codes), pa.array([f for f, _ in FUEL_UNITS])
            ),
            "quantity": pa.array(rng.uniform(0, 100, rows)),
            "unit": pa.DictionaryArray.from_arrays(pa.array(unit_of_fuel[fuel_codes]), pa.array(units)),
        }
    )


def factor_table(factors) -> pa.Table:
    """tce and tCO2 per reported unit, for the floor query and the naive baseline."""
    fuels, units, tce, co2 = [], [], [], []
    grid = factors.grid("江苏", 2025).value
    for fuel_name, unit_name in FUEL_UNITS:
        fuel = catalog.FUEL_BY_NAME[fuel_name]
        scale = catalog.parse_unit(unit_name).to_base
        fuels.append(fuel_name)
        units.append(unit_name)
        tce.append(scale * factors.coal_coefficient(fuel))
        co2.append(scale * (grid if fuel.family == catalog.ELECTRICITY else factors.co2_per_unit(fuel)))
    return pa.table({"fuel": fuels, "unit": units, "tce_per_unit": tce, "co2_per_unit": co2})


FLOOR_SQL = """
SELECT r.period, r.region, r.sector, r.fuel,
       sum(r.quantity * f.tce_per_unit) AS tce, sum(r.quantity * f.co2_per_unit) AS co2_t
FROM records r JOIN factors f ON r.fuel = f.fuel AND r.unit = f.unit
GROUP BY r.period, r.region, r.sector, r.fuel
"""


def floor(records: pa.Table, factors_table: pa.Table) -> int:
    con = duckdb.connect()
    con.register("records", records)
    con.register("factors", factors_table)
    n = len(con.execute(FLOOR_SQL).fetchall())
    con.close()
    return n


def naive(records: pa.Table, factors_table: pa.Table) -> dict:
    lookup = {
        (f, u): (t, c)
        for f, u, t, c in zip(
            *(factors_table[c].to_pylist() for c in factors_table.column_names), strict=True
        )
    }
    totals: dict = {}
    for row in records.to_pylist():  # one Python dictionary per row, as a hand-written script would
        t, c = lookup[(row["fuel"], row["unit"])]
        key = (row["period"], row["region"], row["sector"], row["fuel"])
        acc = totals.setdefault(key, [0.0, 0.0])
        acc[0] += row["quantity"] * t
        acc[1] += row["quantity"] * c
    return totals


def best_of(repeat: int, func, *args) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=100_000, help="rows for the naive baseline")
    args = parser.parse_args()

    factors = load_factor_set("national")
    records = generate(args.rows, args.seed)
    table = factor_table(factors)
    print(
        f"records: {args.rows:,} rows, {records.nbytes / 2**20:.0f} MiB in Arrow; factor set {factors.label}"
    )

    account(records.slice(0, 1000), factors)  # warm-up: imports, pint registry
    floor(records.slice(0, 1000), table)
    t_engine, accounts = best_of(args.repeat, account, records, factors)
    t_floor, groups = best_of(args.repeat, floor, records, table)
    sample = records.slice(0, min(args.sample, args.rows))
    t_sample, _ = best_of(1, naive, sample, table)
    t_naive = t_sample * args.rows / sample.num_rows
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    total_co2 = sum(a.co2_t for a in accounts.ordered() if a.period.is_quarter)
    print(
        f"engine: {len(accounts.periods)} period accounts, quarterly CO2 total {total_co2:,.0f} t; floor: {groups} groups"
    )
    print(
        f"accounting {args.rows} rows: {t_engine:.3f} s, floor {t_floor:.3f} s "
        f"(one hand-written DuckDB SQL query over the same data, same run), ratio {t_engine / t_floor:.2f}, "
        f"naive Python row-by-row baseline {t_naive:.1f} s (on a sample of {sample.num_rows:,} rows, scaled); "
        f"peak memory {peak:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
