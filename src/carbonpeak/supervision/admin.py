"""Progress reports are written through the pages and the API only; the admin shows them."""

from django.contrib import admin

from carbonpeak.core.audit import ReadOnlyAdmin

from .models import Contribution, Evidence, ProgressReport, Reminder, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ("key", "due_date", "is_open", "opened_by", "closed_at")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("period", "task", "department", "progress", "status", "updated_at")
    list_filter = ("period", "status", "progress", "department")


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("report", "department", "updated_at")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "kind", "size", "report", "uploaded_by", "uploaded_at")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "period", "department", "kind", "emailed")
