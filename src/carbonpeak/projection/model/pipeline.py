"""The key projects in hand as the projection reads them (bottom-up): each project's size from the year it
runs a whole year — photovoltaic capacity, fuel and electricity saved — so that a measure of the plan can be
sized by the projects the departments actually run instead of by an assumption."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from carbonpeak.core.text import gettext_noop

from .shapes import ELEC, F, family_of

#: the measures (levers) that projects can size, and how: photovoltaics by capacity, industrial efficiency
#: by the energy the retrofits save
MEASURES = {"pv": gettext_noop("光伏装机"), "industry": gettext_noop("重点行业能效提升")}
PROJECTS, ASSUMPTION = "projects", "assumption"


@dataclass(frozen=True)
class ProjectInHand:
    """One project as the model reads it: from ``first_year`` on it adds ``mw`` of photovoltaics and saves
    ``saved`` a year — (fuel, amount) with fuels in tce (当量值) and electricity in kWh."""

    name: str
    kind: str
    first_year: int
    mw: float = 0.0
    saved: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Pipeline:
    """The projects in hand and the measures they size (the others keep the scenario's assumption)."""

    projects: tuple[ProjectInHand, ...] = ()
    measures: frozenset[str] = field(default_factory=frozenset)

    def sizes(self, key: str) -> bool:
        return key in self.measures

    def mw(self, years: np.ndarray) -> np.ndarray:
        """The photovoltaic capacity the projects add, by year (MW)."""
        out = np.zeros(len(years))
        for p in self.projects:
            out += p.mw * (years >= p.first_year)
        return out

    def saved(self, years: np.ndarray) -> np.ndarray:
        """What the projects save a year, by family (F fuels in tce, then electricity in kWh) and year."""
        out = np.zeros((F + 1, len(years)))
        for p in self.projects:
            running = (years >= p.first_year).astype(float)
            for fuel, amount in p.saved:
                family = ELEC if fuel == "电力" else family_of(fuel)
                if family is not None:
                    out[family] += amount * running
        return out

    def describe(self, key: str, year: int) -> dict:
        """What a measure sized by the projects amounts to by ``year`` (for the result's ``measures``)."""
        years = np.array([year])
        running = [p for p in self.projects if p.first_year <= year]
        if key == "pv":
            return {"mw": round(float(self.mw(years)[0]), 3), "projects": sum(p.mw > 0 for p in running)}
        saved = self.saved(years)[:, 0]
        return {
            "tce": round(float(saved[:F].sum()), 3),
            "kwh": round(float(saved[ELEC]), 3),
            "projects": sum(bool(p.saved) for p in running),
        }
