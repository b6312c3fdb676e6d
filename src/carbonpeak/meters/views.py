"""The online-monitoring pages: the data-quality table by enterprise and month with the rules and their
sources, the batches taken in, an upload form; an enterprise's months. Thin: writes are services'."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import limits
from carbonpeak.enterprises.models import Enterprise
from carbonpeak.web import uploading

from . import quality, selectors, services
from .models import ReadingBatch


def _rules_context() -> dict:
    return {
        "rules": [(quality.RULE_LABEL[r], r) for r in quality.RULES],
        "thresholds": list(quality.thresholds().values()),
        "platform_rules": quality.PLATFORM_RULES,
    }


@page(Action.VIEW_ENTERPRISE)
def overview(request):
    months = selectors.months()
    month = request.GET.get("month", "")
    month = month if month in months else (months[0] if months else None)
    only_failing = request.GET.get("failing") == "1"
    # a province's month is thousands of enterprises: pages of 200 (本平台规则)
    rows = Paginator(selectors.quality_table(month, only_failing) if month else [], 200).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meters/overview.html",
        {
            "nav": "meters",
            "months": months,
            "month": month,
            "only_failing": only_failing,
            "rows": rows,
            "summary": selectors.summary(month) if month else None,
            "batches": selectors.batches(),
            "store": selectors.store_figures(),
            "can_ingest": permissions.can(request.user, Action.INGEST_METERS),
            "max_mb": limits.max_bytes(limits.METER_READINGS) // limits.MB,
            **_rules_context(),
        },
    )


@page(Action.VIEW)
def enterprise(request, credit_code: str):
    found = Enterprise.objects.filter(credit_code=credit_code).first()
    if not permissions.can(request.user, Action.VIEW_ENTERPRISE, found):
        raise PermissionDenied(permissions.MESSAGES[Action.VIEW_ENTERPRISE])
    rows, totals = selectors.enterprise_months(credit_code)
    if not rows and not totals and found is None:
        raise Http404(_("没有该企业的在线监测数据"))
    return render(
        request,
        "meters/enterprise.html",
        {
            "nav": "meters",
            "credit_code": credit_code,
            "enterprise": found,
            "rows": rows,
            "totals": totals,
            "month": request.GET.get("month", ""),
            **_rules_context(),
        },
    )


@page(Action.INGEST_METERS)
@require_POST
def upload(request):
    return uploading.hand_over(
        request,
        "meters",
        nav="meters",
        missing=_("请选择要导入的文件（.csv 或 .parquet）"),
        back_label=_("返回在线监测"),
    )


@page(Action.INGEST_METERS)
@require_POST
def withdraw(request, pk: int):
    batch = get_object_or_404(ReadingBatch, pk=pk)
    try:
        services.withdraw(request.user, batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("meters:overview")
    messages.success(
        request,
        _("已撤回批次 %(batch)s（%(file)s）；涉及月份已重算")
        % {"batch": batch.batch, "file": batch.file_name},
    )
    return redirect("meters:overview")
