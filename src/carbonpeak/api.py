"""The REST API (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs.

Log in with ``POST /api/auth/token`` and send ``Authorization: Bearer <token>``; a browser session works
too. The API is thin: every write goes through the same services and permission checks as the pages.
Errors are JSON ``{"message": …}``; a malformed request is a 4xx, never a 500.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import File, NinjaAPI, Query, Schema, UploadedFile
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth
from pydantic import Field

from carbonpeak.accounts import tokens
from carbonpeak.energy import services as energy
from carbonpeak.energy.models import EnergySubmission
from carbonpeak.monitoring import services as monitoring
from carbonpeak.monitoring.models import Indicator, Observation
from carbonpeak.plans.models import Plan, Role
from carbonpeak.plans.selectors import current_plan
from carbonpeak.projection import model as projection_model
from carbonpeak.projection import services as projection
from carbonpeak.supervision import services as supervision
from carbonpeak.supervision.models import Evidence, ProgressReport, ProgressStatus, ReportingPeriod
from carbonpeak.supervision.views import evidence_download


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = tokens.user_for(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="CarbonPeak API",
    version="1",
    description="太仓市碳达峰实施方案管理平台接口。先 POST /api/auth/token 取得令牌，再以 Authorization: Bearer <令牌> 调用。",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


def _message(request, text: str, status: int, **extra):
    return api.create_response(request, {"message": text, **extra}, status=status)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _message(request, str(exc), exc.status_code)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _message(request, "需要登录：请先 POST /api/auth/token 取得令牌", 401)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _message(request, str(exc) or "无权执行此操作", 403)


@api.exception_handler(DjangoValidationError)
def invalid(request, exc: DjangoValidationError):
    return _message(request, "；".join(exc.messages), 400)


@api.exception_handler(SchemaError)
def malformed(request, exc: SchemaError):
    return _message(request, "请求格式不正确", 422, errors=exc.errors)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _message(request, str(exc) or "不存在", 404)


@api.exception_handler(ObjectDoesNotExist)
def missing(request, exc):
    return _message(request, "不存在", 404)


def _plan() -> Plan:
    plan = current_plan()
    if plan is None:
        raise HttpError(404, "尚未导入任何方案")
    return plan


def _get(model_or_queryset, pk: int, what: str):
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise HttpError(404, f"{what} {pk} 不存在")
    return obj


# ------------------------------------------------------------------ schemas


class Message(Schema):
    message: str


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=200)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class TaskOut(Schema):
    id: int
    label: str
    title: str
    lead: list[str]
    support: list[str]


class ActionOut(Schema):
    number: str
    title: str
    tasks: list[TaskOut]


class PlanOut(Schema):
    id: int
    region: str
    title: str
    document_number: str
    actions: list[ActionOut]


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


class CommentIn(Schema):
    comment: str = Field("", max_length=2000)


class PeriodIn(Schema):
    key: str = Field(max_length=10, examples=["2025Q3"])
    due_date: dt.date


class PeriodOut(Schema):
    id: int
    key: str
    due_date: dt.date
    is_open: bool
    reports: int


class ReportOut(Schema):
    id: int
    period: str
    task: str
    task_title: str
    department: str
    progress: str
    narrative: str
    status: str
    review_comment: str
    contributions: list[dict]


class ReportIn(Schema):
    progress: ProgressStatus
    narrative: str = Field(max_length=5000)


class SubmissionOut(Schema):
    id: int
    period: str
    region: str
    revision: int
    status: str
    is_sample: bool
    records: int


class SummaryOut(Schema):
    factor_set: str
    period: str
    region: str
    energy_tce: float
    energy_tce_equivalent: float | None
    co2_t: float
    energy_intensity: float | None
    carbon_intensity: float | None
    non_fossil_share: float | None


# ------------------------------------------------------------------ auth


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: Message, 429: Message},
    summary="用户名和密码换取令牌",
)
def token(request, payload: TokenIn):
    ip = tokens.client_ip(request)
    if tokens.locked(payload.username, ip):
        return Status(429, {"message": f"登录失败次数过多，请 {tokens.LOCKOUT_SECONDS // 60} 分钟后再试"})
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        tokens.failed(payload.username, ip)
        return Status(401, {"message": "用户名或密码错误"})
    tokens.succeeded(payload.username, ip)
    raw, record = tokens.issue(user)
    return Status(200, {"token": raw, "expires_at": record.expires_at})


# ------------------------------------------------------------------ plan and targets


@api.get("/plan", response=PlanOut, summary="方案：重点行动、任务与牵头、配合部门")
def plan(request):
    p = _plan()
    actions = []
    for action in p.actions.prefetch_related("tasks__responsibilities__department").order_by("order"):
        tasks = []
        for t in action.tasks.order_by("order"):
            resp = [r for r in t.responsibilities.all() if not r.suppressed]
            tasks.append(
                {
                    "id": t.pk,
                    "label": t.label,
                    "title": t.title,
                    "lead": [r.department.name for r in resp if r.role == Role.LEAD],
                    "support": [r.department.name for r in resp if r.role == Role.SUPPORT],
                }
            )
        actions.append({"number": action.number, "title": action.title, "tasks": tasks})
    return {
        "id": p.pk,
        "region": p.region,
        "title": p.title,
        "document_number": p.document_number,
        "actions": actions,
    }


@api.get("/targets", response=list[TargetOut], summary="每个目标的评估等级、实际值、进度要求、数据状态与理由")
def targets(request):
    return [s.to_dict() for s in monitoring.assess_plan(_plan())]


# ------------------------------------------------------------------ indicators and observations


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
    indicator = _get(Indicator, indicator_id, "指标")
    return [
        {"year": p.year, "quarter": p.quarter, "value": p.value} for p in monitoring.points_for(indicator)
    ]


def _observation(o: Observation) -> dict:
    return {
        "id": o.pk,
        "indicator_id": o.indicator_id,
        "year": o.year,
        "quarter": o.quarter,
        "value": o.value,
        "revision": o.revision,
        "status": o.status,
        "is_sample": o.is_sample,
    }


@api.post(
    "/indicators/{indicator_id}/observations",
    response={201: ObservationOut},
    summary="报送指标数值（责任部门）",
)
def report_observation(request, indicator_id: int, payload: ObservationIn):
    indicator = _get(Indicator, indicator_id, "指标")
    obs = monitoring.report_observation(
        indicator, payload.year, payload.quarter, payload.value, request.user, note=payload.note
    )
    monitoring.submit_observation(obs, request.user)
    return Status(201, _observation(obs))


@api.post(
    "/observations/{observation_id}/approve", response=ObservationOut, summary="审核通过指标数值（协调员）"
)
def approve_observation(request, observation_id: int, payload: CommentIn):
    obs = monitoring.approve_observation(
        _get(Observation, observation_id, "数值"), request.user, comment=payload.comment
    )
    return _observation(obs)


@api.post("/observations/{observation_id}/return", response=ObservationOut, summary="退回指标数值（协调员）")
def return_observation(request, observation_id: int, payload: CommentIn):
    obs = monitoring.return_observation(
        _get(Observation, observation_id, "数值"), request.user, comment=payload.comment
    )
    return _observation(obs)


# ------------------------------------------------------------------ periods and progress reports


def _period(p: ReportingPeriod) -> dict:
    return {
        "id": p.pk,
        "key": p.key,
        "due_date": p.due_date,
        "is_open": p.is_open,
        "reports": p.reports.count(),
    }


@api.get("/periods", response=list[PeriodOut], summary="报告期")
def periods(request):
    return [_period(p) for p in ReportingPeriod.objects.all()]


@api.post("/periods", response={201: PeriodOut}, summary="开启报告期（协调员）")
def open_period(request, payload: PeriodIn):
    return Status(201, _period(supervision.open_period(_plan(), payload.key, payload.due_date, request.user)))


@api.post("/periods/{period_id}/close", response=PeriodOut, summary="关闭报告期并冻结快照（协调员）")
def close_period(request, period_id: int):
    return _period(supervision.close_period(_get(ReportingPeriod, period_id, "报告期"), request.user))


def _report(r: ProgressReport) -> dict:
    return {
        "id": r.pk,
        "period": r.period.key,
        "task": r.task.label,
        "task_title": r.task.title,
        "department": r.department.name,
        "progress": r.progress,
        "narrative": r.narrative,
        "status": r.status,
        "review_comment": r.review_comment,
        "contributions": [{"department": c.department.name, "text": c.text} for c in r.contributions.all()],
    }


def _reports():
    return ProgressReport.objects.select_related(
        "period", "task", "task__action", "department"
    ).prefetch_related("contributions__department")


@api.get("/reports", response=list[ReportOut], summary="进展报告（可按报告期、部门筛选）")
def reports(request, period: str | None = None, department: str | None = None):
    qs = _reports()
    if period:
        qs = qs.filter(period__key=period)
    if department:
        qs = qs.filter(department__name=department)
    return [_report(r) for r in qs[:1000]]


@api.get("/reports/{report_id}", response=ReportOut, summary="一份进展报告")
def report(request, report_id: int):
    return _report(_report_or_404(report_id))


def _report_or_404(report_id: int) -> ProgressReport:
    return _get(_reports(), report_id, "报告")


@api.put("/reports/{report_id}", response=ReportOut, summary="填写进展状态和进展情况（牵头部门）")
def update_report(request, report_id: int, payload: ReportIn):
    r = supervision.save_report(
        _report_or_404(report_id), request.user, progress=payload.progress, narrative=payload.narrative
    )
    return _report(r)


@api.post("/reports/{report_id}/submit", response=ReportOut, summary="报送（牵头部门）")
def submit_report(request, report_id: int):
    return _report(supervision.submit_report(_report_or_404(report_id), request.user))


@api.post("/reports/{report_id}/approve", response=ReportOut, summary="审核通过（协调员）")
def approve_report(request, report_id: int, payload: CommentIn):
    return _report(
        supervision.approve_report(_report_or_404(report_id), request.user, comment=payload.comment)
    )


@api.post("/reports/{report_id}/return", response=ReportOut, summary="退回并填写意见（协调员）")
def return_report(request, report_id: int, payload: CommentIn):
    return _report(
        supervision.return_report(_report_or_404(report_id), request.user, comment=payload.comment)
    )


class EvidenceOut(Schema):
    id: int
    report: int
    name: str
    kind: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: dt.datetime
    url: str = Field(description="下载地址（有权查看的用户）")


def _evidence(e: Evidence) -> dict:
    return {
        "id": e.pk,
        "report": e.report_id,
        "name": e.original_name,
        "kind": e.kind,
        "size": e.size,
        "sha256": e.sha256,
        "uploaded_by": e.uploaded_by.username if e.uploaded_by else "",
        "uploaded_at": e.uploaded_at,
        "url": f"/api/evidence/{e.pk}",
    }


@api.get("/reports/{report_id}/evidence", response=list[EvidenceOut], summary="进展报告的佐证材料")
def report_evidence(request, report_id: int):
    r = _report_or_404(report_id)
    return [
        _evidence(e)
        for e in r.evidence.select_related("uploaded_by")
        if supervision.can_view_evidence(request.user, e)
    ]


@api.post(
    "/reports/{report_id}/evidence",
    response={201: EvidenceOut},
    summary="上传佐证材料（牵头或配合部门；PDF、PNG、JPEG、.docx、.xlsx，不超过 10 MB）",
)
def upload_evidence(request, report_id: int, file: File[UploadedFile]):
    r = _report_or_404(report_id)
    if file.size and file.size > supervision.MAX_EVIDENCE_BYTES:
        raise DjangoValidationError(f"文件过大（{file.size / 1e6:.1f} MB），上限 10 MB")
    e = supervision.attach_evidence(r, request.user, file.name or "", file.read())
    return Status(201, _evidence(e))


@api.get("/evidence/{evidence_id}", summary="下载佐证材料（协调员、领导及该任务的牵头、配合部门）")
def download_evidence(request, evidence_id: int):
    e = _get(Evidence.objects.select_related("report", "report__task"), evidence_id, "佐证材料")
    return evidence_download(request.user, e)


# ------------------------------------------------------------------ energy


@api.get("/energy/submissions", response=list[SubmissionOut], summary="能源统计报送")
def energy_submissions(request, period: str | None = None, region: str | None = None):
    qs = EnergySubmission.objects.all()
    if period:
        qs = qs.filter(period=period)
    if region:
        qs = qs.filter(region=region)
    return [
        {
            "id": s.pk,
            "period": s.period,
            "region": s.region,
            "revision": s.revision,
            "status": s.status,
            "is_sample": s.is_sample,
            "records": s.records.count(),
        }
        for s in qs[:1000]
    ]


@api.get("/energy/summary", response=list[SummaryOut], summary="最新核算结果（年度与累计），附因子集版本")
def energy_summary(request, region: str | None = None):
    run = energy.latest_run()
    if run is None:
        return []
    qs = run.results.filter(first_quarter=1)
    if region:
        qs = qs.filter(region=region)
    return [
        {
            "factor_set": run.factor_set_label,
            "period": r.period,
            "region": r.region,
            "energy_tce": r.energy_tce,
            "energy_tce_equivalent": r.energy_tce_equivalent,
            "co2_t": r.co2_t,
            "energy_intensity": r.data.get("energy_intensity_tce_per_10k_yuan"),
            "carbon_intensity": r.data.get("carbon_intensity_t_per_10k_yuan"),
            "non_fossil_share": r.data.get("non_fossil_share"),
        }
        for r in qs
    ]


# ------------------------------------------------------------------ projection


class ScenarioOut(Schema):
    name: str
    built_in: bool
    p_peak_by_2030: float | None = Field(None, description="2030年前达峰的概率（默认抽样次数与种子）")


@api.get("/projections", response=list[ScenarioOut], summary="预测情景及其2030年前达峰的概率")
def projections(request):
    out = []
    for name in projection.scenario_names():
        try:
            p = projection.run_projection(name, plan=_plan(), user=request.user).result["p_peak_by_2030"]
        except projection_model.ProjectionError:
            p = None
        out.append({"name": name, "built_in": name in projection.scenarios.BUILT_IN, "p_peak_by_2030": p})
    return out


@api.get(
    "/projections/{name}",
    response=dict,
    summary="一个情景的达峰预测（与 carbonpeak project --json 相同的结构）",
)
def projection_result(
    request,
    name: str,
    draws: int = Query(projection.DEFAULT_DRAWS, ge=1, le=20_000, description="抽样次数"),
    seed: int = Query(projection.DEFAULT_SEED, ge=0, le=2**31 - 1, description="随机种子"),
):
    if name not in projection.scenario_names():
        raise HttpError(404, f"未知情景“{name}”")
    try:
        run = projection.run_projection(name, plan=_plan(), draws=draws, seed=seed, user=request.user)
    except projection_model.ProjectionError as exc:
        raise HttpError(409, str(exc)) from exc
    return {**run.result, "accounting_run": run.accounting_run_id, "computed_at": run.created_at.isoformat()}
