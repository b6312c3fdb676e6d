"""Carbon double control through the API: a region's budget for a year with its allocation and use, and the
projects' carbon assessment. Writes go through ``budgets.services`` like the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import api_action
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.api import ApiError, get_or_404
from carbonpeak.core.models import Region
from carbonpeak.core.numbers import PLAUSIBLE
from carbonpeak.core.review_api import StatusFilters, review_routes

from . import assessment, selectors, services
from .models import ProjectAssessment

router = Router(tags=["碳排放双控"])
router.add_decorator(api_action(Action.VIEW_CITY))  # the city's data: not an enterprise's reporter


def _region(name: str | None) -> Region:
    from carbonpeak.energy.selectors import city_region

    region = Region.objects.filter(name=name or city_region()).first()
    if region is None:
        raise ApiError(404, "not_found", _("地区“%(name)s”不存在") % {"name": name})
    return region


@router.get(
    "/budgets/{year}",
    summary="某年碳预算：总量、按区镇和按行业的分配与执行（已用、剩余、同期可用、评估等级）",
    description=(
        "city：总量及其确定方式、依据、季度占比；districts / sectors：各部分 budget_tco2、used_tco2（未报为 null，"
        "不是 0）、remaining_tco2、expected_tco2（截至最新季度按季度占比可用）、grade（green/yellow/red/ungraded）、"
        "reason；分配方法与规则在 districts_allocation / sectors_allocation。二氧化碳为因子集设定的考核口径（boundary）。"
    ),
)
def budget(request, year: int, region: str | None = Query(None, description="地区，默认本市")):
    place = _region(region)
    permissions.require(request.user, permissions.Action.VIEW_REGION, place)
    found = selectors.budget_for(year, place)
    if found is None:
        raise ApiError(
            404, "not_found", _("%(region)s%(year)s年碳预算未设定") % {"region": place.name, "year": year}
        )
    return selectors.budget_table(found)


class BudgetIn(Schema):
    region: str | None = None
    year: int = Field(..., ge=2000, le=2100)
    method: str = Field(..., description="handed_down 上级下达 / intensity 按强度目标测算")
    document: str = Field(..., max_length=300, description="下达文件文号，或强度目标与增速的来源")
    tco2: float | None = Field(None, gt=0, description="下达的碳预算（吨二氧化碳）")
    reduction_pct: float | None = Field(None, ge=-100, le=100, description="二氧化碳排放强度下降目标（%）")
    baseline_year: int | None = None
    target_year: int | None = None
    growth_pct: float | None = Field(
        None, ge=-100, le=1000, description="预算年地区生产总值预期实际增速（%）"
    )


@router.post("/budgets", summary="设定碳预算（协调员）")
def set_budget(request, payload: BudgetIn):
    data = payload.dict()
    data["region"] = _region(data.pop("region")).name
    return selectors.budget_table(services.set_budget(request.user, **data))


class AllocationIn(Schema):
    region: str | None = None
    dimension: str = Field(..., description="district 区镇 / sector 行业")
    method: str = Field(..., description="historical 历史排放占比 / intensity 强度法 / manual 手工分配")
    manual: dict[str, float] | None = Field(None, description="手工分配：名称 → 吨二氧化碳，合计须等于总量")
    growth: dict[str, float] | None = Field(None, description="强度法：名称 → 预期增速（%）")
    note: str = Field("", max_length=300)


@router.post("/budgets/{year}/allocations", summary="分配碳预算（协调员；各部分合计须等于总量）")
def allocate(request, year: int, payload: AllocationIn):
    found = selectors.budget_for(year, _region(payload.region))
    if found is None:
        raise ApiError(404, "not_found", _("%(year)s年碳预算未设定") % {"year": year})
    services.allocate(
        request.user,
        found,
        payload.dimension,
        payload.method,
        manual=payload.manual,
        growth=payload.growth,
        note=payload.note,
    )
    return selectors.budget_table(found)


class AssessmentOut(Schema):
    id: int
    project: str = Field(description="项目名称")
    applicant: str
    district: str
    sector: str
    operation_year: int
    status: str = Field(description="draft / submitted / approved / returned")
    tce_equivalent: float | None = Field(
        description="年综合能源消费量（等价值，吨标准煤）；缺少发电煤耗时为 null（缺失）"
    )
    tce_calorific: float | None = Field(description="年综合能源消费量（当量值，吨标准煤；节能审查分级按此）")
    co2_t: float | None = Field(description="年二氧化碳排放（吨，考核口径：燃料燃烧＋外购电力）")
    budget_share: float | None = Field(
        description="占所在区镇剩余碳预算的比例（项目年排放 ÷ 区镇预算剩余）；无预算、未报或已用完时为 null"
    )
    city_budget_share: float | None = Field(description="占全市剩余碳预算的比例")
    budget_year: int | None
    review_level: str = Field(
        description="省级节能审查 / 地方节能审查 / 不单独进行节能审查；年用电量未报而无法判断时为“缺失（年用电量未报）”"
    )
    decision: str | None = Field(
        description="approved 通过 / conditional 有条件通过 / rejected 不予通过；未决定为 null"
    )
    decision_label: str
    conditions: str
    reviewer: str | None
    is_sample: bool = Field(description="示例数据")
    missing: list[str]

    @staticmethod
    def resolve_project(p) -> str:
        return p.name

    @staticmethod
    def resolve_tce_equivalent(p):
        return p.assessment.get("tce_equivalent")

    @staticmethod
    def resolve_tce_calorific(p):
        return p.assessment.get("tce_calorific")

    @staticmethod
    def resolve_co2_t(p):
        return p.assessment.get("co2_t")

    @staticmethod
    def resolve_budget_share(p):
        return p.assessment.get("district_budget_share")

    @staticmethod
    def resolve_city_budget_share(p):
        return p.assessment.get("city_budget_share")

    @staticmethod
    def resolve_budget_year(p):
        return p.assessment.get("budget_year")

    @staticmethod
    def resolve_review_level(p) -> str:
        return (p.assessment.get("review") or {}).get("level", "")

    @staticmethod
    def resolve_decision(p):
        return p.decision or None

    @staticmethod
    def resolve_decision_label(p) -> str:
        return p.get_decision_display()

    @staticmethod
    def resolve_reviewer(p):
        return p.reviewed_by.get_username() if p.reviewed_by_id else None

    @staticmethod
    def resolve_missing(p) -> list[str]:
        return p.assessment.get("missing") or []


class FuelIn(Schema):
    fuel: str = Field(..., max_length=30)
    unit: str = Field(..., max_length=20)
    quantity: float = Field(..., ge=0, le=PLAUSIBLE)
    use: str = Field("燃料", description="燃料 / 原料")


class AssessmentIn(Schema):
    name: str = Field(..., max_length=200)
    applicant: str = Field(..., max_length=200)
    district: str = Field(..., max_length=50)
    sector: str = Field(..., max_length=40)
    operation_year: int = Field(..., ge=2000, le=2100)
    fuels: list[FuelIn] = Field(default_factory=list, max_length=50)
    electricity_kwh: float | None = Field(None, ge=0, le=PLAUSIBLE)
    value_added_10k: float | None = Field(None, ge=0, le=PLAUSIBLE)
    output: str = Field("", max_length=200)
    credit_code: str | None = Field(
        None, max_length=18, description="建设单位在重点企业名录中的统一社会信用代码"
    )
    two_high_project: int | None = Field(None, description="两高项目清单中的项目 id")


@router.post(
    "/project-assessments",
    response={201: AssessmentOut},
    summary="登记项目并评价（协调员，或项目所在区镇的填报员）",
)
def register_project(request, payload: AssessmentIn):
    from carbonpeak.enterprises.models import Enterprise, TwoHighProject

    data = payload.dict()
    code, listed = data.pop("credit_code"), data.pop("two_high_project")
    data["enterprise"] = Enterprise.objects.filter(credit_code=code.strip().upper()).first() if code else None
    if code and data["enterprise"] is None:
        raise ApiError(
            404, "not_found", _("重点企业名录中没有统一社会信用代码为 %(code)s 的企业") % {"code": code}
        )
    data["two_high_project"] = get_or_404(TwoHighProject, listed, "两高项目") if listed else None
    return Status(201, assessment.register_project(request.user, **data))


class DecisionIn(Schema):
    decision: str = Field(..., description="approved / conditional / rejected")
    conditions: str = Field("", max_length=2000)
    review_number: str = Field("", max_length=100)


def _projects(user):
    return ProjectAssessment.objects.select_related("reviewed_by")


class ProjectFilters(StatusFilters):
    district: str | None = Field(None, max_length=60, description="项目所在区镇")


# a project's approval is the review's decision (``/decide``, with its conditions)
review_routes(
    router,
    path="project-assessments",
    noun="项目碳排放评价",
    out=AssessmentOut,
    records=_projects,
    submit=assessment.submit_project,
    approve=assessment.decide_project,
    return_=assessment.return_project,
    approve_in=DecisionIn,
    approve_verb="decide",
    filters=ProjectFilters,
    door=api_action(Action.VIEW_PROJECT_ASSESSMENTS),
)
