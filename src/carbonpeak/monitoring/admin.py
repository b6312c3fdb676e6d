"""Indicators and target links are the coordinator's to confirm and correct; assessments and warnings are read-only."""

from __future__ import annotations

from django.contrib import admin

from carbonpeak.core import audit
from carbonpeak.core.audit import AuditedModelAdmin, ReadOnlyAdmin

from .models import Assessment, EarlyWarning, Indicator, Observation, TargetIndicator


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = (
        "name",
        "kind",
        "unit",
        "higher_is_better",
        "owner",
        "frequency",
        "baseline_year",
        "baseline_value",
    )
    list_filter = ("kind", "frequency", "owner")
    search_fields = ("name", "code")


@admin.register(TargetIndicator)
class TargetIndicatorAdmin(AuditedModelAdmin):
    list_display = ("target", "indicator", "rule", "confirmed", "value_document")
    list_filter = ("confirmed", "rule")
    list_editable = ("confirmed",)
    autocomplete_fields = ("indicator",)
    actions = ["confirm"]

    @admin.action(description="确认所选对应关系")
    def confirm(self, request, queryset):
        for link in queryset.filter(confirmed=False):
            link.confirmed = True
            link.save(update_fields=["confirmed"])
            audit.record(
                request.user,
                audit.Action.UPDATE,
                link,
                before={"confirmed": False},
                after={"confirmed": True},
            )


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "region", "year", "quarter", "value", "revision", "status", "is_sample")
    list_filter = ("status", "is_sample", "indicator")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("target", "grade", "data_state", "period", "value", "expected", "created_at")
    list_filter = ("grade", "data_state")


@admin.register(EarlyWarning)
class WarningAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "department", "message", "emailed")
    list_filter = ("kind", "department")
