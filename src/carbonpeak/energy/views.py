"""Energy and emissions pages: the accounts with their factor set, submissions and their review, factor sets."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, limits, versions
from carbonpeak.core.http import attachment
from carbonpeak.core.models import ReviewStatus
from carbonpeak.core.numbers import required_float, required_int
from carbonpeak.core.periods import parse_period
from carbonpeak.core.text import Message, gettext_noop
from carbonpeak.energy import accounting, catalog, selectors, services, workbook
from carbonpeak.energy import certificates as register
from carbonpeak.energy.models import (
    AccountingResult,
    AccountingRun,
    EnergySubmission,
    FactorSet,
    GreenCertificate,
)
from carbonpeak.energy.terms import factor_set_name
from carbonpeak.web import refusals, uploading


def _wan(value):
    return None if value is None else value / 1e4


@page(Action.VIEW_CITY)
def overview(request, run_id: int | None = None):
    """The accounts of the latest run (or a chosen one): tables and charts, the factor set beside every figure."""
    run = get_object_or_404(AccountingRun, pk=run_id) if run_id else selectors.current_run()
    region = request.GET.get("region", "")

    def body() -> dict:
        context = {"run": run, "runs": AccountingRun.objects.select_related("created_by")[:20]}
        if run is None:
            return context
        results = list(run.results.all())
        regions = sorted({r.region for r in results})
        chosen = region or ("太仓市" if "太仓市" in regions else (regions[0] if regions else ""))
        results = [r for r in results if r.region == chosen]
        context.update(_accounts(results, regions, chosen))
        return context

    # the accounts are rendered once per data version, run and region (nothing in them depends on the user)
    key = ("energy-overview", run.pk if run else None, region[:60])
    rendered = versions.cached_html(key, request, "energy/_overview_body.html", body)
    from carbonpeak.sinks import selectors as sinks

    context = {
        "nav": "energy",
        "run": run,
        "what_if": selectors.is_what_if(run),
        "current": selectors.current_run() if run_id else run,
        "body": rendered,
        "sinks": sinks.city_summary(),
    }
    return render(request, "energy/overview.html", context)


def _accounts(results: list[AccountingResult], regions: list[str], region: str) -> dict:
    annual = [r for r in results if r.first_quarter == 1 and r.last_quarter == 4]
    quarters = [r for r in results if r.first_quarter == r.last_quarter]
    latest_year = max((r.year for r in results), default=None)
    cumulative = [r for r in results if r.first_quarter == 1 and r.year == latest_year]
    boundary = results[0].data.get("co2_boundary", accounting.ASSESSED) if results else accounting.ASSESSED
    return {
        "region": region,
        "regions": regions,
        "annual": [_row(r) for r in annual],
        "cumulative": [_row(r) for r in cumulative],
        "quarters": [_row(r) for r in quarters],
        "chart": _chart_data(annual, quarters),
        "grid_notes": sorted({n for r in results for n in r.data.get("notes", []) if "电网因子" in n}),
        "method_notes": _method_notes(results),
        "boundary_labels": accounting.BOUNDARY_LABELS,
        "assessed_boundary": boundary,
        "assessed_name": accounting.BOUNDARY_NAMES[boundary],
        "boundary_caption": accounting.boundary_caption(boundary),
        "incomplete": sorted(
            {
                Message(gettext_noop("%(period)s：%(gap)s"), period=parse_period(r.period).label, gap=m)
                for r in quarters
                for m in r.data.get("missing", [])
                if "数据不全" in m
            }
        ),
    }


def _method_notes(results: list[AccountingResult]) -> list[str]:
    """One line per kind of note; the years without a 发电 coal rate are listed together."""
    notes = {n for r in results for n in r.data.get("notes", []) if "电网因子" not in n}

    def years_missing(what: str) -> list[str]:
        return sorted({m[3:7] for r in results for m in r.data.get("missing", []) if what in m})

    missing_rate, missing_share = years_missing("平均发电标准煤耗"), years_missing("电网非化石电量占比")
    out = sorted(notes)
    if missing_share:
        wording = gettext_noop(
            "缺失：%(years)s年电网非化石电量占比（调入电力中的非化石部分，分电网结构）未录入，"
            "参考资料没有江苏电网的核实值；非化石能源消费比重和考核用能源消费量因此显示“缺失”，而不是只计本地发电。"
        )
        out.append(Message(wording, years=Message.join(missing_share, separator="、")))
    if missing_rate:
        wording = gettext_noop(
            "缺失：%(years)s年平均发电标准煤耗（等价值的折算系数，国家统计局能源平衡表口径）"
            "未录入，参考资料未给出核实值。等价值能源消费量、能耗强度、非化石能源和煤炭比重因此显示“缺失”；"
            "灰色小字为当量值（电力按0.1229千克标准煤/千瓦时），仅供参考，不能替代等价值。"
            "在“核算因子”中录入该年数值（注明来源）后重算即可。"
        )
        out.append(Message(wording, years=Message.join(missing_rate, separator="、")))
    return out


def _row(result: AccountingResult) -> dict:
    d = result.data
    return {
        "period": result.period,
        "label": parse_period(result.period).label,  # said in the reader's language (the kept one is Chinese)
        "energy": _wan(d["energy_tce"]),
        "energy_eq": _wan(d["energy_tce_equivalent"]),
        "co2": _wan(d["co2_t"]),
        "energy_assessed": _wan(d.get("energy_tce_assessed")),
        "non_fossil_tce": _wan(d.get("non_fossil_tce")),
        "feedstock_tce": _wan(d.get("feedstock_tce")),
        "ei_assessed": d.get("energy_intensity_assessed_tce_per_10k_yuan"),
        "ei_assessed_change": _pct(d.get("energy_intensity_assessed_change")),
        "ci_base_fixed": _pct(d.get("carbon_intensity_change_on_base_fixed_grid")),
        "co2_territorial": _wan((d.get("co2_t_by_boundary") or {}).get("territorial")),
        "co2_consumption": _wan((d.get("co2_t_by_boundary") or {}).get("consumption")),
        "co2_net": _wan((d.get("co2_t_by_boundary") or {}).get("assessed")),
        "certificate_deducted": _wan((d.get("certificates") or {}).get("deducted_tce")),
        "ci_change_fixed": _pct(d.get("carbon_intensity_change_fixed_grid")),
        "ei": d["energy_intensity_tce_per_10k_yuan"],
        "ei_calorific": d.get("energy_intensity_calorific_tce_per_10k_yuan"),
        "ei_change_calorific": _pct(d.get("energy_intensity_change_calorific")),
        "ci": d["carbon_intensity_t_per_10k_yuan"],
        "ei_change": _pct(d["energy_intensity_change"]),
        "ci_change": _pct(d["carbon_intensity_change"]),
        "ei_base": _pct(d["energy_intensity_change_on_base"]),
        "ei_base_calorific": _pct(d.get("energy_intensity_change_on_base_calorific")),
        "ci_base": _pct(d["carbon_intensity_change_on_base"]),
        "non_fossil": _pct(d["non_fossil_share"]),
        "coal": _pct(d["coal_share"]),
        "non_fossil_calorific": _pct(d.get("non_fossil_share_calorific")),
        "coal_calorific": _pct(d.get("coal_share_calorific")),
        "equivalent_missing": d.get("energy_tce_equivalent") is None,
        "non_fossil_missing": d["non_fossil_share"] is None and bool(d.get("missing")),
        "co2_pc": d["co2_per_capita_t"],
        "energy_pc": d["energy_per_capita_tce"],
        "gdp": d["gdp_current_100m_yuan"],
        "gdp_const": d["gdp_constant_100m_yuan"],
        "electricity_use": d["electricity"]["consumption_kwh"] / 1e8,
        "net_import": d["electricity"]["net_imported_kwh"] / 1e8,
        "grid": d["electricity"]["grid_factor"],
        "method": d["electricity"]["method"],
        "by_fuel": d["by_fuel"],
        "by_sector": d["by_sector"],
        "by_group": d["by_sector_group"],
    }


def _pct(value):
    return None if value is None else value * 100


def _chart_data(annual: list[AccountingResult], quarters: list[AccountingResult]) -> dict:
    fuels: list[str] = []
    groups: list[str] = []
    for r in annual:
        fuels += [f for f in r.data["by_fuel"] if f not in fuels]
        groups += [g for g in r.data["by_sector_group"] if g not in groups]
    years = [str(r.year) for r in annual]
    # the series are named in the reader's language (the part is rendered once per language)
    by_fuel = {
        _(f): [round(r.data["by_fuel"].get(f, {}).get("co2_t", 0) / 1e4, 2) for r in annual] for f in fuels
    }
    by_group = {
        _(g): [round(r.data["by_sector_group"].get(g, {}).get("co2_t", 0) / 1e4, 2) for r in annual]
        for g in groups
    }
    by_group[_("电力净调入（调出为负）")] = [round(r.data["electricity"]["co2_t"] / 1e4, 2) for r in annual]
    base = next((r for r in annual if r.year == 2020), None)
    path = _intensity_path(base)
    index = {}
    if base is not None:  # a year without 等价值 is a gap in the energy line, never a 当量值 point
        b_e = base.data["energy_intensity_tce_per_10k_yuan"]
        b_c = base.data["carbon_intensity_t_per_10k_yuan"]
        index = {
            "energy": [_index(r.data["energy_intensity_tce_per_10k_yuan"], b_e) for r in annual],
            "carbon": [_index(r.data["carbon_intensity_t_per_10k_yuan"], b_c) for r in annual],
        }
        index["energy_missing"] = all(v is None for v in index["energy"])
    return {
        "years": years,
        "by_fuel": by_fuel,
        "by_group": by_group,
        "intensity_index": index,
        "path": path,
        "non_fossil": [_pct(r.data["non_fossil_share"]) for r in annual],  # None is 缺失, not 0
        "non_fossil_target": _non_fossil_target(),
        "quarters": [r.period for r in quarters],
        "quarter_co2": [round(r.co2_t / 1e4, 2) for r in quarters],
        "quarter_energy": [round(r.energy_tce / 1e4, 2) for r in quarters],
    }


def _index(value, base):
    return None if value is None or not base else round(value / base * 100, 2)


def _intensity_path(base: AccountingResult | None) -> dict | None:
    """The energy-intensity target path (2020 = 100) when the plan's target carries a value."""
    from carbonpeak.plans.selectors import energy_intensity_target

    target = energy_intensity_target()
    if target is None or base is None:
        return None
    base_year = target.base_year or base.year
    end = 100 - target.value if target.unit == "%" else None
    if end is None:
        return None
    return {
        "label": _("目标路径：%(year)s年比%(base)s年下降%(value)s%%（%(issuer)s下达）")
        % {
            "year": target.year,
            "base": base_year,
            "value": f"{target.value:g}",
            "issuer": target.issuer or _("上级"),
        },
        "points": [[str(base_year), 100], [str(target.year), round(end, 2)]],
    }


def _non_fossil_target():
    from carbonpeak.plans.selectors import plan_target

    target = plan_target(("非化石能源消费比重",))
    return None if target is None else {"year": target.year, "value": target.value}


# ------------------------------------------------------------------ submissions


@page(Action.VIEW_WORK)
def submission_list(request):
    subs = EnergySubmission.objects.select_related("created_by", "reviewed_by").order_by(
        "-period", "region", "-revision"
    )
    status = request.GET.get("status", "")
    if status in ReviewStatus.values:
        subs = subs.filter(status=status)
    current = {s.pk for s in selectors.current_submissions()}
    return render(
        request,
        "energy/submission_list.html",
        {
            "nav": "submissions",
            "submissions": subs[:200],
            "current": current,
            "status": status,
            "statuses": ReviewStatus.choices,
            "can_report": services.can_report(request.user),
            "units": catalog.UNIT_NAMES,
        },
    )


@page(Action.VIEW_WORK)
def upload(request):
    if request.method != "POST":
        return redirect("energy:submissions")
    if not services.can_report(request.user):
        raise PermissionDenied(_("您没有报送能源统计数据的权限"))
    return uploading.hand_over(
        request,
        "energy",
        nav="submissions",
        missing=_("请选择要上传的文件（.xlsx 报表或 .csv）"),
        back_label=_("返回统计报送"),
        note=request.POST.get("note", ""),
    )


RECORDS_PAGE = 200


@page(Action.VIEW_WORK)
def submission_detail(request, submission_id: int):
    sub = get_object_or_404(
        EnergySubmission.objects.select_related("created_by", "reviewed_by"), pk=submission_id
    )
    current = selectors.current_submission(sub.period, sub.region)
    return render(
        request,
        "energy/submission_detail.html",
        {
            "nav": "submissions",
            "sub": sub,
            # a submission may hold 200,000 lines (a long CSV): shown a page at a time, with their count
            "records": Paginator(sub.records.all(), RECORDS_PAGE).get_page(request.GET.get("page")),
            "economy": getattr(sub, "economy", None),
            "events": audit.history(sub),
            "is_current": current is not None and current.pk == sub.pk,
            "current": current,
            "can_report": services.can_report(request.user),
            "can_review": services.can_review(request.user),
            "refused": refusals.take(request, _submission_form(sub)),
        },
    )


def _submission_form(sub) -> str:
    return f"energy-submission:{sub.pk}"


@page(Action.VIEW_WORK)
@require_POST
def submission_action(request, submission_id: int, action: str):
    sub = get_object_or_404(EnergySubmission, pk=submission_id)
    at = f"{action}-comment" if action in ("approve", "return") else "submission-actions"
    typed = {"action": action, "comment": request.POST.get("comment", "")}
    if action == "return" and (missing := refusals.required(request.POST, {"comment": (at, _("退回意见"))})):
        return refusals.refuse(
            request, _submission_form(sub), typed, missing, reverse("energy:submission", args=[sub.pk])
        )
    try:
        if action == "submit":
            services.submit_submission(sub, user=request.user)
            messages.success(request, _("已报送，等待协调员审核"))
        elif action == "approve":
            services.approve_submission(sub, user=request.user, comment=request.POST.get("comment", ""))
            messages.success(request, _("已审核通过；核算结果、达峰预测与目标评估随即按正式因子集更新"))
        elif action == "return":
            services.return_submission(sub, user=request.user, comment=request.POST.get("comment", ""))
            messages.warning(request, _("已退回填报人"))
        else:
            raise ValidationError(_("未知操作"))
    except ValidationError as exc:  # beside the comment that was typed, which is kept
        return refusals.refuse(
            request,
            _submission_form(sub),
            typed,
            refusals.problems_of(exc, at),
            reverse("energy:submission", args=[sub.pk]),
        )
    return redirect("energy:submission", sub.pk)


@page(Action.VIEW_WORK)
def template_download(request):
    period = request.GET.get("period", "")
    region = request.GET.get("region", "太仓市")
    if period:
        try:
            period = catalog.parse_period(period).key
        except catalog.UnknownName as exc:
            messages.error(request, str(exc))
            return redirect("energy:submissions")
    data = workbook.template_bytes(period, region, factors=selectors.official_factors(), say=_)
    return attachment(
        data,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"energy-report-{period or 'template'}.xlsx",
    )


# ------------------------------------------------------------------ factor sets


@page(Action.VIEW_CITY)
def factor_sets(request):
    default = selectors.official_factors()
    sets = FactorSet.objects.select_related("created_by", "based_on").prefetch_related("runs")
    return render(
        request,
        "energy/factor_sets.html",
        {
            "nav": "factors",
            "sets": sets,
            "can_review": services.can_review(request.user),
            "latest": selectors.current_run(),
            "grid_region": settings.CARBONPEAK_GRID_REGION,
            "boundaries": [(b, accounting.BOUNDARY_LABELS[b]) for b in accounting.BOUNDARY_LABELS],
            "assessed_boundary": default.assessed_boundary,
            "boundary_source": default.assessed_boundary_source(),
            "refused": refusals.take(request, FACTOR_FORM, BOUNDARY_FORM),
        },
    )


FACTOR_FORM = "yearly-factor"


@page(Action.VIEW_CITY)
def factor_set_detail(request, set_id: int):
    fs = get_object_or_404(FactorSet, pk=set_id)
    return render(
        request,
        "energy/factor_set_detail.html",
        {
            "nav": "factors",
            "fs": fs,
            "factors": fs.factors.all(),
            "can_review": services.can_review(request.user),
        },
    )


@page(Action.VIEW_WORK)
@require_POST
def factor_enter(request):
    """The coordinator enters one yearly factor with its source; the accounts follow at once. A refusal
    comes back as typed, each problem beside its field."""
    post = request.POST
    problems = refusals.required(post, {"key": _("地区/电网"), "source": _("来源")})
    year = refusals.parsed(
        post, problems, "year", lambda t: required_int(t, what=_("年份"), low=1990, high=2100)
    )
    value = refusals.parsed(post, problems, "value", lambda t: required_float(t, what=_("数值")))
    run = None
    if not problems:
        try:
            run = services.enter_yearly_factor(
                request.user,
                kind=post.get("kind", ""),
                key=post.get("key", ""),
                year=year,
                value=value,
                unit=post.get("unit", ""),
                source=post.get("source", ""),
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("energy:factor_sets")
        except (ValidationError, ValueError) as exc:
            problems = [refusals.Problem("kind", m) for m in getattr(exc, "messages", [str(exc)])]
    if problems:
        for p in problems:  # the page's field ids
            p.field = f"id_{p.field}"
        typed = {k: post.get(k, "") for k in ("kind", "key", "year", "value", "unit", "source")}
        return refusals.refuse(request, FACTOR_FORM, typed, problems, reverse("energy:factor_sets"))
    if run.error:
        messages.error(request, _("已录入，但重算失败：%(error)s") % {"error": run.error})
    else:
        messages.success(
            request,
            _("已录入并以因子集 %(set)s 重算；预测与目标评估随后更新")
            % {"set": factor_set_name(run.factor_set_label)},
        )
    return redirect("energy:overview")


BOUNDARY_FORM = "assessed-boundary"


@page(Action.VIEW_WORK)
@require_POST
def boundary_set(request):
    """The coordinator names the assessed CO2 boundary with its basis; the accounts follow."""
    post = request.POST
    problems = refusals.required(post, {"source": ("id_boundary_source", _("依据"))})
    run = None
    if not problems:
        try:
            run = services.set_assessed_boundary(
                request.user, boundary=post.get("boundary", ""), source=post.get("source", "")
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("energy:factor_sets")
        except ValidationError as exc:
            problems = refusals.problems_of(exc, "id_boundary")
    if problems:
        typed = {k: post.get(k, "") for k in ("boundary", "source")}
        return refusals.refuse(request, BOUNDARY_FORM, typed, problems, reverse("energy:factor_sets"))
    if run.error:
        messages.error(request, _("已更改，但重算失败：%(error)s") % {"error": run.error})
    else:
        messages.success(
            request,
            _("考核口径已更改，并以因子集 %(set)s 重算") % {"set": factor_set_name(run.factor_set_label)},
        )
    return redirect("energy:overview")


@page(Action.VIEW_WORK)
@require_POST
def factor_set_import(request):
    if not services.can_review(request.user):
        raise PermissionDenied(_("只有协调员可以新增因子集"))
    file = request.FILES.get("file")
    name, version = request.POST.get("name", "").strip(), request.POST.get("version", "").strip()
    based_on = FactorSet.objects.filter(pk=request.POST.get("based_on") or 0).first()
    if file is None or not name or not version:
        messages.error(request, _("请填写名称、版本并选择因子 CSV 文件"))
        return redirect("energy:factor_sets")
    try:
        text = file.read().decode("utf-8-sig")
        fs = services.import_factor_csv(
            text,
            name=name,
            version=version,
            title=request.POST.get("title", ""),
            user=request.user,
            based_on=based_on,
        )
    except UnicodeDecodeError:
        messages.error(request, _("因子 CSV 须为 UTF-8 编码"))
        return redirect("energy:factor_sets")
    except (ValidationError, ValueError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("energy:factor_sets")
    messages.success(
        request,
        _("已新增因子集 %(set)s（%(n)s 个因子）")
        % {"set": factor_set_name(fs.label), "n": fs.factors.count()},
    )
    return redirect("energy:factor_set", fs.pk)


@page(Action.VIEW_WORK)
@require_POST
def recompute(request, set_id: int):
    fs = get_object_or_404(FactorSet, pk=set_id)
    run = services.recompute_with(fs, request.user, request.POST.get("reason", ""))
    if run.error:
        messages.error(
            request,
            _("使用 %(set)s 核算失败：%(error)s") % {"set": factor_set_name(fs.label), "error": run.error},
        )
        return redirect("energy:factor_set", fs.pk)
    if fs.is_default:
        messages.success(
            request,
            _("已使用 %(set)s 重算；此前的核算结果均已保留，达峰预测与目标评估随即更新")
            % {"set": factor_set_name(fs.label)},
        )
    else:
        messages.success(
            request,
            _("已使用 %(set)s 试算；试算结果不是正式核算，不影响目标评估、预测与碳预算")
            % {"set": factor_set_name(fs.label)},
        )
    return redirect("energy:run", run.pk)


@page(Action.VIEW_WORK)
@require_POST
def make_default(request, set_id: int):
    fs = get_object_or_404(FactorSet, pk=set_id)
    run = services.adopt_factor_set(
        fs, user=request.user, reason=request.POST.get("reason", "").strip()[:500]
    )
    if run.error:
        messages.error(
            request,
            _("%(set)s 已采用为正式因子集，但核算失败：%(error)s")
            % {"set": factor_set_name(fs.label), "error": run.error},
        )
        return redirect("energy:factor_sets")
    messages.success(
        request,
        _("%(set)s 已采用为正式因子集并重新核算；目标评估、预测与碳预算随后更新")
        % {"set": factor_set_name(fs.label)},
    )
    return redirect("energy:overview")


# ------------------------------------------------------------------ the register of 绿证 and 绿电交易

REGISTER_PAGE = 100


@page(Action.VIEW_CITY)
def certificates(request):
    """The register with what it does to the accounts, year by year, and (for the coordinator) entry and upload."""
    page = Paginator(GreenCertificate.objects.select_related("created_by"), REGISTER_PAGE).get_page(
        request.GET.get("page")
    )
    run = selectors.current_run()
    years = []
    if run is not None:
        for result in run.results.filter(first_quarter=1, last_quarter=4).order_by("year"):
            counted = result.data.get("certificates")
            if counted:
                traded = counted["bought_kwh_by_kind"].get(register.GREEN_TRADE, 0)
                years.append(
                    {
                        "year": result.year,
                        "region": result.region,
                        "c": counted,
                        "traded": traded / 1e4,  # 万千瓦时, as the statistics report electricity
                        "counted": counted["counted_kwh"] / 1e4,
                        "sold": counted["sold_out_kwh"] / 1e4,
                    }
                )
    return render(
        request,
        "energy/certificates.html",
        {
            "nav": "factors",
            "page": page,
            "years": years,
            "run": run,
            "kinds": register.KINDS,
            "directions": register.DIRECTIONS,
            "columns": register.COLUMNS,
            "can_manage": services.can_manage_certificates(request.user),
            "refused": refusals.take(request, CERTIFICATE_FORM),
            "rule": register.CERTIFICATE_RULE,
            "home_province": settings.CARBONPEAK_GRID_REGION,
        },
    )


@page(Action.VIEW_WORK)
def certificate_template(request):
    return attachment(
        register.template_bytes(selectors.city_region(), say=_),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "green-certificates-template.xlsx",
    )


CERTIFICATE_FORM = "certificate"


@page(Action.VIEW_WORK)
@require_POST
def certificate_enter(request):
    """One line of the register; a refusal comes back as typed, each problem beside its field."""
    post = request.POST
    cells = {key: post.get(key, "") for key, _header, _kind in register.COLUMNS}
    try:
        result = services.enter_certificate(request.user, cells)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("energy:certificates")
    if not result.ok:
        field_of = {header: key for key, header, _kind in register.COLUMNS}
        problems = [
            refusals.Problem(
                f"c_{field_of.get(column, 'serial')}", message.split("：", 1)[-1] if column else message
            )
            for message, column in zip(
                result.errors, result.columns or [None] * len(result.errors), strict=True
            )
        ]
        return refusals.refuse(request, CERTIFICATE_FORM, cells, problems, reverse("energy:certificates"))
    messages.success(
        request, _("已登记 %(serial)s；核算、预测与目标评估随后更新") % {"serial": result.created[0].serial}
    )
    return redirect("energy:certificates")


@page(Action.VIEW_WORK)
@require_POST
def certificate_upload(request):
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("请选择要上传的登记表（.xlsx 或 .csv）"))
        return redirect("energy:certificates")
    try:
        result = services.upload_certificates(limits.read(limits.CERTIFICATES, file), file.name, request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("energy:certificates")
    if not result.ok:
        return render(
            request,
            "energy/upload_rejected.html",
            {"nav": "factors", "errors": result.errors, "filename": file.name, "back": "energy:certificates"},
            status=400,
        )
    messages.success(
        request,
        _("已登记 %(n)s 条（%(file)s）；核算、预测与目标评估随后更新")
        % {"n": len(result.created), "file": file.name},
    )
    return redirect("energy:certificates")


@page(Action.VIEW_WORK)
@require_POST
def certificate_withdraw(request, certificate_id: int):
    entry = get_object_or_404(GreenCertificate, pk=certificate_id)
    try:
        services.withdraw_certificate(entry, request.user, reason=request.POST.get("reason", ""))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(
            request, _("未撤销：%(why)s") % {"why": pgettext("list separator", "；").join(exc.messages)}
        )
    else:
        messages.success(request, _("已撤销登记 %(serial)s；核算随后更新") % {"serial": entry.serial})
    return redirect("energy:certificates")
