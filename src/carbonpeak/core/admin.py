from django.contrib import admin

from carbonpeak.core.audit import ReadOnlyAdmin
from carbonpeak.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the log is evidence."""

    list_display = ("at", "username", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("username", "object_repr", "comment")
