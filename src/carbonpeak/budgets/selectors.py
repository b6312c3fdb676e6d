"""Reads of the accounts that budgets, tracking, project assessment and the pages share."""

from __future__ import annotations

from django.db.models import Q

from carbonpeak.core.models import Region
from carbonpeak.energy import catalog
from carbonpeak.energy.accounting import POWER_SECTOR
from carbonpeak.energy.models import AccountingResult, AccountingRun
from carbonpeak.energy.selectors import current_run

from .models import BudgetTracking, CarbonBudget
from .tracking import SectorUse, attribute_to_sectors

UNALLOCATED = "市级统筹（未分解）"


def year_to_date(run: AccountingRun | None, region: str, year: int) -> dict[int, AccountingResult]:
    """A region's year-to-date results of the year by last quarter (4 = the whole year)."""
    if run is None:
        return {}
    results = run.results.filter(region=region, year=year, first_quarter=1).select_related("run")
    return {r.last_quarter: r for r in results}


def annual(run: AccountingRun | None, region: str, year: int) -> AccountingResult | None:
    return year_to_date(run, region, year).get(4)


def quarterly_co2(run: AccountingRun | None, region: str, year: int) -> list[float | None] | None:
    """Each quarter's own CO2 (differences of the year-to-date figures); None without the four quarters."""
    ytd = year_to_date(run, region, year)
    if not all(q in ytd for q in (1, 2, 3, 4)):
        return None
    values = [ytd[q].co2_t for q in (1, 2, 3, 4)]
    return [values[0], *(b - a for a, b in zip(values, values[1:], strict=False))]


def sector_uses(result: AccountingResult) -> tuple[dict[str, float], float | None]:
    """The assessed total of a result attributed to sector groups (``tracking.attribute_to_sectors``)."""
    by_sector = result.data.get("by_sector") or {}
    # a sector's CO2 and electricity are sums over the rows it reported (always numbers in an account)
    uses = {
        name: SectorUse(float(acc["co2_t"]), float(acc["electricity_kwh"])) for name, acc in by_sector.items()
    }
    detailed, factor = attribute_to_sectors(result.co2_t, uses, POWER_SECTOR)
    groups: dict[str, float] = {}
    for name, value in detailed.items():
        sector = catalog.SECTOR_BY_NAME.get(name)
        group = sector.group if sector else name
        groups[group] = groups.get(group, 0.0) + value
    return groups, factor


def complete_years(run: AccountingRun | None) -> list[int]:
    """The years the run accounts whole (Q1–Q4), latest first: where a region's pages open."""
    if run is None:
        return []
    return sorted(
        set(run.results.filter(first_quarter=1, last_quarter=4).values_list("year", flat=True)), reverse=True
    )


def district_names(region: Region) -> list[str]:
    return list(region.children.order_by("id").values_list("name", flat=True))


def budget_for(year: int, region: Region | None = None) -> CarbonBudget | None:
    qs = CarbonBudget.objects.filter(year=year).select_related("region")
    if region is not None:
        qs = qs.filter(region=region)
    return qs.order_by("region_id").first()


def _row(t: BudgetTracking) -> dict:
    remaining = t.remaining_tco2
    return {
        "name": t.name,
        "budget_tco2": t.budget_tco2,
        "used_tco2": t.used_tco2,
        "remaining_tco2": remaining,
        "expected_tco2": t.expected_tco2,
        "used_share": None if t.used_tco2 is None or t.budget_tco2 <= 0 else t.used_tco2 / t.budget_tco2,
        "period": t.period,
        "grade": t.grade,
        "reason": t.reason,
    }


def budget_table(budget: CarbonBudget) -> dict:
    """The budget, its allocations and the tracking as last computed: one shape for page, API and export."""
    rows = list(budget.tracking.order_by("dimension", "order"))
    allocations = {a.dimension: a for a in budget.allocations.prefetch_related("parts")}
    city = next((t for t in rows if t.dimension == BudgetTracking.CITY), None)
    out = {
        "region": budget.region.name,
        "year": budget.year,
        "boundary": budget.boundary,
        "city": {
            "region": budget.region.name,
            "budget_tco2": budget.tco2,
            "method": budget.method,
            "method_label": budget.get_method_display(),
            "document": budget.document,
            "inputs": budget.inputs,
            "quarter_shares": budget.quarter_shares,
            "quarter_basis": budget.quarter_basis,
            "is_sample": budget.is_sample,
            **({k: v for k, v in _row(city).items() if k != "name"} if city else {}),
        },
    }
    for dimension, key, label in (
        (BudgetTracking.DISTRICT, "districts", "district"),
        (BudgetTracking.SECTOR, "sectors", "sector"),
    ):
        allocation = allocations.get(dimension)
        parts = {p.name: p for p in allocation.parts.all()} if allocation else {}
        out[key] = [
            {
                label: t.name,
                **_row(t),
                "base_tco2": parts[t.name].base_tco2 if t.name in parts else None,
                "weight": parts[t.name].weight if t.name in parts else None,
            }
            for t in rows
            if t.dimension == dimension
        ]
        out[f"{key}_allocation"] = (
            {
                "method": allocation.method,
                "method_label": allocation.get_method_display(),
                "base_year": allocation.base_year,
                "rule": allocation.rule,
                "note": allocation.note,
                "sum_tco2": sum(p.tco2 for p in parts.values()),
                "sums_to_whole": sum(p.tco2 for p in parts.values()) == round(budget.tco2),
            }
            if allocation
            else None
        )
    return out


__all__ = ["current_run", "UNALLOCATED"]


def regions_side_by_side(
    region: Region, year: int, run: AccountingRun | None, today, only: str | None = None
) -> list[dict]:
    """Each child region of ``region`` with its year's accounts, its budget use (its own budget, else its
    share of the parent's allocation) and, where it has a plan of its own, its targets' grades counted — the
    parent region's viewer's front door. A fixed number of queries plus one grading read per child plan."""
    from carbonpeak.monitoring.grading import GRADE_LABELS, Grade
    from carbonpeak.monitoring.selectors import plan_statuses
    from carbonpeak.plans.models import Plan, PlanRole

    children = list(region.children.order_by("id"))
    if only is not None:  # one child's row (a district's own front door)
        children = [c for c in children if c.name == only]
    names = [c.name for c in children]
    tracking: dict[str, BudgetTracking] = {}
    for t in (
        BudgetTracking.objects.filter(budget__year=year)
        .filter(
            Q(dimension=BudgetTracking.CITY, budget__region__name__in=names)
            | Q(dimension=BudgetTracking.DISTRICT, budget__region=region, name__in=names)
        )
        .select_related("budget__region")
    ):
        name = t.budget.region.name if t.dimension == BudgetTracking.CITY else t.name
        if name not in tracking or t.dimension == BudgetTracking.CITY:  # its own budget first
            tracking[name] = t
    plans = {
        p.region: p
        for p in Plan.objects.filter(region__in=names)
        .exclude(role=PlanRole.REFERENCE)
        .order_by("-role", "created_at", "id")  # the last written wins, as region_plan() picks
    }
    rows = []
    for child in children:
        result = annual(run, child.name, year)
        t = tracking.get(child.name)
        plan = plans.get(child.name)
        grades = None
        if plan is not None:
            counted = {g: 0 for g in Grade}
            for s in plan_statuses(plan, today):
                counted[s.assessment.grade] += 1
            grades = [(g.value, GRADE_LABELS[g], n) for g, n in counted.items() if n]
        rows.append(
            {
                "region": child.name,
                "energy_tce": None if result is None else result.energy_tce,
                "co2_t": None if result is None else result.co2_t,
                "budget": None if t is None else _row(t),
                "own_budget": t is not None and t.dimension == BudgetTracking.CITY,
                "plan": plan.title if plan is not None else "",
                "grades": grades,
            }
        )
    return rows
