"""Reads of the plan registry that pages, the API, reports, jobs and the CLI share."""

from __future__ import annotations

from carbonpeak.plans.models import Plan


def current_plan() -> Plan | None:
    """The plan the platform runs: the one imported last."""
    return Plan.objects.order_by("-created_at", "-id").first()
