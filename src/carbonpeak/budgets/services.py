"""Every write of carbon double control: budgets, their allocation and the tracking that follows the accounts
(projects' carbon assessment is ``assessment.py``). Each checks permission, validates, writes, audits and refreshes what
depends on it, so the pages, the API and the CLI cannot differ."""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit
from carbonpeak.core.errors import DomainError
from carbonpeak.core.models import Region
from carbonpeak.energy.accounting import BASE_YEAR
from carbonpeak.energy.models import AccountingRun

from . import allocation as pure
from . import selectors
from .models import Allocation, AllocationPart, BudgetTracking, CarbonBudget
from .tracking import SECTOR_RULE, track

#: the largest budget a region may be given (本平台规则: 200 亿吨, above any year's national emissions, so a
#: larger figure is a typing error, not a budget)
MAX_BUDGET_T = 2e10
BUDGET_TOO_LARGE = (
    "碳预算 {value:g} 吨超出合理范围（本平台规则：不超过 200 亿吨，高于全国年排放量的数值视为输入有误）"
)


def _region(name: str) -> Region:
    region = Region.objects.filter(name=name).first()
    if region is None:
        raise DomainError(_("地区“%(name)s”不存在") % {"name": name})
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
    real growth. Quarters follow the previous year's own seasonal pattern.
    (Long: the two ways a budget is set (handed down, from the intensity target) with their checks side by side.)"""
    permissions.require(user, Action.MANAGE_BUDGETS)
    place = _region(region)
    document = (document or "").strip()
    if not document:
        raise DomainError(_("请填写依据：下达文件文号，或强度目标与预期增速的来源"))
    if not 2000 <= year <= 2100:
        raise DomainError(_("年份须在 2000–2100 之间"))
    run = selectors.current_run()
    inputs: dict = {}
    try:
        if method == pure.WholeMethod.HANDED_DOWN:
            if tco2 is None or tco2 <= 0:
                raise pure.BudgetError([_("请填写下达的碳预算（吨二氧化碳，正数）")])
            if not tco2 <= MAX_BUDGET_T:
                raise pure.BudgetError([BUDGET_TOO_LARGE.format(value=tco2)])
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
            raise pure.BudgetError([_("未知的确定方式：%(method)s") % {"method": method}])
    except pure.BudgetError as exc:
        raise _refuse(exc) from None
    shares, basis_words = pure.quarter_shares(selectors.quarterly_co2(run, place.name, year - 1))
    previous = CarbonBudget.objects.filter(region=place, year=year).first()
    if previous is not None and round(previous.tco2) != round(whole):
        manual = previous.allocations.filter(method=pure.Method.MANUAL)
        if manual.exists():
            names = "、".join(a.get_dimension_display() for a in manual)
            raise DomainError(
                _(
                    "该年已有按%(names)s的手工分配；总量改变后其合计将不等于总量。请先删除或改用计算方法重新分配"
                )
                % {"names": names}
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
        problems.append(_("请填写二氧化碳排放强度下降目标（%）"))
    if baseline_year is None or target_year is None:
        problems.append(_("请填写强度目标的基准年和目标年"))
    if growth_pct is None:
        problems.append(_("请填写%(year)s年地区生产总值预期实际增速（%%）及其来源") % {"year": year})
    if problems:
        raise pure.BudgetError(problems)
    base = selectors.annual(run, region, baseline_year)
    previous = selectors.annual(run, region, year - 1)
    intensity = base.data.get("carbon_intensity_t_per_10k_yuan") if base else None
    gdp = previous.data.get("gdp_constant_100m_yuan") if previous else None
    if intensity is None:
        problems.append(
            _("缺失：%(region)s%(baseline_year)s年碳排放强度（需该年核算结果与可比价地区生产总值）")
            % {"region": region, "baseline_year": baseline_year}
        )
    if gdp is None:
        problems.append(
            _("缺失：%(region)s%(year)s年可比价地区生产总值（需该年核算结果）")
            % {"region": region, "year": year - 1}
        )
    if problems:
        raise pure.BudgetError(problems)
    return pure.IntensityBasis(
        baseline_year=baseline_year,
        baseline_intensity=float(intensity),
        target_year=target_year,
        reduction_pct=float(reduction_pct),
        previous_gdp_constant=float(gdp),
        growth_pct=float(growth_pct),
        price_year=BASE_YEAR,
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
        raise DomainError(_("未知的分配维度：%(dimension)s") % {"dimension": dimension})
    try:
        method = pure.Method(method)
    except ValueError:
        raise DomainError(_("未知的分配方法：%(method)s") % {"method": method}) from None
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
            raise DomainError(_("不是本地区的分配对象：%(names)s") % {"names": "、".join(sorted(unknown))})
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
    region has data for; a change of grade raises a warning (after a first grade, 本平台规则 as for targets).
    (Long: the city, its districts and its sectors tracked in one transaction with one rule.)"""
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
