"""Pages of a new city's onboarding: upload a plan, check it against its text and correct it, confirm; and
the city's plans side by side. Thin: the writes are ``plans.onboarding``'s."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import clock, limits
from carbonpeak.core.numbers import parse_float
from carbonpeak.plans import onboarding
from carbonpeak.plans.document import classify_department
from carbonpeak.plans.document.review import all_tasks, apply_corrections, locate, segments, target_refs
from carbonpeak.plans.selectors import city_plans, current_plan
from carbonpeak.web import refusals

from .models import PlanDraft, PlanRole


def _require_manager(request) -> None:
    if not permissions.can(request.user, permissions.Action.MANAGE_PLAN):
        raise PermissionDenied(permissions.MESSAGES[permissions.Action.MANAGE_PLAN])


@page(Action.VIEW_WORK)
def plans(request):
    """The city's plans side by side: its own comprehensive plan, its sector plans, higher plans kept for reference."""
    groups = city_plans()
    return render(
        request,
        "plans/plans.html",
        {
            "nav": "plans",
            "groups": [(PlanRole(role).label, role, items) for role, items in groups.items()],
            "current": current_plan(),
            "can_manage_plan": permissions.can(request.user, permissions.Action.MANAGE_PLAN),
        },
    )


@page(Action.VIEW_WORK)
def onboard(request):
    _require_manager(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择方案文件（文字版 PDF、.docx 或文本）"))
            return redirect("plans:onboard")
        try:
            draft = onboarding.stage(
                request.user,
                upload.name,
                limits.read(limits.PLAN_DOCUMENT, upload),
                region=request.POST.get("region", ""),
                role=request.POST.get("role", PlanRole.OWN),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("plans:onboard")
        return redirect("plans:onboard_review", draft.pk)
    drafts = PlanDraft.objects.filter(status=PlanDraft.Status.DRAFT).select_related("created_by")
    return render(
        request,
        "plans/onboard.html",
        {
            "nav": "plans",
            "drafts": drafts,
            "roles": PlanRole.choices,
            "max_mb": limits.max_bytes(limits.PLAN_DOCUMENT) // limits.MB,
        },
    )


def _review_context(draft: PlanDraft, refused: refusals.Refusal | None = None) -> dict:
    """The review page's rows; after a refused save, each field shows what was typed, not what is saved."""
    data = apply_corrections(draft.structure, draft.corrections)
    # where things came from is a property of the parsed text: spans and target refs are the original's
    spans = locate(draft.text, draft.structure)
    anchor_of = {ref: span.anchor for span in spans for ref in span.refs}
    counts: Counter = Counter()
    for task in all_tasks(data):
        for role in ("lead", "support", "implement"):
            for name in task[role]:
                counts[(name, role)] += 1
    original = draft.structure.get("departments", [])
    renames = draft.corrections.get("departments", {})
    names = list(dict.fromkeys(renames.get(n, n) for n in original))
    departments = [
        {
            "index": i,
            "field": f"dept-{i}",
            "name": name,
            "now": renames.get(name, name),
            "kind": classify_department(renames.get(name, name)),
            "lead": counts[(renames.get(name, name), "lead")],
            "support": counts[(renames.get(name, name), "support")],
            "implement": counts[(renames.get(name, name), "implement")],
        }
        for i, name in enumerate(original)
    ]
    changes = draft.corrections.get("targets", {})
    for task in all_tasks(data):
        task["anchor"] = anchor_of.get(task["key"], "")
        task["lead_text"] = "、".join(task["lead"])
    if refused:
        typed = refused.typed
        for d in departments:
            d["now"] = typed.get(f"dept-{d['index']}", d["now"])
        for task in all_tasks(data):
            task["lead_text"] = typed.get(f"lead-{task['key']}", task["lead_text"])
    sections = []
    for section in data["sections"]:
        actions = [a for a in data["actions"] if a["key"] in section.get("actions", [])]
        sections.append({"section": section, "actions": actions})
    return {
        "draft": draft,
        "data": data,
        "segments": segments(draft.text, spans),
        "anchor_of": anchor_of,
        "departments": departments,
        "names": names,
        "sections": sections,
        "targets": [
            {
                "ref": ref,
                "field": f"value-{ref}",
                "target": {**t, **{k: v for k, v in changes.get(ref, {}).items() if k in ("value", "year")}},
                "dropped": bool(changes.get(ref, {}).get("drop"))
                if not refused
                else f"keep-{ref}" not in refused.typed,
                "typed": refused.typed.get(f"value-{ref}") if refused else None,
                "anchor": anchor_of.get(ref, ""),
            }
            for ref, t in target_refs(draft.structure)
        ],
        "tasks_without_lead": [t["key"] for t in all_tasks(data) if not t["lead"]],
        "joint_tasks": [t["key"] for t in all_tasks(data) if t.get("joint") and t["lead"]],
    }


@page(Action.VIEW_WORK)
def onboard_review(request, draft_id: int):
    _require_manager(request)
    draft = get_object_or_404(PlanDraft, pk=draft_id)
    refused = None
    if request.method == "POST":
        corrections, problems = _corrections_from(request.POST, draft)
        if not problems:
            try:
                onboarding.correct(draft, request.user, corrections, region=request.POST.get("region"))
            except ValidationError as exc:
                problems = refusals.problems_of(exc, "review-form")
        if not problems:
            messages.success(request, _("更正已保存：右侧为更正后的结构"))
            return redirect("plans:onboard_review", draft.pk)
        # the page again with everything typed (a plan has hundreds of fields: not carried in the session)
        refused = refusals.Refusal("review", dict(request.POST.items()), problems)
    context = _review_context(draft, refused)
    context["nav"] = "plans"
    context["refused"] = refused
    return render(request, "plans/onboard_review.html", context, status=400 if refused else 200)


def _corrections_from(post, draft: PlanDraft) -> tuple[dict, list[refusals.Problem]]:
    """The form's fields as corrections (only what differs from the parsed plan is kept), and the fields
    that cannot be read."""
    problems = []
    original = draft.structure.get("departments", [])
    renames = {}
    for i, name in enumerate(original):
        new = (post.get(f"dept-{i}") or "").strip()
        if len(new) > 100:
            problems.append(refusals.Problem(f"dept-{i}", f"“{name}”的新名称不超过 100 字"))
        elif new and new != name:
            renames[name] = new
    renamed = apply_corrections(draft.structure, {"departments": renames})
    leads = {}
    for task in all_tasks(renamed):
        field = f"lead-{task['key']}"
        if field not in post:
            continue
        typed = post.get(field, "").replace("，", "、").replace(",", "、").split("、")
        # the page showed the names before this save's renames: a name typed as shown follows its rename
        wanted = list(dict.fromkeys(renames.get(n.strip(), n.strip()) for n in typed if n.strip()))
        if wanted != task["lead"]:
            leads[task["key"]] = wanted
    targets = {}
    for ref, target in target_refs(draft.structure):
        if f"shown-{ref}" not in post:
            continue
        if f"keep-{ref}" not in post:
            targets[ref] = {"drop": True}
            continue
        raw = (post.get(f"value-{ref}") or "").strip()
        if raw == "" and target.get("value") is None:
            continue
        before = len(problems)
        what = f"目标“{target['indicator']}”的目标值"
        value = refusals.parsed(
            post, problems, f"value-{ref}", lambda t, what=what: parse_float(t, what=what)
        )
        if len(problems) > before:
            continue
        if value != target.get("value"):
            targets[ref] = {"value": value}
    return {"departments": renames, "leads": leads, "targets": targets}, problems


@page(Action.VIEW_WORK)
@require_POST
def onboard_confirm(request, draft_id: int):
    _require_manager(request)
    draft = get_object_or_404(PlanDraft, pk=draft_id)
    try:
        done = onboarding.confirm(draft, request.user, clock.today())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("plans:onboard_review", draft.pk)
    return render(request, "plans/onboard_done.html", {"nav": "plans", "done": done, "draft": draft})


@page(Action.VIEW_WORK)
@require_POST
def onboard_discard(request, draft_id: int):
    _require_manager(request)
    draft = get_object_or_404(PlanDraft, pk=draft_id)
    try:
        onboarding.discard(draft, request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已放弃导入“%(name)s”") % {"name": draft.source_name})
    return redirect("plans:onboard")
