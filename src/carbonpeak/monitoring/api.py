"""Targets, indicators and reported values through the API, with the pages' services and checks."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from carbonpeak.accounts.access import api_action
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.api import get_or_404, id_filter
from carbonpeak.core.review_api import StatusFilters, review_routes
from carbonpeak.monitoring import assessment, selectors, services
from carbonpeak.monitoring.models import Indicator, Observation
from carbonpeak.plans.api import plan_or_404

router = Router(tags=["目标与指标"])
router.add_decorator(api_action(Action.VIEW_CITY))  # the city's data: not an enterprise's reporter


class ProgressOut(Schema):
    grade: str
    grade_label: str
    value: float | None
    expected: float | None
    period: str
    reason: str


class TargetOut(Schema):
    id: int
    indicator: str
    year: int | None
    target: str
    target_value: float | None
    unit: str
    kind: str
    action: str
    owner: str | None
    rule: str | None
    grade: str
    grade_label: str
    value: float | None
    expected: float | None
    period: str
    data_state: str
    data_state_label: str
    reason: str
    progress: ProgressOut | None = Field(None, description="强度目标的第二行：累计降幅与进度要求")


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    kind: str
    higher_is_better: bool
    owner: str | None
    frequency: str
    baseline_year: int | None
    baseline_value: float | None
    baseline_source: str

    @staticmethod
    def resolve_owner(indicator) -> str | None:
        return indicator.owner.name if indicator.owner else None


class PointOut(Schema):
    year: int
    quarter: int
    value: float


class ObservationIn(Schema):
    year: int = Field(ge=2000, le=2100)
    quarter: int = Field(4, ge=1, le=4)
    value: float = Field(allow_inf_nan=False)
    note: str = Field("", max_length=300)


class ObservationOut(Schema):
    id: int
    indicator_id: int
    year: int
    quarter: int
    value: float
    revision: int
    status: str
    is_sample: bool
    warnings: list[str] = Field(default_factory=list, description="给审核人的提示（如与上期相比变化过大）")


@router.get(
    "/targets", response=list[TargetOut], summary="每个目标的评估等级、实际值、进度要求、数据状态与理由"
)
def targets(request):
    return [s.to_dict() for s in selectors.plan_statuses(plan_or_404())]


@router.get("/indicators", response=list[IndicatorOut], summary="指标清单")
def indicators(request):
    return Indicator.objects.select_related("owner").order_by("pk")


@router.get("/indicators/{indicator_id}/observations", response=list[PointOut], summary="指标的已审核数值")
def observations(request, indicator_id: int):
    return assessment.points_for(get_or_404(Indicator, indicator_id, "指标"))


@router.post(
    "/indicators/{indicator_id}/observations",
    response={201: ObservationOut},
    summary="报送指标数值（责任部门）",
)
@api_action(Action.VIEW_WORK)
def report_observation(request, indicator_id: int, payload: ObservationIn):
    indicator = get_or_404(Indicator, indicator_id, "指标")
    obs = services.report_observation(
        indicator, payload.year, payload.quarter, payload.value, request.user, note=payload.note
    )
    return Status(201, services.submit_observation(obs, user=request.user))


class ObservationFilters(StatusFilters):
    indicator_id: int | None = id_filter("指标 id")


review_routes(
    router,
    path="observations",
    noun="指标数值",
    out=ObservationOut,
    records=lambda user: Observation.objects.all(),
    submit=services.submit_observation,
    approve=services.approve_observation,
    return_=services.return_observation,
    filters=ObservationFilters,
    door=api_action(Action.VIEW_WORK),
)
