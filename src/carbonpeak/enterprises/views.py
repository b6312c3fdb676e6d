"""Enterprise pages: the register with filters, one enterprise, PV compliance; import and export. Thin: the
writes are ``services``', the reads ``selectors``'."""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import clock, limits, uploads
from carbonpeak.core.http import MAX_ID
from carbonpeak.core.numbers import NumberError, as_int, required_float
from carbonpeak.core.quotas import QuotaExceeded
from carbonpeak.web import refusals

from . import efficiency as efficiency_rules
from . import projects, pv, selectors, services, thresholds, workbook
from .models import Building, Enterprise, EnterpriseReport, PlanProgress

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_enterprise(request):
    """An enterprise user's own enterprise (they have no register to browse), else None."""
    scope = permissions.enterprise_scope(request.user)
    return None if scope == permissions.ALL_ENTERPRISES else scope


@page(Action.VIEW)
def register(request):
    own = _own_enterprise(request)
    if own is not None:
        return redirect("enterprises:detail", own.pk)
    if not permissions.can(request.user, permissions.Action.VIEW_ENTERPRISE):
        raise PermissionDenied(permissions.MESSAGES[permissions.Action.VIEW_ENTERPRISE])
    everything = selectors.visible_enterprises(request.user)
    shown = selectors.filtered(everything, request.GET).order_by("district", "name")
    return render(
        request,
        "enterprises/register.html",
        {
            "nav": "enterprises",
            "enterprises": shown[:1000],
            "count": shown.count(),
            "districts": everything.order_by().values_list("district", flat=True).distinct(),
            "sectors": everything.order_by().values_list("sector", flat=True).distinct(),
            "filters": request.GET,
            "any_sample": everything.filter(sample=True).exists(),
            "can_manage": permissions.can(request.user, permissions.Action.MANAGE_ENTERPRISES),
        },
    )


@page(Action.VIEW)
def detail(request, enterprise_id: int):
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    permissions.require(request.user, permissions.Action.VIEW_ENTERPRISE, enterprise)
    refused = refusals.take(request, REDUCTION_PLAN_FORM)
    return render(
        request,
        "enterprises/detail.html",
        {
            "nav": "enterprises",
            "enterprise": enterprise,
            "buildings": enterprise.buildings.all(),
            "findings": selectors.pv_compliance(Enterprise.objects.filter(pk=enterprise.pk)),
            "projects": selectors.project_rows(enterprise.projects.all()),
            "reports": enterprise.reports.order_by("-year", "-revision"),
            "report_year": clock.today().year - 1,
            **_reduction_plan_context(request, enterprise),
            "refused": refused,
            "milestone_rows": [
                {
                    "n": i + 1,
                    "measure": (f"rp-measure-{i}", refused.value(f"measure-{i}")),
                    "due": (f"rp-due-{i}", refused.value(f"due-{i}")),
                }
                for i in range(MILESTONE_ROWS)
            ],
        },
    )


@page(Action.VIEW)
def pv_compliance(request):
    if _own_enterprise(request) is None and not permissions.can(
        request.user, permissions.Action.VIEW_ENTERPRISE
    ):
        raise PermissionDenied(permissions.MESSAGES[permissions.Action.VIEW_ENTERPRISE])
    visible = selectors.visible_enterprises(request.user)
    rows = selectors.pv_compliance(visible)
    status = request.GET.get("status", "")
    shown = [r for r in rows if not status or r.finding.status == status]
    counts = Counter(r.finding.status for r in rows)
    total, unreported = selectors.installed_pv_mw(visible)
    return render(
        request,
        "enterprises/pv.html",
        {
            "nav": "enterprises",
            "rows": shown,
            "status_counts": [
                (s, counts.get(s, 0)) for s in (pv.COMPLIANT, pv.TO_INSTALL, pv.EXEMPT, pv.MISSING)
            ],
            "status": status,
            "installed_mw": total,
            "unreported": unreported,
            "buildings": Building.objects.filter(enterprise__in=visible).count(),
            "rules": pv.load_rules(),
            "any_sample": visible.filter(sample=True).exists(),
        },
    )


@page(Action.VIEW_WORK)
def template(request):
    response = HttpResponse(workbook.template_bytes(say=_), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="enterprise-register-template.xlsx"'
    return response


@page(Action.VIEW)
def export(request):
    own = _own_enterprise(request)
    if own is None and not permissions.can(request.user, permissions.Action.VIEW_ENTERPRISE):
        raise PermissionDenied(permissions.MESSAGES[permissions.Action.VIEW_ENTERPRISE])
    visible = selectors.filtered(selectors.visible_enterprises(request.user), request.GET)
    enterprises = list(visible.order_by("district", "name").values())
    buildings = [
        {**b, "credit_code": b.pop("enterprise__credit_code")}
        for b in Building.objects.filter(enterprise__in=visible)
        .order_by("enterprise__name", "name")
        .values("enterprise__credit_code", *workbook.BUILDING_FIELDS)
    ]
    response = HttpResponse(workbook.export_bytes(enterprises, buildings), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="enterprise-register.xlsx"'
    return response


@page(Action.MANAGE_ENTERPRISES)
@require_POST
def import_register(request):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择名录文件（.xlsx）"))
        return redirect("enterprises:register")
    data = limits.read(limits.ENTERPRISE_REGISTER, upload)
    try:
        job = uploads.accept(request.user, "register", upload.name or "register.xlsx", data)
    except (ValidationError, QuotaExceeded) as exc:
        for message in getattr(exc, "messages", [str(exc)])[:50]:
            messages.error(request, message)
        return redirect("enterprises:register")
    return redirect("web:upload_job", job.pk)


@page(Action.VIEW)
def two_high_projects(request):
    if _own_enterprise(request) is None and not permissions.can(
        request.user, permissions.Action.VIEW_ENTERPRISE
    ):
        raise PermissionDenied(permissions.MESSAGES[permissions.Action.VIEW_ENTERPRISE])
    queryset = selectors.visible_projects(request.user)
    status = request.GET.get("status", "")
    if status:
        queryset = queryset.filter(status=status)
    rows = selectors.project_rows(queryset)
    return render(
        request,
        "enterprises/projects.html",
        {
            "nav": "enterprises",
            "rows": rows,
            "statuses": projects.STATUSES,
            "status": status,
            "tolerance": selectors.current_tolerance(),
            "warnings": [r for r in rows if r.warning],
            "any_sample": any(r.project.sample for r in rows),
            "can_manage": permissions.can(request.user, permissions.Action.MANAGE_ENTERPRISES),
        },
    )


@page(Action.MANAGE_ENTERPRISES)
@require_POST
def acceptance_tolerance(request):
    try:
        value = required_float(request.POST.get("value_pct"), what=_("容许偏差（%）"), low=0, high=100)
    except NumberError as exc:
        messages.error(request, str(exc))
        return redirect("enterprises:projects")
    try:
        entry = services.set_acceptance_tolerance(request.user, value, request.POST.get("source", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已录入验收偏差容许值 %(entry)s") % {"entry": entry})
    return redirect("enterprises:projects")


# ------------------------------------------------------------------ annual reports (MRV)

FUEL_ROWS = 8  # rows of fuels on the form (more: save and the form opens with the saved ones plus blanks)


def _report_context(request, enterprise: Enterprise, year: int) -> dict:
    from carbonpeak.energy import catalog
    from carbonpeak.energy.terms import shown
    from carbonpeak.meters.selectors import beside_report

    report = enterprise.reports.filter(year=year).order_by("-revision").first()
    plan = enterprise.monitoring_plans.filter(year=year).first()
    fuels = [services.fuel_dict(f) for f in report.fuels.all()] if report else []
    figures, problems = None, []
    if report is not None and report.status != "approved":
        try:
            figures = services.report_figures(report)
        except ValidationError as exc:
            problems = exc.messages
    return {
        "nav": "enterprises",
        "enterprise": enterprise,
        "year": year,
        "report": report,
        "plan": plan,
        "fuel_rows": fuels + [{}] * max(2, FUEL_ROWS - len(fuels)),
        "fuel_names": [shown(f.name) for f in catalog.FUELS if f.family != catalog.ELECTRICITY],
        "unit_names": [shown(u) for u in catalog.UNIT_NAMES],
        "sources": [s.name for s in catalog.GENERATION_SOURCES],
        "ets_choices": EnterpriseReport._meta.get_field("ets_compliance").choices,
        "figures": figures,
        "problems": problems,
        "measured": beside_report(enterprise.pk, year, report),
        "can_report": permissions.can(request.user, permissions.Action.REPORT_ENTERPRISE, enterprise),
        "can_review": permissions.can(request.user, permissions.Action.REVIEW),
        "refused": refusals.take(request, _report_form(enterprise, year)),
    }


def _report_form(enterprise: Enterprise, year: int) -> str:
    return f"enterprise-report:{enterprise.pk}:{year}"


#: where on the report page a refused action is named (the field, or the form where no field is), and what
#: it sends that is kept
REPORT_ACTION_FIELDS = {
    "plan_save": ("plan-content", ("content",)),
    "plan_approve": ("plan-comment", ("comment",)),
    "plan_return": ("plan-comment", ("comment",)),
    "verify": ("verification-form", ("verifier", "result", "reference")),
    "approve": ("report-comment", ("comment",)),
    "return": ("report-comment", ("comment",)),
}


@page(Action.VIEW)
def report(request, enterprise_id: int, year: int):
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    permissions.require(request.user, permissions.Action.VIEW_ENTERPRISE, enterprise)
    if request.method == "POST":
        return _report_action(request, enterprise, year)
    return render(request, "enterprises/report.html", _report_context(request, enterprise, year))


def _report_action(request, enterprise: Enterprise, year: int):
    action = request.POST.get("action", "")
    report = enterprise.reports.filter(year=year).order_by("-revision").first()
    plan = enterprise.monitoring_plans.filter(year=year).first()
    post = request.POST
    try:
        if action in ("save", "submit"):
            rows = as_int(post.get("fuel_rows"), low=1, high=200) or FUEL_ROWS
            fields = ("fuel", "unit", "quantity", "reported_tce", "use")
            fuels = [{k: post.get(f"{k}-{i}", "") for k in fields} for i in range(rows)]
            values = {k: post.get(k, "") for k in services.REPORT_NUMBERS}
            report = services.save_report(
                request.user,
                enterprise,
                year,
                fuels=fuels,
                generation_source=post.get("generation_source", ""),
                ets_compliance=post.get("ets_compliance", ""),
                **values,
            )
            if action == "submit":
                services.submit_report(report, user=request.user)
                messages.success(request, _("报告已报送，等待第三方核查和协调员审核"))
            else:
                messages.success(request, _("草稿已保存"))
        elif action == "plan_save":
            plan = services.save_monitoring_plan(request.user, enterprise, year, post.get("content", ""))
            if post.get("submit_plan"):
                services.submit_monitoring_plan(plan, user=request.user)
                messages.success(request, _("监测计划已报送"))
            else:
                messages.success(request, _("监测计划已保存"))
        elif action in ("plan_approve", "plan_return") and plan is not None:
            (
                services.approve_monitoring_plan
                if action == "plan_approve"
                else services.return_monitoring_plan
            )(plan, user=request.user, comment=post.get("comment", ""))
            messages.success(
                request, _("监测计划已审核通过") if action == "plan_approve" else _("监测计划已退回")
            )
        elif action == "verify" and report is not None:
            upload = request.FILES.get("file")
            services.record_verification(
                request.user,
                report,
                verifier=post.get("verifier", ""),
                result=post.get("result", ""),
                reference=post.get("reference", ""),
                file=(upload.name, limits.read(limits.VERIFICATION, upload)) if upload else None,
            )
            messages.success(request, _("核查结论已录入"))
        elif action == "approve" and report is not None:
            services.approve_report(report, user=request.user, comment=post.get("comment", ""))
            messages.success(request, _("报告已审核通过，能耗与排放已按全市核算方法计算"))
        elif action == "return" and report is not None:
            services.return_report(report, user=request.user, comment=post.get("comment", ""))
            messages.success(request, _("报告已退回"))
        else:
            messages.error(request, _("无法识别的操作"))
    except ValidationError as exc:
        if action in ("save", "submit"):  # the form comes back as typed, the problems summed up above it
            context = _report_context(request, enterprise, year)
            context["fuel_rows"] = [{**row, "typed": True} for row in fuels]
            context["typed"] = {"generation_source": post.get("generation_source", ""), **values}
            problems = refusals.problems_of(exc, "report-form")[:50]
            context["refused"] = refusals.Refusal(_report_form(enterprise, year), {}, problems)
            return render(request, "enterprises/report.html", context, status=400)
        at, sent = REPORT_ACTION_FIELDS.get(action, ("monitoring-plan", ()))
        kept = {"action": action, **{name: post.get(name, "") for name in sent}}
        return refusals.refuse(
            request,
            _report_form(enterprise, year),
            kept,
            refusals.problems_of(exc, at)[:30],
            reverse("enterprises:report", args=[enterprise.pk, year]),
        )
    return redirect("enterprises:report", enterprise.pk, year)


@page(Action.VIEW_ENTERPRISE)  # the register as a whole: the city's users
def reconciliation(request):
    years = _report_years()
    year = _year(request, years)
    rows, region = selectors.reconciliation(year)
    return render(
        request,
        "enterprises/reconciliation.html",
        {
            "nav": "enterprises",
            "year": year,
            "years": years,
            "rows": rows,
            "region": region,
            "movers": selectors.movers(year),
            "any_sample": Enterprise.objects.filter(sample=True).exists(),
        },
    )


def _report_years() -> list[int]:
    return sorted(
        set(EnterpriseReport.objects.filter(status="approved").values_list("year", flat=True)), reverse=True
    )


def _year(request, years: list[int]) -> int:
    chosen = as_int(request.GET.get("year"), low=1990, high=2100)
    return chosen or (years[0] if years else clock.today().year - 1)


@page(Action.VIEW_ENTERPRISE)  # the register as a whole: the city's users
def efficiency(request):
    years = _report_years()
    year = _year(request, years)
    graded = selectors.efficiency(year)
    only_d = request.GET.get("grade") == "D"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            workbook.efficiency_bytes(year, graded, efficiency_rules.RULE), content_type=XLSX
        )
        response["Content-Disposition"] = f'attachment; filename="efficiency-{year}.xlsx"'
        return response
    return render(
        request,
        "enterprises/efficiency.html",
        {
            "nav": "enterprises",
            "year": year,
            "years": years,
            "rows": [g for g in graded if not only_d or g.grade == "D"],
            "only_d": only_d,
            "rule": efficiency_rules.RULE,
            "any_sample": Enterprise.objects.filter(sample=True).exists(),
        },
    )


# ------------------------------------------------------------------ 一企一策

MILESTONE_ROWS = 6


REDUCTION_PLAN_FORM = "reduction-plan"


@page(Action.VIEW)
@require_POST
def create_reduction_plan(request, enterprise_id: int):
    """一企一策 for an enterprise; a refusal comes back to its page as typed, each problem beside its line."""
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    post = request.POST
    lines = [(post.get(f"measure-{i}", ""), post.get(f"due-{i}", "")) for i in range(MILESTONE_ROWS)]
    try:
        services.create_reduction_plan(
            request.user, enterprise, title=post.get("title", ""), goal=post.get("goal", ""), milestones=lines
        )
    except ValidationError as exc:
        problems = refusals.problems_of(exc, "title")
        for p in problems:
            p.field = f"rp-{p.field}"
        typed = {k: post.get(k, "") for k in ("title", "goal")}
        typed.update(
            {f"{k}-{i}": post.get(f"{k}-{i}", "") for k in ("measure", "due") for i in range(MILESTONE_ROWS)}
        )
        url = reverse("enterprises:detail", args=[enterprise.pk])
        return refusals.refuse(request, REDUCTION_PLAN_FORM, typed, problems, url)
    messages.success(request, _("一企一策方案已制定；开启中的季度已生成进展报告"))
    return redirect("enterprises:detail", enterprise.pk)


#: the field each kind of progress form names when a refusal names none
PROGRESS_FORMS = {
    "save": "narrative",
    "submit": "narrative",
    "approve": "progress-comment",
    "return": "progress-comment",
}


@page(Action.VIEW)
def progress(request, progress_id: int):
    """An enterprise's quarterly 一企一策 progress and its review; a refusal shows the page again with
    everything typed, each problem beside its field."""
    item = get_object_or_404(
        PlanProgress.objects.select_related("plan__enterprise", "period"), pk=progress_id
    )
    enterprise = item.plan.enterprise
    permissions.require(request.user, permissions.Action.VIEW_ENTERPRISE, enterprise)
    refused, status = None, 200
    if request.method == "POST":
        post = request.POST
        action = post.get("action", "")
        if action not in PROGRESS_FORMS:
            raise Http404(gettext_lazy("未知操作"))
        try:
            if action in ("save", "submit"):
                done = [d for v in post.getlist("done") if (d := as_int(v, low=1, high=MAX_ID))]
                services.save_progress(
                    request.user,
                    item,
                    narrative=post.get("narrative", ""),
                    milestones_done=done,
                    pue=post.get("pue", ""),
                )
                if action == "submit":
                    services.submit_progress(item, user=request.user)
                messages.success(request, _("已报送") if action == "submit" else _("已保存"))
            else:
                (services.approve_progress if action == "approve" else services.return_progress)(
                    item, user=request.user, comment=post.get("comment", "")
                )
                messages.success(request, _("已审核通过") if action == "approve" else _("已退回"))
        except ValidationError as exc:
            problems = refusals.problems_of(exc, PROGRESS_FORMS[action])
            for p in problems:
                p.field = {"comment": "progress-comment"}.get(p.field, p.field)
            form = "review" if action in ("approve", "return") else "report"
            typed = {k: post.get(k, "") for k in ("narrative", "pue", "comment")}
            typed["done"] = ",".join(post.getlist("done"))[:2000]
            refused, status = refusals.Refusal(form, typed, problems), 400
            item.refresh_from_db()
        else:
            return redirect("enterprises:progress", item.pk)
    limit = thresholds.load()["data_centre_pue_max"]
    typed_done = (
        {as_int(v, low=1, high=MAX_ID) for v in refused.typed["done"].split(",")} if refused else None
    )
    return render(
        request,
        "enterprises/progress.html",
        {
            "nav": "enterprises",
            "item": item,
            "enterprise": enterprise,
            "milestones": item.plan.milestones.all(),
            "done": typed_done if refused and refused.form == "report" else set(item.milestones_done),
            "refused": refused,
            "pue_limit": limit,
            "pue_status": thresholds.pue_status(item.pue, limit.value) if enterprise.data_centre else "",
            "can_report": permissions.can(request.user, permissions.Action.REPORT_ENTERPRISE, enterprise)
            and item.status in ("draft", "returned"),
            "can_review": permissions.can(request.user, permissions.Action.REVIEW)
            and item.status == "submitted",
        },
        status=status,
    )


def _reduction_plan_context(request, enterprise: Enterprise) -> dict:
    plan = getattr(enterprise, "reduction_plan", None)
    today = clock.today()
    limit = thresholds.load()["data_centre_pue_max"]
    progress = (
        list(plan.progress.select_related("period").order_by("-period__year", "-period__quarter"))
        if plan
        else []
    )
    return {
        "reduction_plan": plan,
        "milestones": [
            {"m": m, "overdue": m.done_on is None and m.due_date < today}
            for m in (plan.milestones.all() if plan else [])
        ],
        "plan_progress": [
            {
                "p": p,
                "pue_status": thresholds.pue_status(p.pue, limit.value) if enterprise.data_centre else "",
            }
            for p in progress
        ],
        "pue_limit": limit,
        "can_manage": permissions.can(request.user, permissions.Action.MANAGE_ENTERPRISES),
    }


@page(Action.VIEW)
def verification_file(request, report_id: int):
    report = get_object_or_404(EnterpriseReport.objects.select_related("enterprise"), pk=report_id)
    response = HttpResponse(
        services.read_verification_file(request.user, report), content_type="application/pdf"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(report.verification_file_name)
    return response
