"""Background jobs' state for pages, and what becomes of jobs whose worker stopped.

The jobs themselves are django-tasks tasks (``carbonpeak.workflows``) stored by django-tasks-db; the one
worker runs them (``carbonpeak worker``). A job left 运行中 when the worker stopped (a restart, a crash) is
found when the worker starts again: chains that can simply run again are retried, a quarterly report is
marked failed with a message that says to generate it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

STATE_LABELS = {"READY": "排队中", "RUNNING": "运行中", "SUCCESSFUL": "已完成", "FAILED": "失败"}
#: what each job (a task in ``carbonpeak.workflows``) does, as the pages say it
TASK_TITLES = {
    "refresh_after_energy": "能源统计审核通过后：重新核算、预测、评估目标",
    "refresh_projections_and_grades": "重新预测、评估目标",
    "refresh_grades": "评估目标（指标数值审核通过后，及每日一次）",
    "compute_projection": "按请求计算达峰预测",
    "build_quarterly_report": "生成季度报告",
}
INTERRUPTED = "后台任务进程曾停止，任务中断"


class WorkerStopped(RuntimeError):
    """Recorded on a job that was running when its worker stopped."""


@dataclass(frozen=True)
class JobState:
    name: str
    status: str
    label: str
    enqueued_at: object
    finished_at: object

    @property
    def title(self) -> str:
        return TASK_TITLES.get(self.name, self.name)


def database_backend() -> bool:
    """Jobs are stored and run by the worker (not at once, as in the test suite)."""
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db.")


def recent(limit: int = 20) -> list[JobState]:
    """The latest jobs with their state (empty when jobs run at once, as in the test suite)."""
    if not database_backend():
        return []
    from django_tasks_db.models import DBTaskResult

    return [
        JobState(r.task_name, r.status, STATE_LABELS.get(r.status, r.status), r.enqueued_at, r.finished_at)
        for r in DBTaskResult.objects.order_by("-enqueued_at")[:limit]
    ]


def pending() -> int:
    """Jobs queued or running: pages say that the figures are being updated."""
    if not database_backend():
        return 0
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).count()


def queued(task_name: str) -> bool:
    """Is a job of this task waiting or running? (a schedule does not queue a second one)"""
    if not database_backend():
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status__in=("READY", "RUNNING"), task_path__endswith=f".{task_name}"
    ).exists()


def recover_interrupted() -> tuple[int, int]:
    """At worker start: every job still 运行中 was left by a worker that stopped (one worker per site).
    Returns (retried, failed)."""
    from django_tasks_db.models import DBTaskResult

    from carbonpeak import workflows
    from carbonpeak.reports import services as reports

    retried = failed = 0
    for result in DBTaskResult.objects.filter(status="RUNNING"):
        result.set_failed(WorkerStopped(INTERRUPTED))
        args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
        if result.task_path.endswith(".build_quarterly_report"):
            reports.fail_interrupted(args[:1], f"生成中断（{INTERRUPTED}），请重新生成")
            failed += 1
            continue
        task = getattr(workflows, result.task_path.rsplit(".", 1)[1], None)
        if task is not None:  # the chains recompute from the current data: running them again is safe
            task.enqueue(*args, **kwargs)
            retried += 1
        else:
            failed += 1
    return retried, failed
