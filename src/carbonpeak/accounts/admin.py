from django.contrib import admin

from carbonpeak.core.audit import AuditedModelAdmin

from .models import Membership


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ("user", "department")
    list_filter = ("department__kind",)
    autocomplete_fields = ("user",)
