"""The audit log, for the coordinator: browse and filter; nothing here edits it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
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
    for key, lookup in (("date_from", "at__date__gte"), ("date_to", "at__date__lte")):
        if filters[key]:
            try:
                day = dt.date.fromisoformat(filters[key])
            except ValueError:
                raise BadRequest(f"日期“{filters[key][:20]}”无效：须写作 2025-01-31") from None
            events = events.filter(**{lookup: day})
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
