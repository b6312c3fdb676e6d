"""The audit log, for the coordinator: browse and filter; nothing here edits it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from carbonpeak.accounts import permissions
from carbonpeak.core.models import AuditEvent


@login_required
def audit_log(request):
    permissions.require(request.user, permissions.Action.VIEW_AUDIT)
    events = AuditEvent.objects.all()
    filters = {
        k: request.GET.get(k, "").strip() for k in ("user", "action", "object_type", "date_from", "date_to")
    }
    if filters["user"]:
        events = events.filter(username__icontains=filters["user"])
    if filters["action"] in AuditEvent.Action.values:
        events = events.filter(action=filters["action"])
    if filters["object_type"]:
        events = events.filter(object_type=filters["object_type"])
    if filters["date_from"]:
        events = events.filter(at__date__gte=filters["date_from"])
    if filters["date_to"]:
        events = events.filter(at__date__lte=filters["date_to"])
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "nav": "audit",
            "page": page,
            "filters": filters,
            "query": query,
            "actions": AuditEvent.Action.choices,
            "types": AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct(),
        },
    )
