"""The public pages (anonymous, no session needed): the latest release, the archive, one release, its open
data and report PDF, the Atom feed. Only released content is read (``selectors``); each page is cached per
release and language, and each address is rate-limited."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from carbonpeak.accounts.access import public_page
from carbonpeak.core import versions
from carbonpeak.publication import limits, opendata, selectors
from carbonpeak.reports.services import ReportError, open_file

CACHE_SECONDS = 600
#: a release made before its targets said their colour (``level``) names its grades in Chinese
GRADE_CSS = {"基本顺利": "green", "比较严峻": "yellow", "十分严峻": "red"}


def _limited(view):
    """Anonymous pages: a GET only, limited per address (``CARBONPEAK_PUBLIC_RATE``, 本平台规则)."""
    return public_page(
        require_safe(
            ratelimit(group=limits.GROUP, key=limits.client_key, rate=limits.public_rate, block=True)(view)
        )
    )


def _cached(key: str, make) -> HttpResponse:
    """A page or file of one release, made once per release and language (a release never changes)."""

    def body() -> tuple:
        response = make()
        return response.content, response["Content-Type"], response.get("Content-Disposition")

    content, content_type, disposition = versions.kept(
        f"publication:{key}:{get_language()}", body, CACHE_SECONDS
    )
    response = HttpResponse(content, content_type=content_type)
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def _stamp(release) -> str:
    """A release's key in the cache: its id and the moment it was released (never reused)."""
    return f"{release.pk}-{release.reviewed_at.timestamp():.6f}"


def _release_or_404(release_id: int):
    release = selectors.public_release(release_id)
    if release is None:
        raise Http404(_("没有这次发布"))
    return release


def grade_css(targets: list[dict]) -> tuple[list[dict], dict]:
    """The targets with their grade's colour, and the grades the chart draws (name, colour, count)."""
    shown = [{**t, "css": t.get("level") or GRADE_CSS.get(t["grade"], "ungraded")} for t in targets]
    grades: dict[str, dict] = {}
    for t in shown:
        grade = grades.setdefault(t["grade"], {"name": t["grade"], "level": t["css"], "count": 0})
        grade["count"] += 1
    return shown, {"grades": list(grades.values())}


def _page(request, release) -> HttpResponse:
    data = selectors.as_public(release)
    targets, chart = grade_css(data["targets"])
    return render(
        request,
        "publication/release.html",
        {
            "release": data,
            "targets": targets,
            "archive": selectors.archive(),
            "chart": chart,
        },
    )


@_limited
def index(request):
    latest = selectors.latest()
    if latest is None:
        return render(request, "publication/empty.html")
    return _cached(f"index:{selectors.version()}", lambda: _page(request, latest))


@_limited
def release(request, release_id: int):
    found = _release_or_404(release_id)
    return _cached(f"release:{_stamp(found)}:{selectors.version()}", lambda: _page(request, found))


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _stem(data: dict) -> str:
    stem = _("%(region)s碳达峰数据发布-%(period)s-%(id)s") % data
    return stem + _("-示例数据") if data["sample"] else stem


@_limited
def open_data(request, release_id: int, part: str, kind: str):
    found = _release_or_404(release_id)
    data = selectors.as_public(found)
    if kind == "json" and part == "data":
        make = lambda: _attachment(opendata.as_json(data, _), "application/json", f"{_stem(data)}.json")  # noqa: E731
    elif kind == "xlsx" and part == "data":
        make = lambda: _attachment(  # noqa: E731
            opendata.as_xlsx(data, _),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{_stem(data)}.xlsx",
        )
    elif kind == "csv" and part in ("figures", "targets", "actions"):
        make = lambda: _attachment(  # noqa: E731
            opendata.as_csv(data, part, _), "text/csv; charset=utf-8", f"{_stem(data)}-{part}.csv"
        )
    else:
        raise Http404(_("没有这种格式的数据"))
    return _cached(f"data:{_stamp(found)}:{selectors.version()}:{part}:{kind}", make)


@_limited
def report_pdf(request, release_id: int):
    found = _release_or_404(release_id)
    if found.report is None or not found.report.public_pdf_name:
        raise Http404(_("本次发布未附报告 PDF"))
    try:
        handle = open_file(found.report, "public_pdf")
    except ReportError:
        raise Http404(_("报告 PDF 不可用或已不存在")) from None
    return FileResponse(
        handle, as_attachment=False, filename=found.report.public_pdf_name, content_type="application/pdf"
    )
