"""The one aggregation: readings → enterprise × month × energy type, each meter by its finest data; the same
text for DuckDB and (through sqlglot) Spark."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

import pytest
import sqlglot

from carbonpeak.meters import aggregation, readings

from .conftest import code, csv_bytes

CODES = [code(f"E{i:04d}", region=r) for i, r in enumerate(["320585", "320585", "320583", "320581"])]
KINDS = {"15min": "15分钟", "day": "日", "month": "月"}
STEP = {"15min": timedelta(minutes=15), "day": timedelta(days=1)}


def random_rows(seed: int) -> list[list]:
    """Meters with 15-minute, daily and monthly data over two months, some meters with two kinds."""
    rng = random.Random(seed)
    rows = []
    for credit_code in CODES:
        for m in range(rng.randint(1, 3)):
            energy_type, unit = rng.choice([("电力", "千瓦时"), ("天然气", "立方米"), ("原煤", "吨")])
            kinds = rng.sample(["15min", "day", "month"], rng.randint(1, 2))
            for kind in kinds:
                if kind == "month":
                    stamps = [datetime(2025, 6, 1), datetime(2025, 7, 1)]
                else:
                    start, n = datetime(2025, 6, 1), (61 * 96 if kind == "15min" else 61)
                    stamps = [start + STEP[kind] * i for i in range(n) if rng.random() > 0.1]
                rows += [
                    [
                        credit_code,
                        f"M{m}",
                        energy_type,
                        s.strftime("%Y-%m-%d %H:%M:%S"),
                        round(rng.uniform(0, 50), 3),
                        unit,
                        KINDS[kind],
                    ]
                    for s in stamps
                ]
    return rows


def by_hand(rows: list[list]) -> dict[tuple, tuple[float, int, int]]:
    """The same totals in plain Python: per meter and month the finest kind's sum, then summed by enterprise."""
    rank = {"15分钟": 1, "日": 2, "月": 3}
    per_meter = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
    for credit_code, meter, energy_type, stamp, value, _unit, kind in rows:
        key = (credit_code, stamp[:7], meter, energy_type)
        per_meter[key][kind][0] += value
        per_meter[key][kind][1] += 1
    out = defaultdict(lambda: [0.0, 0, 0])
    for (credit_code, month, _meter, energy_type), kinds in per_meter.items():
        total, n = kinds[min(kinds, key=rank.get)]
        entry = out[(credit_code, month, energy_type)]
        entry[0] += total
        entry[1] += n
        entry[2] += 1
    return {k: tuple(v) for k, v in out.items()}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_duckdb_totals_are_the_sums_by_hand(tmp_path, seed):
    rows = random_rows(seed)
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(rows))
    store = tmp_path / "store"
    readings.ingest(path, "csv", store, "b1")
    got = {
        (t.credit_code, t.month, t.energy_type): (t.total, t.readings, t.meters)
        for t in aggregation.monthly_totals(store)
    }
    expected = by_hand(rows)
    assert got.keys() == expected.keys()
    for key, (total, n, meters) in expected.items():
        assert got[key][0] == pytest.approx(total, rel=1e-9) and got[key][1:] == (n, meters)
    regions = {t.credit_code: t.region for t in aggregation.monthly_totals(store)}
    assert all(regions[c] == c[2:8] for c in regions)


def test_some_months_only(tmp_path):
    rows = random_rows(4)
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(rows))
    store = tmp_path / "store"
    readings.ingest(path, "csv", store, "b1")
    assert {t.month for t in aggregation.monthly_totals(store, ["2025-07"])} == {"2025-07"}
    assert aggregation.monthly_totals(store, ["2030-01"]) == []


def test_the_spark_text_is_the_same_query_in_spark_dialect():
    spark_sql = aggregation.sql_for("spark")
    assert "ROW_NUMBER() OVER" in spark_sql and "FROM readings" in spark_sql
    # read back as Spark SQL it is the DuckDB query: the transpilation changed spelling, not meaning
    back = sqlglot.transpile(spark_sql, read="spark", write="duckdb")[0]
    assert sqlglot.parse_one(back, read="duckdb").find(sqlglot.exp.Window) is not None
    assert aggregation.sql_for("duckdb") == aggregation.MONTHLY_TOTALS_SQL
    with pytest.raises(ValueError):
        aggregation.sql_for("oracle")
