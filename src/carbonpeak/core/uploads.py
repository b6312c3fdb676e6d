"""Heavy uploads as background jobs: a page or the API hands the file over and answers at once; the worker
reads it, reporting its progress; the page then shows what was imported, or why nothing was.

Each kind of file registers its handler (:func:`handler`) with the check made before anything is kept (who
may send it) and the work itself. What a file costs the server is bounded four ways: its bytes
(``core.limits``), its rows and the seconds its reading may take (counted by the handler, 本平台规则), and the
free disk space asked before it is kept. Files wait in the site's file store (``core.files``, shared by every
server, so any worker may take the job) and the readers' temporary files live under ``DATA_DIR/tmp``, in a
folder of each process: both are removed when a job ends or fails, and swept when a worker starts (a worker
stopped in the middle leaves them behind); a job whose worker stopped beating is marked interrupted.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from carbonpeak.core import files, limits, numbers, quotas
from carbonpeak.core.errors import DomainError
from carbonpeak.core.models import UploadJob

log = logging.getLogger(__name__)

#: free disk space kept beyond what an import may write: below it a file is refused before it is kept
#: (本平台规则: a reader may spill several times the file's size while it checks it)
SPARE_BYTES = 512 * limits.MB
SPILL_FACTOR = 20
INTERRUPTED = "后台任务进程曾停止，导入中断，文件未导入：请重新上传"
FAILED = "处理文件时出错，文件未导入；请稍后重试，仍失败请联系管理员"

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Handler:
    kind: str
    title: str  # what the file is, as the page says it: 在线监测数据
    limit: str  # its ``core.limits`` key
    may: Callable[[object], None]  # raises PermissionDenied before the file is kept
    process: Callable[..., tuple[str, str]]  # (user, path, file name, progress, **options) → (summary, link)
    back: str  # the page the file was sent from (a URL name)


HANDLERS: dict[str, Handler] = {}


def handler(kind: str, *, title: str, limit: str, may: Callable[[object], None], back: str) -> Callable:
    """Register ``process(user, path, file_name, progress, **options) -> (summary, url)`` for a kind of
    file; it raises ``DomainError`` or ``ValidationError`` to refuse the file with its reasons."""

    def register(process: Callable) -> Callable:
        HANDLERS[kind] = Handler(kind, title, limit, may, process, back)
        return process

    return register


#: a kept file no job names is removed by the sweep only when older than this (a server may have written
#: it a moment before its job's record is committed)
ORPHAN_AFTER = dt.timedelta(hours=1)


#: how long a finished import's outcome is kept for its uploader to read (本平台规则: what an import wrote is in
#: the audit log for good; the job's page only tells the uploader how it went)
KEEP_FINISHED = dt.timedelta(days=90)


def temp_root() -> Path:
    return Path(settings.DATA_DIR) / "tmp"


def process_temp() -> Path:
    """This process's folder under ``tmp``, named by its machine and process id, so a sweep removes only the
    folders of processes that have ended (several workers may share the data directory)."""
    return temp_root() / f"{socket.gethostname()[:40]}-{os.getpid()}"


@contextmanager
def work_dir(prefix: str = "work-") -> Iterator[Path]:
    """A temporary directory under ``DATA_DIR/tmp``, removed when the block ends, however it ends."""
    root = process_temp()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=prefix, dir=root) as path:
        yield Path(path)


def require_space(size: int) -> None:
    """Refuse an import the disk could not hold (the file, and what reading it may spill)."""
    root = Path(settings.DATA_DIR)
    root.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(root).free
    needed = SPARE_BYTES + SPILL_FACTOR * size
    if free < needed:
        raise DomainError(
            f"服务器磁盘剩余空间不足（剩余 {free / limits.MB:,.0f} MB，导入此文件需至少 {needed / limits.MB:,.0f} MB，"
            "本平台规则），文件未保存：请联系管理员清理磁盘后再上传"
        )


def accept(user, kind: str, file_name: str, data: bytes, **options: str) -> UploadJob:
    """Keep an uploaded file and queue its import (``options``, short text such as a form's note, are
    handed to the handler): who may send it, the upload quota, its size and the disk are checked first,
    and nothing is kept when one refuses."""
    spec = HANDLERS[kind]
    spec.may(user)
    quotas.take(user, "upload")
    if (too_large := limits.refusal(spec.limit, len(data))) is not None:
        raise DomainError(too_large)
    require_space(len(data))
    stored_as = uuid.uuid4().hex + Path(file_name).suffix.lower()[:10]
    files.keep(files.UPLOADS, stored_as, data)
    try:
        with transaction.atomic():
            job = UploadJob.objects.create(
                kind=kind,
                file_name=file_name[:200],
                size=len(data),
                stored_as=stored_as,
                options={k: str(v)[:500] for k, v in options.items()},
                uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                stage="等待后台处理",
            )
            process_upload.enqueue(job.pk)  # with the database queue: visible to the worker on commit
    except BaseException:
        files.delete(files.UPLOADS, stored_as)
        raise
    job.refresh_from_db()  # where jobs run at once (the test suite), it has run by now
    return job


def _update(job_id: int, **fields) -> None:
    UploadJob.objects.filter(pk=job_id).update(**fields)


@task()
def process_upload(job_id: int) -> None:
    """The worker's part: read the kept file with its handler, record the outcome, remove the file."""
    job = UploadJob.objects.select_related("uploaded_by").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    spec = HANDLERS.get(job.kind)
    _update(job_id, status=UploadJob.Status.RUNNING, progress=1, stage="开始读取文件")

    def progress(percent: int, stage: str) -> None:
        _update(job_id, progress=max(1, min(99, int(percent))), stage=stage[:100])

    outcome: dict = {}
    try:
        with work_dir("upload-") as folder:  # the readers (DuckDB among them) read a file on this machine
            path = folder / ("upload" + Path(job.stored_as).suffix)
            if spec is None or not files.copy_to(files.UPLOADS, job.stored_as, path):
                raise DomainError(INTERRUPTED)
            summary, url = spec.process(job.uploaded_by, path, job.file_name, progress, **job.options)
        outcome = {"status": UploadJob.Status.DONE, "messages": [summary], "result_url": url}
    except (DomainError, ValidationError, PermissionDenied) as exc:
        reasons = exc.messages if hasattr(exc, "messages") else [str(exc) or "无权导入该文件"]
        outcome = {"status": UploadJob.Status.REFUSED, "messages": [str(m) for m in reasons][:100]}
    except Exception:
        log.exception("upload job %s failed", job_id)
        outcome = {"status": UploadJob.Status.FAILED, "messages": [FAILED]}
    finally:
        files.delete(files.UPLOADS, job.stored_as)
        _update(
            job_id,
            progress=100,
            stage="",
            stored_as="",
            finished_at=timezone.now(),
            **(outcome or {"status": UploadJob.Status.FAILED, "messages": [FAILED]}),
        )


def _held_by_live_workers() -> set[int]:
    """The imports a live worker is running now (with the database queue; elsewhere jobs run in the process
    that asked, and none is running while a worker starts)."""
    from carbonpeak.core import jobs

    if not jobs.database_backend():
        return set()
    from django_tasks_db.models import DBTaskResult

    alive = jobs.live_workers()
    held = set()
    for result in DBTaskResult.objects.filter(status="RUNNING", task_path__endswith=".process_upload"):
        args = result.args_kwargs.get("args") or []
        if result.worker_ids and result.worker_ids[-1] in alive and args:
            held.add(args[0])
    return held


def mark_interrupted() -> int:
    """Imports left 处理中 by a worker that no longer beats are marked interrupted (their files must be sent
    again); those a live worker runs are left alone. Returns how many were marked."""
    stopped = UploadJob.objects.filter(status=UploadJob.Status.RUNNING).exclude(
        pk__in=_held_by_live_workers()
    )
    return stopped.update(
        status=UploadJob.Status.FAILED, messages=[INTERRUPTED], stage="", finished_at=timezone.now()
    )


def _process_alive(folder: str) -> bool:
    """Is the process a ``tmp`` folder belongs to still running on this machine? (Folders of other machines
    sharing the directory are theirs to sweep.)"""
    host, _, digits = folder.rpartition("-")
    pid = numbers.as_int(digits, low=1, high=2**31 - 1)
    if not host or pid is None:
        return False  # not a process's folder (an earlier version's files): removed
    if host != socket.gethostname()[:40]:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prune_finished() -> int:
    """Imports finished more than ``KEEP_FINISHED`` ago are removed (their files went when they ended)."""
    deleted, _ = UploadJob.objects.filter(finished_at__lt=timezone.now() - KEEP_FINISHED).delete()
    return deleted


def sweep() -> tuple[int, int, int]:
    """At worker start: the temporary folders of ended processes are removed, imports whose worker stopped are
    marked interrupted, every kept file no job waits for (and older than an hour) is removed, and the records
    of imports finished long ago are pruned. Returns (files and folders removed, imports marked interrupted,
    records pruned)."""
    removed = 0
    root = temp_root()
    if root.exists():
        for entry in root.iterdir():
            if entry.is_dir() and _process_alive(entry.name):
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
    interrupted = mark_interrupted()
    wanted = set(
        UploadJob.objects.filter(status__in=[UploadJob.Status.QUEUED, UploadJob.Status.RUNNING]).values_list(
            "stored_as", flat=True
        )
    )
    old = timezone.now() - ORPHAN_AFTER
    for name in files.names(files.UPLOADS):
        if name in wanted or files.modified(files.UPLOADS, name) > old:
            continue
        files.delete(files.UPLOADS, name)
        removed += 1
    return removed, interrupted, prune_finished()
