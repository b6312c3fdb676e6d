"""Reads of the grades that pages, the API and the report share."""

from __future__ import annotations

import datetime as dt

from carbonpeak.accounts import permissions
from carbonpeak.core import clock, versions
from carbonpeak.monitoring import assessment
from carbonpeak.monitoring.grading import Grade


def statuses_key(plan, today: dt.date) -> str:
    return f"plan-statuses:{plan.pk}:{today.isoformat()}"


def plan_statuses(plan, today: dt.date | None = None) -> list:
    """Every target's grade as the background job stored it for the current data and day (after a change,
    ``services.evaluate``; each morning, the worker's daily re-grade), read by the dashboard, the target
    pages and ``/api/targets``. Before the job has run, worked out in this process and not stored."""
    today = today or clock.today()
    return versions.stored(
        statuses_key(plan, today),
        lambda: assessment.assess_plan(plan, today),
        lambda rows: assessment.decode_statuses(plan, rows),
    )


def headline_status(statuses: list, code: str | None):
    """The target that speaks for an indicator in a headline: the nearest dated target with a grade (an
    ungraded one only when none is graded); None when the indicator has no target."""
    matching = [s for s in statuses if code and s.indicator and s.indicator.code == code]
    graded = [s for s in matching if s.assessment.grade != Grade.UNGRADED] or matching
    return min(graded, key=lambda s: s.target.year or 9999) if graded else None


def visible_warnings(user):
    """The warnings a user reads: an enterprise's online-monitoring verdicts only for those who read the
    register (not a parent region's viewer, who reads the roll-ups)."""
    from carbonpeak.monitoring.models import EarlyWarning

    warnings = EarlyWarning.objects.select_related("department", "target")
    if not permissions.can(user, permissions.Action.VIEW_ENTERPRISE):
        warnings = warnings.exclude(kind=EarlyWarning.Kind.METER)
    return warnings
