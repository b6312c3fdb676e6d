"""Key enterprises through the API: the register, one enterprise with its buildings and PV findings, and the
PV compliance list. An enterprise user sees its own enterprise only."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import api_action
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.api import ApiError, Pages, get_or_404, id_filter
from carbonpeak.core.review_api import StatusFilters, review_routes

from . import efficiency as efficiency_rules
from . import selectors, services
from .models import Enterprise, EnterpriseReport, MonitoringPlan, PlanProgress

router = Router(tags=["重点企业"])
router.add_decorator(
    api_action(Action.VIEW)
)  # every signed-in user; each enterprise's records are narrowed to what the user may see


class EnterpriseOut(Schema):
    id: int
    credit_code: str
    name: str
    district: str
    industry_code: str
    sector: str
    key_energy_user: bool
    ets_covered: bool
    two_high: bool
    data_centre: bool
    pue: float | None
    state_owned: bool
    foreign_origin: str
    sample: bool


class FindingOut(Schema):
    enterprise: str
    credit_code: str
    building: str
    rule: str
    rule_name: str
    status: str
    why: str
    installed_mw: float | None
    storage_share: float | None
    source: str

    @staticmethod
    def resolve_enterprise(row) -> str:
        return row.enterprise.name

    @staticmethod
    def resolve_credit_code(row) -> str:
        return row.enterprise.credit_code

    @staticmethod
    def resolve_building(row) -> str:
        return row.building.name

    @staticmethod
    def resolve_rule(row) -> str:
        return row.finding.rule

    @staticmethod
    def resolve_rule_name(row) -> str:
        return row.finding.name

    @staticmethod
    def resolve_status(row) -> str:
        return row.finding.status

    @staticmethod
    def resolve_why(row) -> str:
        return row.finding.why

    @staticmethod
    def resolve_installed_mw(row) -> float | None:
        return row.finding.installed_mw

    @staticmethod
    def resolve_storage_share(row) -> float | None:
        return row.finding.storage_share

    @staticmethod
    def resolve_source(row) -> str:
        return row.finding.source


class BuildingOut(Schema):
    name: str
    industrial: bool
    new_build: bool
    roof_area_m2: float | None
    standard_factory: bool
    state_capital: bool
    pv_installed_mw: float | None
    storage_mw: float | None
    exemption: str


class EnterpriseDetailOut(EnterpriseOut):
    buildings: list[BuildingOut]
    pv: list[FindingOut]


@router.get("/enterprises", response=list[EnterpriseOut], summary="重点企业名录（企业用户只见本企业）")
@paginate(Pages)
def enterprises(
    request,
    district: str | None = None,
    sector: str | None = None,
    key_energy_user: bool = False,
    ets_covered: bool = False,
    two_high: bool = False,
    data_centre: bool = False,
    q: str | None = Query(None, max_length=50, description="名称或统一社会信用代码的一部分"),
):
    flags = {"key_energy_user": key_energy_user, "ets_covered": ets_covered, "two_high": two_high}
    flags["data_centre"] = data_centre
    params = {"district": district, "sector": sector, "q": q, **{k: "1" for k, v in flags.items() if v}}
    return selectors.filtered(selectors.visible_enterprises(request.user), params).order_by("pk")


class ReconciliationOut(Schema):
    sector: str
    enterprises: int
    enterprises_tce: float
    city_tce: float | None
    coverage: float | None
    gap_tce: float | None
    warning: str
    measured_enterprises: int = Field(description="有全年在线监测数据（含电力）的企业数")
    measured_tce: float | None = Field(
        description="这些企业在线监测实测的终端能源消费量（tce，当量值）；无则为 null，不是 0"
    )
    measured_reported_tce: float | None = Field(
        description="同一批企业报告的终端能源消费量（tce），与实测并列比较"
    )


class ReconciliationAnswer(Schema):
    year: int
    region: str
    basis: str
    items: list[ReconciliationOut]
    movers: list[dict]


@router.get(
    "/enterprises/reconciliation",
    response=ReconciliationAnswer,
    summary="重点企业报告按行业合计与全市分行业核算比对（终端能源消费，当量值）",
)
def reconciliation(request, year: int = Query(..., ge=2000, le=2100)):
    if not permissions.can(request.user, permissions.Action.VIEW_ENTERPRISE):  # the register as a whole
        raise ApiError(403, "forbidden", _("只有政府用户可以查看全市比对"))
    rows, region = selectors.reconciliation(year)
    return {
        "year": year,
        "region": region,
        "basis": "终端能源消费量（当量值，tce）：企业为燃料（含原料）加用电量，全市为分行业核算的同口径值",
        "items": [r.as_dict() for r in rows],
        "movers": selectors.movers(year),
    }


class EfficiencyOut(Schema):
    enterprise_id: int
    name: str
    sector: str
    value_added: float | None
    energy_tce: float | None
    co2_t: float | None
    value_added_per_tce: float | None
    co2_per_value_added: float | None
    grade: str
    rank: int | None
    peers: int
    note: str


class EfficiencyAnswer(Schema):
    year: int
    rule: str
    items: list[EfficiencyOut]


@router.get(
    "/enterprises/efficiency", response=EfficiencyAnswer, summary="能耗产出效益评价（本平台分级规则）"
)
def efficiency(request, year: int = Query(..., ge=2000, le=2100)):
    if not permissions.can(request.user, permissions.Action.VIEW_ENTERPRISE):  # the register as a whole
        raise ApiError(403, "forbidden", _("只有政府用户可以查看企业间的比较"))
    items = [
        {
            **g.figures.__dict__,
            "value_added_per_tce": g.value_added_per_tce,
            "co2_per_value_added": g.co2_per_value_added,
            "grade": g.grade,
            "rank": g.rank,
            "peers": g.peers,
            "note": g.note,
        }
        for g in selectors.efficiency(year)
    ]
    return {"year": year, "rule": efficiency_rules.RULE, "items": items}


@router.get(
    "/enterprises/{int:enterprise_id}",
    response=EnterpriseDetailOut,
    summary="一家企业：名录信息、建筑与光伏规则",
)
def enterprise(request, enterprise_id: int):
    obj = get_or_404(Enterprise, enterprise_id, "企业")
    if not permissions.can(request.user, permissions.Action.VIEW_ENTERPRISE, obj):
        raise ApiError(403, "forbidden", permissions.MESSAGES[permissions.Action.VIEW_ENTERPRISE])
    return {
        **EnterpriseOut.from_orm(obj).dict(),
        "buildings": list(obj.buildings.all()),
        "pv": selectors.pv_compliance(Enterprise.objects.filter(pk=obj.pk)),
    }


@router.get("/pv-compliance", response=list[FindingOut], summary="光伏规则执行情况（每栋建筑、每条规则）")
@paginate(Pages)
def pv_compliance(request, status: str | None = None, rule: str | None = None):
    rows = selectors.pv_compliance(selectors.visible_enterprises(request.user))
    if status:
        rows = [r for r in rows if r.finding.status == status]
    if rule:
        rows = [r for r in rows if r.finding.rule == rule]
    return rows


class ProjectOut(Schema):
    id: int
    name: str
    enterprise: str | None
    credit_code: str | None
    district: str
    status: str
    disposal: str
    planned_tce: float | None
    review_number: str
    approved_tce: float | None
    acceptance_tce: float | None
    acceptance_status: str
    acceptance_deviation_pct: float | None
    acceptance_note: str
    reported_year: int | None
    reported_tce: float | None
    warning: str
    renewable_commitment: bool
    renewable_share_pct: float | None
    sample: bool


@router.get("/projects", response=list[ProjectOut], summary="两高项目清单：节能审查、验收与超批复预警")
@paginate(Pages)
def two_high_projects(request, status: str | None = None, disposal: str | None = None):
    queryset = selectors.visible_projects(request.user)
    if status:
        queryset = queryset.filter(status=status)
    if disposal:
        queryset = queryset.filter(disposal=disposal)
    return [row.as_dict() for row in selectors.project_rows(queryset)]


# ------------------------------------------------------------------ reviewed records (MRV and 一企一策)


class MonitoringPlanOut(Schema):
    id: int
    enterprise_id: int
    year: int
    content: str
    status: str = Field(description="draft / submitted / approved / returned")
    review_comment: str


class EnterpriseReportOut(Schema):
    id: int
    enterprise_id: int
    year: int
    revision: int
    status: str = Field(description="draft / submitted / approved / returned")
    verification_result: str = Field(description="第三方核查结论：通过 / 不通过；未核查为空")
    energy_tce: float | None = Field(
        description="综合能源消费量（当量值，吨标准煤；审核通过时按全市核算方法计算）"
    )
    energy_tce_equivalent: float | None = Field(
        description="综合能源消费量（等价值）；缺少发电煤耗时为 null（缺失）"
    )
    co2_t: float | None = Field(description="二氧化碳排放（吨）")
    factor_set: str
    review_comment: str


class PlanProgressOut(Schema):
    id: int
    plan_id: int
    period: str
    narrative: str
    milestones_done: list[int]
    pue: float | None
    status: str = Field(description="draft / submitted / approved / returned")
    review_comment: str

    @staticmethod
    def resolve_period(progress) -> str:
        return progress.period.key


class EnterpriseFilters(StatusFilters):
    enterprise_id: int | None = id_filter("企业 id")
    year: int | None = Field(None, ge=2000, le=2100)


# (path, noun, output, records of a user, the moves, filters)
for path, noun, out, model, enterprise_field, moves, filters in (
    (
        "monitoring-plans",
        "监测计划",
        MonitoringPlanOut,
        MonitoringPlan,
        "enterprise",
        services.PLAN_REVIEW,
        EnterpriseFilters,
    ),
    (
        "enterprise-reports",
        "企业年度报告",
        EnterpriseReportOut,
        EnterpriseReport,
        "enterprise",
        services.REPORT_REVIEW,
        EnterpriseFilters,
    ),
    (
        "reduction-progress",
        "一企一策进展",
        PlanProgressOut,
        PlanProgress,
        "plan__enterprise",
        services.PROGRESS_REVIEW,
        StatusFilters,
    ),
):
    review_routes(
        router,
        path=path,
        noun=noun,
        out=out,
        records=lambda user, model=model, field=enterprise_field: selectors.scoped_to_user(
            user, model.objects.all(), field
        ),
        submit=moves.submit,
        approve=moves.approve,
        return_=moves.return_,
        filters=filters,
    )
