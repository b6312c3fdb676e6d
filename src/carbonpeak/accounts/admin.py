from django.contrib import admin

from carbonpeak.accounts.audit import AuditedModelAdmin, ReadOnlyAdmin

from .models import AuditEvent, Membership


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ("user", "department")
    list_filter = ("department__kind",)
    autocomplete_fields = ("user",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the log is evidence."""

    list_display = ("at", "username", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("username", "object_repr", "comment")
