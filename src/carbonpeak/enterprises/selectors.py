"""Reads of the enterprise register that pages, the API and exports share."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum

from carbonpeak.accounts import permissions
from carbonpeak.core.models import ReviewStatus

from . import efficiency as efficiency_rules
from . import projects, pv
from .models import AcceptanceTolerance, Building, Enterprise, EnterpriseReport, TwoHighProject


def scoped_to_user(user, queryset: QuerySet, enterprise_field: str) -> QuerySet:
    """Government users see every row; an enterprise user its own enterprise's only; anyone else none.
    (``can(VIEW_ENTERPRISE)`` without an object is the register as a whole, which enterprise users never get.)"""
    scope = permissions.enterprise_scope(user)
    if scope == permissions.ALL_ENTERPRISES:
        return queryset
    return queryset.filter(**{enterprise_field: scope.pk}) if scope is not None else queryset.none()


def visible_enterprises(user) -> QuerySet[Enterprise]:
    """The enterprises a user may see: an enterprise user its own only, government users all of them."""
    return scoped_to_user(user, Enterprise.objects.all(), "pk")


def filtered(queryset: QuerySet[Enterprise], params) -> QuerySet[Enterprise]:
    """The register filtered as the page and the API offer: district, sector, flags, a name or code."""
    if params.get("district"):
        queryset = queryset.filter(district=params["district"])
    if params.get("sector"):
        queryset = queryset.filter(sector=params["sector"])
    for flag in ("key_energy_user", "ets_covered", "two_high", "data_centre", "state_owned"):
        if params.get(flag) in ("1", "true", "是"):
            queryset = queryset.filter(**{flag: True})
    if params.get("foreign_origin"):
        queryset = queryset.filter(foreign_origin=str(params["foreign_origin"]).strip()[:50])
    if params.get("q"):
        q = str(params["q"]).strip()[:50]
        queryset = queryset.filter(name__icontains=q) | queryset.filter(credit_code__icontains=q.upper())
    return queryset


@dataclass
class PvRow:
    enterprise: Enterprise
    building: Building
    finding: pv.Finding


def latest_approved_reports(enterprises: QuerySet[Enterprise]) -> dict[int, EnterpriseReport]:
    """Each enterprise's latest approved annual report (latest year, then latest revision)."""
    out: dict[int, EnterpriseReport] = {}
    approved = EnterpriseReport.objects.filter(enterprise__in=enterprises, status=ReviewStatus.APPROVED)
    for report in approved.order_by("enterprise_id", "-year", "-revision"):
        out.setdefault(report.enterprise_id, report)
    return out


def pv_compliance(enterprises: QuerySet[Enterprise]) -> list[PvRow]:
    """Every building of these enterprises against the plan's PV rules.

    The annual energy use (当量值) and electricity an existing building's rule needs come from the enterprise's
    latest approved annual report; without one they are 未报 and the rule's status is 缺失."""
    rules = pv.load_rules()
    reports = latest_approved_reports(enterprises)
    rows: list[PvRow] = []
    buildings = Building.objects.filter(enterprise__in=enterprises).select_related("enterprise")
    for b in buildings.order_by("enterprise__name", "name"):
        facts = pv.Building(
            enterprise=b.enterprise.name,
            name=b.name,
            industrial=b.industrial,
            new_build=b.new_build,
            roof_area_m2=b.roof_area_m2,
            standard_factory=b.standard_factory,
            state_capital=b.state_capital,
            pv_installed_mw=b.pv_installed_mw,
            storage_mw=b.storage_mw,
            exemption=b.exemption,
        )
        report = reports.get(b.enterprise_id)
        use = (
            pv.EnterpriseUse(report.energy_tce, report.electricity_kwh)
            if report is not None
            else pv.EnterpriseUse()
        )
        for finding in pv.evaluate(facts, use, rules):
            rows.append(PvRow(b.enterprise, b, finding))
    return rows


def installed_pv_mw(enterprises: QuerySet[Enterprise]) -> tuple[float, int]:
    """PV installed in the register's buildings (MW) and how many buildings have not reported theirs."""
    figures = Building.objects.filter(enterprise__in=enterprises).aggregate(
        total=Sum("pv_installed_mw"), unreported=Count("id", filter=Q(pv_installed_mw__isnull=True))
    )
    # the sum over the buildings that reported (an empty sum is 0 MW); the unreported are counted beside it
    return figures["total"] or 0.0, figures["unreported"]


@dataclass
class ProjectRow:
    project: TwoHighProject
    acceptance: projects.Acceptance
    warning: str

    def as_dict(self) -> dict:
        p = self.project
        return {
            "id": p.pk,
            "name": p.name,
            "enterprise": p.enterprise.name if p.enterprise else None,
            "credit_code": p.enterprise.credit_code if p.enterprise else None,
            "district": p.district,
            "status": p.status,
            "disposal": p.disposal,
            "planned_tce": p.planned_tce,
            "review_number": p.review_number,
            "approved_tce": p.approved_tce,
            "acceptance_tce": p.acceptance_tce,
            "acceptance_status": self.acceptance.status,
            "acceptance_deviation_pct": self.acceptance.deviation_pct,
            "acceptance_note": self.acceptance.why,
            "reported_year": p.reported_year,
            "reported_tce": p.reported_tce,
            "warning": self.warning,
            "renewable_commitment": p.renewable_commitment,
            "renewable_share_pct": p.renewable_share_pct,
            "sample": p.sample,
        }


def current_tolerance() -> AcceptanceTolerance | None:
    return AcceptanceTolerance.objects.first()


def visible_projects(user) -> QuerySet[TwoHighProject]:
    """Projects a user may see: an enterprise user its own enterprise's only."""
    return scoped_to_user(user, TwoHighProject.objects.all(), "enterprise")


def project_rows(queryset: QuerySet[TwoHighProject]) -> list[ProjectRow]:
    """Each project with its 验收 judged against the entered tolerance and a warning when its reported use
    runs past the approval."""
    tolerance = current_tolerance()
    value = tolerance.value_pct if tolerance else None
    return [
        ProjectRow(
            p,
            projects.acceptance(p.approved_tce, p.acceptance_tce, value),
            projects.overrun(p.approved_tce, p.reported_tce, p.reported_year),
        )
        for p in queryset.select_related("enterprise").order_by("status", "name")
    ]


@dataclass
class ReconciliationRow:
    sector: str
    enterprises: int
    enterprises_tce: float
    city_tce: float | None  # None: the city's account for the year has no such sector (or no account)
    coverage: float | None  # enterprises / city
    gap_tce: float | None
    warning: str
    measured_enterprises: int = 0  # enterprises of the sector with a whole measured year (online monitoring)
    measured_tce: float | None = None  # their terminal energy by their meters; None: none measured
    measured_reported_tce: float | None = None  # the same enterprises' reports, for a like-for-like look

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _approved_latest(year: int) -> dict[int, dict]:
    """Each enterprise's latest approved revision for the year: enterprise id → its figures (name, sector,
    terminal tce, value added, energy, CO2). One query of plain values, ordered so that the first row per
    enterprise is its latest revision; the reconciliation, the movers and the efficiency grading read it."""
    rows = (
        EnterpriseReport.objects.filter(year=year, status=ReviewStatus.APPROVED)
        .order_by("enterprise_id", "-revision")
        .values(
            "enterprise_id",
            "terminal_tce",
            "value_added",
            "energy_tce",
            "co2_t",
            name=F("enterprise__name"),
            sector=F("enterprise__sector"),
        )
    )
    out: dict[int, dict] = {}
    for row in rows:
        out.setdefault(row["enterprise_id"], row)
    return out


def city_sector_accounts(year: int, region: str | None = None) -> tuple[dict[str, float], str]:
    """The city's sector accounts for a year (terminal energy, 当量值) from the latest accounting run, and the
    region they are for (the plan's region when it has an account, else the run's largest)."""
    from carbonpeak.energy.selectors import current_run

    run = current_run()
    if run is None:
        return {}, ""
    results = run.results.filter(year=year, first_quarter=1, last_quarter=4)
    result = (results.filter(region=region).first() if region else None) or results.order_by(
        "-energy_tce"
    ).first()
    if result is None:
        return {}, ""
    sectors = result.data.get("by_sector", {})
    return {
        name: s.get("terminal_tce") for name, s in sectors.items() if s.get("terminal_tce") is not None
    }, result.region


def reconciliation(year: int, region: str | None = None) -> tuple[list[ReconciliationRow], str]:
    """The key enterprises' approved reports summed by sector against the city's sector accounts of the
    same year: coverage, the gap, and a warning when the enterprises report more than the sector; beside
    them, for the enterprises whose meters cover the whole year, their measured terminal energy."""
    from carbonpeak.meters.selectors import measured_terminal_tce

    measured = measured_terminal_tce(year)
    sums: dict[str, list[float]] = {}
    beside: dict[str, list[float]] = {}  # sector → [enterprises, measured tce, their reported tce]
    for eid, row in _approved_latest(year).items():
        sector, tce = row["sector"], row["terminal_tce"]
        if tce is None:  # a report without its terminal energy is left out of the sum, not counted as 0
            continue
        entry = sums.setdefault(sector, [0, 0.0])
        entry[0] += 1
        entry[1] += tce
        if eid in measured:
            line = beside.setdefault(sector, [0, 0.0, 0.0])
            line[0] += 1
            line[1] += measured[eid]
            line[2] += tce
    city, city_region = city_sector_accounts(year, region)
    rows = []
    for sector, (count, total) in sorted(sums.items()):
        metered = beside.get(sector)
        city_tce = city.get(sector)
        coverage = total / city_tce if city_tce else None
        warning = ""
        if city_tce is None:
            warning = f"全市{year}年核算中没有“{sector}”的数据：无法比对"
        elif total > city_tce:
            warning = f"重点企业报告合计 {total:,.0f} tce 超过全市该行业 {city_tce:,.0f} tce：请核对企业报告或全市统计"
        rows.append(
            ReconciliationRow(
                sector,
                count,
                total,
                city_tce,
                coverage,
                None if city_tce is None else city_tce - total,
                warning,
                metered[0] if metered else 0,
                metered[1] if metered else None,
                metered[2] if metered else None,
            )
        )
    return rows, city_region


def movers(year: int, limit: int = 10) -> list[dict]:
    """Enterprises whose terminal energy moved most on the year before (both years approved)."""
    now, before = _approved_latest(year), _approved_latest(year - 1)
    moved = [
        {
            "enterprise": row["name"],
            "enterprise_id": eid,
            "sector": row["sector"],
            "tce": row["terminal_tce"],
            "previous_tce": before[eid]["terminal_tce"],
            "change_tce": row["terminal_tce"] - before[eid]["terminal_tce"],
        }
        for eid, row in now.items()
        if eid in before and before[eid]["terminal_tce"] is not None and row["terminal_tce"] is not None
    ]
    moved.sort(key=lambda m: abs(m["change_tce"]), reverse=True)
    return moved[:limit]


def efficiency(year: int) -> list[efficiency_rules.Graded]:
    """能耗产出效益评价 for a year: each enterprise's latest approved revision, graded within its sector."""
    latest = [
        efficiency_rules.Figures(
            eid, row["name"], row["sector"], row["value_added"], row["energy_tce"], row["co2_t"]
        )
        for eid, row in _approved_latest(year).items()
    ]
    graded = efficiency_rules.grade(latest)
    order = {g: i for i, g in enumerate((*efficiency_rules.GRADES, "未分级", "缺失"))}
    return sorted(graded, key=lambda g: (g.figures.sector, order[g.grade], g.rank or 0))


def register_installed_pv() -> tuple[float, int]:
    """The whole register's PV installed (MW) and buildings without a reported figure."""
    return installed_pv_mw(Enterprise.objects.all())


def sector_intensity(year: int, sector: str) -> dict:
    """The register's enterprises of a sector for a year (latest approved revisions): energy (当量值) and CO2
    per 万元 of value added over those that reported value added — the 'sector' a project is compared with."""
    rows = [
        r
        for r in _approved_latest(year).values()
        if r["sector"] == sector and r["value_added"] and r["value_added"] > 0 and r["energy_tce"] is not None
    ]
    value_added = sum(r["value_added"] for r in rows)
    return {
        "year": year,
        "enterprises": len(rows),
        "tce_per_10k_yuan": sum(r["energy_tce"] for r in rows) / value_added if rows else None,
        "co2_t_per_10k_yuan": sum(r["co2_t"] for r in rows) / value_added
        if rows and all(r["co2_t"] is not None for r in rows)
        else None,  # one enterprise's CO2 unknown: the sector's figure is too
    }
