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

from .readings import readings_view, sql_text

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
TOTAL_COLUMNS = ("credit_code", "region", "month", "energy_type", "unit", "total", "readings", "meters")


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
    try:
        import sqlglot
    except ImportError:  # an optional dependency: the Spark path only
        raise RuntimeError(
            "生成 Spark 方言的 SQL 需要可选依赖 sqlglot：pip install 'carbonpeak[spark]'"
        ) from None
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
    """The same aggregation in Spark SQL over the same store (``spark_job.totals_frame``, what the cluster
    job runs), its rows brought back to the driver."""
    from .spark_job import totals_frame

    return rows_to_totals(tuple(r) for r in totals_frame(spark, str(store), sql_for("spark")).collect())


def read_totals(folder: Path) -> list[MonthlyTotal]:
    """Totals a Spark job wrote (a Parquet folder, ``spark_job.py --out``), read back with their columns
    checked: a folder of anything else is refused with the reason."""
    files = (
        sorted(str(p) for p in Path(folder).rglob("*.parquet")) if Path(folder).is_dir() else [str(folder)]
    )
    if not files or not all(Path(f).is_file() for f in files):
        raise ValueError(f"{folder} 中没有 Parquet 文件")
    con = duckdb.connect()
    try:
        listed = ", ".join(sql_text(f) for f in files)
        con.execute(f"CREATE VIEW totals AS SELECT * FROM read_parquet([{listed}])")
        columns = [r[0] for r in con.execute("DESCRIBE totals").fetchall()]
        missing = [c for c in TOTAL_COLUMNS if c not in columns]
        if missing:
            raise ValueError(f"不是月度用量结果：缺少列 {', '.join(missing)}")
        return rows_to_totals(con.execute(f"SELECT {', '.join(TOTAL_COLUMNS)} FROM totals").fetchall())
    except duckdb.Error as exc:
        raise ValueError(f"无法读取 {folder}：{str(exc).splitlines()[0][:200]}") from exc
    finally:
        con.close()
