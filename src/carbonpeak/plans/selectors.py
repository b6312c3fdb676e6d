"""Reads of the plan registry that pages, the API, reports, jobs and the CLI share."""

from __future__ import annotations

from carbonpeak.plans.models import Plan, PlanRole, Target


def current_plan() -> Plan | None:
    """The plan the platform runs: the city's own comprehensive plan (the latest, should there be two).

    Sector plans and higher-level plans kept for reference sit beside it and never replace it."""
    return Plan.objects.filter(role=PlanRole.OWN).order_by("-created_at", "-id").first()


def city_plans() -> dict[str, list[Plan]]:
    """The city's plans side by side, by role (own, sector, reference), each newest first."""
    out: dict[str, list[Plan]] = {role: [] for role in PlanRole.values}
    for plan in Plan.objects.order_by("-created_at", "-id"):
        out[plan.role].append(plan)
    return out


ENERGY_INTENSITY = ("单位地区生产总值能耗", "单位地区生产总值能源消耗")


def plan_target(indicators: tuple[str, ...], **conditions) -> Target | None:
    """The current plan's earliest dated target of one of these indicators that has a value (never a sector
    or reference plan's)."""
    plan = current_plan()
    if plan is None:
        return None
    return (
        Target.objects.filter(plan=plan, indicator__in=indicators, year__isnull=False, **conditions)
        .exclude(value__isnull=True)
        .order_by("year")
        .first()
    )


def energy_intensity_target() -> Target | None:
    """The current plan's energy-intensity target with a value in % (entered when handed down): the one
    definition the certificate cap, the energy page's path and the grades read."""
    return plan_target(ENERGY_INTENSITY, unit="%")


def region_plan(region) -> tuple[Plan | None, bool]:
    """The plan a region works to: its own (the latest with its name as region, any role but reference), or
    else the nearest ancestor's; the flag says whether it is the region's own."""
    node, own = region, True
    while node is not None:
        plan = (
            Plan.objects.filter(region=node.name)
            .exclude(role=PlanRole.REFERENCE)
            .order_by("role", "-created_at", "-id")
            .first()
        )
        if plan is not None:
            return plan, own
        node, own = node.parent, False
    return None, False
