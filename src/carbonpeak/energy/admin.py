"""Factor sets are edited here; submissions and results are only viewed (their writer is energy.services)."""

from __future__ import annotations

from django.contrib import admin

from carbonpeak.core.audit import AuditedModelAdmin, ReadOnlyAdmin

from .models import (
    FACTOR_FIELDS,
    AccountingRun,
    EnergyRecord,
    EnergySubmission,
    Factor,
    FactorSet,
)


class FactorInline(admin.TabularInline):
    model = Factor
    extra = 1
    fields = FACTOR_FIELDS

    def _used(self, obj) -> bool:
        return obj is not None and obj.runs.exists()

    def has_add_permission(self, request, obj=None):
        return not self._used(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._used(obj) and super().has_delete_permission(request, obj)


@admin.register(FactorSet)
class FactorSetAdmin(AuditedModelAdmin):
    list_display = ("name", "version", "title", "is_default", "based_on", "created_by", "created_at")
    list_filter = ("name", "is_default")
    inlines = [FactorInline]
    readonly_fields = ("is_default", "created_by", "created_at")
    fields = ("name", "version", "title", "based_on", "is_default", "created_by", "created_at")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.runs.exists():
            fields += ["name", "version", "based_on"]  # results name this version: it stays what it was
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if obj.based_on_id and not change:
            have = {(f.kind, f.key, f.year) for f in obj.factors.all()}
            Factor.objects.bulk_create(
                Factor(factor_set=obj, **{k: getattr(f, k) for k in FACTOR_FIELDS})
                for f in obj.based_on.factors.all()
                if (f.kind, f.key, f.year) not in have
            )

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.runs.exists()) and super().has_delete_permission(request, obj)


class RecordInline(admin.TabularInline):
    model = EnergyRecord
    extra = 0
    can_delete = False
    readonly_fields = ("sector", "fuel", "quantity", "unit", "use", "reported_tce", "sheet", "row")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(EnergySubmission)
class EnergySubmissionAdmin(ReadOnlyAdmin):
    list_display = (
        "period",
        "region",
        "revision",
        "status",
        "is_sample",
        "source_name",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "region", "is_sample")
    inlines = [RecordInline]


@admin.register(AccountingRun)
class AccountingRunAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "factor_set_label", "reason", "includes_sample", "created_by")
