"""Every write of carbon double control: budgets, their allocation, the tracking that follows the accounts,
and projects' carbon assessment. Each checks permission, validates, writes, audits and refreshes what
depends on it, so the pages, the API and the CLI cannot differ."""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, review
from carbonpeak.core.errors import DomainError
from carbonpeak.core.models import Region
from carbonpeak.energy.models import AccountingRun

from . import allocation as pure
from . import selectors
from .models import Allocation, AllocationPart, BudgetTracking, CarbonBudget, ProjectAssessment, ProjectFuel
from .tracking import SECTOR_RULE, track


def _region(name: str) -> Region:
    region = Region.objects.filter(name=name).first()
    if region is None:
        raise DomainError(f"地区“{name}”不存在")
    return region


def _refuse(error: pure.BudgetError) -> ValidationError:
    return DomainError(error.problems)


# ------------------------------------------------------------------ the budget of a region for a year


@transaction.atomic
def set_budget(
    user,
    *,
    region: str,
    year: int,
    method: str,
    document: str,
    tco2: float | None = None,
    reduction_pct: float | None = None,
    baseline_year: int | None = None,
    target_year: int | None = None,
    growth_pct: float | None = None,
    is_sample: bool = False,
) -> CarbonBudget:
    """The region's budget for the year: the figure handed down (下达) with its document, or computed from a
    CO2-intensity target (reduction on a baseline year by a target year, with its document) and the expected
    real growth. Quarters follow the previous year's own seasonal pattern."""
    permissions.require(user, Action.MANAGE_BUDGETS)
    place = _region(region)
    document = (document or "").strip()
    if not document:
        raise DomainError("请填写依据：下达文件文号，或强度目标与预期增速的来源")
    if not 2000 <= year <= 2100:
        raise DomainError("年份须在 2000–2100 之间")
    run = selectors.current_run()
    inputs: dict = {}
    try:
        if method == pure.WholeMethod.HANDED_DOWN:
            if tco2 is None or tco2 <= 0:
                raise pure.BudgetError(["请填写下达的碳预算（吨二氧化碳，正数）"])
            whole = float(tco2)
        elif method == pure.WholeMethod.INTENSITY:
            basis = _intensity_basis(
                run, place.name, year, reduction_pct, baseline_year, target_year, growth_pct
            )
            figure = pure.budget_from_intensity(year, basis)
            whole = figure.tco2
            inputs = {
                **basis.__dict__,
                "allowed_intensity": figure.allowed_intensity,
                "gdp_constant": figure.gdp_constant,
                "words": figure.words,
                "accounting_run": run.pk if run else None,
                "factor_set": run.factor_set_label if run else "",
            }
        else:
            raise pure.BudgetError([f"未知的确定方式：{method}"])
    except pure.BudgetError as exc:
        raise _refuse(exc) from None
    shares, basis_words = pure.quarter_shares(selectors.quarterly_co2(run, place.name, year - 1))
    previous = CarbonBudget.objects.filter(region=place, year=year).first()
    if previous is not None and round(previous.tco2) != round(whole):
        manual = previous.allocations.filter(method=pure.Method.MANUAL)
        if manual.exists():
            names = "、".join(a.get_dimension_display() for a in manual)
            raise DomainError(
                f"该年已有按{names}的手工分配；总量改变后其合计将不等于总量。请先删除或改用计算方法重新分配"
            )
    base = selectors.annual(run, place.name, year - 1)
    boundary = (base.data.get("co2_boundary_label") if base else "") or "考核口径（见核算因子集设置）"
    budget, created = CarbonBudget.objects.update_or_create(
        region=place,
        year=year,
        defaults={
            "method": method,
            "tco2": whole,
            "document": document[:300],
            "inputs": inputs,
            "quarter_shares": list(shares),
            "quarter_basis": basis_words,
            "boundary": boundary[:200],
            "is_sample": is_sample,
            "created_by": user,
        },
    )
    audit.record(
        user,
        audit.Action.CREATE if created else audit.Action.UPDATE,
        budget,
        before=None if created else audit.snapshot(previous, ("method", "tco2", "document")),
        after=audit.snapshot(budget, ("method", "tco2", "document", "quarter_basis")),
    )
    for existing in budget.allocations.exclude(method=pure.Method.MANUAL).prefetch_related("parts"):
        growth = {p.name: p.growth_pct for p in existing.parts.all()}  # the intensity method's inputs, kept
        _allocate(
            budget, existing.dimension, pure.Method(existing.method), user, growth=growth, note=existing.note
        )
    refresh_tracking(budget)
    return budget


def _intensity_basis(
    run, region, year, reduction_pct, baseline_year, target_year, growth_pct
) -> pure.IntensityBasis:
    problems = []
    if reduction_pct is None:
        problems.append("请填写二氧化碳排放强度下降目标（%）")
    if baseline_year is None or target_year is None:
        problems.append("请填写强度目标的基准年和目标年")
    if growth_pct is None:
        problems.append(f"请填写{year}年地区生产总值预期实际增速（%）及其来源")
    if problems:
        raise pure.BudgetError(problems)
    base = selectors.annual(run, region, baseline_year)
    previous = selectors.annual(run, region, year - 1)
    intensity = base.data.get("carbon_intensity_t_per_10k_yuan") if base else None
    gdp = previous.data.get("gdp_constant_100m_yuan") if previous else None
    if intensity is None:
        problems.append(f"缺失：{region}{baseline_year}年碳排放强度（需该年核算结果与可比价地区生产总值）")
    if gdp is None:
        problems.append(f"缺失：{region}{year - 1}年可比价地区生产总值（需该年核算结果）")
    if problems:
        raise pure.BudgetError(problems)
    return pure.IntensityBasis(
        baseline_year=baseline_year,
        baseline_intensity=float(intensity),
        target_year=target_year,
        reduction_pct=float(reduction_pct),
        previous_gdp_constant=float(gdp),
        growth_pct=float(growth_pct),
    )


# ------------------------------------------------------------------ allocation to districts and sectors


@transaction.atomic
def allocate(
    user,
    budget: CarbonBudget,
    dimension: str,
    method: str,
    *,
    manual: dict[str, float | None] | None = None,
    growth: dict[str, float | None] | None = None,
    note: str = "",
) -> Allocation:
    """Allocate the budget to the region's districts (and the city's 未分解 part) or to sectors by a method;
    the parts sum to the whole or nothing is written."""
    permissions.require(user, Action.MANAGE_BUDGETS)
    if dimension not in (Allocation.DISTRICT, Allocation.SECTOR):
        raise DomainError(f"未知的分配维度：{dimension}")
    try:
        method = pure.Method(method)
    except ValueError:
        raise DomainError(f"未知的分配方法：{method}") from None
    allocation = _allocate(budget, dimension, method, user, manual=manual, growth=growth, note=note)
    refresh_tracking(budget)
    return allocation


def part_bases(budget: CarbonBudget, dimension: str) -> tuple[list[pure.PartBasis], int]:
    """The parts and their base-year CO2 (the year before the budget's) on the budget's boundary."""
    run = selectors.current_run()
    base_year = budget.year - 1
    city = selectors.annual(run, budget.region.name, base_year)
    if dimension == Allocation.SECTOR:
        groups = selectors.sector_uses(city)[0] if city else {}
        return [pure.PartBasis(name, value) for name, value in groups.items()], base_year
    parts = []
    for name in selectors.district_names(budget.region):
        result = selectors.annual(run, name, base_year)
        parts.append(pure.PartBasis(name, result.co2_t if result else None))
    reported = [p.base_tco2 for p in parts if p.base_tco2 is not None]
    if city is not None and len(reported) == len(parts):
        parts.append(pure.PartBasis(selectors.UNALLOCATED, city.co2_t - sum(reported)))
    return parts, base_year


def _allocate(
    budget: CarbonBudget,
    dimension: str,
    method: pure.Method,
    user,
    *,
    manual: dict | None = None,
    growth: dict | None = None,
    note: str = "",
) -> Allocation:
    bases, base_year = part_bases(budget, dimension)
    if method == pure.Method.MANUAL:
        names = [b.name for b in bases] or list((manual or {}).keys())
        unknown = set(manual or {}) - set(names) - {selectors.UNALLOCATED}
        if unknown:
            raise DomainError(f"不是本地区的分配对象：{'、'.join(sorted(unknown))}")
        bases = [pure.PartBasis(n, None, None, (manual or {}).get(n)) for n in names]
    elif method == pure.Method.INTENSITY:
        given = growth or {}
        bases = [pure.PartBasis(b.name, b.base_tco2, given.get(b.name)) for b in bases]
    try:
        shares = pure.allocate(budget.tco2, method, bases)
    except pure.BudgetError as exc:
        raise _refuse(exc) from None
    previous = budget.allocations.filter(dimension=dimension).first()
    before = None
    if previous is not None:
        before = {p.name: p.tco2 for p in previous.parts.all()} | {"method": previous.method}
        previous.delete()
    rule = pure.METHOD_RULES[method]
    if dimension == Allocation.SECTOR:
        rule += "；" + SECTOR_RULE
    allocation = Allocation.objects.create(
        budget=budget,
        dimension=dimension,
        method=method,
        base_year=None if method == pure.Method.MANUAL else base_year,
        rule=rule,
        note=(note or "")[:300],
        created_by=user,
    )
    AllocationPart.objects.bulk_create(
        AllocationPart(
            allocation=allocation,
            name=share.name,
            tco2=share.tco2,
            base_tco2=basis.base_tco2,
            growth_pct=basis.growth_pct,
            weight=share.weight,
            order=i,
        )
        for i, (share, basis) in enumerate(zip(shares, bases, strict=True))
    )
    audit.record(
        user,
        audit.Action.UPDATE if previous else audit.Action.CREATE,
        allocation,
        before=before,
        after={s.name: s.tco2 for s in shares} | {"method": str(method)},
    )
    return allocation


@transaction.atomic
def delete_allocation(user, allocation: Allocation) -> None:
    permissions.require(user, Action.MANAGE_BUDGETS)
    budget = allocation.budget
    audit.record(
        user, audit.Action.DELETE, allocation, before={p.name: p.tco2 for p in allocation.parts.all()}
    )
    allocation.delete()
    refresh_tracking(budget)


# ------------------------------------------------------------------ tracking (after every accounting)


def refresh_all(run: AccountingRun | None = None) -> int:
    """Every budget's tracking again on the new accounts; returns how many warnings were raised."""
    return sum(len(refresh_tracking(b, run=run)) for b in CarbonBudget.objects.select_related("region"))


@transaction.atomic
def refresh_tracking(budget: CarbonBudget, *, run: AccountingRun | None = None) -> list:
    """Use against budget for the region, its districts and its sectors at the latest quarter of the year the
    region has data for; a change of grade raises a warning (after a first grade, 本平台规则 as for targets)."""
    from carbonpeak.departments.models import Department
    from carbonpeak.monitoring import services as monitoring
    from carbonpeak.monitoring.grading import Grade, grade_changed

    run = run or selectors.current_run()
    region = budget.region.name
    shares = tuple(budget.quarter_shares) if len(budget.quarter_shares) == 4 else (0.25,) * 4
    city_ytd = selectors.year_to_date(run, region, budget.year)
    quarters = sorted(city_ytd)
    rows: list[tuple[str, object]] = [
        (
            BudgetTracking.CITY,
            track(
                region,
                budget.year,
                budget.tco2,
                {q: r.co2_t for q, r in city_ytd.items()},
                shares,
                budget.quarter_basis,
            ),
        )
    ]
    allocations = {a.dimension: a for a in budget.allocations.prefetch_related("parts")}
    if Allocation.DISTRICT in allocations:
        district_ytd = {
            name: selectors.year_to_date(run, name, budget.year)
            for name in selectors.district_names(budget.region)
        }
        for part in allocations[Allocation.DISTRICT].parts.all():
            if part.name == selectors.UNALLOCATED:
                used = {
                    q: city_ytd[q].co2_t - sum(d[q].co2_t for d in district_ytd.values())
                    if all(q in d for d in district_ytd.values())
                    else None
                    for q in quarters
                }
            else:
                ytd = district_ytd.get(part.name, {})
                used = {q: ytd[q].co2_t if q in ytd else None for q in quarters}
            rows.append(
                (
                    BudgetTracking.DISTRICT,
                    track(
                        part.name, budget.year, part.tco2, _upto_latest(used), shares, budget.quarter_basis
                    ),
                )
            )
    if Allocation.SECTOR in allocations:
        by_quarter = {q: selectors.sector_uses(r)[0] for q, r in city_ytd.items()}
        for part in allocations[Allocation.SECTOR].parts.all():
            used = {q: by_quarter[q].get(part.name) for q in quarters}
            rows.append(
                (
                    BudgetTracking.SECTOR,
                    track(part.name, budget.year, part.tco2, used, shares, budget.quarter_basis),
                )
            )
    previous = {(t.dimension, t.name): t.grade for t in budget.tracking.all()}
    budget.tracking.all().delete()
    BudgetTracking.objects.bulk_create(
        BudgetTracking(
            budget=budget,
            dimension=dimension,
            name=t.name,
            budget_tco2=t.budget_tco2,
            used_tco2=t.used_tco2,
            expected_tco2=t.expected_tco2,
            period=t.period,
            grade=t.assessment.grade.value,
            reason=t.assessment.reason,
            order=i,
        )
        for i, (dimension, t) in enumerate(rows)
    )
    warnings = []
    for dimension, t in rows:
        before = previous.get((dimension, t.name))
        new = t.assessment.grade
        if not grade_changed(before, new.value):
            continue
        what = {"city": "", "district": "区镇", "sector": "行业"}[dimension]
        subject = f"{budget.year}年碳预算·{what}{t.name}"
        warnings.append(
            monitoring.raise_subject_warning(
                subject,
                f"{reverse('budgets:year', args=[budget.year])}?region={quote(region)}",
                f"{subject}：评估由“{Grade(before).label}”变为“{new.label}”。{t.assessment.reason}",
                grade=new.value,
                previous_grade=before,
                department=Department.objects.filter(name=t.name).first()
                if dimension == "district"
                else None,
            )
        )
    return warnings


def _upto_latest(used: dict[int, float | None]) -> dict[int, float | None]:
    """A part graded at the city's latest quarter: a part without that quarter is 未报, not graded on an
    earlier one (the table then compares like with like)."""
    if not used:
        return used
    latest = max(used)
    return {latest: used[latest]}


# ------------------------------------------------------------------ project carbon assessment (节能审查)


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


def submit_project(project: ProjectAssessment, *, user, comment: str = "") -> ProjectAssessment:
    return REVIEW.submit(project, user=user, comment=comment)


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
        raise DomainError("请选择审查结论：通过、有条件通过或不予通过")
    if decision != ProjectAssessment.Decision.APPROVED and not conditions:
        raise DomainError("有条件通过或不予通过时须写明条件或理由")
    project = REVIEW.lock(project)
    review.check_reviewable(project)
    project.decision, project.conditions = decision, conditions
    project.review_number = (review_number or "").strip()[:100]
    project.save(update_fields=["decision", "conditions", "review_number", "updated_at"])
    comment = f"{project.get_decision_display()}。{conditions}".strip("。 ")
    return REVIEW.approve(project, user=user, comment=comment)


def return_project(project: ProjectAssessment, *, user, comment: str) -> ProjectAssessment:
    return REVIEW.return_(project, user=user, comment=comment)


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
        raise DomainError("请填写验收日期")
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
