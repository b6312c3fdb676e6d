"""The bulk step: records summed in one SQL GROUP BY (DuckDB over Arrow), the only step whose cost grows with the records."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pyarrow as pa

from .shapes import FUEL_USE, AccountingError, EnergyRecord

# ------------------------------------------------------------------ aggregation (the bulk step)

RECORD_COLUMNS = ("period", "region", "sector", "fuel", "quantity", "unit")
AGGREGATE_SQL = """
SELECT period, region, sector, fuel, unit, {use} AS use,
       sum(quantity) AS quantity, count(*) AS n, count(quantity) AS n_valued, min(quantity) AS smallest
FROM records GROUP BY ALL
"""


def records_table(records: Iterable[EnergyRecord] | pa.Table) -> pa.Table:
    if isinstance(records, pa.Table):
        missing = [c for c in RECORD_COLUMNS if c not in records.column_names]
        if missing:
            raise AccountingError([f"记录表缺少列：{', '.join(missing)}"])
        return records
    rows = list(records)
    return pa.table(
        {
            "period": pa.array([str(r.period) for r in rows], pa.string()),
            "region": pa.array([r.region for r in rows], pa.string()),
            "sector": pa.array([r.sector for r in rows], pa.string()),
            "fuel": pa.array([r.fuel for r in rows], pa.string()),
            "quantity": pa.array([r.quantity for r in rows], pa.float64()),
            "unit": pa.array([r.unit for r in rows], pa.string()),
            "use": pa.array([r.use or FUEL_USE for r in rows], pa.string()),
        }
    )


def aggregate(records: Iterable[EnergyRecord] | pa.Table) -> list[tuple]:
    """Sum quantities per (period, region, sector, fuel, unit) in DuckDB."""
    table = records_table(records)
    # a table without uses is all fuel, as the form's default: said in the query, not a column of N copies
    use = "use" if "use" in table.column_names else f"'{FUEL_USE}'"
    con = duckdb.connect()
    try:
        con.register("records", table)
        return con.execute(AGGREGATE_SQL.format(use=use)).fetchall()
    finally:
        con.close()
