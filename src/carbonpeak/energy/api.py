"""Energy statistics submissions and the accounting results through the API."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from carbonpeak.accounts.access import api_action
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import limits, uploads
from carbonpeak.core.api import ApiError, Pages, UploadJobOut
from carbonpeak.core.review_api import StatusFilters, review_routes
from carbonpeak.energy import selectors, services
from carbonpeak.energy.accounting import ASSESSED, boundary_caption
from carbonpeak.energy.models import AccountingResult, EnergySubmission, GreenCertificate

router = Router(tags=["能源统计与核算"])
router.add_decorator(api_action(Action.VIEW_CITY))  # the city's data: not an enterprise's reporter


class SubmissionOut(Schema):
    id: int
    period: str
    region: str
    revision: int
    status: str
    is_sample: bool
    records: int

    @staticmethod
    def resolve_records(submission) -> int:
        return submission.record_count


class CertificateOut(Schema):
    serial: str
    region: str
    used_on: str = Field(description="核销（使用）日期，计入该日期所在季度")
    kind: str = Field(description="绿电交易 / 单独绿证 / 省内")
    direction: str = Field(description="购入 / 售出")
    certificates: int | None = Field(description="绿证数量（张）；按电量登记时为 null")
    kwh: float = Field(description="电量（千瓦时；1张=1000千瓦时，发改能源〔2023〕1044号）")
    buyer: str
    seller: str
    seller_province: str
    source: str
    is_sample: bool = Field(description="示例数据")

    @staticmethod
    def resolve_used_on(c) -> str:
        return c.used_on.isoformat()

    @staticmethod
    def resolve_kwh(c) -> float:
        return float(c.kwh)


class SummaryOut(Schema):
    factor_set: str
    period: str
    region: str
    energy_tce_equivalent: float | None = Field(
        description="能源消费量（等价值，吨标准煤）：电力按当年平均发电标准煤耗折算；该年煤耗未录入时为 null（缺失）"
    )
    energy_tce: float = Field(description="能源消费量（当量值，吨标准煤）：仅供参考，不替代等价值")
    energy_tce_assessed: float | None = Field(
        None, description="考核用能源消费量：等价值扣除非化石能源（113号）和原料用能（803号）；缺失时为 null"
    )
    co2_t: float = Field(
        description="能源活动二氧化碳排放（吨）：因子集设定的考核口径，见 co2_boundary 与 co2_boundary_label"
    )
    co2_boundary: str = Field(
        "assessed", description="考核采用的口径（因子集设置）：territorial / assessed / consumption"
    )
    co2_boundary_label: str = Field("", description="考核口径的中文说明，随每个二氧化碳数字显示")
    co2_t_by_boundary: dict[str, float] = Field(
        default_factory=dict,
        description="三种口径：territorial 本地燃烧、assessed 净调入（默认考核口径）、consumption 消费",
    )
    energy_intensity: float | None = Field(description="能耗强度（等价值，吨标准煤/万元）；缺失时为 null")
    energy_intensity_calorific: float | None = Field(description="能耗强度（当量值，仅供参考）")
    carbon_intensity: float | None
    non_fossil_share: float | None = Field(
        description="非化石能源消费比重（等价值，含调入非化石电量和登记的绿证）；缺失时为 null"
    )
    certificates: dict | None = Field(
        None,
        description="本期计入的绿证与绿电交易：条数、按类型电量、计入与售出电量、折标准煤、抵扣上限与实际抵扣",
    )
    complete: bool = Field(description="所需数据与因子是否齐全")
    missing: list[str] = Field(description="缺失的内容（中文）")

    @staticmethod
    def resolve_factor_set(result) -> str:
        return result.run.factor_set_label

    @staticmethod
    def resolve_energy_intensity(result) -> float | None:
        return result.data.get("energy_intensity_tce_per_10k_yuan")

    @staticmethod
    def resolve_energy_intensity_calorific(result) -> float | None:
        return result.data.get("energy_intensity_calorific_tce_per_10k_yuan")

    @staticmethod
    def resolve_energy_tce_assessed(result) -> float | None:
        return result.data.get("energy_tce_assessed")

    @staticmethod
    def resolve_co2_t_by_boundary(result) -> dict[str, float]:
        return result.data.get("co2_t_by_boundary") or {}

    @staticmethod
    def resolve_co2_boundary(result) -> str:
        return result.data.get("co2_boundary") or "assessed"

    @staticmethod
    def resolve_co2_boundary_label(result) -> str:
        return result.data.get("co2_boundary_label") or boundary_caption(ASSESSED)

    @staticmethod
    def resolve_certificates(result) -> dict | None:
        return result.data.get("certificates")

    @staticmethod
    def resolve_complete(result) -> bool:
        return not result.data.get("missing")

    @staticmethod
    def resolve_missing(result) -> list[str]:
        return result.data.get("missing") or []

    @staticmethod
    def resolve_carbon_intensity(result) -> float | None:
        return result.data.get("carbon_intensity_t_per_10k_yuan")

    @staticmethod
    def resolve_non_fossil_share(result) -> float | None:
        return result.data.get("non_fossil_share")


class SubmissionFilters(StatusFilters):
    period: str | None = Field(None, max_length=20, description="报告期，如 2025Q3")
    region: str | None = Field(None, max_length=60, description="地区名称")


review_routes(
    router,
    path="energy/submissions",
    noun="能源统计报送",
    out=SubmissionOut,
    records=lambda user: EnergySubmission.objects.annotate(record_count=Count("records")),
    submit=services.submit_submission,
    approve=services.approve_submission,
    return_=services.return_submission,
    filters=SubmissionFilters,
    door=api_action(Action.VIEW_WORK),
)


@router.post(
    "/energy/submissions",
    response={202: UploadJobOut},
    summary=(
        "上传能源统计报表（.xlsx 或 .csv）：文件交后台任务校验，立即返回导入任务，以 GET /api/uploads/{id} "
        "查看进度与结果（只能报送本人有权报送的地区，任一错误则整个文件不写入）"
    ),
)
@api_action(Action.VIEW_WORK)
def upload_submission(request, file: File[UploadedFile], note: str = ""):
    data = limits.read(limits.ENERGY_FORM, file)
    return Status(202, uploads.accept(request.user, "energy", file.name or "upload", data, note=note[:500]))


@router.get("/energy/summary", response=list[SummaryOut], summary="最新核算结果（年度与累计），附因子集版本")
@paginate(Pages)
def energy_summary(request, region: str | None = None):
    run = selectors.current_run()
    if run is None:
        return AccountingResult.objects.none()
    qs = run.results.filter(first_quarter=1).select_related("run")
    if region:
        qs = qs.filter(region=region)
    return qs


@router.get("/energy/certificates", response=list[CertificateOut], summary="绿证与绿电交易登记簿")
@paginate(Pages)
def energy_certificates(request, year: int | None = Query(None, ge=2000, le=2100, description="核销年份")):
    qs = GreenCertificate.objects.order_by("used_on", "serial")
    if year:
        qs = qs.filter(used_on__year=year)
    return qs


class RegionOut(Schema):
    name: str
    parent: str | None
    level: str
    note: str
    source: str

    @staticmethod
    def resolve_parent(region) -> str | None:
        return region.parent.name if region.parent_id else None


@router.get("/regions", response=list[RegionOut], summary="地区树（省 → 地级市 → 县级市 → 区镇）")
@paginate(Pages)
def regions(request):
    from carbonpeak.core.models import Region

    return Region.objects.select_related("parent").order_by("id")


@router.get("/regions/{name}/rollup", summary="下级地区核算合计与本级核算的比对（未分解部分单列）")
def region_rollup(request, name: str, year: int = Query(..., ge=2000, le=2100)):
    from carbonpeak.core.models import Region
    from carbonpeak.core.regions import rollup

    region = Region.objects.filter(name=name).first()
    if region is None:
        raise ApiError(404, "not_found", _("地区“%(name)s”不存在") % {"name": name})
    from carbonpeak.accounts import permissions

    permissions.require(request.user, permissions.Action.VIEW_REGION, region)
    run = selectors.current_run()
    accounts = {}
    if run is not None:
        for result in run.results.filter(year=year, first_quarter=1, last_quarter=4):
            accounts[result.region] = (result.energy_tce, result.co2_t)
    return {"year": year, "accounting_run": run.pk if run else None, **rollup(name, accounts)}
