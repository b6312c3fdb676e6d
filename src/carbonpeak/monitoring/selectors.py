"""Reads of the grades that pages, the API and the report share."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from carbonpeak.core import versions
from carbonpeak.monitoring.grading import Grade


def plan_statuses(plan, today: dt.date | None = None) -> list:
    """Every target's grade, computed once per data version and day — by the background job that grades the
    plan after a change (``services.evaluate``) — and read by the dashboard, the target pages and
    ``/api/targets``."""
    from carbonpeak.monitoring import services

    today = today or timezone.localdate()
    key = f"plan-statuses:{plan.pk}:{today.isoformat()}"
    return versions.stored(key, lambda: services.assess_plan(plan, today))


def headline_status(statuses: list, code: str | None):
    """The target that speaks for an indicator in a headline: the nearest dated target with a grade (an
    ungraded one only when none is graded); None when the indicator has no target."""
    matching = [s for s in statuses if code and s.indicator and s.indicator.code == code]
    graded = [s for s in matching if s.assessment.grade != Grade.UNGRADED] or matching
    return min(graded, key=lambda s: s.target.year or 9999) if graded else None
