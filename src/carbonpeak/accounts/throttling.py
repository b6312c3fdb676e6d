"""Failed logins are counted by django-axes in the database, so every worker and every machine of the site sees
one count, and the login page and ``/api/auth/token`` share it.

axes applies one limit to every lockout parameter. A government office reaches the platform from one address
behind its NAT, so the address needs a higher limit than a user name, or five typing mistakes across an
office would lock the whole office out: ``NameAndAddressHandler`` keeps axes's storage and flow and applies
``AXES_FAILURE_LIMIT`` to the user name and ``CARBONPEAK_LOGIN_FAILURES_PER_ADDRESS`` to the address
(both 本平台规则, docs/operations.md).
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return (
        f"登录失败次数过多（同一用户名 {lockout_minutes()} 分钟内失败 {settings.AXES_FAILURE_LIMIT} 次，"
        f"或同一地址失败 {settings.CARBONPEAK_LOGIN_FAILURES_PER_ADDRESS} 次），"
        f"请 {lockout_minutes()} 分钟后再试；需要立即解锁请联系系统管理员"
    )


class NameAndAddressHandler(AxesDatabaseHandler):
    """axes's database handler with a limit of its own for the address (``AXES_LOCKOUT_PARAMETERS`` is
    ``["username", "ip_address"]``, in that order)."""

    def get_failures(self, request, credentials=None) -> int:
        by_name, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.CARBONPEAK_LOGIN_FAILURES_PER_ADDRESS:
            return max(by_name, settings.AXES_FAILURE_LIMIT)
        return by_name

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears its own user name's failures only: one valid account must not clear
        the count of an address that is trying other people's names."""
        by_name = self.filter_user_attempts(request, credentials)[0]
        count, _ = by_name.delete()
        return count


def client_address(request: HttpRequest) -> str | None:
    """The address a login comes from. Behind ``CARBONPEAK_TRUSTED_PROXIES`` reverse proxies (each appending
    to X-Forwarded-For) it is the entry the nearest trusted proxy saw; otherwise the connection's address,
    so that a client cannot choose its own by sending the header. None when it is not an address."""
    hops = settings.CARBONPEAK_TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    found = forwarded[-hops] if hops and len(forwarded) >= hops else request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(found[:45]))
    except ValueError:
        return None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """429 in Chinese: the API's JSON error, or the login page again with the reason."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "too_many_attempts", "message": lockout_message()}, status=429)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username[:150]})
    context = {"form": form, "locked": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "web/login.html", context, status=429)
