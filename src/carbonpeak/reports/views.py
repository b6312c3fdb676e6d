"""The coordinator's report page: choose a quarter, generate in the background, download both files."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.energy.models import AccountingResult
from carbonpeak.energy.selectors import current_run
from carbonpeak.projection.services import NoData, latest_plan
from carbonpeak.reports import services
from carbonpeak.reports.models import QuarterlyReport


def _coordinator(request) -> None:
    permissions.require(request.user, Action.MANAGE_REPORTS)


@page(Action.VIEW_CITY)
def index(request):
    _coordinator(request)
    services.expire_stale()
    run = current_run()
    quarters = []
    if run is not None:
        single = AccountingResult.objects.filter(run=run, first_quarter=F("last_quarter"))
        quarters = sorted(set(single.values_list("period", flat=True)), reverse=True)
    return render(
        request,
        "reports/index.html",
        {
            "nav": "reports",
            "quarters": quarters,
            "default_recipients": _(services.DEFAULT_RECIPIENTS),
            "issuer": services.issuer(latest_plan().region) if quarters else "",
            "jobs": QuarterlyReport.objects.select_related("created_by")[:30],
            "report_languages": settings.LANGUAGES,
        },
    )


@page(Action.VIEW_WORK)
@require_POST
def generate(request):
    _coordinator(request)
    try:
        job = services.request_report(
            latest_plan(),
            request.POST.get("period", ""),
            request.user,
            recipients=request.POST.get("recipients", ""),
            copy_to=request.POST.get("copy_to", ""),
            language=request.POST.get("language", ""),
        )
    except (services.ReportError, NoData) as exc:
        messages.error(request, _("未能生成：%(reason)s") % {"reason": exc})
        return redirect("reports:index")
    return redirect("reports:job", job_id=job.pk)


@page(Action.VIEW_WORK)
@require_POST
def finalise(request, job_id: int):
    """The coordinator marks a 征求意见稿 final: its final version is built from the same data."""
    _coordinator(request)
    draft = get_object_or_404(QuarterlyReport, pk=job_id)
    try:
        final = services.finalise(draft, request.user, doc_number=request.POST.get("doc_number", ""))
    except services.ReportError as exc:
        messages.error(request, _("未能定稿：%(reason)s") % {"reason": exc})
        return redirect("reports:job", job_id=draft.pk)
    return redirect("reports:job", job_id=final.pk)


@page(Action.VIEW_CITY)
def job(request, job_id: int):
    _coordinator(request)
    found = get_object_or_404(QuarterlyReport, pk=job_id)
    template = "reports/_status.html" if request.htmx else "reports/job.html"
    return render(request, template, {"nav": "reports", "job": found})


@page(Action.VIEW_CITY)
def download(request, job_id: int, kind: str):
    _coordinator(request)
    found = get_object_or_404(QuarterlyReport, pk=job_id)
    if kind not in ("docx", "xlsx", "pdf"):
        raise Http404("未知文件类型")
    try:
        handle = services.open_file(found, kind)
    except services.ReportError as exc:
        raise Http404(str(exc)) from None
    return FileResponse(handle, as_attachment=True, filename=services.file_name(found, kind))
