"""The key-project register through the API: each project with its tasks, lead, money and effect."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from carbonpeak.accounts.access import api_action
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.api import Pages, id_filter
from carbonpeak.core.language import said_all
from carbonpeak.core.review_api import StatusFilters, review_routes
from carbonpeak.energy import selectors as energy

from . import selectors, services
from .models import ProjectProgress

router = Router(tags=["重点项目"])
router.add_decorator(api_action(Action.VIEW_CITY))  # the city's projects: not an enterprise's reporter


class FundingOut(Schema):
    year: int
    source: str = Field(
        description="资金来源代码：superior 上级补助、award 市财政奖励、interest 市财政贴息、subsidy 市财政补贴、risk 市财政风险补偿、own 企业自筹、loan 绿色贷款、bond 绿色债券、insurance 绿色保险、fund 绿色基金、other 其他"
    )
    source_label: str
    amount: float | None = Field(description="万元；未填为 null（不是 0）")
    institution: str


class AwardOut(Schema):
    milestone: str = Field(description="对应节点（经审核通过的进展确认完成）")
    reached_in: str = Field(description="节点完成的报告期，如 2025Q1")
    source: str = Field(
        description="方式代码：award 市财政奖励、interest 市财政贴息、subsidy 市财政补贴、risk 市财政风险补偿"
    )
    source_label: str
    amount: float = Field(description="拨付金额（万元）")
    paid_on: str = Field(description="拨付日期")
    document: str = Field(description="拨付文件（发文单位与文号）")


class EffectOut(Schema):
    kwh: float | None = Field(description="年发电量或节电量（千瓦时）")
    tce: float | None = Field(description="年节能量或替代量（吨标准煤，考核口径：电力按等价值）；缺失为 null")
    tco2: float | None = Field(description="年减排量（吨二氧化碳，考核口径）；缺失为 null")
    tco2_by_boundary: dict[str, float | None]
    state: str = Field(
        description="computed 已算出；missing 缺少输入（见 missing）；nothing 未给出可计算的实物量"
    )
    missing: list[str]
    year: int = Field(description="计算所用因子的年份")


class KeyProjectOut(Schema):
    id: int
    name: str
    type: str = Field(
        description="pv 光伏、storage 储能、retrofit 节能改造、green_building 绿色建筑、transport 交通电动化、heating 供热、sink 碳汇、recycling 循环利用、emc 合同能源管理、other 其他"
    )
    type_label: str
    status: str = Field(description="planned 谋划、building 在建、operating 投运、suspended 暂停")
    status_label: str
    tasks: list[str] = Field(description="服务的方案任务（方案中的编号）")
    lead: str
    district: str | None
    enterprise: str | None
    esco: str
    investment_planned: float | None = Field(description="计划总投资（万元）；未填为 null")
    investment_actual: float | None = Field(description="完成投资（万元，以审核通过的进展为准）；未报为 null")
    funding: list[FundingOut]
    awards: list[AwardOut] = Field(description="按节点拨付的财政奖补")
    effect: EffectOut
    sample: bool = Field(description="示例数据")


@router.get(
    "/key-projects",
    response=list[KeyProjectOut],
    summary="重点项目库：每个项目的类型、状态、方案任务、牵头部门、投资、资金来源与年减排效果",
)
@paginate(Pages)
def key_projects(request):
    factors = energy.official_factors()
    hours = selectors.full_load_hours()
    year = selectors.effect_year()
    out = []
    for project in selectors.projects():
        money = selectors.money(project)
        effect = selectors.expected_effect(project, factors=factors, hours=hours, year=year)
        assessed = effect.tco2.get(factors.assessed_boundary) if effect.tco2 else None
        out.append(
            {
                "id": project.pk,
                "name": project.name,
                "type": project.kind,
                "type_label": project.get_kind_display(),
                "status": project.status,
                "status_label": project.get_status_display(),
                "tasks": selectors.task_labels(project),
                "lead": project.lead.name,
                "district": project.district.name if project.district else None,
                "enterprise": project.enterprise.name if project.enterprise else None,
                "esco": project.esco,
                "investment_planned": money.planned,
                "investment_actual": money.actual,
                "funding": [
                    {
                        "year": f.year,
                        "source": f.source,
                        "source_label": f.get_source_display(),
                        "amount": f.amount,
                        "institution": f.institution,
                    }
                    for f in project.funding.all()
                ],
                "awards": [
                    {
                        "milestone": a.milestone.name,
                        "reached_in": a.milestone.reached_in,
                        "source": a.source,
                        "source_label": a.get_source_display(),
                        "amount": a.amount,
                        "paid_on": f"{a.paid_on:%Y-%m-%d}",
                        "document": a.document,
                    }
                    for a in project.awards.all()
                ],
                "effect": said_all(
                    {
                        "kwh": effect.kwh,
                        "tce": effect.tce,
                        "tco2": assessed,
                        "tco2_by_boundary": effect.tco2,
                        "state": effect.state,
                        "missing": effect.missing,
                        "year": year,
                    }
                ),
                "sample": project.sample,
            }
        )
    return out


class MeasuredOut(Schema):
    fuel: str = Field(description="能源品种")
    quantity: float = Field(description="本期实测节约量（实物量）")
    unit: str = Field(description="计量单位")


class ProgressOut(Schema):
    id: int
    project_id: int
    period: str = Field(description="报告期，如 2025Q3")
    status: str
    investment: float | None = Field(description="本期完成投资（万元）；未报为 null（不是 0）")
    measured_kwh: float | None = Field(description="本期实测发电量或节电量（千瓦时）；未报为 null")
    savings: list[MeasuredOut] = Field(description="本期实测节约的能源（实物量），按正式核算因子折算实测效果")
    narrative: str
    review_comment: str
    sample: bool

    @staticmethod
    def resolve_savings(progress) -> list[dict]:
        return [{"fuel": s.fuel, "quantity": s.quantity, "unit": s.unit} for s in progress.savings.all()]


class ProgressFilters(StatusFilters):
    project_id: int | None = id_filter("重点项目 id")


review_routes(
    router,
    path="key-project-progress",
    noun="项目进展",
    out=ProgressOut,
    records=lambda user: ProjectProgress.objects.prefetch_related("savings"),
    submit=services.submit_progress,
    approve=services.approve_progress,
    return_=services.return_progress,
    filters=ProgressFilters,
    door=api_action(Action.VIEW_WORK),
)
