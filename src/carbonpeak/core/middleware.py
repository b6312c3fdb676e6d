"""Requests refused before any view sees them, the same way for pages and the API."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse

NUL_MESSAGE = "请求含有空字符（NUL），已拒绝：请检查提交的文字"


class RejectNulCharacters:
    """A NUL character in a parameter, a form field or a JSON body is refused with a 400: PostgreSQL cannot
    store it in a text column, so letting it through would turn a malformed request into a server error.
    Uploaded files are not looked at (binary content may hold NUL bytes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "malformed_request", "message": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or any("\x00" in v for vs in request.GET.lists() for v in [vs[0], *vs[1]]):
            return True
        if request.method in ("POST", "PUT", "PATCH"):
            content_type = request.content_type or ""
            if content_type == "application/json":
                return b"\\u0000" in request.body or b"\x00" in request.body
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                return any("\x00" in v for vs in request.POST.lists() for v in [vs[0], *vs[1]])
        return False


class LimitRequestBody:
    """A request whose declared body is larger than ``CARBONPEAK_MAX_REQUEST_BYTES`` is refused with a 413
    before anything reads it (a 300 MB upload from a user without the right used to be received in full
    first). Uploads are capped at 10 MB in their views; the margin is for the form around the file."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.CARBONPEAK_MAX_REQUEST_BYTES
        if length > limit:
            message = f"请求内容过大（{length / 2**20:.1f} MB），上限 {limit // 2**20} MB；未读取"
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "too_large", "message": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
