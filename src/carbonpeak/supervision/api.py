"""Reporting periods, progress reports and their evidence through the API, with the pages' checks."""

from __future__ import annotations

import datetime as dt

from ninja import File, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from carbonpeak.accounts.access import api_action
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import limits
from carbonpeak.core.api import Pages, get_or_404
from carbonpeak.core.http import attachment
from carbonpeak.core.review_api import StatusFilters, review_routes
from carbonpeak.plans.api import plan_or_404
from carbonpeak.supervision import selectors, services
from carbonpeak.supervision.models import Evidence, ProgressReport, ProgressStatus, ReportingPeriod

router = Router(tags=["进展报告"])
router.add_decorator(api_action(Action.VIEW_WORK))  # progress narratives and their review: the city's users


class PeriodIn(Schema):
    key: str = Field(max_length=10, examples=["2025Q3"])
    due_date: dt.date


class PeriodOut(Schema):
    id: int
    key: str
    due_date: dt.date
    is_open: bool
    reports: int

    @staticmethod
    def resolve_reports(period) -> int:
        counted = getattr(period, "report_count", None)  # annotated in listings (selectors.periods)
        return period.reports.count() if counted is None else counted


class ContributionOut(Schema):
    department: str
    text: str

    @staticmethod
    def resolve_department(contribution) -> str:
        return contribution.department.name


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
    contributions: list[ContributionOut]

    @staticmethod
    def resolve_period(report) -> str:
        return report.period.key

    @staticmethod
    def resolve_task(report) -> str:
        return report.task.label

    @staticmethod
    def resolve_task_title(report) -> str:
        return report.task.title

    @staticmethod
    def resolve_department(report) -> str:
        return report.department.name

    @staticmethod
    def resolve_contributions(report) -> list:
        return list(report.contributions.all())


class ReportIn(Schema):
    progress: ProgressStatus
    narrative: str = Field(max_length=5000)


class EvidenceOut(Schema):
    id: int
    report: int = Field(alias="report_id")
    name: str = Field(alias="original_name")
    kind: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: dt.datetime
    url: str = Field(description="下载地址（有权查看的用户）")

    @staticmethod
    def resolve_uploaded_by(evidence) -> str:
        return evidence.uploaded_by.username if evidence.uploaded_by else ""

    @staticmethod
    def resolve_url(evidence) -> str:
        return f"/api/evidence/{evidence.pk}"


def _report(report_id: int) -> ProgressReport:
    return get_or_404(selectors.progress_reports(), report_id, "报告")


# ------------------------------------------------------------------ periods


@router.get("/periods", response=list[PeriodOut], summary="报告期")
@paginate(Pages)
def periods(request):
    return selectors.periods().order_by("pk")


@router.post("/periods", response={201: PeriodOut}, summary="开启报告期（协调员）")
def open_period(request, payload: PeriodIn):
    return Status(201, services.open_period(plan_or_404(), payload.key, payload.due_date, request.user))


@router.post("/periods/{period_id}/close", response=PeriodOut, summary="关闭报告期并冻结快照（协调员）")
def close_period(request, period_id: int):
    return services.close_period(get_or_404(ReportingPeriod, period_id, "报告期"), request.user)


# ------------------------------------------------------------------ reports


class ReportFilters(StatusFilters):
    period: str | None = Field(None, max_length=20, description="报告期，如 2025Q3")
    department: str | None = Field(None, max_length=100, description="牵头部门名称")

    def apply(self, queryset):
        queryset = queryset.filter(status=self.status) if self.status else queryset
        return selectors.filter_reports(queryset, period=self.period, department=self.department)


review_routes(
    router,
    path="reports",
    noun="进展报告",
    out=ReportOut,
    records=lambda user: selectors.progress_reports(),
    submit=services.submit_report,
    approve=services.approve_report,
    return_=services.return_report,
    filters=ReportFilters,
)


@router.put("/reports/{record_id}", response=ReportOut, summary="填写进展状态和进展情况（牵头部门）")
def update_report(request, record_id: int, payload: ReportIn):
    return services.save_report(
        _report(record_id), request.user, progress=payload.progress, narrative=payload.narrative
    )


# ------------------------------------------------------------------ evidence


@router.get("/reports/{report_id}/evidence", response=list[EvidenceOut], summary="进展报告的佐证材料")
def report_evidence(request, report_id: int):
    return [
        e
        for e in _report(report_id).evidence.select_related("uploaded_by", "report__task")
        if services.can_view_evidence(request.user, e)
    ]


@router.post(
    "/reports/{report_id}/evidence",
    response={201: EvidenceOut},
    summary="上传佐证材料（牵头或配合部门；PDF、PNG、JPEG、.docx、.xlsx，不超过 10 MB）",
)
def upload_evidence(request, report_id: int, file: File[UploadedFile]):
    report = _report(report_id)
    data = limits.read(limits.EVIDENCE, file)
    return Status(201, services.attach_evidence(report, request.user, file.name or "", data))


@router.get("/evidence/{evidence_id}", summary="下载佐证材料（协调员、领导及该任务的牵头、配合部门）")
def download_evidence(request, evidence_id: int):
    e = get_or_404(Evidence.objects.select_related("report", "report__task"), evidence_id, "佐证材料")
    return attachment(
        services.read_evidence(request.user, e), services.EVIDENCE_TYPES[e.kind], e.original_name
    )
