"""The platform's answers when something is refused or fails: Chinese pages, and JSON on the API (the same
``{"code", "message"}`` shape as every other API refusal), for 400, 403 (CSRF included), 404 and 500."""

from __future__ import annotations

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TITLES = {
    400: _("请求有误"),
    403: _("没有权限"),
    404: _("页面不存在"),
    429: _("请求过于频繁"),
    500: _("服务器出错"),
}
DEFAULT_MESSAGES = {
    400: _("请求的参数有误，请检查后重试"),
    403: _("您没有执行此操作的权限"),
    404: _("您访问的页面或对象不存在"),
    429: _("请求过于频繁，请稍后再试"),
    500: _("服务器处理请求时出错，已记录；请稍后重试，或联系管理员"),
}
CODES = {
    400: "malformed_request",
    403: "forbidden",
    404: "not_found",
    429: "too_many_requests",
    500: "server_error",
}


def _message(status: int, exception) -> str:
    """The exception's own message when the platform raised it (BadRequest, PermissionDenied, Http404 from
    our code); Django's English defaults are replaced by ours.

    The platform's messages are written in Chinese and raised either as they are or translated lazily
    (``gettext_lazy``/``format_lazy``, so that an English reader reads them in English); Django's own are
    plain English text, and an English reader's platform message is told from them by being lazy.
    """
    if not isinstance(exception, BadRequest | PermissionDenied | Http404) or not exception.args:
        return str(DEFAULT_MESSAGES[status])
    given = exception.args[0]
    text = str(given)
    if text and (isinstance(given, Promise) or not text.isascii()):
        return text
    return str(DEFAULT_MESSAGES[status])


def _answer(request, status: int, exception=None, message: str | None = None):
    message = message or _message(status, exception)
    if request.path.startswith("/api/"):
        return JsonResponse({"code": CODES[status], "message": str(message)}, status=status)
    # a plain template without context processors: it must render even when the database is the fault
    body = loader.get_template("errors/error.html").render(
        {"status": status, "title": TITLES[status], "message": message}
    )
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _answer(request, 400, exception)


def permission_denied(request, exception=None):
    return _answer(request, 403, exception)


def page_not_found(request, exception=None):
    return _answer(request, 404, exception)


def server_error(request):
    return _answer(request, 500)


def too_many_requests(request, exception):
    """Work refused by ``core.quotas``: its message says which limit and when to try again."""
    response = _answer(request, 429, message=str(exception))
    response["Retry-After"] = str(exception.retry_after)
    return response


def rate_limited(request, exception):
    """A public page asked for too often from one address (django-ratelimit): 429, and when to try again."""
    response = _answer(request, 429, message=str(_("访问过于频繁，请一分钟后再试")))
    response["Retry-After"] = "60"
    return response


def csrf_failure(request, reason: str = ""):
    return _answer(
        request,
        403,
        message=str(_("表单已过期或来源无法验证（CSRF），未提交；请刷新页面后重新提交")),
    )
