"""The dashboard (barometer of every target) and a page per target."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import clock, versions
from carbonpeak.core.http import number_param
from carbonpeak.core.numbers import required_float, required_int
from carbonpeak.energy import selectors as energy
from carbonpeak.energy.accounting import boundary_caption
from carbonpeak.monitoring import selectors, services
from carbonpeak.monitoring.grading import Grade
from carbonpeak.monitoring.models import Indicator, Observation
from carbonpeak.plans.models import Plan, Target
from carbonpeak.plans.selectors import current_plan
from carbonpeak.sinks import selectors as sink_selectors
from carbonpeak.web import refusals

HEADLINES = (
    ("co2_total", gettext_lazy("能源活动二氧化碳排放总量")),
    ("energy_intensity", gettext_lazy("单位地区生产总值能耗（等价值）")),
    ("carbon_intensity", gettext_lazy("单位地区生产总值二氧化碳排放")),
    ("non_fossil_share", gettext_lazy("非化石能源消费比重（等价值）")),
)


def _plan() -> Plan:
    plan = current_plan()
    if plan is None:
        raise Http404(gettext_lazy("尚未导入任何方案"))
    return plan


def _group(status) -> str:
    t = status.target
    if t.task_id and t.task.action_id:
        return f"{t.task.action.number}{t.task.action.title}"
    if t.section_id:
        return f"{t.section.number}{t.section.title}"
    return _("其他")


@page(Action.VIEW_CITY)
def dashboard(request):
    if current_plan() is None:
        # a new installation: the home page says what to do first instead of 'not found'
        return render(
            request,
            "monitoring/no_plan.html",
            {
                "nav": "dashboard",
                "can_manage_plan": permissions.can(request.user, permissions.Action.MANAGE_PLAN),
            },
        )
    plan = _plan()
    today = clock.today()
    statuses = selectors.plan_statuses(plan, today)
    counts = Counter(s.assessment.grade for s in statuses)

    def barometer() -> dict:
        groups: dict[str, list] = {}
        for s in statuses:
            groups.setdefault(_group(s), []).append(s)
        return {"groups": groups, "counts": [(g, counts.get(g, 0)) for g in Grade], "total": len(statuses)}

    run = energy.current_run()
    boundary = boundary_caption(energy.assessed_boundary_of(run))
    headlines = []
    for code, label in HEADLINES:
        chosen = selectors.headline_status(statuses, code)
        latest = chosen.points[-1] if chosen and chosen.points else None
        basis = boundary if code in ("co2_total", "carbon_intensity") else ""
        headlines.append({"label": label, "status": chosen, "latest": latest, "basis": basis})
    chart = {
        "grades": [{"name": _(g.label), "value": counts.get(g, 0), "grade": g.value} for g in Grade],
    }
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "nav": "dashboard",
            "plan": plan,
            # the table of every target, rendered once per data version and day
            "barometer": versions.cached_html(
                ("barometer", plan.pk, today), request, "monitoring/_barometer.html", barometer
            ),
            "headlines": headlines,
            "run": run,
            "warnings": selectors.visible_warnings(request.user)[:10],
            "can_review": permissions.can(request.user, permissions.Action.REVIEW),
            "chart": chart,
            "sinks": sink_selectors.city_summary(),
            "sample": bool(run and run.includes_sample)
            or Observation.objects.filter(is_sample=True).exists(),
        },
    )


@page(Action.VIEW_CITY)
def target_detail(request, target_id: int):
    target = get_object_or_404(Target.objects.select_related("task", "section", "plan"), pk=target_id)
    status = next(s for s in selectors.plan_statuses(target.plan) if s.target.pk == target.pk)
    indicator = status.indicator
    years = []
    if status.points or status.baseline:
        first = min([p.year for p in status.points] + ([status.baseline[0]] if status.baseline else []))
        last = max([p.year for p in status.points] + [target.year or 0])
        years = list(range(first, last + 1))
    path = dict(status.path(range(years[0], years[-1] + 1))) if years else {}
    annual = {p.year: p.value for p in status.points if p.quarter == 4}
    chart = {
        "years": [str(y) for y in years],
        "actual": [annual.get(y) for y in years],
        "expected": [None if path.get(y) is None else round(path[y], 4) for y in years],
        "unit": indicator.unit if indicator else "",
        "name": target.indicator,
    }
    observations = (
        indicator.observations.select_related("created_by", "reviewed_by").order_by(
            "-year", "-quarter", "-revision"
        )
        if indicator
        else []
    )
    return render(
        request,
        "monitoring/target_detail.html",
        {
            "nav": "dashboard",
            "target": target,
            "status": status,
            "indicator": indicator,
            "points": sorted(status.points, reverse=True),
            "path": path,
            "chart": chart,
            "observations": observations,
            "warnings": target.warnings.all()[:20],
            "can_report": indicator is not None
            and indicator.kind == Indicator.Kind.REPORTED
            and services.can_report(request.user, indicator),
            "can_review": services.can_review(request.user),
            "run": energy.current_run(),
            "register_pv": _register_pv(target),
            "refused": refusals.take(request, _report_form(target)),
            "quarter_choices": QUARTER_CHOICES,
        },
    )


def _register_pv(target: Target) -> dict | None:
    """For the PV target: the PV installed in the key-enterprise register's buildings, beside the reported
    city figure (part of it: households, ground-mounted and public PV are not in the register)."""
    if "光伏" not in target.indicator or "装机" not in target.indicator:
        return None
    from carbonpeak.enterprises import selectors as enterprises

    total, unreported = enterprises.register_installed_pv()
    return {"mw": total, "unreported": unreported}


@page(Action.VIEW_WORK)
@require_POST
def report(request, target_id: int):
    target = get_object_or_404(Target, pk=target_id)
    link = getattr(target, "monitoring", None)
    if link is None:
        raise Http404(gettext_lazy("该目标尚未对应指标"))
    post = request.POST
    typed = {f: post.get(f, "") for f in ("year", "quarter", "value", "note")}
    problems: list[refusals.Problem] = []
    year = refusals.parsed(
        post, problems, "year", lambda t: required_int(t, what=_("年份"), low=1990, high=2100)
    )
    quarter = refusals.parsed(
        post, problems, "quarter", lambda t: required_int(t or "4", what=_("季度"), low=1, high=4)
    )
    value = refusals.parsed(post, problems, "value", lambda t: required_float(t, what=_("数值")))
    if not problems:
        try:
            obs = services.report_observation(
                link.indicator, year, quarter, value, request.user, note=post.get("note", "")
            )
            services.submit_observation(obs, user=request.user)
        except ValidationError as exc:
            problems = refusals.problems_of(exc, "value")
    if problems:  # the form comes back as typed, each problem beside its field
        return refusals.refuse(
            request, _report_form(target), typed, problems, reverse("monitoring:target", args=[target.pk])
        )
    messages.success(
        request,
        _("已报送 %(period)s %(value)s，等待协调员审核")
        % {"period": obs.period_label, "value": f"{value:g}"},
    )
    return redirect("monitoring:target", target.pk)


#: what a reported value covers: the year, or the year to the end of a quarter
QUARTER_CHOICES = (
    ("4", gettext_lazy("全年")),
    ("3", gettext_lazy("1–9月")),
    ("2", gettext_lazy("1–6月")),
    ("1", gettext_lazy("1–3月")),
)


def _report_form(target) -> str:
    return f"indicator-value:{target.pk}"


@page(Action.VIEW_WORK)
@require_POST
def review(request, target_id: int, observation_id: int, action: str):
    target = get_object_or_404(Target, pk=target_id)
    obs = get_object_or_404(Observation, pk=observation_id)
    if not services.can_review(request.user):
        raise PermissionDenied(gettext_lazy("只有协调员可以审核指标数值"))
    at = f"return-comment-{obs.pk}"
    typed = {"observation": str(obs.pk), "comment": request.POST.get("comment", "")}
    problems = refusals.required(request.POST, {"comment": (at, _("退回意见"))}) if action == "return" else []
    if not problems:
        try:
            (services.approve_observation if action == "approve" else services.return_observation)(
                obs, user=request.user, comment=request.POST.get("comment", "")
            )
        except ValidationError as exc:
            problems = refusals.problems_of(exc, at)
    if problems:  # beside the observation's comment, kept as typed
        return refusals.refuse(
            request, _report_form(target), typed, problems, reverse("monitoring:target", args=[target.pk])
        )
    messages.success(request, _("已审核通过，目标评估将随即更新") if action == "approve" else _("已退回"))
    return redirect("monitoring:target", target.pk)


@page(Action.VIEW_CITY)
def warnings(request):
    qs = selectors.visible_warnings(request.user)
    department = number_param(request, "department", _("部门"))
    if department is not None:
        qs = qs.filter(department_id=department)
    return render(request, "monitoring/warnings.html", {"nav": "warnings", "warnings": qs[:200]})
