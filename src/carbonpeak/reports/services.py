"""Quarterly report jobs (the one writer of QuarterlyReport): request, build in the background, files.

A request is audited and enqueued as a background job (the ``report_requested`` event); the worker
builds the .docx and .xlsx from ``collection.collect`` and keeps them with the data version they came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, events, quotas
from carbonpeak.plans.models import Plan
from carbonpeak.projection import model
from carbonpeak.reports import writers
from carbonpeak.reports.collection import ReportError, collect, parse_quarter
from carbonpeak.reports.models import QuarterlyReport

PROGRESS_STEPS = 6


def reports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _step(job: QuarterlyReport, step: int, message: str) -> None:
    job.progress = int(step * 100 / PROGRESS_STEPS)
    job.message = message
    job.save(update_fields=["progress", "message"])


def build(job: QuarterlyReport) -> QuarterlyReport:
    """Make the files for a queued report (in the background worker, or at once for the CLI)."""
    started = time.perf_counter()
    try:
        job.status = QuarterlyReport.State.RUNNING
        job.save(update_fields=["status"])
        _step(job, 1, "正在汇总核算、评估、进展与预测数据")
        report, ids = collect(job.plan, job.period)
        _step(job, 3, "正在生成 Word 报告与图表")
        docx = writers.write_docx(report)
        _step(job, 5, "正在生成 Excel 数据表")
        xlsx = writers.write_xlsx(report)
        folder = reports_dir() / str(job.pk)
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{report.region}碳达峰季度报告-{job.period}" + ("-示例数据" if report.sample else "")
        (folder / f"{stem}.docx").write_bytes(docx)
        (folder / f"{stem}.xlsx").write_bytes(xlsx)
        job.docx_name, job.xlsx_name = f"{stem}.docx", f"{stem}.xlsx"
        job.docx_sha256 = hashlib.sha256(docx).hexdigest()
        job.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
        job.accounting_run_id = ids["accounting_run"]
        job.projection_run_id = ids["projection_run"]
        job.data_version = report.data_version
        job.is_sample = report.sample
        job.status = QuarterlyReport.State.DONE
        job.progress, job.message = 100, "已完成"
    except (ReportError, model.ProjectionError) as exc:
        job.status, job.message = QuarterlyReport.State.FAILED, str(exc)
    except Exception as exc:  # a crash must end as a failed job with its reason, never a job stuck running
        job.status, job.message = QuarterlyReport.State.FAILED, f"生成失败：{type(exc).__name__}: {exc}"
    job.elapsed_ms = int((time.perf_counter() - started) * 1000)
    job.finished_at = timezone.now()
    job.save()
    return job


def request_report(plan: Plan, period_key: str, user, *, background: bool = True) -> QuarterlyReport:
    """Queue a report (coordinator only) for the background worker, or build it now with ``background=False``
    (the CLI)."""
    permissions.require(user, Action.MANAGE_REPORTS)
    period = parse_quarter(period_key)
    quotas.take(user, "report")
    with transaction.atomic():
        job = QuarterlyReport.objects.create(plan=plan, period=period.key, created_by=user)
        audit.record(user, audit.Action.CREATE, job, after={"period": period.key})
        if background:
            events.emit("report_requested", report_id=job.pk)
    if not background:
        return build(job)
    job.refresh_from_db()
    return job


def build_by_id(job_id: int) -> str:
    """The background job's entry: build a queued report once (a job already finished is left alone)."""
    job = QuarterlyReport.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.status in (QuarterlyReport.State.DONE, QuarterlyReport.State.FAILED):
        return job.status
    return build(job).status


def fail_interrupted(job_ids: list[int], message: str) -> int:
    """Reports whose worker stopped while building them end as failed, with the reason and what to do."""
    return QuarterlyReport.objects.filter(
        pk__in=job_ids, status__in=(QuarterlyReport.State.QUEUED, QuarterlyReport.State.RUNNING)
    ).update(status=QuarterlyReport.State.FAILED, message=message, finished_at=timezone.now())


STALE_AFTER = dt.timedelta(minutes=15)


def expire_stale(now: dt.datetime | None = None) -> int:
    """Jobs left queued or running by a process that stopped (a restart, a crash) end as failed, said so."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return QuarterlyReport.objects.filter(
        status__in=(QuarterlyReport.State.QUEUED, QuarterlyReport.State.RUNNING), created_at__lt=cutoff
    ).update(
        status=QuarterlyReport.State.FAILED,
        message="生成中断（服务曾重启或出错），请重新生成",
        finished_at=now or timezone.now(),
    )


def file_path(job: QuarterlyReport, kind: str) -> Path:
    name = job.docx_name if kind == "docx" else job.xlsx_name
    if job.status != QuarterlyReport.State.DONE or not name:
        raise ReportError("报告尚未生成完成")
    return reports_dir() / str(job.pk) / name
