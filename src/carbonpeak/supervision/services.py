"""The quarterly progress cycle: open a period, report, contribute, attach evidence, submit, review, close."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.accounts.selectors import languages_of
from carbonpeak.core import audit, clock, events, files, limits, review
from carbonpeak.core.errors import DomainError
from carbonpeak.core.language import keeps_platform_language
from carbonpeak.core.mail import mail_configured, send_said
from carbonpeak.core.models import ReviewStatus
from carbonpeak.core.text import Message, gettext_noop
from carbonpeak.departments.models import Department
from carbonpeak.plans.models import Plan, Responsibility, Role
from carbonpeak.supervision.models import (
    Contribution,
    Evidence,
    ProgressReport,
    ProgressStatus,
    Reminder,
    ReportingPeriod,
)

log = logging.getLogger(__name__)
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
REMIND_DAYS_BEFORE = 3


# ------------------------------------------------------------------ periods


def latest_quarter(today: dt.date) -> str:
    """The quarter that ended last before ``today`` (the one progress is reported for), e.g. '2026Q3'."""
    if today.month > 3:
        return f"{today.year}Q{(today.month - 1) // 3}"
    return f"{today.year - 1}Q4"


FIRST_DUE_DAYS = 21  # 本平台规则: the first quarter opened for a new plan is due three weeks later


def open_latest_quarter(plan: Plan, user, today: dt.date) -> ReportingPeriod | None:
    """Open the quarter that ended last for a plan, due three weeks from today (本平台规则); None when it is
    open already."""
    key = latest_quarter(today)
    if ReportingPeriod.objects.filter(plan=plan, key=key).exists():
        return None
    return open_period(plan, key, today + dt.timedelta(days=FIRST_DUE_DAYS), user)


@transaction.atomic
def open_period(plan: Plan, key: str, due_date: dt.date, user) -> ReportingPeriod:
    """Open a quarter: one draft report per task and lead department (generic bodies like 各区镇 excluded)."""
    from carbonpeak.core.periods import InvalidPeriod, parse_period

    permissions.require(user, Action.MANAGE_PERIODS)
    try:
        period = parse_period(key)
    except InvalidPeriod as exc:
        raise DomainError(str(exc)) from exc
    if not period.is_quarter:
        raise DomainError(_("报告期须为一个季度，如 2025Q3"))
    if ReportingPeriod.objects.filter(plan=plan, key=period.key).exists():
        raise DomainError(_("%(period)s已开启") % {"period": period.label})
    rp = ReportingPeriod.objects.create(
        plan=plan, key=period.key, year=period.year, quarter=period.last, due_date=due_date, opened_by=user
    )
    leads = (
        Responsibility.objects.filter(task__plan=plan, role=Role.LEAD, suppressed=False)
        .exclude(department__name__startswith="各")
        .select_related("task", "department")
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(period=rp, task=r.task, department=r.department) for r in leads
    )
    audit.record(
        user,
        audit.Action.OPEN,
        rp,
        after={"key": rp.key, "due_date": due_date.isoformat(), "reports": leads.count()},
    )
    events.emit("period_opened", period_id=rp.pk)
    return rp


def _require_open(report: ProgressReport) -> None:
    if not report.period.is_open:
        raise DomainError(
            _("%(period)s已关闭，报告已冻结，不能再修改") % {"period": report.period}, code="period_closed"
        )


@transaction.atomic
@keeps_platform_language  # the snapshot keeps labels as the platform wrote them
def close_period(rp: ReportingPeriod, user) -> ReportingPeriod:
    """Freeze the period: its snapshot keeps what every report said at closing, whatever happens later."""
    permissions.require(user, Action.MANAGE_PERIODS)
    if not rp.is_open:
        raise DomainError(_("%(period)s已关闭") % {"period": rp}, code="period_closed")
    rp.snapshot = {
        "closed_at": timezone.now().isoformat(),
        "reports": [_report_snapshot(r) for r in _reports(rp)],
    }
    rp.is_open, rp.closed_by, rp.closed_at = False, user, timezone.now()
    rp.save(update_fields=["snapshot", "is_open", "closed_by", "closed_at"])
    audit.record(user, audit.Action.CLOSE, rp, after={"reports": len(rp.snapshot["reports"])})
    return rp


def _reports(rp: ReportingPeriod):
    return rp.reports.select_related("task", "task__action", "department").prefetch_related(
        "contributions__department", "evidence"
    )


def _report_snapshot(r: ProgressReport) -> dict:
    return {
        "task": r.task.label,
        "task_title": r.task.title,
        "department": r.department.name,
        "progress": r.progress,
        "progress_label": r.get_progress_display(),
        "status": r.status,
        "status_label": r.get_status_display(),
        "narrative": r.narrative,
        "review_comment": r.review_comment,
        "contributions": [{"department": c.department.name, "text": c.text} for c in r.contributions.all()],
        "evidence": [e.original_name for e in r.evidence.all()],
    }


# ------------------------------------------------------------------ reports


@transaction.atomic
def save_report(report: ProgressReport, user, *, progress: str, narrative: str) -> ProgressReport:
    permissions.require(user, Action.EDIT_PROGRESS, report)
    report = REVIEW.lock(report)
    REVIEW.require_editable(report)
    if progress not in ProgressStatus.values:
        raise DomainError(
            _("进展状态须为：%(choices)s") % {"choices": _("、").join(map(str, ProgressStatus.labels))},
            field="progress",
        )
    if len(narrative) > 5000:
        raise DomainError(_("进展情况不超过 5000 字"))
    before = audit.snapshot(report, ("progress", "narrative"))
    report.progress, report.narrative, report.edited, report.updated_by = (
        progress,
        narrative.strip(),
        True,
        user,
    )
    report.save(update_fields=["progress", "narrative", "edited", "updated_by", "updated_at"])
    audit.record(
        user,
        audit.Action.UPDATE,
        report,
        before=before,
        after=audit.snapshot(report, ("progress", "narrative")),
    )
    return report


@transaction.atomic
def contribute(report: ProgressReport, user, text: str) -> Contribution:
    permissions.require(user, Action.CONTRIBUTE_PROGRESS, report)
    _require_open(report)
    department = permissions.department_of(user)
    if department is None:
        raise DomainError(_("只有配合部门的填报员可以补充本部门的配合工作情况"))
    if not text.strip():
        raise DomainError(_("请填写配合工作情况"))
    existing = Contribution.objects.filter(report=report, department=department).first()
    before = {"text": existing.text} if existing else None
    contribution, _created = Contribution.objects.update_or_create(
        report=report, department=department, defaults={"text": text.strip()[:5000], "updated_by": user}
    )
    audit.record(
        user,
        audit.Action.UPDATE if existing else audit.Action.CREATE,
        contribution,
        before=before,
        after={"text": contribution.text},
    )
    return contribution


def detect_kind(data: bytes) -> str | None:
    """The file's type from its content: PDF, PNG, JPEG, or a Word/Excel (OOXML) document."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


@transaction.atomic
def attach_evidence(report: ProgressReport, user, name: str, data: bytes) -> Evidence:
    if not (
        permissions.can(user, Action.EDIT_PROGRESS, report)
        or permissions.can(user, Action.CONTRIBUTE_PROGRESS, report)
    ):
        permissions.require(user, Action.EDIT_PROGRESS, report)
    REVIEW.require_editable(report)  # what was sent for review, or approved, keeps the evidence it had
    if (too_large := limits.refusal(limits.EVIDENCE, len(data))) is not None:
        raise DomainError(too_large)
    if not data:
        raise DomainError(_("文件为空"))
    kind = detect_kind(data)
    if kind is None:
        raise DomainError(
            _("只接受 PDF、PNG、JPEG 图片和 Word、Excel（.docx/.xlsx）文件；文件内容与这些类型均不符")
        )
    digest = hashlib.sha256(data).hexdigest()
    files.keep(files.EVIDENCE, digest, data, replace=False)  # named by content: the same file is kept once
    safe_name = Path(name).name[:200] or f"附件.{kind}"
    evidence = Evidence.objects.create(
        report=report, original_name=safe_name, kind=kind, size=len(data), sha256=digest, uploaded_by=user
    )
    audit.record(
        user, audit.Action.CREATE, evidence, after={"name": safe_name, "kind": kind, "size": len(data)}
    )
    return evidence


def can_view_evidence(user, evidence: Evidence) -> bool:
    """The coordinator, leaders, and the departments that lead or support the task."""
    return permissions.can(user, Action.VIEW_EVIDENCE, evidence)


def read_evidence(user, evidence: Evidence) -> bytes:
    """The stored file, for those allowed to see it (the page and the API download through here)."""
    if not can_view_evidence(user, evidence):
        raise PermissionDenied(permissions.MESSAGES[Action.VIEW_EVIDENCE])
    data = files.read(files.EVIDENCE, evidence.sha256)
    if data is None:  # e.g. the database restored without its files: a 404 that says so, never a 500
        raise Http404(
            format_lazy(
                gettext_lazy("佐证材料“{name}”的文件不在存储中（可能未随数据库一并恢复），请联系管理员"),
                name=evidence.original_name,
            )
        )
    return data


def _ready(report: ProgressReport) -> None:
    if not report.narrative.strip():
        raise DomainError(_("报送前请填写进展情况"))


REVIEW = review.Lifecycle(
    ProgressReport,
    may_submit=lambda user, report: permissions.require(user, Action.EDIT_PROGRESS, report),
    may_review=lambda user, report: permissions.require(user, Action.REVIEW),
    period_open=_require_open,
    ready=_ready,
)


submit_report, approve_report, return_report = REVIEW.moves()


# ------------------------------------------------------------------ completeness and reminders

STATE_SHORT = {  # one character a cell on the completeness board
    "not_started": pgettext_lazy("board cell", "未"),
    "draft": pgettext_lazy("board cell", "草"),
    "submitted": pgettext_lazy("board cell", "报"),
    "approved": pgettext_lazy("board cell", "审"),
    "returned": pgettext_lazy("board cell", "退"),
    "overdue": pgettext_lazy("board cell", "逾"),
}
STATE_LABELS = {
    "not_started": gettext_lazy("未填写"),
    "draft": gettext_lazy("草稿"),
    "submitted": gettext_lazy("已报送"),
    "approved": gettext_lazy("已审核"),
    "returned": gettext_lazy("已退回"),
    "overdue": gettext_lazy("逾期"),
}


def board_state(report: ProgressReport, today: dt.date) -> str:
    if report.status in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED):
        return report.status
    if today > report.period.due_date:
        return "overdue"
    if report.status == ReviewStatus.RETURNED:
        return "returned"
    return "draft" if report.edited else "not_started"


@dataclass
class Board:
    departments: list[Department]
    tasks: list
    cells: dict  # (department id, task id) → (state, report)
    counts: dict


def completeness(rp: ReportingPeriod, today: dt.date | None = None) -> Board:
    today = today or clock.today()
    reports = list(_reports(rp))
    departments = sorted({r.department for r in reports}, key=lambda d: d.name)
    tasks = sorted({r.task for r in reports}, key=lambda t: t.order)
    cells, counts = {}, dict.fromkeys(STATE_LABELS, 0)
    for r in reports:
        state = board_state(r, today)
        cells[(r.department_id, r.task_id)] = (state, r)
        counts[state] += 1
    return Board(departments, tasks, cells, counts)


def remind(rp: ReportingPeriod, user, today: dt.date | None = None) -> list[Reminder]:
    """The coordinator's 发送提醒 button: the same reminders the daily job sends."""
    permissions.require(user, Action.MANAGE_PERIODS)
    return send_reminders(rp, today)


def _deadline_note(task, rp: ReportingPeriod) -> Message | str:
    """The task's own deadline (完成时限 from the plan) when it has passed or falls in the next year."""
    if task.due_date is None:
        return ""
    if task.due_date < rp.due_date:
        return Message(gettext_noop("［完成时限 %(date)s 已过］"), date=f"{task.due_date:%Y-%m-%d}")
    if (task.due_date - rp.due_date).days <= 366:
        return Message(gettext_noop("［完成时限 %(date)s］"), date=f"{task.due_date:%Y-%m-%d}")
    return ""


@keeps_platform_language  # a reminder is stored and mailed
def send_reminders(rp: ReportingPeriod, today: dt.date | None = None) -> list[Reminder]:
    """Before the due date (within 3 days) and after it, once per department, for reports not yet submitted."""
    today = today or clock.today()
    if not rp.is_open:
        return []
    if today > rp.due_date:
        kind = "after"
    elif (rp.due_date - today).days <= REMIND_DAYS_BEFORE:
        kind = "before"
    else:
        return []
    pending: dict[int, list[ProgressReport]] = {}
    for r in rp.reports.select_related("department", "task", "task__action"):
        if r.status not in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED):
            pending.setdefault(r.department_id, []).append(r)
    made = []
    for reports in pending.values():
        department = reports[0].department
        if Reminder.objects.filter(period=rp, department=department, kind=kind).exists():
            continue
        labels = Message.join(
            [
                Message("%(task)s%(note)s", task=r.task.label, note=_deadline_note(r.task, rp))
                for r in reports
            ],
            separator="、",
        )
        period = Message(gettext_noop("%(year)s年第%(quarter)s季度"), year=rp.year, quarter=rp.quarter)
        due = f"{rp.due_date:%Y-%m-%d}"
        message = Message(
            gettext_noop(
                "%(department)s：%(period)s进展报告已逾期（截止 %(due)s），尚未报送 %(count)s 项（%(tasks)s）"
            )
            if kind == "after"
            else gettext_noop(
                "%(department)s：%(period)s进展报告将于 %(due)s 截止，尚未报送 %(count)s 项（%(tasks)s）"
            ),
            department=department.name,
            period=period,
            due=due,
            count=len(reports),
            tasks=labels,
        )
        reminder = Reminder.objects.create(period=rp, department=department, kind=kind, message=message)
        if department.email and mail_configured():
            subject = Message(gettext_noop("【碳达峰进展报送】%(period)s"), period=period)
            if send_said(subject, message, [department.email], languages_of(department)):
                Reminder.objects.filter(pk=reminder.pk).update(emailed=True)
        made.append(reminder)
    return made
