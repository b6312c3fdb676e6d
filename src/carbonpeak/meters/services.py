"""Every write of the online-monitoring data: a file of readings taken into the store, a batch withdrawn,
and what follows each — the monthly totals and the data-quality verdicts of the months it touched
recomputed, a warning raised where a rule newly fails. Pages, API and CLI call these, so they cannot differ."""

from __future__ import annotations

import fcntl
import hashlib
import re
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, files, limits, quotas, uploads, versions
from carbonpeak.core.errors import DomainError

from . import aggregation, quality, readings
from .models import MonthlyTotal, QualityCheck, ReadingBatch, TotalsImport

# a web upload is bounded; a province's files (gigabytes) go through the CLI, which DuckDB reads streaming
KINDS = {".csv": "csv", ".parquet": "parquet"}
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def store_dir() -> Path:
    """Where the readings live: Parquet partitioned by month and region (``core.files.meter_store``)."""
    return files.meter_store()


def _kind(file_name: str) -> str:
    kind = KINDS.get(Path(file_name).suffix.lower())
    if kind is None:
        raise DomainError(
            _("不支持的文件类型“%(suffix)s”：请上传 .csv（UTF-8）或 .parquet 文件")
            % {"suffix": Path(file_name).suffix}
        )
    return kind


def _web_bounds() -> readings.Bounds:
    """What a page's or the API's file may cost: its rows and seconds (``core.limits``, 本平台规则)."""
    limit = limits.LIMITS[limits.METER_READINGS]
    return readings.Bounds(limit.max_rows, limit.max_seconds, limit.larger, uploads.process_temp())


def _may_ingest(user) -> None:
    permissions.require(user, Action.INGEST_METERS)


def ingest_bytes(user, file_name: str, data: bytes, *, sample: bool = False) -> ReadingBatch:
    """A file given whole, read now (bounded in size, rows and seconds, counted in the user's upload quota);
    pages and the API hand theirs to the background worker instead (``core.uploads``)."""
    _may_ingest(user)
    quotas.take(user, "upload")
    if (too_large := limits.refusal(limits.METER_READINGS, len(data))) is not None:
        raise DomainError(too_large)
    kind = _kind(file_name)
    with uploads.work_dir("meters-") as work:
        path = work / f"upload.{kind}"
        path.write_bytes(data)
        sha256 = hashlib.sha256(data).hexdigest()
        return _ingest(user, file_name, path, kind, sha256, sample, bounds=_web_bounds())


@uploads.handler(
    "meters", title="在线监测数据", limit=limits.METER_READINGS, may=_may_ingest, back="meters:overview"
)
def ingest_upload(user, path: Path, file_name: str, progress: uploads.Progress) -> tuple[str, str]:
    """The background job's import of a page's or the API's file: what it imported, and where to see it."""
    _may_ingest(user)
    kind = _kind(file_name)
    progress(5, "计算文件摘要")
    batch = _ingest(
        user, file_name, path, kind, _sha256(path), False, bounds=_web_bounds(), progress=progress
    )
    summary = (
        f"已导入 {batch.rows:,} 条读数（{len(batch.months)} 个月，{batch.enterprises} 家企业），"
        "数据质量已按月重算"
    )
    return summary, reverse("meters:overview")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest_path(user, path: Path, *, sample: bool = False) -> ReadingBatch:
    """A file on the server's disk (the CLI: no size bound, DuckDB reads it without loading it whole)."""
    _may_ingest(user)
    return _ingest(user, path.name, path, _kind(path.name), _sha256(path), sample)


@contextmanager
def _store_lock():
    """One import or withdrawal at a time (across server processes): the check that no reading is stored
    twice and the writing must see the same store."""
    store = store_dir()
    store.mkdir(parents=True, exist_ok=True)
    with open(store.parent / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _ingest(
    user,
    file_name: str,
    path: Path,
    kind: str,
    sha256: str,
    sample: bool,
    *,
    bounds: readings.Bounds | None = None,
    progress: uploads.Progress | None = None,
) -> ReadingBatch:
    with _store_lock():
        return _ingest_locked(user, file_name, path, kind, sha256, sample, bounds, progress)


def _ingest_locked(
    user,
    file_name: str,
    path: Path,
    kind: str,
    sha256: str,
    sample: bool,
    bounds: readings.Bounds | None,
    progress: uploads.Progress | None,
) -> ReadingBatch:
    earlier = ReadingBatch.objects.filter(sha256=sha256, withdrawn_at__isnull=True).first()
    if earlier is not None:
        raise DomainError(
            _("该文件已于 %(at)s 导入（批次 %(batch)s），未重复导入")
            % {"at": f"{earlier.uploaded_at:%Y-%m-%d %H:%M}", "batch": earlier.batch}
        )
    batch_id = uuid.uuid4().hex
    try:
        written = readings.ingest(path, kind, store_dir(), batch_id, bounds=bounds, progress=progress)
    except readings.ReadingsError as exc:
        more = (
            [f"共 {exc.total} 处问题，仅列前 {len(exc.problems)} 处；整个文件未导入"]
            if exc.total > len(exc.problems)
            else []
        )
        raise DomainError([*exc.problems, *more]) from exc
    try:
        with transaction.atomic():
            batch = ReadingBatch.objects.create(
                batch=batch_id,
                file_name=file_name[:200],
                sha256=sha256,
                rows=written.rows,
                months=written.months,
                regions=written.regions,
                enterprises=len(written.credit_codes),
                first_ts=written.first_ts,
                last_ts=written.last_ts,
                sample=sample,
                uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            )
            audit.record(user, "导入在线监测数据", batch, comment=f"{written.rows} 条读数")
            if progress is not None:
                progress(90, "重算月度用量与数据质量")
            refresh(written.months)
    except BaseException:
        readings.withdraw(store_dir(), batch_id)  # the files go with the record: nothing half-written
        raise
    return batch


@transaction.atomic
def withdraw(user, batch: ReadingBatch) -> ReadingBatch:
    """A batch's readings taken out of the store (to correct them: withdraw, then import the corrected
    file); the months it touched are recomputed."""
    permissions.require(user, Action.INGEST_METERS)
    if batch.withdrawn_at is not None:
        raise DomainError(_("该批次已撤回"))
    with _store_lock():
        months = readings.withdraw(store_dir(), batch.batch)
    batch.withdrawn_at = timezone.now()
    batch.withdrawn_by = user
    batch.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit.record(user, "撤回在线监测数据", batch)
    refresh(sorted(set(months) | set(batch.months)))
    return batch


@transaction.atomic
def load_totals(user, folder: Path) -> TotalsImport:
    """Monthly totals a Spark cluster computed (``spark_job.py --out``) taken into the platform: they replace
    the totals of the months they carry, as a local recomputation would (the latest computation of a month
    wins, and the audit log says which). The quality verdicts stay the local store's."""
    permissions.require(user, Action.INGEST_METERS)
    try:
        totals = aggregation.read_totals(folder)
    except ValueError as exc:
        raise DomainError(str(exc)) from exc
    problems = [
        f"第{i}行：月份“{t.month}”、用量 {t.total} 或统一社会信用代码“{t.credit_code}”不合规"
        for i, t in enumerate(totals, start=1)
        if not (_MONTH.fullmatch(t.month) and t.total >= 0 and len(t.credit_code) == 18)
    ]
    if problems or not totals:
        raise DomainError(problems[:50] or ["结果为空：没有月度用量"])
    months = sorted({t.month for t in totals})
    record = TotalsImport.objects.create(
        source=str(folder)[:300], rows=len(totals), months=months, loaded_by=user
    )
    _replace_totals(months, totals, "spark", _enterprises({t.credit_code for t in totals}))
    audit.record(user, "导入集群汇总结果", record, comment=f"{len(totals)} 行，{months[0]} 至 {months[-1]}")
    versions.bump()
    return record


def _replace_totals(
    months: list[str], totals: list[aggregation.MonthlyTotal], engine: str, register: dict[str, int]
) -> None:
    MonthlyTotal.objects.filter(month__in=months).delete()
    MonthlyTotal.objects.bulk_create(
        MonthlyTotal(
            credit_code=t.credit_code,
            enterprise_id=register.get(t.credit_code),
            region=t.region,
            month=t.month,
            energy_type=t.energy_type,
            unit=t.unit,
            total=t.total,
            readings=t.readings,
            meters=t.meters,
            engine=engine,
        )
        for t in totals
    )


def _enterprises(codes: set[str]) -> dict[str, int]:
    from carbonpeak.enterprises.models import Enterprise

    return dict(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", "pk"))


def refresh(months: list[str]) -> None:
    """The monthly totals and quality verdicts recomputed from the store for these months and every month
    after them up to the latest judged, and one more: a reading arriving or withdrawn moves the gaps and the
    store's latest reading, which the later months' verdicts depend on."""
    latest = QualityCheck.objects.aggregate(latest=Max("month"))["latest"]
    affected = _month_range(min(months), max([*months, *([latest] if latest else [])]))
    store = store_dir()
    totals = aggregation.monthly_totals(store, affected)
    stats, gaps, as_of = quality.gather(store, affected)
    checks = quality.evaluate(stats, gaps, as_of, affected)
    codes = {t.credit_code for t in totals} | {c.credit_code for c in checks}
    register = _enterprises(codes)

    _replace_totals(affected, totals, "duckdb", register)
    failing_before = set(
        QualityCheck.objects.filter(month__in=affected, status=QualityCheck.Status.FAIL).values_list(
            "credit_code", "month", "rule"
        )
    )
    QualityCheck.objects.filter(month__in=affected).delete()
    QualityCheck.objects.bulk_create(
        QualityCheck(
            credit_code=c.credit_code,
            enterprise_id=register.get(c.credit_code),
            region=c.region,
            month=c.month,
            rule=c.rule,
            status=c.status,
            figure=c.figure,
            detail=c.detail,
        )
        for c in checks
    )
    for c in checks:
        if c.status == quality.FAIL and (c.credit_code, c.month, c.rule) not in failing_before:
            _warn(c, register.get(c.credit_code))
    versions.bump()


def _warn(check: quality.Check, enterprise_id: int | None) -> None:
    from carbonpeak.enterprises.models import Enterprise
    from carbonpeak.monitoring import services as monitoring
    from carbonpeak.monitoring.models import EarlyWarning

    name = (
        Enterprise.objects.filter(pk=enterprise_id).values_list("name", flat=True).first()
        if enterprise_id
        else None
    ) or check.credit_code
    rule = quality.RULE_LABEL[check.rule]
    monitoring.raise_subject_warning(
        f"{name} {check.month} {rule}",
        reverse("meters:enterprise", args=[check.credit_code]) + f"?month={check.month}",
        f"{name}（{check.credit_code}）{check.month} 在线监测数据“{rule}”不合格：{check.detail}",
        grade="不合格",
        previous_grade="",
        kind=EarlyWarning.Kind.METER,
    )


def _month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to the month after ``last``."""
    out = [first]
    while out[-1] <= last:
        out.append(quality.month_bounds(out[-1])[1].strftime("%Y-%m"))
    return out
