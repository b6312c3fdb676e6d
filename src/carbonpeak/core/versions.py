"""The data version: a token that changes with every write to the data computed figures depend on, and the
figures kept under it.

The token changes inside the writing transaction (a model signal of the apps ``core.apps`` lists, or an
explicit :func:`bump` after a queryset ``update``), so a reader either sees the old data with the old token
or the new data with the new one: what is kept under a token was computed from that token's data and is never
read under another.

:func:`cached` and :func:`cached_html` keep a value in Django's cache, which every server of the site shares
(a table of the database by default, Redis where configured: settings.CACHES), so a part is computed once per
data version and language for the whole site; each process also keeps the parts it read last in its memory
(a key names one data version, so what it holds is never stale). :func:`store` keeps a job's result in the
database for every process (the background job writes it) and :func:`stored` reads it there: JSON, encoded
and decoded by the caller, data only, so a row of that table can never make the server run code (as a pickle
could). The cache holds rendered parts of pages and such results, nothing a user sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from carbonpeak.core.models import ComputedFigure, DataVersion

T = TypeVar("T")
ROW = 1


def current() -> str:
    """The token now (one query); created on first use."""
    token = DataVersion.objects.filter(pk=ROW).values_list("token", flat=True).first()
    if token is None:
        token = DataVersion.objects.get_or_create(pk=ROW, defaults={"token": uuid.uuid4().hex})[0].token
    return token


def bump(**_ignored) -> None:
    """A new token: every figure cached under the old one is no longer read."""
    DataVersion.objects.update_or_create(pk=ROW, defaults={"token": uuid.uuid4().hex})


def track(*models) -> None:
    """Writes to ``models`` (save, delete, many-to-many changes) change the data version."""
    for model in models:
        uid = f"data-version:{model._meta.label}"
        post_save.connect(bump, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(bump, sender=model, weak=False, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                bump, sender=field.remote_field.through, weak=False, dispatch_uid=uid + field.name
            )


CACHE_SECONDS = 2 * 24 * 3600  # 本平台规则: a part unread for two days is dropped (its version is long past)
_MISSING = object()


def _cache_key(token: str, key: Hashable) -> str:
    """The shared cache's key: the data version and a digest of ``key`` (a tuple of text and numbers, whose
    ``repr`` is the same in every process)."""
    return f"dv:{token}:{hashlib.sha256(repr(key).encode()).hexdigest()[:32]}"


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per (data version, ``key``) for every server of the site (Django's cache:
    settings.CACHES)."""
    return _cached(current(), key, compute)


def _cached(token: str, key: Hashable, compute: Callable[[], T]) -> T:
    return kept(_cache_key(token, key), compute, CACHE_SECONDS)


def kept(key: str, compute: Callable[[], T], seconds: int) -> T:
    """``compute()`` once for the site under a key that fixes its value (a data version's, a release's): read
    from this process's memory first (settings.CACHES["local"], bounded), then from the shared cache, and
    computed only when neither holds it. A key whose value could change must not come here: the memory of
    the other processes would keep the old one."""
    local, shared = caches["local"], caches["default"]
    value = local.get(key, _MISSING)
    if value is not _MISSING:
        return value  # type: ignore[return-value]
    if shared is not local:
        value = shared.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        if shared is not local:
            shared.set(key, value, seconds)
    local.set(key, value, seconds)
    return value  # type: ignore[return-value]


def store(key: str, value: T, encode: Callable[[T], Any]) -> T:
    """Keep ``value`` under ``key`` and the current data version for every process: written by the background
    job that follows a change (the grades after an approval, the daily re-grade), never by a page.
    ``encode(value)`` is what the database keeps: plain JSON data."""
    token = current()
    ComputedFigure.objects.update_or_create(key=key, defaults={"token": token, "payload": encode(value)})
    # figures of past days (keys carry the day) are not read again
    ComputedFigure.objects.filter(computed_at__lt=timezone.now() - dt.timedelta(days=2)).delete()
    return value


def stored(key: str, compute: Callable[[], T], decode: Callable[[Any], T]) -> T:
    """What the background job kept under ``key`` for the current data version (``decode`` turns the kept
    JSON back into the value); until it has (a change made in the admin, a new day before the daily re-grade),
    ``compute()`` once for the site (kept in the cache, never in the job's table: a read never writes a
    figure). A kept row that no longer decodes (written by an older release) is computed again, not an error."""
    token = current()

    def from_database() -> T:
        payload = (
            ComputedFigure.objects.filter(key=key, token=token).values_list("payload", flat=True).first()
        )
        if payload is not None:
            try:
                return decode(payload)
            except (KeyError, TypeError, ValueError):
                pass  # kept by an older release in another shape
        return compute()

    return _cached(token, ("stored", key), from_database)  # decoded once per data version for the site


def is_stored(key: str) -> bool:
    """Has a job kept ``key`` for the current data version?"""
    return ComputedFigure.objects.filter(key=key, token=current()).exists()


def cached_html(key: Hashable, request, template: str, context: Callable[[], dict]) -> SafeString:
    """A part of a page rendered once per data version: ``context()`` is only called when it is not cached.
    The part must depend on nothing but versioned data and ``key`` (no user, no form, no CSRF token)."""
    language = get_language()  # the same figures render in each language the site speaks
    return cached(
        ("html", template, language, key), lambda: mark_safe(render_to_string(template, context(), request))
    )


def clear() -> None:
    """Forget every cached value (tests, whose databases roll back to earlier versions)."""
    caches["local"].clear()
    caches["default"].clear()


def clear_local() -> None:
    """Forget what this process keeps in memory (a test starts from a database rolled back, whose data
    version an earlier test may have computed other data under; the shared cache rolls back with it)."""
    caches["local"].clear()
