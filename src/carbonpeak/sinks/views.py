"""The sinks page: the annual sink by district and land type with its interval and what is still missing, and
the coordinator's forms (climate zone, a parameter with its source, land data). Thin: writes are services'."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.models import Region
from carbonpeak.core.numbers import as_int
from carbonpeak.core.text import gettext_noop
from carbonpeak.web import refusals, uploading

from . import engine, export, selectors, services, workbook
from .models import SinkBaseline

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@page(Action.VIEW_CITY)
def overview(request):
    return _page(request)


def _page(request, form=None, status: int = 200, refused=None):
    """The page; after a refused form, again with what was typed (nothing lost) and a 400."""
    years = selectors.years()
    text = request.GET.get("year", "") or (form or {}).get("year", "")
    year = as_int(text, low=1990, high=2100)
    year = year if year in years else (years[0] if years else None)
    rows = list(selectors.results(year)) if year else []
    factors = selectors.current_set()
    return render(
        request,
        "sinks/overview.html",
        {
            "nav": "sinks",
            "year": year,
            "years": years,
            "rows": rows,
            "totals": selectors.district_totals(rows),
            "factors": factors,
            "any_sample": any(r.includes_sample for r in rows),
            "missing": sorted(
                {m for r in rows for m in r.data.get("missing", []) if "：" in m and "未报" not in m}
            ),
            "can_manage": permissions.can(request.user, Action.MANAGE_FACTORS),
            "can_report": any(
                permissions.can(request.user, Action.REPORT_LAND, d)
                for d in Region.objects.filter(level="区镇").values_list("name", flat=True)
            ),
            "number_fields": [
                (
                    n,
                    _("%(label)s（%(unit)s）") % {"label": _(label), "unit": _(_unit(n))},
                    (form or {}).get(n, ""),
                )
                for n, label in services.NUMBER_FIELDS.items()
            ],
            "zones": services.ZONES,
            "parameters": engine.PARAMETER_NAMES,
            "land_types": engine.LAND_TYPES,
            "districts": Region.objects.filter(level="区镇").values_list("name", flat=True),
            "form": form or {},
            "baselines": SinkBaseline.objects.order_by("-year"),
            "comparison": _comparison(year),
            "chart": selectors.chart_series(),
            "indicators": selectors.land_indicators(),
            "refused": refused,
        },
        status=status,
    )


def _comparison(year: int | None):
    baseline = SinkBaseline.objects.order_by("year").first()
    if baseline is None or year is None:
        return None
    return {"baseline": baseline, "rows": selectors.against_baseline(baseline, year)}


def _unit(name: str) -> str:
    if name == "relative_error_pct":
        return "%"
    if name.endswith("_ha"):
        return gettext_noop("公顷")
    return gettext_noop("吨") if name == "biochar_t" else gettext_noop("立方米")


def _back(request):
    year = as_int(request.POST.get("year"), low=1990, high=2100)
    return redirect(f"{reverse('sinks:overview')}{f'?year={year}' if year else ''}")


@page(Action.VIEW_WORK)
@require_POST
def climate_zone(request):
    post = request.POST
    problems = refusals.required(post, {"source": ("zone-source", "依据")})
    if not problems:
        try:
            services.choose_climate_zone(request.user, post.get("zone", ""), post.get("source", "")[:300])
        except ValidationError as exc:
            problems = refusals.problems_of(exc, "zone-zone")
    if problems:
        return _page(
            request, post, 400, refusals.Refusal("zone", {k: post.get(k, "") for k in post}, problems)
        )
    messages.success(request, _("已选择气候带并重算"))
    return _back(request)


@page(Action.VIEW_WORK)
@require_POST
def parameter(request):
    post = request.POST
    problems = refusals.required(post, {"value": ("param-value", "数值"), "source": ("param-source", "来源")})
    if not problems:
        try:
            services.enter_parameter(
                request.user,
                parameter=post.get("parameter", ""),
                value=post.get("value"),
                source=post.get("source", "")[:1000],
                zone=post.get("zone") or engine.ALL,
                group=post.get("group") or engine.ALL,
                low=post.get("low"),
                high=post.get("high"),
            )
        except ValidationError as exc:
            problems = refusals.problems_of(exc, "parameter-form")  # the form, where no field is named
    if problems:  # the page again with everything typed, the problems summed up over the form, and a 400
        return _page(
            request, post, 400, refusals.Refusal("parameter", {k: post.get(k, "") for k in post}, problems)
        )
    messages.success(request, _("已录入参数并重算"))
    return _back(request)


@page(Action.VIEW_WORK)
@require_POST
def land_record(request):
    post = request.POST
    values = {name: post.get(name) for name in services.NUMBER_FIELDS}
    problems = refusals.required(
        post, {"record_year": ("record_year", "年份"), "source": ("land-source", "数据来源")}
    )
    if not problems:
        try:
            services.save_land_record(
                request.user,
                district=post.get("district", ""),
                year=post.get("record_year", ""),
                land_type=post.get("land_type", ""),
                source=post.get("source", "")[:300],
                group=post.get("group", ""),
                leaf_type=post.get("leaf_type", ""),
                **values,
            )
        except ValidationError as exc:
            problems = refusals.problems_of(exc, "land-form")
    if problems:
        return _page(
            request, post, 400, refusals.Refusal("land", {k: post.get(k, "") for k in post}, problems)
        )
    messages.success(request, _("已保存并重算"))
    return _back(request)


@page(Action.VIEW_WORK)
@require_POST
def freeze(request):
    post = request.POST
    year = as_int(post.get("year"), low=1990, high=2100)
    try:
        if year is None:
            raise ValidationError(_("请选择本底年份"))
        services.freeze_baseline(request.user, year)
    except ValidationError as exc:
        refused = refusals.Refusal(
            "freeze", {"year": post.get("year", "")}, refusals.problems_of(exc, "freeze-year")
        )
        return _page(request, None, 400, refused)
    messages.success(request, _("已冻结%(year)s年碳汇本底") % {"year": year})
    return _back(request)


@page(Action.VIEW_WORK)
def template(request):
    districts = list(Region.objects.filter(level="区镇").values_list("name", flat=True))
    response = HttpResponse(workbook.template_bytes(districts, say=_), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename=\"land-template.xlsx\"; filename*=UTF-8''" + quote("国土与森林数据填报表.xlsx")
    )
    return response


@page(Action.VIEW_WORK)
@require_POST
def upload(request):
    return uploading.hand_over(
        request, "land", nav="sinks", missing=_("请选择要上传的文件（.xlsx）"), back_label=_("返回碳汇")
    )


@page(Action.VIEW_CITY)
def export_xlsx(request, year: int):
    response = HttpResponse(export.workbook(year), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"sinks-{year}.xlsx\"; filename*=UTF-8''" + quote(f"{year}年碳汇.xlsx")
    )
    return response
