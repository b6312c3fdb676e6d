"""Reads of progress reports that pages and the API share."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from carbonpeak.departments.models import Department
from carbonpeak.plans.models import Role
from carbonpeak.supervision.models import ProgressReport, ReportingPeriod


def progress_reports(*, period: str | None = None, department: str | None = None) -> QuerySet[ProgressReport]:
    """Reports with what a listing shows, filtered by period key and lead department name when given."""
    qs = ProgressReport.objects.select_related(
        "period", "task", "task__action", "task__section", "department"
    ).prefetch_related("contributions__department")
    return filter_reports(qs, period=period, department=department)


def filter_reports(qs: QuerySet[ProgressReport], *, period: str | None, department: str | None) -> QuerySet:
    """Reports of a period (its key) and a lead department (its name), when given."""
    if period:
        qs = qs.filter(period__key=period)
    if department:
        qs = qs.filter(department__name=department)
    return qs


def my_open_reports(department: Department) -> QuerySet[ProgressReport]:
    """The open periods' reports a department leads or supports: its 待办."""
    leads = ProgressReport.objects.filter(period__is_open=True, department=department)
    supports = ProgressReport.objects.filter(
        period__is_open=True,
        task__responsibilities__department=department,
        task__responsibilities__role=Role.SUPPORT,
    )
    return (
        (leads | supports)
        .select_related("period", "task", "task__action", "task__section", "department")
        .distinct()
    )


def periods() -> QuerySet[ReportingPeriod]:
    """Reporting periods with their number of reports and who opened them (one query for a listing)."""
    return ReportingPeriod.objects.select_related("opened_by").annotate(report_count=Count("reports"))
