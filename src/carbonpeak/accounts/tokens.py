"""API tokens: issued for 30 days, at most ten per user, revocable (failed logins: ``accounts/throttling.py``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from carbonpeak.accounts.models import ApiToken

TOKEN_DAYS = 30
MAX_TOKENS_PER_USER = 10  # 本平台规则: a new token beyond it replaces the oldest (expired ones go first)


def issue(user) -> tuple[str, ApiToken]:
    """A new token for ``user``, valid ``TOKEN_DAYS`` days; expired tokens are cleared and, at the per-user
    bound, the oldest is revoked (audited) so that no user collects tokens without limit."""
    from carbonpeak.core import audit

    ApiToken.objects.filter(user=user, expires_at__lte=timezone.now()).delete()
    live = list(ApiToken.objects.filter(user=user).order_by("created_at", "id"))
    for old in live[: max(0, len(live) - MAX_TOKENS_PER_USER + 1)]:
        audit.record(
            user, audit.Action.DELETE, old, comment=f"令牌数达到上限 {MAX_TOKENS_PER_USER}，撤销最早的令牌"
        )
        old.delete()
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


def revoke(user, token_id: int) -> ApiToken:
    """The user revokes one of their own tokens (another user's is 404: it is not theirs to see)."""
    from django.http import Http404

    from carbonpeak.core import audit

    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404("令牌不存在")
    audit.record(user, audit.Action.DELETE, token, comment="用户撤销令牌")
    token.delete()
    return token


def revoke_all(user, reason: str) -> int:
    """Every token of ``user`` stops working (password changed, account deactivated)."""
    from carbonpeak.core import audit

    tokens = list(ApiToken.objects.filter(user=user))
    for token in tokens:
        audit.record(None, audit.Action.DELETE, token, comment=reason)
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
    return len(tokens)
