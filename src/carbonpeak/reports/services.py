"""Quarterly report jobs (the one writer of QuarterlyReport): request, build in the background, files.

A request is audited and enqueued as a background job (the ``report_requested`` event); the worker
builds the .docx and .xlsx from ``collection.collect`` and keeps them with the data version they came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, clock, events, files, quotas, uploads
from carbonpeak.plans.models import Plan
from carbonpeak.projection import model
from carbonpeak.reports import pdf, writers
from carbonpeak.reports.collection import ReportError, collect, parse_quarter
from carbonpeak.reports.content import public_edition
from carbonpeak.reports.models import QuarterlyReport

PROGRESS_STEPS = 7


def _step(job: QuarterlyReport, step: int, message: str) -> None:
    job.progress = int(step * 100 / PROGRESS_STEPS)
    job.message = message
    job.save(update_fields=["progress", "message"])


def build(job: QuarterlyReport) -> QuarterlyReport:
    """Make the files for a queued report (in the background worker, or at once for the CLI), in the
    report's language: the same figures, worded in the language asked for."""
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _build(job)


def _build(job: QuarterlyReport) -> QuarterlyReport:
    started = time.perf_counter()
    try:
        job.status = QuarterlyReport.State.RUNNING
        job.save(update_fields=["status"])
        _step(job, 1, _("正在汇总核算、评估、进展与预测数据"))
        report, ids = collect(job.plan, job.period)
        report.draft = not job.final
        report.issuer = issuer(report.region)
        report.doc_number, report.recipients, report.copy_to = job.doc_number, job.recipients, job.copy_to
        today = clock.today()
        report.issued_on = formats.date_format(today, "DATE_FORMAT")
        if job.final_of is not None and report.data_version != job.final_of.data_version:
            changed = "、".join(
                k for k in report.data_version if report.data_version[k] != job.final_of.data_version.get(k)
            )
            raise ReportError(
                _(
                    "征求意见稿生成后数据已有变化（%(changed)s），定稿须与征求意见稿一致：请重新生成征求意见稿并核对后再定稿"
                )
                % {"changed": changed}
            )
        _step(job, 3, _("正在生成 Word 报告与图表"))
        docx = writers.write_docx(report)
        _step(job, 5, _("正在生成 Excel 数据表"))
        xlsx = writers.write_xlsx(report)
        stem = (
            _("%(region)s碳达峰季度报告-%(period)s") % {"region": report.region, "period": job.period}
            + ("" if job.final else "-" + _("征求意见稿"))
            + ("-" + _("示例数据") if report.sample else "")
        )
        job.docx_name, job.xlsx_name = f"{stem}.docx", f"{stem}.xlsx"
        job.docx_sha256 = hashlib.sha256(docx).hexdigest()
        job.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
        made = {job.docx_name: docx, job.xlsx_name: xlsx}
        if job.final:  # the 公开版 a release of the quarter may carry: no narratives, no enterprise's data
            job.public_docx_name = f"{stem}-{_('公开版')}.docx"
            made[job.public_docx_name] = writers.write_docx(public_edition(report))
        _step(job, 6, _("正在生成 PDF"))
        done_message = _("已完成")
        try:
            if not settings.CARBONPEAK_REPORT_PDF:
                raise pdf.PdfUnavailable(_("本服务器未开启 PDF 生成（Word 与 Excel 文件不受影响）"))
            with uploads.work_dir("report-") as folder:  # LibreOffice converts files on this machine's disk
                for name in [job.docx_name, job.public_docx_name]:
                    if name:
                        (folder / name).write_bytes(made[name])
                printed = pdf.docx_to_pdf(folder / job.docx_name)
                made[printed.name] = printed.read_bytes()
                job.pdf_name, job.pdf_sha256 = printed.name, hashlib.sha256(made[printed.name]).hexdigest()
                if job.public_docx_name:
                    public_pdf = pdf.docx_to_pdf(folder / job.public_docx_name)
                    made[public_pdf.name] = public_pdf.read_bytes()
                    job.public_pdf_name = public_pdf.name
        except pdf.PdfUnavailable as exc:
            done_message = _("已完成；%(reason)s") % {"reason": exc}
        for name, data in made.items():  # into the site's file store, which every server reads
            files.keep(files.REPORTS, f"{job.pk}/{name}", data)
        job.accounting_run_id = ids["accounting_run"]
        job.projection_run_id = ids["projection_run"]
        job.data_version = report.data_version
        job.is_sample = report.sample
        job.status = QuarterlyReport.State.DONE
        job.progress, job.message = 100, done_message
    except (ReportError, model.ProjectionError) as exc:
        job.status, job.message = QuarterlyReport.State.FAILED, str(exc)
    except Exception as exc:  # a crash must end as a failed job with its reason, never a job stuck running
        job.status, job.message = (
            QuarterlyReport.State.FAILED,
            _("生成失败：%(error)s") % {"error": f"{type(exc).__name__}: {exc}"},
        )
    job.elapsed_ms = int((time.perf_counter() - started) * 1000)
    job.finished_at = timezone.now()
    job.save()
    return job


#: 本平台规则: the form's default 主送, which the coordinator changes (offered in the reader's language)
DEFAULT_RECIPIENTS = translation.gettext_noop("市委、市政府")


def issuer(region: str) -> str:
    """The 发文机关 of the report: ``CARBONPEAK_REPORT_ISSUER``, else the region's 发展和改革委员会 (the plan's
    coordinating office, 市发改委)."""
    return settings.CARBONPEAK_REPORT_ISSUER or _("%(region)s发展和改革委员会") % {"region": region}


def _line(text: str, what: str, limit: int) -> str:
    """A 公文 field the coordinator typed: one line, bounded, refused with the reason when too long."""
    text = " ".join((text or "").replace("\x00", "").split())
    if len(text) > limit:
        raise ReportError(
            _("%(what)s不能超过 %(limit)s 字（现为 %(length)s 字）")
            % {"what": what, "limit": limit, "length": len(text)}
        )
    return text


def request_report(
    plan: Plan,
    period_key: str,
    user,
    *,
    background: bool = True,
    final_of: QuarterlyReport | None = None,
    recipients: str = DEFAULT_RECIPIENTS,
    copy_to: str = "",
    doc_number: str = "",
    language: str = "",
) -> QuarterlyReport:
    """Queue a report (coordinator only) for the background worker, or build it now with ``background=False``
    (the CLI). A report is a 征求意见稿 (draft); ``final_of`` makes the final version of a finished draft, from
    the same data (refused when the data changed since), with its 主送 and 抄送 and the 发文字号 given now.
    ``language`` is one of ``settings.LANGUAGES`` (the platform's own by default; a final keeps its draft's)."""
    permissions.require(user, Action.MANAGE_REPORTS)
    language = language or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise ReportError(_("不支持该报告语言：%(language)s") % {"language": language[:20]})
    period = parse_quarter(period_key if final_of is None else final_of.period)
    if final_of is not None:
        if final_of.status != QuarterlyReport.State.DONE or final_of.final:
            raise ReportError(_("只有已生成完成的征求意见稿可以定稿"))
        plan, recipients, copy_to = final_of.plan, final_of.recipients, final_of.copy_to
        language = final_of.language
    recipients = _line(recipients, _("主送机关"), 200)
    copy_to = _line(copy_to, _("抄送机关"), 300)
    doc_number = _line(doc_number, _("发文字号"), 40)
    quotas.take(user, "report")
    with transaction.atomic():
        job = QuarterlyReport.objects.create(
            plan=plan,
            period=period.key,
            created_by=user,
            final=final_of is not None,
            final_of=final_of,
            recipients=recipients,
            copy_to=copy_to,
            doc_number=doc_number,
            language=language,
        )
        audit.record(
            user,
            audit.Action.CREATE,
            job,
            after={"period": period.key, "定稿": final_of is not None, "language": language},
            comment=f"依据征求意见稿（{final_of.created_at:%Y-%m-%d %H:%M}生成）定稿" if final_of else "",
        )
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


def finalise(
    draft: QuarterlyReport, user, *, doc_number: str = "", background: bool = True
) -> QuarterlyReport:
    """The coordinator marks a 征求意见稿 final: the final version is built from the same data, without the
    draft mark, with its 发文字号 (refused when the data changed since the draft was made)."""
    return request_report(
        draft.plan, draft.period, user, background=background, final_of=draft, doc_number=doc_number
    )


def file_name(job: QuarterlyReport, kind: str) -> str:
    """The name of a report's file of one kind (docx, xlsx, pdf, public_docx, public_pdf)."""
    name = {
        "docx": job.docx_name,
        "xlsx": job.xlsx_name,
        "pdf": job.pdf_name,
        "public_docx": job.public_docx_name,
        "public_pdf": job.public_pdf_name,
    }.get(kind, "")
    if job.status != QuarterlyReport.State.DONE or not name:
        raise ReportError(_("报告尚未生成完成"))
    return name


def open_file(job: QuarterlyReport, kind: str):
    """The report's file opened from the site's file store (a download streams it); ``ReportError`` when it
    is not made or no longer kept."""
    handle = files.open_file(files.REPORTS, f"{job.pk}/{file_name(job, kind)}")
    if handle is None:
        raise ReportError(_("报告文件已不存在"))
    return handle


def read_file(job: QuarterlyReport, kind: str) -> bytes:
    with open_file(job, kind) as handle:
        return handle.read()
