"""Reads of the enterprise register that pages, the API and exports share."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from carbonpeak.accounts import permissions

from . import projects, pv
from .models import AcceptanceTolerance, Building, Enterprise, TwoHighProject


def visible_enterprises(user) -> QuerySet[Enterprise]:
    """The enterprises a user may see: an enterprise user its own only, government users all of them."""
    own = permissions.enterprise_of(user)
    if own is not None and permissions.ENTERPRISE in permissions.roles(user):
        return Enterprise.objects.filter(pk=own.pk)
    if not permissions.can(user, permissions.Action.VIEW_ENTERPRISE):
        return Enterprise.objects.none()
    return Enterprise.objects.all()


def filtered(queryset: QuerySet[Enterprise], params) -> QuerySet[Enterprise]:
    """The register filtered as the page and the API offer: district, sector, flags, a name or code."""
    if params.get("district"):
        queryset = queryset.filter(district=params["district"])
    if params.get("sector"):
        queryset = queryset.filter(sector=params["sector"])
    for flag in ("key_energy_user", "ets_covered", "two_high", "data_centre", "state_owned"):
        if params.get(flag) in ("1", "true", "是"):
            queryset = queryset.filter(**{flag: True})
    if params.get("q"):
        q = str(params["q"]).strip()[:50]
        queryset = queryset.filter(name__icontains=q) | queryset.filter(credit_code__icontains=q.upper())
    return queryset


@dataclass
class PvRow:
    enterprise: Enterprise
    building: Building
    finding: pv.Finding


def pv_compliance(enterprises: QuerySet[Enterprise]) -> list[PvRow]:
    """Every building of these enterprises against the plan's PV rules.

    The annual energy use an existing building's rule needs comes from the enterprise's annual report;
    until one is approved it is 未报 and the rule's status is 缺失."""
    rules = pv.load_rules()
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
        for finding in pv.evaluate(facts, pv.EnterpriseUse(), rules):
            rows.append(PvRow(b.enterprise, b, finding))
    return rows


def installed_pv_mw(enterprises: QuerySet[Enterprise]) -> tuple[float, int]:
    """PV installed in the register's buildings (MW) and how many buildings have not reported theirs."""
    buildings = Building.objects.filter(enterprise__in=enterprises)
    total = sum(b.pv_installed_mw for b in buildings if b.pv_installed_mw is not None)
    return total, buildings.filter(pv_installed_mw__isnull=True).count()


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
    own = permissions.enterprise_of(user)
    if own is not None and permissions.ENTERPRISE in permissions.roles(user):
        return TwoHighProject.objects.filter(enterprise=own)
    if not permissions.can(user, permissions.Action.VIEW_ENTERPRISE):
        return TwoHighProject.objects.none()
    return TwoHighProject.objects.all()


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
