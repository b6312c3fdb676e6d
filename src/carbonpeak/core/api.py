"""What every app's API router shares: the error body, its stable codes, lookups and pagination.

Every refusal the API makes is JSON ``{"code": …, "message": …}``: ``message`` is Chinese for a person,
``code`` is one of :data:`ERROR_CODES` for a program, and does not change when the wording does.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.pagination import LimitOffsetPagination
from pydantic import Field

from carbonpeak.core.errors import DomainError
from carbonpeak.core.http import MAX_ID
from carbonpeak.core.quotas import QuotaExceeded

#: every ``code`` an error body may carry, and what it means (docs/api.md lists the same)
ERROR_CODES: dict[str, str] = {
    "unauthenticated": "未登录或令牌无效、已过期",
    "bad_credentials": "用户名或密码错误",
    "too_many_attempts": "登录失败次数过多，暂时锁定",
    "forbidden": "当前用户无权执行此操作",
    "not_found": "对象不存在",
    "invalid": "请求内容未通过业务校验（如缺少退回意见、文件类型不符）",
    "malformed_request": "请求格式不正确（字段缺失、类型或取值范围不符）",
    "no_plan": "尚未导入任何方案",
    "no_accounts": "尚无核算结果：请先报送并审核能源统计数据",
    "not_computed": "该预测尚未计算：由后台任务计算，或 POST 请求计算后再读取",
    "conflict": "与当前状态冲突（如审核一份未报送的报告）",
    "period_closed": "报告期已关闭，其中的报告已冻结",
    "too_large": "请求内容超过上限，未读取",
    "too_many_requests": "计算类请求过于频繁（每人每小时上限，本平台规则），稍后再试",
}


class ApiError(HttpError):
    """A refusal with a stable code: ``raise ApiError(404, "not_found", "报告 3 不存在")``."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown API error code {code!r}")
        # a translated message is read once, in the caller's language
        super().__init__(status_code, str(message))
        self.code = code


class ErrorOut(Schema):
    code: str = Field(description="稳定的错误代码，见 /api/docs 说明与 docs/api.md")
    message: str = Field(description="给人看的中文说明")


def id_filter(description: str):
    """An optional filter by a record's key, bounded to the keys a database column holds."""
    return Field(None, ge=1, le=MAX_ID, description=description)


class CommentIn(Schema):
    comment: str = Field("", max_length=2000)


class Pages(LimitOffsetPagination):
    """limit/offset pages of at most 500 items (100 unless asked): no list is ever cut silently."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="每页条数（1–500）")
        offset: int = Field(0, ge=0, le=10_000_000, description="从第几条开始（0起）")


def get_or_404(model_or_queryset: type[Model] | QuerySet, pk: int, what: str):
    """The object ``pk`` of a model or queryset, or a 404 naming ``what`` was not found."""
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    obj = queryset.filter(pk=pk).first() if 0 < pk <= MAX_ID else None  # a key no database column holds
    if obj is None:
        raise ApiError(404, "not_found", _("%(what)s %(id)s 不存在") % {"what": _(what), "id": pk})
    return obj


_STATUS_CODES = {400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}


def install_error_handlers(api: NinjaAPI) -> None:
    """Turn every refusal (ours, Django's, ninja's) into ``{"code", "message"}`` with the right status."""

    def body(request, status: int, code: str, message: str, **extra):
        return api.create_response(request, {"code": code, "message": message, **extra}, status=status)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc, ApiError):
            return body(request, exc.status_code, exc.code, str(exc))
        if exc.status_code == 400:  # ninja could not read the body (not JSON, not a form)
            return body(request, 400, "malformed_request", _("请求格式不正确：无法解析请求内容"))
        return body(request, exc.status_code, _STATUS_CODES.get(exc.status_code, "invalid"), str(exc))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return body(request, 401, "unauthenticated", _("需要登录：请先 POST /api/auth/token 取得令牌"))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return body(request, 403, "forbidden", str(exc) or _("无权执行此操作"))

    @api.exception_handler(DomainError)
    def refused(request, exc: DomainError):
        return body(request, exc.status, exc.code, exc.text)

    @api.exception_handler(DjangoValidationError)
    def invalid(request, exc: DjangoValidationError):
        return body(request, 400, "invalid", pgettext("list separator", "；").join(exc.messages))

    @api.exception_handler(SchemaError)
    def malformed(request, exc: SchemaError):
        return body(request, 422, "malformed_request", _("请求格式不正确"), errors=exc.errors)

    @api.exception_handler(QuotaExceeded)
    def too_many(request, exc: QuotaExceeded):
        response = body(request, 429, "too_many_requests", str(exc))
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return body(request, 404, "not_found", str(exc) or _("不存在"))

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request, exc):
        return body(request, 404, "not_found", _("不存在"))


class UploadJobOut(Schema):
    id: int
    kind: str
    file_name: str
    size: int
    status: str = Field(description="queued / running / done（已导入）/ refused（未导入）/ failed")
    status_label: str
    progress: int = Field(description="进度（0–100）")
    stage: str = Field(description="当前步骤")
    messages: list[str] = Field(description="导入了什么，或未导入的原因（逐条）")
    result_url: str
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(job) -> str:
        return job.get_status_display()
