"""The key-project register's pages: the list with its totals and the register form, a project's page with
its tasks, money, effect and quarterly progress. Views are thin: every write goes through ``services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.http import MAX_ID
from carbonpeak.core.models import Region, ReviewStatus
from carbonpeak.core.numbers import as_int
from carbonpeak.departments.models import Department
from carbonpeak.energy import catalog
from carbonpeak.energy import selectors as energy
from carbonpeak.enterprises.models import Enterprise
from carbonpeak.plans.selectors import current_plan
from carbonpeak.projects import money, selectors, services
from carbonpeak.projects.models import FundingSource, KeyProject, ProjectKind, ProjectStatus
from carbonpeak.web import refusals, uploading

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEASURED_ROWS = 2  # a progress report's rows of energy measurably saved
ROWS = 3  # the register form's rows of savings, investment, funding and milestones
REGISTER, HOURS, PROGRESS, REVIEW, AWARD, EDIT = "register", "hours", "progress", "review", "award", "edit"
MAX_FORM_ROWS = 30  # rows a posted register form may say it has (本平台规则: a project's years and sources)


def _date(post, field: str, problems: list) -> dt.date | None:
    text = post.get(field, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(
            refusals.Problem(field, _("日期“%(typed)s”无效，请写作 2025-03-15") % {"typed": text[:20]})
        )
        return None


def _key(text) -> int | None:
    """A record's key as a form sends it, or None (read by the project's one number parser)."""
    return as_int(text, low=1, high=MAX_ID) if text else None


def _may_register(user) -> list[Department]:
    """The departments a user may register a project for (its own; every department for the coordinator)."""
    if permissions.can(user, Action.REVIEW):
        return list(Department.objects.order_by("name"))
    own = permissions.department_of(user)
    return [own] if own is not None and permissions.can(user, Action.REPORT_KEY_PROJECT, own) else []


@page(Action.VIEW_CITY)
def index(request):
    factors = energy.official_factors()
    hours = selectors.full_load_hours()
    year = selectors.effect_year()
    rows, totals = [], {"planned": [], "actual": [], "tce": [], "tco2": []}
    for project in selectors.projects():
        money = selectors.money(project)
        effect = selectors.expected_effect(project, factors=factors, hours=hours, year=year)
        tco2 = effect.tco2.get(factors.assessed_boundary)
        rows.append({"project": project, "money": money, "effect": effect, "tco2": tco2})
        for key, value in (
            ("planned", money.planned),
            ("actual", money.actual),
            ("tce", effect.tce),
            ("tco2", tco2),
        ):
            totals[key].append(value)
    plan = current_plan()
    refused = refusals.take(request, REGISTER, HOURS)
    return render(
        request,
        "projects/index.html",
        {
            "nav": "projects",
            "rows": rows,
            # each column's sum over the projects that give it, how many do not, and its unit
            "totals": [
                (sum(v for v in totals[k] if v is not None), sum(v is None for v in totals[k]), unit)
                for k, unit in (
                    ("planned", "万元"),
                    ("actual", "万元"),
                    ("tce", "吨标准煤"),
                    ("tco2", "吨二氧化碳"),
                )
            ],
            "year": year,
            "coverage": selectors.coverage(effects=[(r["project"], r["effect"]) for r in rows]),
            "ets_years": (year - 1, year),
            "ets": selectors.ets_compliance((year - 1, year)),
            "boundary": factors.assessed_boundary,
            "any_sample": any(r["project"].sample for r in rows),
            "hours": [
                (kind, label, hours.get(kind))
                for kind, label in ProjectKind.choices
                if kind in selectors.GENERATING
            ],
            "can_set_hours": permissions.can(request.user, Action.MANAGE_FACTORS),
            **_form_choices(request.user),
            "tasks": list(plan.tasks.select_related("action", "section").order_by("id")) if plan else [],
            "rows_range": [str(i) for i in range(ROWS)],
            "register_typed": refused.typed if refused.form == REGISTER else {},
            "chosen_tasks": {
                k for k in map(_key, refused.typed.get("tasks", "").split(",")) if k is not None
            },
            "refused": refused,
        },
    )


def _form_choices(user) -> dict:
    """The register form's choices (its departments: those the user may register for)."""
    return {
        "leads": _may_register(user),
        "kinds": ProjectKind.choices,
        "statuses": ProjectStatus.choices,
        "sources": FundingSource.choices,
        "districts": Region.objects.filter(level="区镇").order_by("name"),
        "enterprises": Enterprise.objects.order_by("name").only("pk", "name"),
        "fuels": [f.name for f in catalog.FUELS if f.family != catalog.HEAT],
        "units": catalog.UNIT_NAMES,
    }


def _form_of(post, problems: list) -> tuple[services.ProjectForm, list[int]]:
    """The register form as posted (its rows as many as it says it has, within bounds), and the task keys
    chosen; a department or a date that cannot be read is a problem beside its field."""
    rows = as_int(post.get("rows"), low=1, high=MAX_FORM_ROWS) or ROWS
    lead = Department.objects.filter(pk=_key(post.get("lead"))).first()
    if lead is None:
        problems.append(refusals.Problem("lead", _("请选择牵头部门")))
    start, finish = _date(post, "start_date", problems), _date(post, "completion_date", problems)
    plan = current_plan()
    task_ids = [k for k in map(_key, post.getlist("tasks")) if k is not None]
    form = services.ProjectForm(
        name=post.get("name", ""),
        kind=post.get("kind", ""),
        lead=lead,
        tasks=list(plan.tasks.filter(pk__in=task_ids)) if plan else [],
        district=Region.objects.filter(pk=_key(post.get("district")), level="区镇").first(),
        enterprise=Enterprise.objects.filter(pk=_key(post.get("enterprise"))).first(),
        esco=post.get("esco", ""),
        start_date=start,
        completion_date=finish,
        status=post.get("status", ""),
        capacity_kw=post.get("capacity_kw", ""),
        description=post.get("description", ""),
        savings=[
            (post.get(f"fuel-{i}", ""), post.get(f"quantity-{i}", ""), post.get(f"unit-{i}", ""))
            for i in range(rows)
        ],
        investments=[
            (post.get(f"investment_year-{i}", ""), post.get(f"planned-{i}", ""), post.get(f"actual-{i}", ""))
            for i in range(rows)
        ],
        funding=[
            (
                post.get(f"funding_year-{i}", ""),
                post.get(f"source-{i}", ""),
                post.get(f"amount-{i}", ""),
                post.get(f"institution-{i}", ""),
            )
            for i in range(rows)
        ],
        milestones=[
            (post.get(f"milestone-{i}", ""), _date(post, f"milestone_date-{i}", problems))
            for i in range(rows)
        ],
    )
    return form, task_ids


def _typed(post, task_ids: list[int]) -> dict[str, str]:
    typed = {k: post.get(k, "") for k in post if k != "tasks"}
    typed["tasks"] = ",".join(map(str, task_ids))
    return typed


def _typed_of(project: KeyProject) -> dict[str, str]:
    """A project as its edit form shows it: the register form's fields, filled in."""

    def text(value) -> str:
        if isinstance(value, float):  # as typed: never in scientific notation
            return f"{value:.10f}".rstrip("0").rstrip(".")
        return "" if value is None else str(value)

    typed = {
        "name": project.name,
        "kind": project.kind,
        "status": project.status,
        "lead": str(project.lead_id),
        "district": text(project.district_id),
        "enterprise": text(project.enterprise_id),
        "tasks": ",".join(str(t.pk) for t in project.tasks.all()),
        "start_date": text(project.start_date),
        "completion_date": text(project.completion_date),
        "capacity_kw": text(project.capacity_kw),
        "esco": project.esco,
        "description": project.description,
    }
    for i, row in enumerate(project.savings.all()):
        typed |= {f"fuel-{i}": row.fuel, f"quantity-{i}": text(row.quantity), f"unit-{i}": row.unit}
    for i, row in enumerate(project.investments.all()):
        typed |= {
            f"investment_year-{i}": str(row.year),
            f"planned-{i}": text(row.planned),
            f"actual-{i}": text(row.actual),
        }
    for i, row in enumerate(project.funding.all()):
        typed |= {
            f"funding_year-{i}": str(row.year),
            f"source-{i}": row.source,
            f"amount-{i}": text(row.amount),
            f"institution-{i}": row.institution,
        }
    return typed


def _rows_for(project: KeyProject) -> int:
    """The edit form's rows: room for what the project has and one more."""
    have = max(len(project.savings.all()), len(project.investments.all()), len(project.funding.all()))
    return min(max(ROWS, have + 1), MAX_FORM_ROWS)


@page(Action.VIEW_WORK)
@require_POST
def register(request):
    post = request.POST
    problems: list[refusals.Problem] = []
    form, task_ids = _form_of(post, problems)
    if not problems:
        try:
            project = services.register_project(request.user, form)
        except ValidationError as exc:
            problems = refusals.problems_of(exc, "name")
        else:
            messages.success(request, _("已登记重点项目“%(name)s”") % {"name": project.name})
            return redirect("projects:detail", project.pk)
    return refusals.refuse(request, REGISTER, _typed(post, task_ids), problems, reverse("projects:index"))


@page(Action.VIEW_WORK)
@require_POST
def edit(request, project_id: int):
    """A project's facts, status and money changed by its lead department or the coordinator."""
    project = get_object_or_404(KeyProject, pk=project_id)
    post = request.POST
    problems: list[refusals.Problem] = []
    form, task_ids = _form_of(post, problems)
    here = reverse("projects:detail", args=[project.pk])
    if not problems:
        try:
            services.update_project(request.user, project, form)
        except ValidationError as exc:
            problems = refusals.problems_of(exc, "name")
        else:
            messages.success(request, _("已修改重点项目“%(name)s”") % {"name": form.name})
            return redirect(here)
    return refusals.refuse(request, EDIT, _typed(post, task_ids), problems, here + "#edit")


@page(Action.VIEW_CITY)
def money_workbook(request):
    """The money behind the projects as one .xlsx for the 财政局 and the financial regulator."""
    from urllib.parse import quote

    from django.http import HttpResponse

    rows, funding, awards = selectors.money_rows()
    title = _("重点项目资金情况")
    data = money.workbook(rows, funding, awards, title=title, sample=any(r.sample for r in rows), say=_)
    response = HttpResponse(data, content_type=XLSX)
    name = quote(f"{title}.xlsx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"key-projects-money.xlsx\"; filename*=UTF-8''{name}"
    )
    return response


@page(Action.VIEW_WORK)
def template(request):
    """The register's Excel form (its instructions in the reader's language, its headers as read)."""
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(services.template(say=_), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename=\"key-projects-template.xlsx\"; filename*=UTF-8''" + quote("重点项目表.xlsx")
    )
    return response


@page(Action.VIEW_WORK)
@require_POST
def upload(request):
    """A register file handed to the background worker; the job's page shows what was imported or why not."""
    return uploading.hand_over(
        request,
        "key_projects",
        nav="projects",
        missing=_("请选择要上传的文件（.xlsx）"),
        back_label=_("返回重点项目库"),
    )


@page(Action.VIEW_WORK)
@require_POST
def set_hours(request):
    post = request.POST
    try:
        services.set_full_load_hours(
            request.user, post.get("kind", ""), post.get("hours", ""), post.get("source", "")
        )
    except ValidationError as exc:
        typed = {k: post.get(k, "") for k in post}
        return refusals.refuse(
            request, HOURS, typed, refusals.problems_of(exc, "hours"), reverse("projects:index")
        )
    messages.success(request, _("已录入年等效满负荷小时数，相关项目的效果已重算"))
    return redirect("projects:index")


@page(Action.VIEW)
def detail(request, project_id: int):
    """A project's page: the city's users read every project, an enterprise's reporter the ones its
    enterprise carries out (and reports their progress)."""
    project = get_object_or_404(selectors.projects(), pk=project_id)
    permissions.require(request.user, Action.VIEW_KEY_PROJECT, project)
    factors = energy.official_factors()
    year = selectors.effect_year()
    progress = list(project.progress.all())
    may_report = permissions.can(request.user, Action.REPORT_PROJECT_PROGRESS, project)
    may_edit = permissions.can(request.user, Action.REPORT_KEY_PROJECT, project.lead)
    refused = refusals.take(request, PROGRESS, REVIEW, AWARD, EDIT)
    return render(
        request,
        "projects/detail.html",
        {
            "nav": "projects",
            "project": project,
            "money": selectors.money(project),
            "effects": [
                (_("设计效果"), selectors.expected_effect(project, factors=factors, year=year)),
                (_("实测效果（审核通过的进展）"), selectors.achieved_effect(project, year, factors=factors)),
            ],
            "default_period": selectors.current_quarter(),
            "fuels": [f.name for f in catalog.FUELS if f.family != catalog.HEAT],
            "units": catalog.UNIT_NAMES,
            "measured_range": [str(i) for i in range(MEASURED_ROWS)],
            "year": year,
            "boundary": factors.assessed_boundary,
            "factor_set": factors.label,
            "progress": progress,
            "may_report": may_report,
            "may_review": permissions.can(request.user, Action.REVIEW),
            "editable": [p for p in progress if p.status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED)],
            "city": permissions.can(request.user, Action.VIEW_CITY),
            **(_edit_context(request, project, refused) if may_edit else {}),
            "may_edit": may_edit,
            "may_award": permissions.can(request.user, Action.RECORD_AWARD),
            "fiscal": [(k, label) for k, label in FundingSource.choices if k in money.FISCAL],
            "reached": [m for m in project.milestones.all() if m.reached_in],
            "refused": refused,
        },
    )


def _edit_context(request, project: KeyProject, refused) -> dict:
    """What the edit form needs: the register form's choices, filled in with the project (or as typed when
    the last edit was refused)."""
    plan = current_plan()
    typed = refused.typed if refused.form == EDIT else _typed_of(project)
    return {
        **_form_choices(request.user),
        "tasks": list(plan.tasks.select_related("action", "section").order_by("id")) if plan else [],
        "edit_typed": typed,
        "edit_refused": refused if refused.form == EDIT else refusals.Refusal(EDIT),
        "chosen_tasks": {k for k in map(_key, typed.get("tasks", "").split(",")) if k is not None},
        "rows_range": [str(i) for i in range(_rows_for(project))],
    }


@page(Action.VIEW)
@require_POST
def progress(request, project_id: int):
    """A quarter's progress saved (and submitted when asked), or reviewed: through the services only."""
    project = get_object_or_404(KeyProject, pk=project_id)
    post = request.POST
    action = post.get("action", "save")
    here = reverse("projects:detail", args=[project.pk])
    try:
        if action in ("save", "submit"):
            record = services.save_progress(
                request.user,
                project,
                post.get("period", ""),
                milestones=post.getlist("milestones"),
                investment=post.get("investment", ""),
                measured_kwh=post.get("measured_kwh", ""),
                savings=[
                    (
                        post.get(f"measured_fuel-{i}", ""),
                        post.get(f"measured_quantity-{i}", ""),
                        post.get(f"measured_unit-{i}", ""),
                    )
                    for i in range(MEASURED_ROWS)
                ],
                narrative=post.get("narrative", ""),
            )
            if action == "submit":
                services.submit_progress(record, user=request.user)
            done = _("已报送，等待协调员审核") if action == "submit" else _("已保存草稿")
        elif action in ("approve", "return"):
            record = project.progress.filter(pk=_key(post.get("progress"))).first()
            if record is None:
                raise Http404(_("没有这份项目进展"))
            if action == "approve":
                services.approve_progress(record, user=request.user)
                done = _("已审核通过")
            else:
                services.return_progress(record, user=request.user, comment=post.get("comment", "")[:2000])
                done = _("已退回")
        else:
            raise Http404(_("未知操作"))
    except ValidationError as exc:
        form = REVIEW if action in ("approve", "return") else PROGRESS
        typed = {k: post.get(k, "") for k in post if k != "milestones"}
        return refusals.refuse(
            request, form, typed, refusals.problems_of(exc, "period" if form == PROGRESS else "comment"), here
        )
    messages.success(request, done)
    return redirect(here)


@page(Action.VIEW_WORK)
@require_POST
def award(request, project_id: int):
    """A fiscal award paid against a milestone, recorded by the 财政局 or the coordinator (the service checks)."""
    project = get_object_or_404(KeyProject, pk=project_id)
    post = request.POST
    here = reverse("projects:detail", args=[project.pk])
    problems: list[refusals.Problem] = []
    paid_on = _date(post, "paid_on", problems)
    if not problems:
        try:
            services.record_award(
                request.user,
                project,
                milestone=post.get("milestone", ""),
                source=post.get("source", ""),
                amount=post.get("amount", ""),
                paid_on=paid_on,
                document=post.get("document", ""),
            )
        except ValidationError as exc:
            problems = refusals.problems_of(exc, "milestone")
        else:
            messages.success(request, _("已登记财政奖补拨付"))
            return redirect(here + "#awards")
    typed = {k: post.get(k, "") for k in post}
    return refusals.refuse(request, AWARD, typed, problems, here + "#awards")
