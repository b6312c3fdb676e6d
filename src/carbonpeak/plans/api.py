"""The plan through the API: its actions and tasks with their lead and supporting departments."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Schema

from carbonpeak.accounts.access import api_action
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.api import ApiError
from carbonpeak.plans.models import Plan, Role
from carbonpeak.plans.selectors import current_plan

router = Router(tags=["方案"])
router.add_decorator(api_action(Action.VIEW_CITY))  # the city's data: not an enterprise's reporter


def plan_or_404() -> Plan:
    """The plan the platform runs, or the API's 404 when none has been imported."""
    plan = current_plan()
    if plan is None:
        raise ApiError(404, "no_plan", _("尚未导入任何方案"))
    return plan


class TaskOut(Schema):
    id: int
    label: str
    title: str
    lead: list[str]
    support: list[str]

    @staticmethod
    def resolve_lead(task) -> list[str]:
        return [
            r.department.name for r in task.responsibilities.all() if not r.suppressed and r.role == Role.LEAD
        ]

    @staticmethod
    def resolve_support(task) -> list[str]:
        return [
            r.department.name
            for r in task.responsibilities.all()
            if not r.suppressed and r.role == Role.SUPPORT
        ]


class ActionOut(Schema):
    number: str
    title: str
    tasks: list[TaskOut]

    @staticmethod
    def resolve_tasks(action) -> list:
        return sorted(action.tasks.all(), key=lambda t: t.order)


class PlanOut(Schema):
    id: int
    region: str
    title: str
    document_number: str
    actions: list[ActionOut]

    @staticmethod
    def resolve_actions(plan) -> list:
        return plan.actions.prefetch_related("tasks__responsibilities__department").order_by("order")


@router.get("/plan", response=PlanOut, summary="方案：重点行动、任务与牵头、配合部门")
def plan(request):
    return plan_or_404()
