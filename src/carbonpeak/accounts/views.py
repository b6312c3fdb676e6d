"""The audit log, for the coordinator: browse and filter; nothing here edits it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit
from carbonpeak.core.http import MAX_ID
from carbonpeak.core.models import AuditEvent
from carbonpeak.core.numbers import as_int


@page(Action.VIEW_AUDIT)
def audit_log(request):
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
    query = urlencode({k: v for k, v in filters.items() if v})
    rows = [(e, audit.object_label(e.object_type), audit.changes(e)) for e in page]
    return render(
        request,
        "accounts/audit_log.html",
        {
            "nav": "audit",
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": query,
            "actions": AuditEvent.Action.choices,
            "types": [
                (t, audit.object_label(t))
                for t in AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
            ],
        },
    )


@page(Action.VIEW)
def my_tokens(request):
    """The user's own API tokens: when each expires, when it was last used, and a button to revoke it."""
    from carbonpeak.accounts import tokens
    from carbonpeak.accounts.models import ApiToken

    if request.method == "POST":
        try:
            revoked = tokens.revoke(request.user, as_int(request.POST.get("token"), low=1, high=MAX_ID) or 0)
        except (ValueError, Http404):
            messages.error(request, _("令牌不存在或已撤销"))
        else:
            messages.success(
                request,
                _("已撤销令牌 %(prefix)s…，使用它的程序将无法再访问接口") % {"prefix": revoked.prefix},
            )
        return redirect("accounts:tokens")
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
            "days": tokens.TOKEN_DAYS,
            "limit": tokens.MAX_TOKENS_PER_USER,
        },
    )


@require_POST
def set_language(request):
    """The language switch of every page: kept with the account of a logged-in user, in a cookie for anyone
    (Django's ``set_language`` writes it and goes back to the page, a page of this site only)."""
    from django.views.i18n import set_language as set_language_cookie

    from carbonpeak.accounts import services
    from carbonpeak.core.errors import DomainError

    try:
        services.set_language(request.user, request.POST.get("language", ""), request.session)
    except DomainError as exc:
        raise BadRequest(str(exc)) from None
    return set_language_cookie(request)
