"""Will the city peak before 2030? Monte Carlo projection over draws × years × sectors (pure numpy, no Django).

The model is deliberately small enough to read: each end-use sector's fuel use (by family) and electricity
follow GDP and the sector's own trend fitted on the accounting history; the power sector burns coal in
proportion to local coal generation; local PV displaces grid electricity; CO2 is counted exactly as the
accounting counts it (direct combustion + net imported electricity × grid factor, so a net exporter is
credited at the grid factor). The plan's measures are levers that bend those paths. Every uncertain input
is an ``Assumption`` with a distribution (``scenarios.py`` reads them from ``data/parameters.csv``, each
with its source); one seeded generator draws them all, in a fixed order, so that runs with a lever switched
off share every other draw (common random numbers) and the difference is the lever's contribution.
``docs/projection.md`` states the equations. The package is split along the model's seams (shapes,
history, levers, calibration, paths, results, validation, simulate, attribution); its names are read from here.
"""

from __future__ import annotations

from .attribution import shapley_of_three, what_moved
from .calibration import Calibration, calibrate, required_keys, resolve_history, sample_inputs
from .history import History, history_from_periods
from .levers import (
    CORRELATION,
    DISTRIBUTIONS,
    DRAWN,
    FIXED,
    LEVER_BY_KEY,
    LEVERS,
    PERSISTENCE,
    RETIREMENT,
    TREND_SE_SCALE,
    Assumption,
    Lever,
    Scenario,
    retirements,
    stream,
)
from .paths import INDUSTRY_SLICE, Paths, paths
from .pipeline import ASSUMPTION, MEASURES, PROJECTS, Pipeline, ProjectInHand
from .results import LeverEffect, Projection, _peaks, peak_rule
from .shapes import (
    BOUNDARIES,
    BOUNDARY_NAMES,
    BUILDINGS,
    COAL,
    ELEC,
    END_YEAR,
    FAMILIES,
    FAMILY_LABEL,
    GAS,
    HEAT,
    HOLDOUT_YEARS,
    INDUSTRY,
    PEAK_DEADLINE,
    PEAK_TOLERANCE,
    PLATEAU_WINDOW,
    POWER,
    REFINED,
    REFINED_OIL_FUELS,
    SECTOR_INDEX,
    SECTOR_OF,
    SECTORS,
    TRANSPORT,
    UNRESOLVED,
    Z90,
    F,
    ProjectionError,
    ProjectionSector,
    family_of,
)
from .simulate import boundary_sentence, project
from .validation import _truncate, backcast, validate
