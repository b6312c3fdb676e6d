"""Scenario pages: the scenarios side by side, one scenario's fan chart, peak years and levers, and its edit form."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.language import said_all
from carbonpeak.energy import selectors as energy
from carbonpeak.projection import model, scenarios, selectors, services
from carbonpeak.projection.models import Scenario, UnitEvent
from carbonpeak.web import refusals
from carbonpeak.web.templatetags.cp_format import percent

#: the peak-year histogram's key for the draws that have not peaked by the end year (the model's)
NOT_PEAKED = gettext_noop("未达峰")
EDITABLE_DISTRIBUTIONS = ("fixed", "uniform", "triangular", "normal", "bernoulli")


def _wan(value: float | None) -> float | None:
    return None if value is None else value / 1e4


def _summary(run) -> dict:
    r = said_all(run.result)
    deadline = r["trajectory"].get("2030") or {}
    return {
        "name": run.scenario_name,
        "description": r.get("description", ""),
        "p": r["p_peak_by_2030"],
        "boundary_label": r.get("boundary_label") or _("净调入口径"),
        "others": [(b["label"], b["p_peak_by_2030"]) for b in (r.get("boundaries") or {}).values()],
        "peak_year": r["peak_year"],
        "co2_2030_p50": _wan(deadline.get("p50")),
        "run": run,
    }


def _sentence(r: dict) -> str:
    p = r["p_peak_by_2030"]
    last = r["end_year"]
    base = r["base_year"]
    tolerance = (r.get("peak_rule") or {}).get("tolerance", 0.0)
    values = {
        "scenario": r["scenario"],
        "base": base,
        "boundary": r.get("boundary_label") or _("净调入口径"),
        "draws": f"{r['draws']:,}",
        "p": percent(p),
        "last": last,
        "ratio": f"{1 + tolerance:g}",
    }
    text = (
        _(
            "在%(scenario)s下，以截至%(base)s年的核算数据为起点，按%(boundary)s，%(draws)s次模拟中有%(p)s在2030年"
            "或之前达峰（此后至%(last)s年排放不再超过峰值的%(ratio)s倍）"
        )
        if tolerance
        else _(
            "在%(scenario)s下，以截至%(base)s年的核算数据为起点，按%(boundary)s，%(draws)s次模拟中有%(p)s在2030年"
            "或之前达峰（此后至%(last)s年排放不再超过峰值）"
        )
    ) % values
    median = r["peak_year"]["p50"]
    text += (
        _("；达峰年份的中位数为%(year)s年。") % {"year": median}
        if median
        else _("；多数模拟到%(year)s年排放仍在上升，未达峰。") % {"year": last}
    )
    active = [e for e in r["lever_details"] if e["active"] and e["reduction_2030_t"] > 0]
    if active:
        top = max(active, key=lambda e: e["reduction_2030_t"])
        text += _("作用最大的措施是“%(lever)s”（2030年减排约%(wan)s万吨）。") % {
            "lever": top["label"],
            "wan": f"{top['reduction_2030_t'] / 1e4:,.1f}",
        }
    electricity = r.get("electricity_p50_t") or []
    if electricity and electricity[0] < 0:
        text += _(
            "本市为电力净调出地区：调出电量按电网因子抵扣，电网越清洁、本地用电越多，抵扣越少，核算排放随之上升。"
        )
    return text


def _history_line(r: dict) -> list[float | None]:
    """The accounted years, then gaps where the projection runs (one x axis for both)."""
    return [_wan(v) for v in r["history"].values()] + [None] * len(r["trajectory"])


def _projected_line(r: dict, quantile: str) -> list[float | None]:
    """Gaps over the history except its last year, so the projected line starts where the history ends."""
    history = list(r["history"].values())
    return (
        [None] * (len(history) - 1)
        + [_wan(history[-1])]
        + [_wan(v[quantile]) for v in r["trajectory"].values()]
    )


def _branch_line(r: dict, quantiles: dict, name: str) -> list[float | None]:
    history = list(r["history"].values())
    return [None] * (len(history) - 1) + [_wan(history[-1])] + [_wan(v) for v in quantiles[name]]


def _chart_data(r: dict) -> dict:
    # the cases (unconfirmed events happening or not, each combination); a result stored before cases were
    # kept has its one event's branches
    branches = r.get("cases") or [b for e in r.get("events", []) for b in e.get("branches", [])]
    return {
        "years": [*r["history"], *r["trajectory"]],
        "history": _history_line(r),
        "p10": _projected_line(r, "p10"),
        "p50": _projected_line(r, "p50"),
        "p90": _projected_line(r, "p90"),
        # unconfirmed events: each case's median, and no median of the mixture drawn through the gap
        "branches": [
            {
                "label": _("若%(case)s：中位数") % {"case": b["label"]},
                "p50": _branch_line(r, b["quantiles"], "p50"),
            }
            for b in branches
        ],
        "histogram": {
            _(year) if year == NOT_PEAKED else year: n for year, n in r["peak_year_histogram"].items()
        },
        "levers": [
            {
                "label": e["label"],
                "reduction": _wan(e["reduction_2030_t"]),
                "delta_p": e["delta_p_peak_by_2030"],
            }
            for e in r["lever_details"]
            if e["active"]
        ],
        "sectors": {_(k): [_wan(v) for v in values] for k, values in r.get("sector_p50_t", {}).items()},
        "electricity": [_wan(v) for v in r.get("electricity_p50_t", [])],
        "projected_years": list(r["trajectory"]),
    }


def _pending(request, plan, names: list[str], end_year: int = model.END_YEAR, boundary: str = ""):
    """The page said while the background job computes a projection (it refreshes itself until done)."""
    return render(
        request,
        "projection/pending.html",
        {
            "nav": "projection",
            "plan": plan,
            "names": names,
            "end_year": end_year,
            "boundary": boundary,
            "boundary_label": _(model.BOUNDARY_NAMES[boundary]) if boundary in model.BOUNDARY_NAMES else "",
        },
    )


@page(Action.VIEW_CITY)
def overview(request):
    try:
        plan = services.latest_plan()
        services.latest_accounts()
    except model.ProjectionError as exc:
        return render(request, "projection/unavailable.html", {"nav": "projection", "reason": str(exc)})
    stored = {name: selectors.stored_projection(name, plan) for name in selectors.scenario_names()}
    runs = [run for run in stored.values() if run is not None]
    if not runs:
        return _pending(request, plan, list(stored))
    summaries = [_summary(run) for run in runs]
    first = runs[0].result
    compare = {
        "years": [*first["history"], *first["trajectory"]],
        "history": _history_line(first),
        "scenarios": [{"name": run.scenario_name, "p50": _projected_line(run.result, "p50")} for run in runs],
    }
    return render(
        request,
        "projection/overview.html",
        {
            "nav": "projection",
            "plan": plan,
            "summaries": summaries,
            "compare": compare,
            "first": runs[0],
            "sample": runs[0].result.get("sample"),
            "can_manage": permissions.can(request.user, Action.MANAGE_SCENARIOS),
            "built_in": scenarios.BUILT_IN,
            "missing": [name for name, run in stored.items() if run is None],
        },
    )


@page(Action.VIEW_CITY)
def detail(request, name: str):
    if name not in selectors.scenario_names():
        raise Http404(_("未知情景“%(name)s”") % {"name": name})
    end_year = 2040 if request.GET.get("end") == "2040" else model.END_YEAR
    try:
        plan = services.latest_plan()
        services.latest_accounts()
    except model.ProjectionError as exc:
        return render(request, "projection/unavailable.html", {"nav": "projection", "reason": str(exc)})
    boundary = request.GET.get("boundary", "") if request.GET.get("boundary") in model.BOUNDARIES else ""
    run = selectors.stored_projection(name, plan, end_year=end_year, boundary=boundary)
    if run is None:
        return _pending(request, plan, [name], end_year, boundary)
    r = said_all(run.result)  # the result's sentences and names in the reader's language
    custom = Scenario.objects.filter(name=name).first()
    refused = refusals.take(request, EDIT_FORM, EVENT_FORM, RETIRE_FORM)
    return render(
        request,
        "projection/detail.html",
        {
            "nav": "projection",
            "plan": plan,
            "run": run,
            "r": r,
            "sentence": _sentence(r),
            "chart": _chart_data(r),
            "custom": custom,
            "versions": custom.versions.select_related("author").order_by("-number") if custom else [],
            "can_manage": permissions.can(request.user, Action.MANAGE_SCENARIOS),
            "assumptions": _editable(r["assumptions"], refused),
            "refused": refused,
            "unit_events": _unit_events(r),
            "retire_statuses": UnitEvent.STATUSES[UnitEvent.Kind.RETIRES],
            "distributions": [(k, _(model.DISTRIBUTIONS[k])) for k in EDITABLE_DISTRIBUTIONS],
            "accounting_run": run.accounting_run,
            "latest_run": energy.current_run(),
            "deadline_p50": _wan((r["trajectory"].get("2030") or {}).get("p50")),
            "base_history": (r.get("history") or {}).get(str(r["base_year"])),
            "change_at": dt.datetime.fromisoformat(r["change"]["previous_at"]) if r.get("change") else None,
            "lever_rows": [
                {
                    **e,
                    "measure": next((m for m in r.get("measures", []) if m["key"] == e["key"]), None),
                    "before": next(
                        (
                            c["delta_p_before"]
                            for c in (r.get("change") or {}).get("levers", [])
                            if c["key"] == e["key"]
                        ),
                        None,
                    ),
                }
                for e in r["lever_details"]
            ],
            "other_boundaries": [
                {**b, "key": key, "base": b["history"].get(str(r["base_year"]))}
                for key, b in (r.get("boundaries") or {}).items()
            ],
            # a boundary other than the one that grades the target (the factor set's assessed boundary)
            "chosen_boundary": boundary if boundary != energy.official_factors().assessed_boundary else "",
            "backtest": [
                {"label": _(model.BOUNDARY_NAMES.get(b, b)), "shown": b == r.get("boundary"), **figures}
                for b, figures in ((r.get("validation") or {}).get("by_boundary") or {}).items()
            ],
            "fit_label": _(model.BOUNDARY_NAMES.get((r.get("fit") or {}).get("boundary", "assessed"), "")),
            "end_year": end_year,
        },
    )


def _editable(assumptions: list[dict], refused: refusals.Refusal) -> list[dict]:
    """Each assumption with what its edit form shows: the stored figures, or after a refused edit what was typed."""
    rows = []
    for a in assumptions:
        shown = {"distribution": "history" if a.get("calibrated") else a.get("distribution", "")}
        for field in ("low", "mode", "high"):
            value = a.get(field)
            shown[field] = "" if a.get("calibrated") or value is None else f"{value:.12g}"
        shown["source"] = "" if a.get("calibrated") else a.get("source", "")
        if refused:
            shown = {field: refused.value(f"{a['key']}__{field}", value) for field, value in shown.items()}
        fields = {field: f"{a['key']}__{field}" for field in shown}
        rows.append({**a, "shown": shown, "fields": fields})
    return rows


@page(Action.VIEW_WORK)
@require_POST
def compute(request, name: str):
    """Ask the background job for a projection the jobs have not made (a longer horizon, a missing one)."""
    end_year = 2040 if request.POST.get("end") == "2040" else model.END_YEAR
    boundary = request.POST.get("boundary", "") if request.POST.get("boundary") in model.BOUNDARIES else ""
    try:
        run = services.request_projection(
            name, services.latest_plan(), request.user, end_year=end_year, boundary=boundary
        )
    except model.ProjectionError as exc:
        messages.error(request, str(exc))
        return redirect("projection:overview")
    if run is None:
        messages.info(
            request,
            _("已交后台任务计算“%(name)s”至%(year)s年的预测，完成后本页自动显示")
            % {"name": name, "year": end_year},
        )
    query = "&".join(
        part
        for part in ("end=2040" if end_year == 2040 else "", f"boundary={boundary}" if boundary else "")
        if part
    )
    url = reverse("projection:detail", args=[name])
    return redirect(f"{url}?{query}" if query else url)


@page(Action.VIEW_WORK)
@require_POST
def create(request):
    based_on = request.POST.get("based_on", "")
    try:
        created = services.create_scenario(
            request.user, request.POST.get("name", ""), based_on, request.POST.get("description", "").strip()
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("projection:overview")
    except model.ProjectionError as exc:
        messages.error(request, _("未能新建情景：%(why)s") % {"why": exc})
        return redirect(
            reverse("projection:detail", args=[based_on])
            if based_on in scenarios.BUILT_IN
            else "projection:overview"
        )
    messages.success(
        request,
        _("已新建情景“%(name)s”（基于%(base)s），可在下方修改假设")
        % {"name": created.name, "base": created.based_on},
    )
    return redirect(reverse("projection:detail", args=[created.name]) + "#edit")


EDIT_FORM = "assumptions"


@page(Action.VIEW_WORK)
@require_POST
def edit(request, name: str):
    """A new version of a scenario's assumptions; a refused edit comes back with everything typed kept and
    its problem beside its field (nothing is saved: the version is saved whole or not at all)."""
    custom = get_object_or_404(Scenario, name=name)
    post = request.POST
    edits: dict[str, dict] = {}
    typed = {"comment": post.get("comment", "")}
    for key in post.getlist("key")[:200]:
        edits[key] = {
            field: post.get(f"{key}__{field}", "").strip()
            for field in ("distribution", "low", "mode", "high", "source")
        }
        typed.update({f"{key}__{field}": value for field, value in edits[key].items()})
    try:
        version = services.save_assumptions(request.user, custom, edits, post.get("comment", "").strip())
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("projection:detail", name=name)
    except model.ProjectionError as exc:
        problem = refusals.Problem(getattr(exc, "field", "id_comment"), f"未保存：{exc}")
        url = reverse("projection:detail", args=[name])
        return refusals.refuse(request, EDIT_FORM, typed, [problem], url)
    changed = "、".join(c["label"] for c in version.changes)
    messages.success(
        request, f"已保存第{version.number}版（修改：{changed}），预测由后台任务按新假设重新计算"
    )
    return redirect("projection:detail", name=name)


EVENT_FORM = "unit-event"
RETIRE_FORM = "unit-retire"


def _slug(key: str) -> str:
    """An event's key as the prefix of its form's field ids."""
    return str(key).replace(".", "-")


def _unit_events(r: dict) -> list[dict]:
    """Each unit event the coordinator sets — the bundled new unit, then every retirement entered — with what
    is set now, or else what the projection assumed, and the statuses its kind can have."""
    set_now = {e.key: e for e in UnitEvent.objects.order_by("id")}
    assumed = {e.get("key"): e for e in r.get("events", [])}
    rows = [
        {
            "key": key,
            "slug": _slug(key),
            "name": _(name),
            "event": set_now.get(key),
            "status": set_now[key].status if key in set_now else UnitEvent.Status.UNCONFIRMED,
            "year": set_now[key].year if key in set_now else (assumed.get(key) or {}).get("year", ""),
            "statuses": UnitEvent.STATUSES[UnitEvent.Kind.ENTERS],
            "year_label": _("投运年份"),
            "retires": False,
        }
        for key, (name, _unit, _year) in services.UNIT_EVENTS.items()
    ]
    for e in set_now.values():
        if e.kind == UnitEvent.Kind.RETIRES:
            rows.append(
                {
                    "key": e.key,
                    "slug": _slug(e.key),
                    "name": _("%(name)s（%(mw)s 兆瓦）退役")
                    % {"name": e.name, "mw": f"{e.capacity_mw:,.2f}"},
                    "event": e,
                    "status": e.status,
                    "year": e.year,
                    "statuses": UnitEvent.STATUSES[UnitEvent.Kind.RETIRES],
                    "year_label": _("退役年份"),
                    "retires": True,
                }
            )
    return rows


def _scenario_back(post) -> str:
    name = post.get("scenario", "")
    return reverse(
        "projection:detail", args=[name if name in selectors.scenario_names() else scenarios.PLANNED]
    )


@page(Action.VIEW_WORK)
@require_POST
def unit_event(request):
    """The coordinator sets what is known of a unit (确认 / 未确认 / 不投运 or 不退役) with its source; every
    scenario is projected again. A refusal comes back as typed, beside its field."""
    post = request.POST
    url = _scenario_back(post)
    try:
        event = services.set_unit_event(
            request.user,
            post.get("event", ""),
            year=post.get("year"),
            status=post.get("status", ""),
            source=post.get("source", ""),
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(url)
    except ValidationError as exc:
        slug = _slug(post.get("event", ""))
        problems = refusals.problems_of(exc, "status")
        for p in problems:
            p.field = f"{slug}-{p.field}"
        typed = {k: post.get(k, "") for k in ("event", "year", "status", "source")}
        return refusals.refuse(request, EVENT_FORM, typed, problems, url)
    called = services.UNIT_EVENTS[event.key][0] if event.key in services.UNIT_EVENTS else f"{event.name}退役"
    messages.success(
        request,
        _("已设定：%(year)s年%(unit)s——%(status)s；各情景随后重新预测")
        % {"year": event.year, "unit": called, "status": event.get_status_display()},
    )
    return redirect(url)


RETIRE_FIELDS = ("name", "capacity_mw", "year", "status", "source")


@page(Action.VIEW_WORK)
@require_POST
def add_retirement(request):
    """The coordinator enters an existing unit leaving service, with its source; every scenario is projected
    again. A refusal comes back as typed, beside its field."""
    post = request.POST
    url = _scenario_back(post)
    typed = {k: post.get(k, "") for k in RETIRE_FIELDS}
    try:
        event = services.add_retirement(request.user, **typed)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(url)
    except ValidationError as exc:
        problems = refusals.problems_of(exc, "name")
        for p in problems:
            p.field = f"retire-{p.field}"
        return refusals.refuse(request, RETIRE_FORM, typed, problems, url)
    messages.success(
        request,
        _("已登记：%(year)s年%(unit)s（%(mw)s 兆瓦）退役——%(status)s；各情景随后重新预测")
        % {
            "year": event.year,
            "unit": event.name,
            "mw": f"{event.capacity_mw:,.2f}",
            "status": event.get_status_display(),
        },
    )
    return redirect(url)


@page(Action.VIEW_WORK)
@require_POST
def remove_retirement(request):
    """A retirement entered in error is taken out; every scenario is projected again."""
    url = _scenario_back(request.POST)
    try:
        services.remove_retirement(request.user, request.POST.get("event", ""))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect(url)
    messages.success(request, _("已删除这项机组退役；各情景随后重新预测"))
    return redirect(url)
