"""Requests refused before any view sees them, the same way for pages and the API."""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse

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
