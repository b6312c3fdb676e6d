"""Reads of the plan registry that pages, the API, reports, jobs and the CLI share."""

from __future__ import annotations

from carbonpeak.core.errors import Conflict
from carbonpeak.plans.models import Plan


def current_plan() -> Plan | None:
    """The plan the platform runs: the one imported last."""
    return Plan.objects.order_by("-created_at", "-id").first()


def require_current_plan() -> Plan:
    """The current plan, or a 409-style refusal that says to import one first."""
    plan = current_plan()
    if plan is None:
        raise Conflict("尚未导入任何方案：请先导入碳达峰实施方案", code="no_plan")
    return plan
