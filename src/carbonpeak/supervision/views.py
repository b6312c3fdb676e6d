"""Progress reporting pages: periods, the completeness board, a report with its review, evidence downloads."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import clock, limits
from carbonpeak.core.http import attachment
from carbonpeak.plans.selectors import current_plan
from carbonpeak.supervision import selectors, services
from carbonpeak.supervision.models import Evidence, ProgressReport, ProgressStatus, ReportingPeriod
from carbonpeak.web import refusals


def _error(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


@page(Action.VIEW_WORK)
def periods(request):
    department = permissions.department_of(request.user)
    mine = selectors.my_open_reports(department) if department is not None else []
    return render(
        request,
        "supervision/periods.html",
        {
            "nav": "progress",
            "periods": selectors.periods(),
            "can_manage": permissions.can(request.user, Action.MANAGE_PERIODS),
            "mine": mine,
            "department": department,
            "today": clock.today(),
            "refused": refusals.take(request, OPEN_FORM),
        },
    )


OPEN_FORM = "open-period"


@page(Action.VIEW_WORK)
@require_POST
def open_period(request):
    """The coordinator opens a quarter; a refusal comes back as typed, beside its field."""
    plan = current_plan()
    if plan is None:
        raise Http404(gettext_lazy("尚未导入任何方案"))
    post = request.POST
    problems = refusals.required(
        post, {"key": ("period-key", _("报告期")), "due_date": ("period-due", _("截止日期"))}
    )
    due = None
    if not problems:
        try:
            due = dt.date.fromisoformat(post.get("due_date", "").strip())
        except ValueError:
            problems.append(refusals.Problem("period-due", _("截止日期须为有效日期，如 2026-04-10")))
    if not problems:
        try:
            rp = services.open_period(plan, post.get("key", ""), due, request.user)
        except ValidationError as exc:
            problems = refusals.problems_of(exc, "period-key")
    if problems:
        typed = {k: post.get(k, "") for k in ("key", "due_date")}
        return refusals.refuse(request, OPEN_FORM, typed, problems, reverse("supervision:periods"))
    messages.success(
        request,
        _("已开启%(period)s，生成 %(count)s 份进展报告") % {"period": rp, "count": rp.reports.count()},
    )
    return redirect("supervision:board", rp.pk)


@page(Action.VIEW_WORK)
def board(request, period_id: int):
    rp = get_object_or_404(ReportingPeriod, pk=period_id)
    b = services.completeness(rp)
    rows = []
    for d in b.departments:
        cells = [b.cells.get((d.pk, t.pk)) for t in b.tasks]
        rows.append({"department": d, "cells": [c and (*c, services.STATE_SHORT[c[0]]) for c in cells]})
    return render(
        request,
        "supervision/board.html",
        {
            "nav": "progress",
            "period": rp,
            "board": b,
            "rows": rows,
            "labels": services.STATE_LABELS,
            "counts": [(k, services.STATE_LABELS[k], v) for k, v in b.counts.items()],
            "can_manage": permissions.can(request.user, Action.MANAGE_PERIODS),
        },
    )


@page(Action.VIEW_WORK)
@require_POST
def period_action(request, period_id: int, action: str):
    rp = get_object_or_404(ReportingPeriod, pk=period_id)
    try:
        if action == "close":
            services.close_period(rp, request.user)
            messages.success(request, _("%(period)s已关闭，报告已冻结为快照") % {"period": rp})
        elif action == "remind":
            made = services.remind(rp, request.user)
            messages.success(
                request,
                _("已发出提醒 %(count)s 条") % {"count": len(made)}
                if made
                else _("没有需要发出的提醒（已提醒过或不在提醒时段）"),
            )
        else:
            raise Http404(gettext_lazy("未知操作"))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("supervision:board", rp.pk)


@page(Action.VIEW_WORK)
def report(request, report_id: int):
    r = get_object_or_404(
        ProgressReport.objects.select_related("period", "task", "task__action", "department", "reviewed_by"),
        pk=report_id,
    )
    supporters = r.task.responsibilities.filter(role="support", suppressed=False).select_related("department")
    snapshot = None
    if not r.period.is_open and r.period.snapshot:
        snapshot = next(
            (
                s
                for s in r.period.snapshot["reports"]
                if s["task"] == r.task.label and s["department"] == r.department.name
            ),
            None,
        )
    indicators = r.department.indicators.all()
    refused = refusals.take(request, _form(r))
    return render(
        request,
        "supervision/report.html",
        {
            "nav": "progress",
            "r": r,
            "supporters": supporters,
            "contributions": r.contributions.select_related("department"),
            "evidence": [(e, services.can_view_evidence(request.user, e)) for e in r.evidence.all()],
            "can_edit": permissions.can(request.user, Action.EDIT_PROGRESS, r) and r.period.is_open,
            "can_contribute": permissions.can(request.user, Action.CONTRIBUTE_PROGRESS, r)
            and r.period.is_open
            and permissions.department_of(request.user) is not None
            and permissions.department_of(request.user).pk != r.department_id,
            "can_review": permissions.can(request.user, Action.REVIEW) and r.period.is_open,
            # evidence is added while the report can still change (a draft or returned), never after
            "can_attach": r.period.is_open
            and r.status in ("draft", "returned")
            and (
                permissions.can(request.user, Action.EDIT_PROGRESS, r)
                or permissions.can(request.user, Action.CONTRIBUTE_PROGRESS, r)
            ),
            "progress_choices": ProgressStatus.choices,
            "snapshot": snapshot,
            "indicators": indicators,
            "refused": refused,
        },
    )


#: the field of the report page a refused action is named beside, and the fields it sends
ACTION_FIELDS = {
    "save": ("narrative", ("progress", "narrative")),
    "submit": ("narrative", ("progress", "narrative")),
    "contribute": ("text", ("text",)),
    "evidence": ("file", ()),
    "return": ("comment", ("comment",)),
    "approve": ("comment", ("comment",)),
}


@page(Action.VIEW_WORK)
@require_POST
def report_action(request, report_id: int, action: str):
    r = get_object_or_404(ProgressReport.objects.select_related("period", "task"), pk=report_id)
    if action not in ACTION_FIELDS:
        raise Http404(gettext_lazy("未知操作"))
    at, sent = ACTION_FIELDS[action]
    required = {"contribute": {"text": _("本部门配合工作情况")}, "return": {"comment": _("退回意见")}}.get(
        action, {}
    )
    if missing := refusals.required(request.POST, required):
        return refusals.refuse(
            request, _form(r), {f: request.POST.get(f, "") for f in sent}, missing, r.get_absolute_url()
        )
    try:
        if action == "save":
            services.save_report(
                r,
                request.user,
                progress=request.POST.get("progress", ""),
                narrative=request.POST.get("narrative", ""),
            )
            messages.success(request, _("已保存"))
        elif action == "submit":
            if "narrative" in request.POST:
                services.save_report(
                    r,
                    request.user,
                    progress=request.POST.get("progress", ""),
                    narrative=request.POST.get("narrative", ""),
                )
            services.submit_report(r, user=request.user)
            messages.success(request, _("已报送，等待协调员审核"))
        elif action == "contribute":
            services.contribute(r, request.user, request.POST.get("text", ""))
            messages.success(request, _("已补充本部门配合工作情况"))
        elif action == "evidence":
            file = request.FILES.get("file")
            if file is None:
                raise ValidationError(_("请选择文件"))
            services.attach_evidence(r, request.user, file.name, limits.read(limits.EVIDENCE, file))
            messages.success(request, _("已上传 %(name)s") % {"name": file.name})
        elif action in ("approve", "return"):
            (services.approve_report if action == "approve" else services.return_report)(
                r, user=request.user, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("已审核通过") if action == "approve" else _("已退回牵头部门"))
    except ValidationError as exc:  # the form comes back as typed, the reason beside its field
        field = getattr(exc, "field", None) if action in ("save", "submit") else None
        problems = [refusals.Problem(field or at, m) for m in exc.messages]
        return refusals.refuse(
            request, _form(r), {f: request.POST.get(f, "") for f in sent}, problems, r.get_absolute_url()
        )
    return redirect("supervision:report", r.pk)


def _form(report: ProgressReport) -> str:
    return f"progress-report:{report.pk}"


@page(Action.VIEW_WORK)
def evidence(request, evidence_id: int):
    e = get_object_or_404(Evidence.objects.select_related("report", "report__task"), pk=evidence_id)
    return attachment(
        services.read_evidence(request.user, e), services.EVIDENCE_TYPES[e.kind], e.original_name
    )
