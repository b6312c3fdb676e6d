"""Reports are generated on the report page or by `carbonpeak report`; the admin lists them."""

from django.contrib import admin

from carbonpeak.core.audit import ReadOnlyAdmin

from .models import QuarterlyReport


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(ReadOnlyAdmin):
    list_display = (
        "period",
        "status",
        "is_sample",
        "accounting_run",
        "projection_run",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "period")
