"""The public pages' and the public API's one limit per client address (django-ratelimit)."""

from __future__ import annotations

from django.conf import settings

from carbonpeak.accounts.throttling import client_address

GROUP = "publication"


def client_key(group, request) -> str:
    """Who is counted: the client's address as the login throttle sees it (trusted proxies honoured)."""
    return client_address(request) or "unknown"


def public_rate(group, request) -> str:
    """Read at each request, so that an operator's setting (and a test's) applies without a restart."""
    return settings.CARBONPEAK_PUBLIC_RATE


def exceeded(request) -> bool:
    """Count this request; True when its address has asked for more than the rate allows."""
    from django_ratelimit.core import is_ratelimited

    return is_ratelimited(request, group=GROUP, key=client_key, rate=public_rate, increment=True)
