"""Carbon double control pages: the budget of a year (set, allocate, track, send up), the project carbon
assessments, and a region's roll-up (what a parent region's viewer reads). Thin: writes are ``services``'."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import clock
from carbonpeak.core.http import MAX_ID
from carbonpeak.core.models import Region
from carbonpeak.core.numbers import as_int
from carbonpeak.web import refusals

from . import allocation as pure
from . import assessment, selectors, services, upward
from .models import Allocation, CarbonBudget, ProjectAssessment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FUEL_LINES = 20  # 本平台规则: a project's declaration lists a handful of energy types


def _number(value: str | None, label: str) -> float | None:
    text = (value or "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValidationError(
            _("%(what)s须为数字（收到“%(text)s”）") % {"what": label, "text": text[:20]}
        ) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError(_("%(what)s须为有限的数字") % {"what": label})
    return number


def _date_of(label: str):
    """A parser of a required date typed as YYYY-MM-DD (the browser's date field sends that)."""

    def parse(text: str | None) -> dt.date:
        text = (text or "").strip()
        if not text:
            raise ValidationError(_("请填写%(what)s") % {"what": label})
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(_("%(what)s须为有效日期，如 2026-03-31") % {"what": label}) from None

    return parse


def _integer(value: str | None, label: str) -> int | None:
    number = _number(value, label)
    if number is not None and number != int(number):
        raise ValidationError(_("%(what)s须为整数") % {"what": label})
    return None if number is None else int(number)


def _region(request) -> Region:
    from carbonpeak.energy.selectors import city_region

    name = request.GET.get("region") or request.POST.get("region") or city_region()
    region = Region.objects.filter(name=name[:50]).first()
    if region is None:
        raise PermissionDenied(_("地区“%(name)s”不存在") % {"name": name[:50]})
    permissions.require(request.user, Action.VIEW_REGION, region)
    return region


@page(Action.VIEW_CITY)
def index(request):
    region = _region(request)
    latest = CarbonBudget.objects.filter(region=region).order_by("-year").first()
    year = latest.year if latest else (assessment.factor_year() or clock.today().year - 1)
    return redirect(f"{reverse('budgets:year', args=[year])}?region={quote(region.name)}")


@page(Action.VIEW_CITY)
def year_page(request, year: int):
    return _year_page(request, year, _region(request))


def _year_page(request, year: int, region: Region, form=None, status: int = 200, refused=None):
    """The page of a year; after a refused form, again with what was typed (nothing lost) and a 400."""
    budget = selectors.budget_for(year, region)
    table = selectors.budget_table(budget) if budget else None
    years = list(CarbonBudget.objects.filter(region=region).order_by("-year").values_list("year", flat=True))
    refused = refused or refusals.take(request, ALLOCATION_FORM)
    manual_parts = {}
    if budget is not None and permissions.can(request.user, Action.MANAGE_BUDGETS):
        for dimension in (Allocation.DISTRICT, Allocation.SECTOR):
            # each part's name and, after a refused allocation of this dimension, what was typed for it
            mine = refused and refused.form == ALLOCATION_FORM and refused.value("dimension") == dimension
            manual_parts[dimension] = [
                (p.name, refused.value(f"part-{i}") if mine else "", f"part-{dimension}-{i}")
                for i, p in enumerate(services.part_bases(budget, dimension)[0])
            ]
    return render(
        request,
        "budgets/year.html",
        {
            "nav": "budgets",
            "region": region,
            "year": year,
            "years": years,
            "budget": budget,
            "table": table,
            "methods": [(m.value, m.label) for m in pure.Method],
            "manual_parts": manual_parts,
            "can_manage": permissions.can(request.user, Action.MANAGE_BUDGETS),
            "districts": selectors.district_names(region),
            "accounts_sample": bool((run := selectors.current_run()) and run.includes_sample),
            "form": form or {},
            "refused": refused,
        },
        status=status,
    )


@page(Action.VIEW_WORK)
@require_POST
def set_budget(request):
    region = _region(request)
    post = request.POST
    problems = refusals.required(post, {"year": "年份", "document": "依据"})

    def field(name: str, read, label: str):
        return refusals.parsed(post, problems, name, lambda text: read(text, label))

    year = field("year", _integer, "年份")
    tco2 = field("tco2", _number, "下达的碳预算")
    reduction_pct = field("reduction_pct", _number, "强度下降目标")
    baseline_year = field("baseline_year", _integer, "基准年")
    target_year = field("target_year", _integer, "目标年")
    growth_pct = field("growth_pct", _number, "预期增速")
    if not problems:
        try:
            services.set_budget(
                request.user,
                region=region.name,
                year=year,
                method=post.get("method", ""),
                document=post.get("document", "")[:300],
                tco2=tco2,
                reduction_pct=reduction_pct,
                baseline_year=baseline_year,
                target_year=target_year,
                growth_pct=growth_pct,
            )
        except ValidationError as exc:
            problems = refusals.problems_of(exc, "method")
    if problems:  # the page again with everything typed, each problem beside its field, and a 400
        shown = year if isinstance(year, int) else (assessment.factor_year() or clock.today().year - 1)
        refused = refusals.Refusal("budget", {k: post.get(k, "") for k in post}, problems)
        return _year_page(request, shown, region, post, 400, refused)
    messages.success(request, _("已设定%(region)s%(year)s年碳预算") % {"region": region.name, "year": year})
    return redirect(f"{reverse('budgets:year', args=[year])}?region={quote(region.name)}")


@page(Action.VIEW_WORK)
@require_POST
def allocate(request, year: int):
    region = _region(request)
    budget = get_object_or_404(CarbonBudget, region=region, year=year)
    dimension = request.POST.get("dimension", "")
    method = request.POST.get("method", "")
    try:
        names = services.part_bases(budget, dimension)[0] if dimension in ("district", "sector") else []
        values = {p.name: _number(request.POST.get(f"part-{i}"), p.name) for i, p in enumerate(names)}
        services.allocate(
            request.user,
            budget,
            dimension,
            method,
            manual=values if method == pure.Method.MANUAL else None,
            growth=values if method == pure.Method.INTENSITY else None,
            note=request.POST.get("note", "")[:300],
        )
        messages.success(request, _("已分配，各部分合计等于总量"))
    except ValidationError as exc:  # the form again as typed, the reason beside its method
        typed = {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
        problems = refusals.problems_of(exc, f"method-{dimension}")
        part_field = {f"{p.name}：": f"part-{dimension}-{i}" for i, p in enumerate(names)}
        for problem in problems:  # a part's problem ("沙溪镇：未填写分配量") beside that part's field
            problem.field = next(
                (f for prefix, f in part_field.items() if problem.message.startswith(prefix)), problem.field
            )
        url = f"{reverse('budgets:year', args=[year])}?region={quote(region.name)}"
        return refusals.refuse(request, ALLOCATION_FORM, typed, problems, url)
    return redirect(f"{reverse('budgets:year', args=[year])}?region={quote(region.name)}")


ALLOCATION_FORM = "allocation"


@page(Action.VIEW_WORK)
@require_POST
def delete_allocation(request, year: int, dimension: str):
    region = _region(request)
    budget = get_object_or_404(CarbonBudget, region=region, year=year)
    services.delete_allocation(
        request.user, get_object_or_404(Allocation, budget=budget, dimension=dimension)
    )
    messages.success(request, _("已删除该分配"))
    return redirect(f"{reverse('budgets:year', args=[year])}?region={quote(region.name)}")


@page(Action.VIEW_CITY)
def export(request, year: int):
    region = _region(request)
    budget = get_object_or_404(CarbonBudget, region=region, year=year)
    response = HttpResponse(upward.workbook(budget), content_type=XLSX)
    name = quote(f"{region.name}{year}年碳排放双控报送表.xlsx")
    response["Content-Disposition"] = f"attachment; filename=\"budget-{year}.xlsx\"; filename*=UTF-8''{name}"
    return response


# ------------------------------------------------------------------ regions


@page(Action.VIEW_CITY)
def region_page(request, name: str):
    region = get_object_or_404(Region.objects.select_related("parent"), name=name)
    permissions.require(request.user, Action.VIEW_REGION, region)
    run = selectors.current_run()
    years = selectors.complete_years(run)
    year = as_int(request.GET.get("year"), low=1990, high=2100) or (
        years[0] if years else clock.today().year - 1
    )
    from carbonpeak.core.regions import rollup

    names = [region.name, *selectors.district_names(region)]
    accounts = {}
    for n in names:
        result = selectors.annual(run, n, year)
        if result is not None:
            accounts[n] = (result.energy_tce, result.co2_t)
    ancestors = []
    node = region.parent
    while node is not None:
        if permissions.can(request.user, Action.VIEW_REGION, node):
            ancestors.insert(0, node)
        node = node.parent
    from carbonpeak.plans.selectors import region_plan

    plan, own_plan = region_plan(region)
    return render(
        request,
        "budgets/region.html",
        {
            "plan": plan,
            "own_plan": own_plan,
            "nav": "budgets",
            "region": region,
            "ancestors": ancestors,
            "year": year,
            "years": years,
            "rollup": rollup(region.name, accounts),
            "children": {
                row["region"]: row for row in selectors.regions_side_by_side(region, year, run, clock.today())
            },
            "budgets": CarbonBudget.objects.filter(region=region).order_by("-year"),
            "sample": bool(run and run.includes_sample),
        },
    )


@page(Action.VIEW_CITY)
def my_region(request):
    """A parent region's viewer starts at its own region, a district's reporter at its district, everyone
    else at the city's."""
    from carbonpeak.energy.selectors import city_region

    own = permissions.region_of(request.user) or permissions.own_region(request.user)
    return redirect("budgets:region", own.name if own else city_region())


# ------------------------------------------------------------------ project carbon assessment


def _fuels(post) -> list[dict]:
    lines = []
    for i in range(MAX_FUEL_LINES):
        fuel = post.get(f"fuel-{i}", "").strip()
        quantity = post.get(f"quantity-{i}", "").strip()
        if not fuel and not quantity:
            continue
        lines.append(
            {
                "fuel": fuel,
                "unit": post.get(f"unit-{i}", "").strip(),
                "quantity": _number(quantity, f"第{i + 1}行年用量"),
                "use": post.get(f"use-{i}", "燃料"),
            }
        )
    return lines


FUEL_FORM_LINES = 4  # the empty lines a declaration form offers


def _typed_fuels(post) -> list[dict]:
    """The fuel lines of a form as typed (empty ones for a new form): a refused form keeps them."""
    count = max(FUEL_FORM_LINES, *(i + 1 for i in range(MAX_FUEL_LINES) if post.get(f"fuel-{i}")), 0)
    return [
        {k: post.get(f"{k}-{i}", "") for k in ("fuel", "unit", "quantity", "use")}
        for i in range(min(count, MAX_FUEL_LINES))
    ]


def _links(post) -> dict:
    """The register's enterprise (by 统一社会信用代码) and the 两高 list's project a declaration names, if any."""
    from carbonpeak.enterprises.models import Enterprise, TwoHighProject

    code = post.get("credit_code", "").strip().upper()[:18]
    listed = post.get("two_high_project", "").strip()
    enterprise = Enterprise.objects.filter(credit_code=code).first() if code else None
    if code and enterprise is None:
        raise ValidationError(_("重点企业名录中没有统一社会信用代码为 %(code)s 的企业") % {"code": code})
    key = as_int(listed, low=1, high=MAX_ID)
    project = TwoHighProject.objects.filter(pk=key).first() if key else None
    return {"enterprise": enterprise, "two_high_project": project}


@page(Action.VIEW_PROJECT_ASSESSMENTS)
def projects(request):
    from carbonpeak.energy import catalog
    from carbonpeak.enterprises.models import TwoHighProject

    refused, status = None, 200
    if request.method == "POST":
        post = request.POST
        problems = refusals.required(
            post, {"name": "项目名称", "applicant": "建设单位", "operation_year": "预计投产年份"}
        )
        operation_year = refusals.parsed(
            post, problems, "operation_year", lambda t: _integer(t, "预计投产年份")
        )
        electricity = refusals.parsed(post, problems, "electricity_kwh", lambda t: _number(t, "年用电量"))
        value_added = refusals.parsed(
            post, problems, "value_added_10k", lambda t: _number(t, "达产年工业增加值")
        )
        fuels = refusals.parsed(post, problems, "fuel-0", lambda _: _fuels(post))
        links = refusals.parsed(post, problems, "credit_code", lambda _: _links(post))
        if not problems:
            try:
                project = assessment.register_project(
                    request.user,
                    name=post.get("name", ""),
                    applicant=post.get("applicant", ""),
                    district=post.get("district", ""),
                    sector=post.get("sector", ""),
                    operation_year=operation_year or 0,
                    fuels=fuels,
                    electricity_kwh=electricity,
                    value_added_10k=value_added,
                    output=post.get("output", ""),
                    **links,
                )
            except ValidationError as exc:
                problems = refusals.problems_of(exc, "name")
            else:
                messages.success(
                    request, _("已登记并评价“%(name)s”（草稿，核对后请报送审查）") % {"name": project.name}
                )
                return redirect("budgets:project", project.pk)
        # the page again with everything typed, each problem beside its field, and a 400
        refused, status = refusals.Refusal("project", {k: post.get(k, "") for k in post}, problems), 400
    rows = ProjectAssessment.objects.select_related("reviewed_by").order_by("-created_at", "-id")
    return render(
        request,
        "budgets/projects.html",
        {
            "nav": "budgets",
            "projects": rows,
            "any_sample": rows.filter(is_sample=True).exists(),
            "districts": Region.objects.filter(level="区镇").values_list("name", flat=True),
            "sectors": [s.name for s in catalog.SECTORS],
            "fuels": [f.name for f in catalog.FUELS],
            "fuel_rows": _typed_fuels(request.POST if request.method == "POST" else {}),
            "two_high_projects": TwoHighProject.objects.select_related("enterprise").order_by("name"),
            "form": request.POST if request.method == "POST" else {},
            "can_register": any(
                permissions.can(request.user, Action.SUBMIT_PROJECT, d)
                for d in Region.objects.filter(level="区镇").values_list("name", flat=True)
            ),
            "refused": refused,
        },
        status=status,
    )


#: each form on a project's page, the page's id of each field it names, and the field a refusal names by default
PROJECT_FORMS = {
    "submit": ({}, "submit-project"),
    "decide": ({"decision": "decide-decision", "conditions": "decide-conditions"}, "decide-decision"),
    "return": ({"comment": "return-comment"}, "return-comment"),
    "accept": ({}, "accepted_on"),
}


@page(Action.VIEW_PROJECT_ASSESSMENTS)
def project(request, project_id: int):
    """A declared project: its figures, and the review's forms (submit, decide, return, accept). A refusal
    shows the page again with everything typed, each problem beside its field."""
    item = get_object_or_404(
        ProjectAssessment.objects.select_related("enterprise", "two_high_project"), pk=project_id
    )
    refused, status = None, 200
    if request.method == "POST":
        post = request.POST
        action = post.get("action", "")
        if action not in PROJECT_FORMS:
            raise Http404(_("未知操作"))
        ids, default = PROJECT_FORMS[action]
        problems = []
        if action == "return":
            problems = refusals.required(post, {"comment": ("return-comment", "退回意见")})
        if action == "accept":
            accepted_on = refusals.parsed(post, problems, "accepted_on", _date_of("验收日期"))
            electricity = refusals.parsed(
                post, problems, "electricity_kwh", lambda t: _number(t, "验收实测年用电量")
            )
            fuels = refusals.parsed(post, problems, "fuel-0", lambda _: _fuels(post))
        if not problems:
            try:
                if action == "submit":
                    assessment.submit_project(item, user=request.user)
                    done = "已报送审查"
                elif action == "decide":
                    assessment.decide_project(
                        item,
                        user=request.user,
                        decision=post.get("decision", ""),
                        conditions=post.get("conditions", "")[:2000],
                        review_number=post.get("review_number", ""),
                    )
                    done = "已录入审查结论"
                elif action == "return":
                    assessment.return_project(item, user=request.user, comment=post.get("comment", "")[:2000])
                    done = "已退回"
                else:
                    assessment.accept_project(
                        request.user, item, accepted_on=accepted_on, fuels=fuels, electricity_kwh=electricity
                    )
                    done = "已录入验收实测"
            except ValidationError as exc:
                problems = refusals.problems_of(exc, default)
            else:
                messages.success(request, done)
                return redirect("budgets:project", item.pk)
        for p in problems:
            p.field = ids.get(p.field, p.field)
        refused, status = refusals.Refusal(action, {k: post.get(k, "") for k in post}, problems), 400
        item.refresh_from_db()
    from carbonpeak.energy import catalog

    return render(
        request,
        "budgets/project.html",
        {
            "nav": "budgets",
            "p": item,
            "a": item.assessment,
            "declared": [f for f in item.fuels.all() if f.stage == "declared"],
            "actual": [f for f in item.fuels.all() if f.stage == "actual"],
            "can_submit": permissions.can(request.user, Action.SUBMIT_PROJECT, item.district)
            and item.status in ("draft", "returned"),
            "can_review": permissions.can(request.user, Action.REVIEW) and item.status == "submitted",
            "can_accept": permissions.can(request.user, Action.REVIEW)
            and item.decision in ("approved", "conditional"),
            "decisions": [c for c in ProjectAssessment.Decision.choices if c[0]],
            "fuels": [f.name for f in catalog.FUELS],
            "fuel_rows": _typed_fuels(request.POST if refused and refused.form == "accept" else {}),
            "refused": refused,
        },
        status=status,
    )
