"""Online-monitoring data through the API: the data-quality verdicts per enterprise and month, the monthly
measured totals, the batches; a file of readings imported (the same checks as the page: any bad row refuses
the whole file, naming it)."""

from __future__ import annotations

from ninja import File, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from carbonpeak.accounts.access import api_action
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import limits, uploads
from carbonpeak.core.api import Pages, UploadJobOut

from .models import MonthlyTotal, QualityCheck, ReadingBatch

router = Router(tags=["在线监测"])
router.add_decorator(api_action(Action.VIEW_ENTERPRISE))  # the register's monitoring data: the city's users
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class CheckOut(Schema):
    credit_code: str
    enterprise: str | None = Field(description="名录中的企业名称；不在本市名录为 null")
    region: str = Field(description="登记管理机关行政区划码（信用代码第3–8位）")
    month: str
    rule: str = Field(
        description="completeness 完整率 / daily_monthly 日月偏差 / timestamp 时标 / repair 故障修复"
    )
    rule_label: str
    status: str = Field(description="pass 合格 / fail 不合格 / na 未评（无可评数据，原因见 detail）")
    figure: float | None = Field(
        description="完整率（%）、最大偏差（%）、超差读数条数或中断工作日数；未评为 null"
    )
    detail: str

    @staticmethod
    def resolve_enterprise(c) -> str | None:
        return c.enterprise.name if c.enterprise_id else None

    @staticmethod
    def resolve_rule_label(c) -> str:
        return c.get_rule_display()


class TotalOut(Schema):
    credit_code: str
    region: str
    month: str
    energy_type: str
    unit: str = Field(description="能源品种的基准单位：kWh、m3 或 t")
    total: float = Field(description="实测用量；没有读数的月份没有这一行（不是 0）")
    readings: int
    meters: int


class BatchOut(Schema):
    id: int
    batch: str
    file_name: str
    rows: int
    months: list[str]
    regions: list[str]
    enterprises: int
    first_ts: str
    last_ts: str
    sample: bool = Field(description="示例数据")
    withdrawn: bool

    @staticmethod
    def resolve_withdrawn(b) -> bool:
        return b.withdrawn_at is not None


@router.get("/meters/quality", response=list[CheckOut], summary="在线监测数据质量（按企业、月份、规则）")
@paginate(Pages)
def quality(
    request,
    month: str | None = Query(None, pattern=MONTH),
    status: str | None = Query(None, pattern="^(pass|fail|na)$"),
    credit_code: str | None = Query(None, max_length=18),
):
    qs = QualityCheck.objects.select_related("enterprise").order_by("-month", "credit_code", "rule")
    if month:
        qs = qs.filter(month=month)
    if status:
        qs = qs.filter(status=status)
    if credit_code:
        qs = qs.filter(credit_code=credit_code)
    return qs


@router.get(
    "/meters/totals", response=list[TotalOut], summary="在线监测月度实测用量（按企业、月份、能源品种）"
)
@paginate(Pages)
def totals(
    request,
    month: str | None = Query(None, pattern=MONTH),
    credit_code: str | None = Query(None, max_length=18),
):
    qs = MonthlyTotal.objects.order_by("credit_code", "month", "energy_type")
    if month:
        qs = qs.filter(month=month)
    if credit_code:
        qs = qs.filter(credit_code=credit_code)
    return qs


@router.get("/meters/batches", response=list[BatchOut], summary="在线监测数据导入批次")
@paginate(Pages)
def batches(request):
    return ReadingBatch.objects.order_by("-uploaded_at", "-id")


@router.post(
    "/meters/batches",
    response={202: UploadJobOut},
    summary=(
        "导入在线监测读数（.csv UTF-8 或 .parquet）：文件交后台任务校验和导入，立即返回导入任务；"
        "以 GET /api/uploads/{id} 查看进度与结果（任一行有误则整个文件不导入，逐行列出）"
    ),
)
def upload(request, file: File[UploadedFile]):
    data = limits.read(limits.METER_READINGS, file)
    return Status(202, uploads.accept(request.user, "meters", file.name or "upload.csv", data))
