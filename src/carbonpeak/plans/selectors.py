"""Reads of the plan registry that pages, the API, reports, jobs and the CLI share."""

from __future__ import annotations

from carbonpeak.plans.models import Plan, Target


def current_plan() -> Plan | None:
    """The plan the platform runs: the one imported last."""
    return Plan.objects.order_by("-created_at", "-id").first()


ENERGY_INTENSITY = ("单位地区生产总值能耗", "单位地区生产总值能源消耗")


def energy_intensity_target() -> Target | None:
    """The current plan's energy-intensity target with a value in % (entered when handed down)."""
    plan = current_plan()
    if plan is None:
        return None
    return (
        Target.objects.filter(plan=plan, indicator__in=ENERGY_INTENSITY, year__isnull=False, unit="%")
        .exclude(value__isnull=True)
        .order_by("year")
        .first()
    )
