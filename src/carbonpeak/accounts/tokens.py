"""API tokens and the limit on failed logins (pages and API share it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from carbonpeak.accounts.models import ApiToken

TOKEN_DAYS = 30
MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def issue(user) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=hashlib.sha256(raw.encode()).hexdigest(),
        prefix=raw[:8],
        expires_at=timezone.now() + dt.timedelta(days=getattr(settings, "CARBONPEAK_TOKEN_DAYS", TOKEN_DAYS)),
    )
    return raw, token


def user_for(raw: str):
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=hashlib.sha256(raw.encode()).hexdigest(), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def _key(username: str, ip: str) -> str:
    return "login-failures:" + hashlib.sha256(f"{username.lower()}|{ip}".encode()).hexdigest()


def locked(username: str, ip: str) -> bool:
    return cache.get(_key(username, ip), 0) >= MAX_FAILURES


def failed(username: str, ip: str) -> None:
    key = _key(username, ip)
    cache.add(key, 0, LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, LOCKOUT_SECONDS)


def succeeded(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
