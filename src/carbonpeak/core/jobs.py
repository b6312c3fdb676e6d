"""Background jobs' state for pages, and what becomes of jobs whose worker stopped.

Each job is one domain event's chain (``core.events.handle_event``), stored by django-tasks-db and run by the
worker (``carbonpeak worker``). A job left 运行中 when the worker stopped (a restart, a crash) is found when
the worker starts again: a chain that can simply run again is retried; one whose handlers say otherwise (a
quarterly report, which is marked failed with a message that says to generate it again) is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from carbonpeak.core import events

STATE_LABELS = {"READY": "排队中", "RUNNING": "运行中", "SUCCESSFUL": "已完成", "FAILED": "失败"}
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
        JobState(_event_of(r), r.status, STATE_LABELS.get(r.status, r.status), r.enqueued_at, r.finished_at)
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


def recover_interrupted() -> tuple[int, int]:
    """At worker start: every job still 运行中 was left by a worker that stopped (one worker per site).
    Returns (retried, failed)."""
    from django_tasks_db.models import DBTaskResult

    retried = failed = 0
    for result in DBTaskResult.objects.filter(status="RUNNING"):
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


def run_pending() -> None:
    """Run the queued jobs now and return (the demo's set-up, before it serves)."""
    if database_backend():
        from django.core.management import call_command

        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
