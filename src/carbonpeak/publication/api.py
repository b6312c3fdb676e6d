"""The public API: released releases only, for anyone (no login). Everything else under /api/ still needs one."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import api_action, public_api
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.api import ApiError, ErrorOut, Pages
from carbonpeak.core.review_api import review_routes
from carbonpeak.projection.services import latest_plan
from carbonpeak.publication import limits, selectors, services
from carbonpeak.publication.models import Release

router = Router(tags=["公开数据发布"])


class ReleaseOut(Schema):
    id: int
    period: str = Field(description="报告期（季度，如 2025Q3）")
    released_at: dt.datetime | None = Field(description="发布时间（领导批准发布的时间）")
    title: str
    corrects: int | None = Field(description="本次更正的发布编号；不是更正则为空")
    sample: bool = Field(description="含示例数据（演示站点）")


class FigureOut(Schema):
    name: str
    value: float | None = Field(description="数值；缺失为空（不是 0）")
    unit: str
    period: str
    state: str = Field(description="数据状态：已审核或缺失")
    change_pct: float | None = None
    source: str
    note: str = Field("", description="数值所依赖的示例输入等说明")


class TargetOut(Schema):
    name: str
    target: str
    period: str
    value: float | None
    expected: float | None
    unit: str
    grade: str = Field(description="基本顺利、比较严峻、十分严峻或未评估")
    state: str
    reason: str


class ActionOut(Schema):
    name: str
    progress: str


class ReleaseDetailOut(ReleaseOut):
    period_label: str
    note: str
    correction_note: str
    corrected_by: int | None
    as_of: str
    summary: list[str]
    notes: list[str] = Field(description="核算说明：代用的输入、不全的数据")
    figures: list[FigureOut]
    targets: list[TargetOut]
    actions: list[ActionOut]
    report_pdf: bool


def _limit(request) -> None:
    """The public API shares the public pages' limit per client address."""
    if limits.exceeded(request):
        raise ApiError(429, "too_many_requests", _("访问过于频繁，请一分钟后再试"))


@router.get(
    "/public/releases", auth=None, response=list[ReleaseOut], summary="已发布的数据（最新在前，含已更正的）"
)
@public_api
@paginate(Pages)
def public_releases(request):
    _limit(request)
    return [
        {
            "id": r.pk,
            "period": r.period,
            "released_at": r.reviewed_at,
            "title": selectors.title(r),
            "corrects": r.corrects_id,
            "sample": r.is_sample,
        }
        for r in selectors.released()
    ]


@router.get(
    "/public/releases/{release_id}",
    auth=None,
    response={200: ReleaseDetailOut, 404: ErrorOut, 429: ErrorOut},
    summary="一次发布的全部公开内容",
)
@public_api
def public_release(request, release_id: int):
    _limit(request)
    found = selectors.public_release(release_id) if 0 < release_id < 2**31 else None
    if found is None:
        raise ApiError(404, "not_found", _("发布 %(id)s 不存在") % {"id": release_id})
    data = selectors.as_public(found)
    data["released_at"] = found.reviewed_at
    return data


# ------------------------------------------------------------------ the coordinator's and the leader's side

manage = Router(tags=["数据发布（拟定与审批）"])
manage.add_decorator(api_action(Action.VIEW_WORK))


class ReleaseRecordOut(Schema):
    id: int
    period: str
    title: str
    status: str = Field(description="draft / submitted / approved（已发布）/ returned")
    note: str
    corrects: int | None = Field(None, alias="corrects_id")
    correction_note: str
    review_comment: str
    sample: bool = Field(alias="is_sample")
    report: int | None = Field(None, alias="report_id", description="随附的定稿季度报告编号")


class ReleaseIn(Schema):
    period: str = Field(max_length=10, description="季度，如 2025Q3")
    note: str = Field(max_length=2000, description="发布说明")
    corrects: int | None = Field(None, ge=1, le=2**31 - 1, description="更正的发布编号（更正时）")
    correction_note: str = Field("", max_length=2000, description="更正说明（更正时必填）")


def _visible(user):
    if permissions.can(user, Action.MANAGE_RELEASES) or permissions.can(user, Action.APPROVE_RELEASE):
        return Release.objects.all()
    return Release.objects.none()


@manage.post("/releases", response={201: ReleaseRecordOut}, summary="拟定一次发布（协调员）：内容在此刻冻结")
def prepare(request, payload: ReleaseIn):
    corrects = None
    if payload.corrects is not None:
        corrects = selectors.public_release(payload.corrects)
        if corrects is None:
            raise ApiError(404, "not_found", _("发布 %(id)s 不存在或未发布") % {"id": payload.corrects})
    release = services.prepare_release(
        latest_plan(),
        payload.period,
        request.user,
        note=payload.note,
        corrects=corrects,
        correction_note=payload.correction_note,
    )
    return Status(201, release)


review_routes(
    manage,
    path="releases",
    noun="数据发布",
    out=ReleaseRecordOut,
    records=_visible,
    submit=services.submit_release,
    approve=services.approve_release,
    return_=services.return_release,
)
