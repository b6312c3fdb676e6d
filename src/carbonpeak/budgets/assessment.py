"""Project carbon assessment in the energy-saving review (节能审查): a project's energy and CO2 by the city's
engine, its intensity against the city and its sector, its share of the remaining budgets, the review level,
the decision and the 验收 — its own concept beside the budgets, and its own writer: registration, the review
lifecycle and acceptance check permission, validate, write and audit here."""

from __future__ import annotations

from django.db import transaction

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, review
from carbonpeak.core.errors import DomainError
from carbonpeak.core.models import Region

from . import selectors
from .models import BudgetTracking, CarbonBudget, ProjectAssessment, ProjectFuel


def _fuel_lines(fuels) -> list[dict]:
    from carbonpeak.enterprises.services import clean_fuel_lines

    lines = clean_fuel_lines(list(fuels or []))
    return [{k: line[k] for k in ("fuel", "unit", "quantity", "use")} for line in lines]


def _figures(project, stage: str, electricity_kwh: float | None, year: int):
    from carbonpeak.energy.accounting import AccountingError
    from carbonpeak.energy.selectors import official_factors
    from carbonpeak.enterprises import mrv

    lines = [f for f in project.fuels.all() if f.stage == stage]
    report = mrv.ReportInput(
        code=f"项目：{project.name}"[:60],
        sector=project.sector,
        year=year,
        fuels=tuple(mrv.FuelLine(f.fuel, f.unit, f.quantity, f.use) for f in lines),
        bought_kwh=electricity_kwh if electricity_kwh is not None else None,
        sold_kwh=0.0,
    )
    try:
        return mrv.figures(report, official_factors())
    except AccountingError as exc:
        raise DomainError(exc.problems) from exc


def factor_year() -> int | None:
    """The latest year the city has a whole year's account for: a project is assessed with that year's
    factors and against that year's city figures (its own operation year has neither yet)."""
    from carbonpeak.energy.selectors import city_region

    run = selectors.current_run()
    if run is None:
        return None
    years = run.results.filter(region=city_region(), first_quarter=1, last_quarter=4).values_list(
        "year", flat=True
    )
    return max(years, default=None)


def assess(project) -> dict:
    """The project's energy and CO2 by the city's engine, per 万元 of value added against the city's and its
    sector's, its share of the remaining district and city budgets, and the review it falls under."""
    from carbonpeak.energy.selectors import city_region
    from carbonpeak.enterprises.selectors import sector_intensity

    from .review import budget_share, per_value_added, review_level

    year = factor_year() or project.operation_year
    fig = _figures(project, ProjectFuel.DECLARED, project.electricity_kwh, year)
    run = selectors.current_run()
    city_name = city_region()
    city = selectors.annual(run, city_name, year)
    sector = sector_intensity(year, project.sector)
    budget = CarbonBudget.objects.filter(region__name=city_name).order_by("-year").first()
    city_row = district_row = None
    if budget is not None:
        rows = {(t.dimension, t.name): t for t in budget.tracking.all()}
        city_row = rows.get((BudgetTracking.CITY, city_name))
        district_row = rows.get((BudgetTracking.DISTRICT, project.district))
    city_share = budget_share(
        fig.co2_t,
        city_row.budget_tco2 if city_row else None,
        city_row.used_tco2 if city_row else None,
        city_name,
    )
    district_share = budget_share(
        fig.co2_t,
        district_row.budget_tco2 if district_row else None,
        district_row.used_tco2 if district_row else None,
        project.district,
    )
    level = review_level(fig.energy_tce, project.electricity_kwh, fig.co2_t)
    return {
        "factor_year": year,
        "factor_set": fig.factor_set,
        "tce_calorific": fig.energy_tce,
        "tce_equivalent": fig.energy_tce_equivalent,
        "co2_t": fig.co2_t,
        "co2_direct_t": fig.co2_direct_t,
        "boundary": city.data.get("co2_boundary_label", "") if city else "",
        "missing": fig.missing,
        "tce_per_10k_yuan": per_value_added(fig.energy_tce, project.value_added_10k),
        "co2_t_per_10k_yuan": per_value_added(fig.co2_t, project.value_added_10k),
        "city_tce_per_10k_yuan": city.data.get("energy_intensity_calorific_tce_per_10k_yuan")
        if city
        else None,
        "city_co2_t_per_10k_yuan": city.data.get("carbon_intensity_t_per_10k_yuan") if city else None,
        "sector": sector,
        "budget_year": budget.year if budget else None,
        "budget_is_sample": budget.is_sample if budget else False,
        "city_budget_share": city_share.share,
        "city_remaining_tco2": city_share.remaining_tco2,
        "city_budget_words": city_share.words,
        "district_budget_share": district_share.share,
        "district_remaining_tco2": district_share.remaining_tco2,
        "district_budget_words": district_share.words,
        "review": level.to_dict(),
    }


def _check_project_fields(
    district: str, sector: str, operation_year: int, value_added_10k, electricity_kwh
) -> str:
    from carbonpeak.core.regions import DISTRICT_LEVEL
    from carbonpeak.energy.catalog import UnknownName, resolve_sector

    problems = []
    if not Region.objects.filter(name=district, level=DISTRICT_LEVEL).exists():
        problems.append(f"所在区镇“{district}”不在地区树中")
    try:
        sector = resolve_sector(sector)
    except UnknownName as exc:
        problems.append(str(exc))
    if not 2000 <= int(operation_year) <= 2100:
        problems.append("预计投产年份须在 2000–2100 之间")
    for label, value in (("达产年工业增加值", value_added_10k), ("年用电量", electricity_kwh)):
        if value is not None and (value < 0 or value != value):
            problems.append(f"{label}须为非负数")
    if problems:
        raise DomainError(problems)
    return sector


@transaction.atomic
def register_project(
    user,
    *,
    name: str,
    applicant: str,
    district: str,
    sector: str,
    operation_year: int,
    fuels: list[dict],
    electricity_kwh: float | None,
    value_added_10k: float | None,
    output: str = "",
    enterprise=None,
    two_high_project=None,
    is_sample: bool = False,
) -> ProjectAssessment:
    """A project as declared for the energy-saving review (a draft), assessed at once; nothing is written
    when the engine cannot account its energy."""
    permissions.require(user, Action.SUBMIT_PROJECT, district)
    if two_high_project is not None and enterprise is None:
        enterprise = two_high_project.enterprise
    if (
        two_high_project is not None
        and enterprise is not None
        and two_high_project.enterprise_id
        not in (
            None,
            enterprise.pk,
        )
    ):
        raise DomainError("所选两高项目不属于所选企业")
    name, applicant = (name or "").strip()[:200], (applicant or "").strip()[:200]
    if enterprise is not None and not applicant:
        applicant = enterprise.name
    if not name or not applicant:
        raise DomainError("请填写项目名称和建设单位")
    sector = _check_project_fields(district, sector, operation_year, value_added_10k, electricity_kwh)
    project = ProjectAssessment.objects.create(
        name=name,
        applicant=applicant,
        district=district,
        sector=sector,
        operation_year=operation_year,
        output=(output or "").strip()[:200],
        value_added_10k=value_added_10k,
        electricity_kwh=electricity_kwh,
        enterprise=enterprise,
        two_high_project=two_high_project,
        is_sample=is_sample,
        created_by=user,
    )
    ProjectFuel.objects.bulk_create(
        ProjectFuel(project=project, stage=ProjectFuel.DECLARED, **line) for line in _fuel_lines(fuels)
    )
    project.assessment = assess(project)
    project.save(update_fields=["assessment"])
    audit.record(user, audit.Action.CREATE, project, after=_project_snapshot(project))
    return project


def _project_snapshot(project) -> dict:
    fields = (
        "name",
        "applicant",
        "district",
        "sector",
        "operation_year",
        "electricity_kwh",
        "value_added_10k",
    )
    return audit.snapshot(project, fields) | {
        "fuels": [f"{f.fuel} {f.quantity:g} {f.unit}（{f.use}）" for f in project.fuels.all()],
        "co2_t": project.assessment.get("co2_t"),
    }


def _assess_again(project: ProjectAssessment) -> None:
    """To the reviewer, assessed again on the latest accounts and budgets."""
    project.assessment = assess(project)
    project.save(update_fields=["assessment", "updated_at"])


REVIEW = review.Lifecycle(
    ProjectAssessment,
    may_submit=lambda user, project: permissions.require(user, Action.SUBMIT_PROJECT, project.district),
    may_review=lambda user, project: permissions.require(user, Action.REVIEW),
    ready=_assess_again,
)


submit_project = REVIEW.submit


@transaction.atomic
def decide_project(
    project: ProjectAssessment, *, user, decision: str, conditions: str = "", review_number: str = ""
) -> ProjectAssessment:
    """The approval of a project is the review's decision (通过 / 有条件通过 / 不予通过) with its conditions;
    a project the reviewer wants changed is returned instead (``return_project``)."""
    REVIEW.may_review(user, project)
    conditions = (conditions or "").strip()
    if decision not in (
        ProjectAssessment.Decision.APPROVED,
        ProjectAssessment.Decision.CONDITIONAL,
        ProjectAssessment.Decision.REJECTED,
    ):
        raise DomainError({"decision": "请选择审查结论：通过、有条件通过或不予通过"})
    if decision != ProjectAssessment.Decision.APPROVED and not conditions:
        raise DomainError({"conditions": "有条件通过或不予通过时须写明条件或理由"})
    project = REVIEW.lock(project)
    review.check_reviewable(project)
    project.decision, project.conditions = decision, conditions
    project.review_number = (review_number or "").strip()[:100]
    project.save(update_fields=["decision", "conditions", "review_number", "updated_at"])
    comment = f"{project.get_decision_display()}。{conditions}".strip("。 ")
    return REVIEW.approve(project, user=user, comment=comment)


return_project = REVIEW.return_


@transaction.atomic
def accept_project(
    user, project: ProjectAssessment, *, accepted_on, fuels: list[dict], electricity_kwh: float | None
) -> ProjectAssessment:
    """验收: the project's actual annual energy, by the same engine, against what the review approved, judged
    against the tolerance the coordinator entered with its document (缺失 until then)."""
    from carbonpeak.enterprises import projects
    from carbonpeak.enterprises.selectors import current_tolerance

    permissions.require(user, Action.REVIEW)
    if project.decision not in (ProjectAssessment.Decision.APPROVED, ProjectAssessment.Decision.CONDITIONAL):
        raise DomainError("只有审查通过的项目可以验收")
    if accepted_on is None:
        raise DomainError({"accepted_on": "请填写验收日期"})
    before = dict(project.acceptance)
    project.fuels.filter(stage=ProjectFuel.ACTUAL).delete()
    ProjectFuel.objects.bulk_create(
        ProjectFuel(project=project, stage=ProjectFuel.ACTUAL, **line) for line in _fuel_lines(fuels)
    )
    year = project.assessment.get("factor_year") or project.operation_year
    actual = _figures(project, ProjectFuel.ACTUAL, electricity_kwh, year)
    approved = project.assessment.get("tce_calorific")
    tolerance = current_tolerance()
    judged = projects.acceptance(approved, actual.energy_tce, tolerance.value_pct if tolerance else None)
    co2 = project.assessment.get("co2_t")
    project.accepted_on, project.actual_electricity_kwh = accepted_on, electricity_kwh
    project.acceptance = {
        "tce_calorific": actual.energy_tce,
        "tce_equivalent": actual.energy_tce_equivalent,
        "co2_t": actual.co2_t,
        "co2_deviation_pct": (actual.co2_t - co2) / co2 * 100 if co2 else None,
        "status": judged.status,
        "deviation_pct": judged.deviation_pct,
        "why": judged.why,
        "tolerance_document": tolerance.source if tolerance else "",
    }
    project.save(update_fields=["accepted_on", "actual_electricity_kwh", "acceptance", "updated_at"])
    audit.record(user, audit.Action.UPDATE, project, before=before or None, after=project.acceptance)
    return project
