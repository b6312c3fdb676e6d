"""Writing the audit log: one call per change, from the service that makes it."""

from __future__ import annotations

import datetime as dt
import decimal

from django.db import models

from carbonpeak.accounts.models import AuditEvent

Action = AuditEvent.Action


def snapshot(obj: models.Model, fields: tuple[str, ...] | None = None) -> dict:
    """The record's own field values, as JSON (foreign keys by id)."""
    out = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        value = getattr(obj, f.attname)
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            value = str(value)
        out[f.name] = value
    return out


def record(
    user,
    action: str,
    obj: models.Model,
    *,
    before: dict | None = None,
    after: dict | None = None,
    comment: str = "",
) -> AuditEvent:
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEvent.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "系统",
        action=action,
        object_type=f"{obj._meta.app_label}.{obj._meta.object_name}",
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        comment=comment,
    )
