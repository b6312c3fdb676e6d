"""A new city from its published plan: upload → check the parsed structure against the text and correct it →
confirm. Confirming imports the plan, makes a login for every department that answers for tasks and opens
the first quarter, in one transaction. Every step checks permission and is audited here, so the pages and
any other caller cannot differ."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import transaction

from carbonpeak.accounts import permissions
from carbonpeak.accounts.services import NewLogin, create_department_logins
from carbonpeak.core import audit, limits, quotas
from carbonpeak.core.errors import DomainError
from carbonpeak.departments.models import Department

from . import document as doc
from .document.numbering import normalise_text
from .document.review import CorrectionError, apply_corrections
from .models import Plan, PlanDraft, PlanRole
from .services import import_plan


def stage(user, name: str, raw: bytes, *, region: str = "", role: str = PlanRole.OWN) -> PlanDraft:
    """Read and parse an uploaded plan into a draft; a file that is no plan is refused in Chinese and
    nothing is written."""
    permissions.require(user, permissions.Action.MANAGE_PLAN)
    if role not in PlanRole.values:
        raise DomainError("请选择方案类别")
    if (too_large := limits.refusal(limits.PLAN_DOCUMENT, len(raw))) is not None:
        raise DomainError(too_large)
    quotas.take(user, "upload")
    try:
        source = doc.read_plan_bytes(raw, name)
        text = normalise_text(source.text)
        parsed = doc.parse_plan(text, source.tables)
    except doc.PlanParseError as exc:
        raise DomainError(f"无法识别方案：{exc}") from exc
    except (RecursionError, MemoryError) as exc:
        raise DomainError(f"无法读取文件（{type(exc).__name__}）") from exc
    region = (region.strip() or doc.guess_region(parsed) or "未注明地区")[:50]
    draft = PlanDraft.objects.create(
        created_by=user,
        source_name=name[:255],
        source_sha256=hashlib.sha256(raw).hexdigest(),
        text=text,
        structure=parsed.to_dict(),
        region=region,
        role=role,
    )
    audit.record(user, audit.Action.CREATE, draft, after={"source": draft.source_name, "region": region})
    return draft


def corrected(draft: PlanDraft) -> doc.PlanDocument:
    """The draft's plan with the coordinator's corrections applied."""
    return doc.plan_from_dict(apply_corrections(draft.structure, draft.corrections))


def correct(draft: PlanDraft, user, corrections: dict, *, region: str | None = None) -> PlanDraft:
    """Record the coordinator's corrections (departments renamed or merged, leads, targets); they are checked
    by applying them before anything is saved."""
    permissions.require(user, permissions.Action.MANAGE_PLAN)
    _require_draft(draft)
    try:
        apply_corrections(draft.structure, corrections)
    except CorrectionError as exc:
        raise DomainError(str(exc)) from exc
    before = {"corrections": draft.corrections, "region": draft.region}
    draft.corrections = corrections
    if region is not None and region.strip():
        draft.region = region.strip()[:50]
    draft.save(update_fields=["corrections", "region"])
    audit.record(
        user,
        audit.Action.UPDATE,
        draft,
        before=before,
        after={"corrections": corrections, "region": draft.region},
    )
    return draft


@dataclass
class Onboarded:
    plan: Plan
    logins: list[NewLogin]
    period: object | None  # supervision.ReportingPeriod


@transaction.atomic
def confirm(draft: PlanDraft, user, today: dt.date) -> Onboarded:
    """Import the corrected plan, make the departments' logins and open the quarter that ended last."""
    from carbonpeak.supervision.services import open_latest_quarter

    permissions.require(user, permissions.Action.MANAGE_PLAN)
    _require_draft(draft)
    plan_doc = corrected(draft)
    report = import_plan(
        plan_doc, source_name=draft.source_name, region=draft.region, user=user.username, role=draft.role
    )
    plan = Plan.objects.get(pk=report.plan_id)
    answering = (
        Department.objects.filter(
            responsibilities__task__plan=plan,
            responsibilities__role__in=("lead", "support"),
            responsibilities__suppressed=False,
        )
        .distinct()
        .order_by("name")
    )
    logins = create_department_logins(answering, user)
    period = open_latest_quarter(plan, user, today) if plan.role == PlanRole.OWN else None
    draft.status, draft.plan = PlanDraft.Status.CONFIRMED, plan
    draft.save(update_fields=["status", "plan"])
    audit.record(
        user,
        audit.Action.APPROVE,
        draft,
        after={"plan": plan.pk, "logins": len(logins), "period": getattr(period, "key", None)},
    )
    return Onboarded(plan, logins, period)


def discard(draft: PlanDraft, user) -> None:
    permissions.require(user, permissions.Action.MANAGE_PLAN)
    _require_draft(draft)
    draft.status = PlanDraft.Status.DISCARDED
    draft.save(update_fields=["status"])
    audit.record(user, audit.Action.DELETE, draft, comment="放弃导入")


def _require_draft(draft: PlanDraft) -> None:
    if draft.status != PlanDraft.Status.DRAFT:
        raise DomainError(f"该方案{draft.get_status_display()}，不能再修改")
