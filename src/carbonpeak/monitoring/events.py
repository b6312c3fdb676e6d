"""What the monitoring app does on other apps' events (registered at start-up by ``MonitoringConfig``)."""

from __future__ import annotations

from carbonpeak.core.events import handles


@handles("plan_imported", "将方案目标对应到监测指标")
def link_targets_to_indicators(plan_id: int) -> None:
    """Link the plan's targets to indicators (computed from the accounts, or reported by their lead)."""
    from carbonpeak.monitoring.services import propose_links
    from carbonpeak.plans.models import Plan

    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is not None:
        propose_links(plan)
