from django.contrib import admin

from carbonpeak.core.audit import AuditedModelAdmin

from .models import Building, Enterprise, EnterpriseMembership, TwoHighProject


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedModelAdmin):
    list_display = (
        "name",
        "credit_code",
        "district",
        "sector",
        "key_energy_user",
        "ets_covered",
        "two_high",
        "sample",
    )
    list_filter = (
        "district",
        "sector",
        "key_energy_user",
        "ets_covered",
        "two_high",
        "data_centre",
        "sample",
    )
    search_fields = ("name", "credit_code")
    # the code, industry and sector come from the register import, which checks them (GB 32100, GB/T 4754)
    readonly_fields = ("credit_code", "industry_code", "sector", "sample")
    inlines = [BuildingInline]

    def has_add_permission(self, request) -> bool:
        return False  # enterprises enter the register through its import, with every check


@admin.register(EnterpriseMembership)
class EnterpriseMembershipAdmin(AuditedModelAdmin):
    list_display = ("user", "enterprise")
    autocomplete_fields = ("enterprise",)


@admin.register(TwoHighProject)
class TwoHighProjectAdmin(AuditedModelAdmin):
    list_display = ("name", "enterprise", "status", "disposal", "approved_tce", "acceptance_tce", "sample")
    list_filter = ("status", "disposal", "renewable_commitment", "sample")
    search_fields = ("name", "review_number", "enterprise__name")
    autocomplete_fields = ("enterprise",)
    readonly_fields = ("sample",)
