"""Plan pages: the plan, the responsibility matrix, a department's tasks, the target list."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.core import versions
from carbonpeak.core.http import MAX_ID, number_param
from carbonpeak.core.numbers import as_int, required_float, required_int
from carbonpeak.departments.models import Department, DepartmentKind
from carbonpeak.plans import services
from carbonpeak.plans.selectors import current_plan
from carbonpeak.web import refusals

from .models import Action, Plan, Responsibility, Role, Section, Target, TargetKind, Task


def _plan_or_latest(plan_id: int | None) -> Plan:
    if plan_id is not None:
        return get_object_or_404(Plan, pk=plan_id)
    plan = current_plan()
    if plan is None:
        raise Http404(_("尚未导入任何方案"))
    return plan


def _active_responsibilities():
    return (
        Responsibility.objects.filter(suppressed=False).select_related("department").order_by("role", "order")
    )


def _tasks_queryset():
    return Task.objects.select_related("action", "section").prefetch_related(
        Prefetch("responsibilities", queryset=_active_responsibilities(), to_attr="active_responsibilities"),
        Prefetch("targets", queryset=Target.objects.order_by("order")),
    )


def _decorate(task: Task) -> Task:
    by_role = defaultdict(list)
    for r in task.active_responsibilities:
        by_role[r.role].append(r.department)
    task.leads, task.supports, task.implementers = (
        by_role[Role.LEAD],
        by_role[Role.SUPPORT],
        by_role[Role.IMPLEMENT],
    )
    return task


@page(permissions.Action.VIEW_CITY)
def plan_detail(request, plan_id: int | None = None):
    plan = _plan_or_latest(plan_id)

    def body() -> dict:
        tasks = [_decorate(t) for t in _tasks_queryset().filter(plan=plan)]
        by_action, by_section = defaultdict(list), defaultdict(list)
        for t in tasks:
            (by_action[t.action_id] if t.action_id else by_section[t.section_id]).append(t)
        sections = list(plan.sections.prefetch_related("actions"))
        section_targets = defaultdict(list)
        for target in plan.targets.filter(task__isnull=True).order_by("order"):
            section_targets[target.section_id].append(target)
        for s in sections:
            s.action_list = [a for a in s.actions.all()]
            for a in s.action_list:
                a.task_list = by_action[a.pk]
            s.item_list = by_section[s.pk]
            s.own_targets = section_targets[s.pk]
        return {
            "plan": plan,
            "sections": sections,
            "task_count": len(tasks),
            "action_count": sum(len(s.action_list) for s in sections),
            "target_count": plan.targets.count(),
            "version": plan.current_version,
        }

    # the whole plan, rendered once per data version (it shows nothing that depends on the user)
    rendered = versions.cached_html(("plan", plan.pk), request, "plans/_plan_body.html", body)
    return render(request, "plans/plan_detail.html", {"plan": plan, "body": rendered, "nav": "plan"})


def _matrix_columns(plan: Plan) -> list[dict]:
    """Actions first, then each section whose numbered items are tasks (政策保障, 组织实施)."""
    columns = [
        {"key": f"a{a.pk}", "label": a.number, "title": a.title, "action": a, "section": None}
        for a in Action.objects.filter(plan=plan).order_by("order")
    ]
    for s in Section.objects.filter(plan=plan, kind="items").order_by("order"):
        columns.append({"key": f"s{s.pk}", "label": s.number, "title": s.title, "action": None, "section": s})
    return columns


@page(permissions.Action.VIEW_CITY)
def responsibility_matrix(request, plan_id: int | None = None):
    plan = _plan_or_latest(plan_id)
    columns = _matrix_columns(plan)
    counts: dict[int, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: {"lead": 0, "support": 0})
    )
    departments: dict[int, Department] = {}
    rows = (
        Responsibility.objects.filter(task__plan=plan, suppressed=False, role__in=[Role.LEAD, Role.SUPPORT])
        .select_related("department", "task")
        .order_by()
    )
    for r in rows:
        col = f"a{r.task.action_id}" if r.task.action_id else f"s{r.task.section_id}"
        counts[r.department_id][col][r.role] += 1
        departments[r.department_id] = r.department
    table = []
    kind_order = {kind: i for i, kind in enumerate(DepartmentKind.values)}
    for dept in sorted(
        departments.values(),
        key=lambda d: (kind_order.get(d.kind, 99), -_total(counts[d.pk], "lead"), d.name),
    ):
        cells = [{"column": c, **counts[dept.pk].get(c["key"], {"lead": 0, "support": 0})} for c in columns]
        table.append(
            {
                "department": dept,
                "cells": cells,
                "lead": _total(counts[dept.pk], "lead"),
                "support": _total(counts[dept.pk], "support"),
            }
        )
    return render(
        request,
        "plans/matrix.html",
        {"plan": plan, "columns": columns, "rows": table, "nav": "matrix"},
    )


def _total(per_column: dict, role: str) -> int:
    return sum(v[role] for v in per_column.values())


@page(permissions.Action.VIEW_CITY)
def department_detail(request, department_id: int):
    department = get_object_or_404(Department.objects.prefetch_related("aliases"), pk=department_id)
    plan_id = number_param(request, "plan", "方案")
    plan = _plan_or_latest(plan_id) if plan_id is not None else None
    scope = Q(responsibilities__department=department, responsibilities__suppressed=False)
    tasks = _tasks_queryset().filter(scope)
    if plan is not None:
        tasks = tasks.filter(plan=plan)
    action = section = None
    group = request.GET.get("group", "")
    key = as_int(group[1:], low=1, high=MAX_ID)
    if group.startswith("a") and key:
        action = get_object_or_404(Action, pk=key)
        tasks = tasks.filter(action=action)
    elif group.startswith("s") and key:
        section = get_object_or_404(Section, pk=key)
        tasks = tasks.filter(section=section, action__isnull=True)
    groups = {Role.LEAD: [], Role.SUPPORT: [], Role.IMPLEMENT: []}
    for task in tasks.distinct().order_by("plan", "order"):
        _decorate(task)
        for r in task.active_responsibilities:
            if r.department_id == department.pk:
                groups[r.role].append(task)
    return render(
        request,
        "plans/department_detail.html",
        {
            "department": department,
            "plan": plan,
            "action": action,
            "section": section,
            "lead_tasks": groups[Role.LEAD],
            "support_tasks": groups[Role.SUPPORT],
            "implement_tasks": groups[Role.IMPLEMENT],
            "nav": "matrix",
        },
    )


@page(permissions.Action.VIEW_CITY)
def department_list(request):
    departments = (
        Department.objects.prefetch_related("aliases")
        .filter(responsibilities__suppressed=False)
        .distinct()
        .order_by("kind", "name")
    )
    return render(request, "plans/department_list.html", {"departments": departments, "nav": "departments"})


@page(permissions.Action.VIEW_CITY)
def target_list(request, plan_id: int | None = None):
    plan = _plan_or_latest(plan_id)
    f = {k: request.GET.get(k, "") for k in ("year", "action", "department", "kind")}
    year = None if f["year"] == "none" else number_param(request, "year", "年份", low=1900, high=2100)
    action = number_param(request, "action", "重点行动")
    department = number_param(request, "department", "责任部门")
    kind = f["kind"] if f["kind"] in TargetKind.values else ""

    def table() -> dict:
        targets = (
            Target.objects.filter(plan=plan)
            .select_related("task__action", "task__section", "section", "monitoring__indicator__owner")
            .prefetch_related("task__responsibilities__department")
        )
        if f["year"] == "none":
            targets = targets.filter(year__isnull=True)
        elif year is not None:
            targets = targets.filter(year=year)
        if action is not None:
            targets = targets.filter(task__action_id=action)
        if department is not None:
            targets = targets.filter(
                task__responsibilities__department_id=department,
                task__responsibilities__suppressed=False,
            ).distinct()
        if kind:
            targets = targets.filter(kind=kind)
        targets = list(targets.order_by("order"))
        for t in targets:
            t.leads = [
                r.department
                for r in (t.task.responsibilities.all() if t.task_id else [])
                if r.role == Role.LEAD and not r.suppressed
            ]
            # a main target belongs to no task: the department answering for its indicator, as the
            # dashboard names it
            link = getattr(t, "monitoring", None)
            t.lead_by_indicator = not t.leads and link is not None and link.indicator.owner_id is not None
            if t.lead_by_indicator:
                t.leads = [link.indicator.owner]
        return {"targets": targets}

    # the table is rendered once per data version and filter
    key = ("targets", plan.pk, f["year"] == "none", year, action, department, kind)
    rendered = versions.cached_html(key, request, "plans/_target_table.html", table)
    if request.htmx:
        return HttpResponse(rendered)
    context = {
        "plan": plan,
        "table": rendered,
        "years": sorted({y for y in plan.targets.values_list("year", flat=True) if y}),
        "actions": list(Action.objects.filter(plan=plan).order_by("order")),
        "departments": list(
            Department.objects.filter(responsibilities__task__plan=plan, responsibilities__role=Role.LEAD)
            .distinct()
            .order_by("kind", "name")
        ),
        "kinds": TargetKind.choices,
        "filters": f,
        "nav": "targets",
        "can_manage_plan": permissions.can(request.user, permissions.Action.MANAGE_PLAN),
        "totals": services.HANDED_DOWN_TOTALS,
        "refused": refusals.take(request, HANDED_DOWN_FORM),
    }
    return render(request, "plans/target_list.html", context)


HANDED_DOWN_FORM = "handed-down-total"


@page(permissions.Action.VIEW_CITY)
@require_POST
def handed_down_total(request, plan_id: int):
    """The coordinator enters a total handed down for a year, with its document; it is graded as a cap.
    A refusal comes back as typed, each problem beside its field."""
    plan = get_object_or_404(Plan, pk=plan_id)
    post = request.POST
    problems = refusals.required(
        post, {"issuer": ("t_issuer", "下达单位"), "document": ("t_document", "下达文件（文号）")}
    )
    year = refusals.parsed(
        post, problems, "year", lambda t: required_int(t, what="年份", low=1990, high=2100)
    )
    value = refusals.parsed(post, problems, "value", lambda t: required_float(t, what="下达总量", low=0))
    target = None
    if not problems:
        try:
            target = services.set_handed_down_total(
                plan,
                post.get("indicator", ""),
                year,
                value=value,
                issuer=post.get("issuer", ""),
                document=post.get("document", ""),
                user=request.user,
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("plans:targets_for_plan", plan.pk)
        except ValidationError as exc:
            problems = refusals.problems_of(exc, "t_indicator")
    if problems:
        for p in problems:  # the page's field ids
            p.field = {"year": "t_year", "value": "t_value"}.get(p.field, p.field)
        typed = {k: post.get(k, "") for k in ("indicator", "year", "value", "issuer", "document")}
        url = reverse("plans:targets_for_plan", args=[plan.pk])
        return refusals.refuse(request, HANDED_DOWN_FORM, typed, problems, url)
    messages.success(request, _("已录入：%(target)s；目标评估随后更新") % {"target": target.sentence})
    return redirect("plans:targets_for_plan", plan.pk)
