"""What the monitoring app does on events (registered at start-up by ``MonitoringConfig``): the targets are
linked when a plan comes in, and graded again whenever what they are graded on changes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from carbonpeak.core import events

GRADE = _("评估目标并发出预警")


@events.handles("plan_imported", _("将方案目标对应到监测指标"), background=False)
def link_targets_to_indicators(plan_id: int) -> None:
    """Link the plan's targets to indicators (computed from the accounts, or reported by their lead)."""
    from carbonpeak.monitoring.services import propose_links
    from carbonpeak.plans.models import Plan

    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is not None:
        propose_links(plan)


@events.handles("handed_down_total_set", _("将下达总量对应到指标并记下文号"), order=10, background=False)
def link_handed_down_total(target_id: int, document: str) -> None:
    """A total handed down is linked to its computed indicator at once, with its document."""
    from carbonpeak.monitoring import services
    from carbonpeak.plans.models import Target

    target = Target.objects.select_related("plan").get(pk=target_id)
    services.propose_links(target.plan)
    services.set_value_document(target.plan, target.indicator, target.year, document)


def _grade(run_id: int | None = None) -> dict:
    from carbonpeak.energy.models import AccountingRun
    from carbonpeak.monitoring import services
    from carbonpeak.plans.selectors import current_plan

    plan = current_plan()
    if plan is None:
        return {"warnings": 0}
    run = AccountingRun.objects.filter(pk=run_id).first() if run_id is not None else None
    return {"warnings": len(services.evaluate(plan, run=run))}


@events.handles("accounts_recomputed", GRADE, order=30)
def grade_on_new_accounts(run_id: int) -> dict:
    """After the budgets and the projections: the peak targets read the new 规划情景 probability."""
    return _grade(run_id)


@events.handles("scenario_changed", GRADE, order=30)
def grade_after_scenario(scenario: str = "") -> dict:
    return _grade()


@events.handles("observation_approved", GRADE, order=30)
def grade_after_observation(observation_id: int | None = None) -> dict:
    return _grade()


@events.handles("target_value_set", GRADE, order=30)
def grade_after_target_value(target_id: int, user_id: int | None = None) -> dict:
    return _grade()


@events.handles("handed_down_total_set", GRADE, order=30)
def grade_after_handed_down_total(target_id: int, document: str) -> dict:
    return _grade()


@events.handles("land_data_changed", GRADE, order=30)
def grade_after_land_data() -> dict:
    """An indicator computed from the land data (湿地保护率) may change grade."""
    return _grade()


@events.handles("new_day", GRADE, order=30)
def grade_each_day() -> dict:
    """A grade depends on the day too (data fall overdue): the worker's schedule emits this once a day."""
    return _grade()
