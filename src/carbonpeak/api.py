"""The REST API (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs. Session login for now."""

from __future__ import annotations

from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from carbonpeak.monitoring import services as monitoring
from carbonpeak.monitoring.models import Indicator
from carbonpeak.plans.models import Plan

api = NinjaAPI(title="CarbonPeak API", version="1", auth=django_auth, urls_namespace="api")


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """Errors are JSON with a message, in Chinese."""
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


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


class PointOut(Schema):
    year: int
    quarter: int
    value: float


@api.get("/targets", response=list[TargetOut], summary="每个目标的评估等级、实际值、进度要求、数据状态与理由")
def targets(request):
    plan = Plan.objects.order_by("-created_at").first()
    if plan is None:
        raise HttpError(404, "尚未导入任何方案")
    return [s.to_dict() for s in monitoring.assess_plan(plan)]


@api.get("/indicators", response=list[IndicatorOut], summary="指标清单")
def indicators(request):
    return [
        {
            "id": i.pk,
            "code": i.code,
            "name": i.name,
            "unit": i.unit,
            "kind": i.kind,
            "higher_is_better": i.higher_is_better,
            "owner": i.owner.name if i.owner else None,
            "frequency": i.frequency,
            "baseline_year": i.baseline_year,
            "baseline_value": i.baseline_value,
            "baseline_source": i.baseline_source,
        }
        for i in Indicator.objects.select_related("owner")
    ]


@api.get("/indicators/{indicator_id}/observations", response=list[PointOut], summary="指标的已审核数值")
def observations(request, indicator_id: int):
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        raise HttpError(404, f"指标 {indicator_id} 不存在")
    return [
        {"year": p.year, "quarter": p.quarter, "value": p.value} for p in monitoring.points_for(indicator)
    ]
