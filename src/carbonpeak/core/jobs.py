"""Background jobs' state for pages, the workers' heartbeats, and what becomes of jobs whose worker stopped.

Each job is one domain event's chain (``core.events.handle_event``), stored by django-tasks-db and run by a
worker (``carbonpeak worker``); any number of workers on any number of machines take jobs from the database,
each job by exactly one (django-tasks-db claims it under a row lock, ``skip_locked``). Every worker beats
(``WorkerHeartbeat``) every ``BEAT_SECONDS``; a job still 运行中 whose worker has not beaten for
``STOPPED_AFTER`` was left by a worker that stopped (killed, its machine gone) and is recovered by whichever
live worker notices first: a chain that can simply run again is queued again; one whose handlers say otherwise
(a quarterly report, marked failed with a message that says to generate it again) is not.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carbonpeak.core import events

log = logging.getLogger(__name__)

STATE_LABELS = {"READY": _("排队中"), "RUNNING": _("运行中"), "SUCCESSFUL": _("已完成"), "FAILED": _("失败")}
INTERRUPTED = "后台任务进程曾停止，任务中断"
EVENT_JOB = "handle_event"


class WorkerStopped(RuntimeError):
    """Recorded on a job that was running when its worker stopped."""


@dataclass(frozen=True)
class JobState:
    event: str
    status: str
    label: str
    enqueued_at: object
    finished_at: object

    @property
    def title(self) -> str:
        return events.job_title(self.event)


def database_backend() -> bool:
    """Jobs are stored and run by the worker (not at once, as in the test suite)."""
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db.")


def _event_of(result) -> str:
    args = (result.args_kwargs or {}).get("args") or [""]
    return str(args[0])


def recent(limit: int = 20) -> list[JobState]:
    """The latest jobs with their state (empty when jobs run at once, as in the test suite)."""
    if not database_backend():
        return []
    from django_tasks_db.models import DBTaskResult

    return [
        JobState(
            _event_of(r), r.status, str(STATE_LABELS.get(r.status, r.status)), r.enqueued_at, r.finished_at
        )
        for r in DBTaskResult.objects.order_by("-enqueued_at")[:limit]
    ]


def pending() -> int:
    """Jobs queued or running: pages say that the figures are being updated."""
    if not database_backend():
        return 0
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).count()


def queued(*event_names: str) -> bool:
    """Is the job of one of these events waiting or running? (a schedule does not queue a second one)"""
    if not database_backend():
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status__in=("READY", "RUNNING"), task_path__endswith=EVENT_JOB)
    return any(_event_of(r) in event_names for r in waiting.only("args_kwargs"))


BEAT_SECONDS = 5
#: a worker silent this long has stopped (本平台规则: many beats, so that a busy database does not kill a live
#: worker's job)
STOPPED_AFTER = dt.timedelta(seconds=int(os.environ.get("CARBONPEAK_WORKER_STOPPED_SECONDS", "60")))


FORGOTTEN_AFTER = dt.timedelta(days=1)


def new_worker_id() -> str:
    """A worker's name among all workers of the site: its machine, its process and a random part."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def beat(worker_id: str) -> None:
    """This worker is alive (at start, then every ``BEAT_SECONDS``)."""
    from carbonpeak.core.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "beat_at": now}
    )
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGOTTEN_AFTER).delete()  # workers long gone


def stopped(worker_id: str) -> None:
    """A worker that ends cleanly says so: its jobs are finished and nobody waits for its beat."""
    from carbonpeak.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def live_workers(now: dt.datetime | None = None) -> set[str]:
    from carbonpeak.core.models import WorkerHeartbeat

    since = (now or timezone.now()) - STOPPED_AFTER
    return set(WorkerHeartbeat.objects.filter(beat_at__gte=since).values_list("worker_id", flat=True))


def recover_interrupted(now: dt.datetime | None = None) -> tuple[int, int]:
    """Jobs still 运行中 whose worker no longer beats: each is taken over by exactly one live worker (a
    conditional update: of two workers noticing at once, one wins). Returns (retried, failed)."""
    from django_tasks_db.models import DBTaskResult

    alive = live_workers(now)
    retried = failed = 0
    for result in DBTaskResult.objects.filter(status="RUNNING"):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue  # its worker is still running it
        taken = DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(
            status="FAILED", finished_at=timezone.now()
        )
        if not taken:
            continue  # another worker recovered it first
        result.set_failed(WorkerStopped(INTERRUPTED))
        args = result.args_kwargs["args"]
        if not result.task_path.endswith(EVENT_JOB) or len(args) != 2:
            failed += 1  # a job of an earlier version of the platform: its figures follow the next event
            continue
        event, payload = args
        if events.interrupted(event, payload):
            failed += 1
        else:  # the chains recompute from the current data: running them again is safe
            events.handle_event.enqueue(event, payload)
            retried += 1
    return retried, failed


def start_heartbeat(worker_id: str, *, also: Callable[[], None] | None = None) -> threading.Event:
    """This worker's beat now and every ``BEAT_SECONDS`` from a thread of its own, with ``also`` after each
    beat (the long-running worker looks for jobs a stopped worker left); set the event returned to stop it.
    A worker that runs a batch beats too, so that no other worker takes its running jobs for abandoned."""
    from django.db import connection

    beat(worker_id)
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(BEAT_SECONDS):
            try:
                beat(worker_id)
                if also is not None:
                    also()
            except Exception as exc:  # a database hiccup must not stop the beat for good
                log.warning("worker %s: heartbeat not written (%s), retrying", worker_id, exc)
            finally:
                connection.close()

    threading.Thread(target=loop, name="worker-heartbeat", daemon=True).start()
    return stop


def run_pending() -> None:
    """Run the queued jobs now and return (the demo's set-up, before it serves), beating while they run."""
    if database_backend():
        from django.core.management import call_command

        worker_id = new_worker_id()
        beating = start_heartbeat(worker_id)
        try:
            call_command("db_worker", batch=True, startup_delay=False, worker_id=worker_id, verbosity=0)
        finally:
            beating.set()
            stopped(worker_id)
