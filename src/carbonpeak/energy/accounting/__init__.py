"""Carbon accounting by the national method (pure, no Django; vectorised through DuckDB).

Records ``(period, region, sector, fuel, quantity, unit)`` are first summed in one SQL GROUP BY (the only
step whose cost grows with the number of records: millions of meter rows become a few hundred groups);
every formula after that is linear in quantity, so applying it to the sums is exact. The method, with
its choices (net imported electricity, 当量值 and 等价值, shares, comparable-price GDP), is written in
``docs/accounting.md``. The package is split along the method's seams (shapes, aggregation, engine,
assessed, completeness, electricity, economy); its names are read from here.
"""

from __future__ import annotations

from .aggregation import AGGREGATE_SQL, RECORD_COLUMNS, aggregate, records_table
from .completeness import absent_rows, balance_gaps
from .electricity import missing_coal_rate
from .engine import account
from .shapes import (
    ASSESSED,
    BASE_YEAR,
    BOUNDARY_LABELS,
    BOUNDARY_NAMES,
    CONSUMPTION,
    DEFAULT_GRID_REGION,
    FEEDSTOCK_USE,
    FUEL_USE,
    NON_FOSSIL_ELECTRICITY,
    POWER_SECTOR,
    TEN_THOUSAND,
    TERRITORIAL,
    USES,
    AccountingError,
    Accounts,
    EconomicFigure,
    ElectricityBalance,
    EnergyRecord,
    FuelAccount,
    IntensityTarget,
    PeriodAccount,
    SectorAccount,
    boundary_caption,
)
