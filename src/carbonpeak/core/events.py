"""Domain events: a service says what happened, and the apps that care say what they do on it.

A service emits an event after its write (``emit("energy_changed", reason=…)``); each app declares its
handlers in its own ``events.py`` (``@handles("energy_changed", "重新核算")``), which its AppConfig imports at
start-up. ``core`` knows events and jobs, never the apps that handle them, and ``carbonpeak events`` prints
the whole chain.

A handler runs either at once, inside the emitting service's transaction (``background=False``: small
writes that belong with it), or in the event's one background job (django-tasks), which runs the event's
background handlers in their order. The job is enqueued inside the service's transaction: with the database
backend its row commits with the write (a rolled-back write leaves no job); in tests the immediate backend
runs it at once. A handler may emit a further event (new accounts → budgets, projections, grades).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

#: every event a service may emit, as the interface names it
EVENTS = {
    "plan_imported": _("方案导入或更新"),
    "energy_changed": _("能源数据变化（报送审核通过、绿证登记、采用因子集）"),
    "accounts_recomputed": _("正式核算更新"),
    "scenario_changed": _("预测情景修改"),
    "observation_approved": _("指标数值审核通过"),
    "target_value_set": _("录入上级下达目标值"),
    "handed_down_total_set": _("录入上级下达总量"),
    "land_data_changed": _("国土与森林数据变化"),
    "new_day": _("每日例行"),
    "projection_requested": _("请求达峰预测"),
    "report_requested": _("请求生成季度报告"),
    "period_opened": _("开启报告期"),
    "key_projects_changed": _("重点项目变化（登记、进展审核通过、录入满负荷小时数）"),
}


@dataclass(frozen=True)
class Handler:
    event: str
    title: str
    func: Callable[..., object]
    order: int
    background: bool
    on_interrupted: Callable[..., object] | None

    @property
    def key(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"


_handlers: dict[str, list[Handler]] = {}


def handles(
    event: str,
    title: str,
    *,
    order: int = 50,
    background: bool = True,
    on_interrupted: Callable[..., object] | None = None,
) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Register the decorated function as a handler of ``event``: ``title`` says in the interface's words
    what it does, ``order`` where it runs among the event's handlers (lower first), ``on_interrupted`` what
    becomes of its job when a worker stops in the middle (called with the payload; by default the job runs
    again, as every chain that recomputes from the current data may)."""
    if event not in EVENTS:
        raise KeyError(f"unknown event {event!r}")

    def register(func: Callable[..., object]) -> Callable[..., object]:
        handler = Handler(event, title, func, order, background, on_interrupted)
        chain = [h for h in _handlers.get(event, []) if h.key != handler.key]
        _handlers[event] = sorted([*chain, handler], key=lambda h: h.order)
        return func

    return register


def handlers(event: str) -> list[Handler]:
    return list(_handlers.get(event, []))


def emit(event: str, **payload: object) -> None:
    """What follows ``event``: its immediate handlers now, then one background job for the others. The
    payload is plain data (ids, numbers, text) so that the job can be stored."""
    if event not in EVENTS:
        raise KeyError(f"unknown event {event!r}")
    chain = handlers(event)
    for handler in chain:
        if not handler.background:
            handler.func(**payload)
    if any(h.background for h in chain):
        handle_event.enqueue(event, payload)


@task()
def handle_event(event: str, payload: dict) -> dict:
    """The background job of one event: its handlers in order; what each returned, by its title."""
    return {str(h.title): h.func(**payload) for h in handlers(event) if h.background}


def interrupted(event: str, payload: dict) -> bool:
    """A worker stopped while running the event's job: the handlers that cannot simply run again say what
    becomes of their work (True), else the job is to be run again (False)."""
    hooks = [h.on_interrupted for h in handlers(event) if h.on_interrupted is not None]
    for hook in hooks:
        hook(**payload)
    return bool(hooks)


def job_title(event: str) -> str:
    """What an event's background job does, as the jobs page says it."""
    # Translators: the separator of a list of steps
    steps = gettext("、").join(str(h.title) for h in handlers(event) if h.background)
    name = str(EVENTS.get(event, _("后台任务")))
    return gettext("%(event)s：%(steps)s") % {"event": name, "steps": steps} if steps else name


def chain() -> dict[str, list[str]]:
    """What follows each event, in order (printed by ``carbonpeak events``)."""
    return {str(EVENTS[event]): [str(h.title) for h in handlers(event)] for event in EVENTS}
