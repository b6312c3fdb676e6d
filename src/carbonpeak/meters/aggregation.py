"""Readings → enterprise × month × energy type totals: one SQL text for DuckDB on one machine and Spark SQL
on a cluster (pure, no Django).

The text is written once, in DuckDB's dialect, and handed to Spark through sqlglot's transpiler (a
maintained library that knows both dialects), so the two engines cannot drift apart: the test marked
``spark`` runs the transpiled text in PySpark's local mode on the same files and compares the results.

Each meter counts once per month and energy type, by its finest kind of data (15-minute readings before
daily figures before a monthly figure): a meter that sends both daily and monthly figures is measured by
its daily ones, and the monthly figure is what the data-quality rule compares them with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from .readings import readings_view

MONTHLY_TOTALS_SQL = """
WITH per_meter AS (
    SELECT credit_code, region, month, meter, energy_type, unit, granularity,
           SUM(value) AS total, COUNT(*) AS readings
    FROM readings
    GROUP BY credit_code, region, month, meter, energy_type, unit, granularity
),
ranked AS (
    SELECT *,
           ROW_NUMBER() OVER (
               PARTITION BY credit_code, month, meter, energy_type
               ORDER BY CASE granularity WHEN '15min' THEN 1 WHEN 'day' THEN 2 ELSE 3 END
           ) AS finest
    FROM per_meter
)
SELECT credit_code, region, month, energy_type, unit,
       SUM(total) AS total, SUM(readings) AS readings, COUNT(*) AS meters
FROM ranked
WHERE finest = 1
GROUP BY credit_code, region, month, energy_type, unit
ORDER BY credit_code, month, energy_type
"""

DIALECTS = ("duckdb", "spark")


@dataclass(frozen=True)
class MonthlyTotal:
    credit_code: str
    region: str
    month: str  # YYYY-MM
    energy_type: str
    unit: str  # the energy type's base unit: t, m3 or kWh
    total: float
    readings: int
    meters: int


def sql_for(dialect: str) -> str:
    """The aggregation in an engine's dialect: the text itself for DuckDB, sqlglot's transpilation for
    Spark (what docs/scale.md tells an operator to submit)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown engine {dialect!r}; one of {', '.join(DIALECTS)}")
    if dialect == "duckdb":
        return MONTHLY_TOTALS_SQL
    import sqlglot

    return sqlglot.transpile(MONTHLY_TOTALS_SQL, read="duckdb", write=dialect, pretty=True)[0]


def rows_to_totals(rows) -> list[MonthlyTotal]:
    return [
        MonthlyTotal(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), float(r[5]), int(r[6]), int(r[7]))
        for r in rows
    ]


def monthly_totals(store: Path, months: list[str] | None = None) -> list[MonthlyTotal]:
    """The aggregation run in DuckDB over the store (some months only, when given)."""
    con = duckdb.connect()
    try:
        if not readings_view(con, store, months):
            return []
        return rows_to_totals(con.execute(sql_for("duckdb")).fetchall())
    finally:
        con.close()


def monthly_totals_spark(spark, store: Path) -> list[MonthlyTotal]:
    """The same aggregation in Spark SQL over the same store: the partitions are read as text, as DuckDB
    reads them, and the result comes back to the driver as rows."""
    spark.conf.set("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
    spark.read.option("basePath", str(store)).parquet(str(store)).createOrReplaceTempView("readings")
    return rows_to_totals(tuple(r) for r in spark.sql(sql_for("spark")).collect())
