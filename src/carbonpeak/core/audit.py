"""Writing the audit log: one call per change, from the service that makes it."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext

from carbonpeak.core.language import platform_language
from carbonpeak.core.models import AuditEvent

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
    event = _event(user, action, obj, before=before, after=after, comment=comment)
    event.save()
    return event


def record_many(user, action: str, objs: list[models.Model], *, comment: str = "") -> None:
    """One event per object (with its values), written in one statement (an upload of thousands of rows)."""
    AuditEvent.objects.bulk_create(
        _event(user, action, obj, before=None, after=snapshot(obj), comment=comment) for obj in objs
    )


def history(obj: models.Model):
    """A record's audit events, oldest first: its revision history as pages show it."""
    return AuditEvent.objects.filter(
        object_type=f"{obj._meta.app_label}.{obj._meta.object_name}", object_id=str(obj.pk)
    ).order_by("at", "id")


def user_id(user) -> int | None:
    """The acting user's id for an event's payload (None for the system or an anonymous caller)."""
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


def _event(user, action: str, obj: models.Model, *, before, after, comment: str) -> AuditEvent:
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    with platform_language():  # the log is kept in the platform's own language
        described = str(obj)[:300]
    return AuditEvent(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "系统",
        action=action,
        object_type=f"{obj._meta.app_label}.{obj._meta.object_name}",
        object_id=str(obj.pk),
        object_repr=described,
        before=before,
        after=after,
        comment=comment,
    )


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits go into the audit log too, with the values before and after (inlines included)."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        record(
            request.user,
            Action.UPDATE if change else Action.CREATE,
            obj,
            before=before,
            after=snapshot(obj),
            comment="后台管理",
        )

    def delete_model(self, request, obj):
        before = snapshot(obj)
        record(request.user, Action.DELETE, obj, before=before, comment="后台管理")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record(request.user, Action.DELETE, obj, before=snapshot(obj), comment="后台管理（批量）")
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        befores = {
            f.instance.pk: snapshot(type(f.instance).objects.get(pk=f.instance.pk))
            for f in formset.initial_forms
            if f.has_changed() and f.instance.pk
        }
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record(request.user, Action.DELETE, obj, before=snapshot(obj), comment="后台管理")
            obj.delete()
        for obj in instances:
            existed = obj.pk is not None
            obj.save()
            record(
                request.user,
                Action.UPDATE if existed else Action.CREATE,
                obj,
                before=befores.get(obj.pk),
                after=snapshot(obj),
                comment="后台管理",
            )
        formset.save_m2m()


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records only services write (submissions, results, assessments, the audit log itself)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ------------------------------------------------------------------ reading the log


#: names of the keys a service writes beside a record's own fields (a model field's name is its verbose_name)
KEY_LABELS = {
    "status": gettext_noop("状态"),
    "comment": gettext_noop("意见"),
    "reason": gettext_noop("理由"),
    "based_on": gettext_noop("依据"),
    "description": gettext_noop("说明"),
    "source": gettext_noop("来源"),
    "region": gettext_noop("地区"),
    "year": gettext_noop("年份"),
    "period": gettext_noop("报告期"),
    "factor_set": gettext_noop("因子集"),
    "records": gettext_noop("记录数"),
    "reports": gettext_noop("报告数"),
    "revision": gettext_noop("版本"),
    "username": gettext_noop("用户名"),
    "role": gettext_noop("角色"),
    "value": gettext_noop("数值"),
    "unit": gettext_noop("单位"),
    "note": gettext_noop("说明"),
    "fuel": gettext_noop("能源品种"),
    "quantity": gettext_noop("实物量"),
    "reported_tce": gettext_noop("折标准煤（tce，企业填报）"),
    "use": gettext_noop("用途"),
    "decision": gettext_noop("审查结论"),
    "conditions": gettext_noop("审查条件"),
}
STATUS_LABELS = {
    "draft": gettext_noop("草稿"),
    "submitted": gettext_noop("已报送"),
    "approved": gettext_noop("已审核"),
    "returned": gettext_noop("已退回"),
}


@dataclass(frozen=True)
class Change:
    """One value an event changed, as a person reads it."""

    field: str
    before: str
    after: str


def object_label(object_type: str) -> str:
    """What kind of record an event is about, by the model's name in the reader's language."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else gettext("记录")


def _model(object_type: str):
    try:
        return django_apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _label(model, key: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except Exception:  # noqa: BLE001 (not a field of the model: a key the service added)
            pass
    return gettext(KEY_LABELS.get(key, gettext_noop("其他")))


def _is_year(key: str) -> bool:
    """A field that holds a year (year, base_year, target_year…): written 2024, not 2,024."""
    return key == "year" or key.endswith("_year") or key.startswith("year_")


def _readable(value, key: str = "") -> str:
    """A value as the pages show values: local time, 是/否, a status by its name, no Python notation, a year
    as a year."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, int):
        return str(value) if _is_year(key) else f"{value:,}"
    if isinstance(value, float):  # never scientific notation: thousands separated, at most six decimals
        return f"{value:,.6f}".rstrip("0").rstrip(".")
    if isinstance(value, dict):
        return pgettext("list separator", "；").join(
            gettext("%(key)s：%(value)s") % {"key": _label(None, k), "value": _readable(v, k)}
            for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return pgettext("list separator", "、").join(_readable(v) for v in value) or "—"
    text = str(value)
    if text in STATUS_LABELS:
        return gettext(STATUS_LABELS[text])
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return gettext(text)  # a platform name (a fuel, a unit, a choice) in the reader's language
    if moment.tzinfo is not None:
        moment = timezone.localtime(moment)
        return f"{moment:%Y-%m-%d %H:%M}"
    return text


def changes(event: AuditEvent) -> list[Change]:
    """What an event changed, field by field with the fields' names in the reader's language: the values
    that differ when both sides were kept, else every value kept."""
    model = _model(event.object_type)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    if before and after:
        keys = [k for k in keys if before.get(k) != after.get(k)]
    return [
        Change(_label(model, k), _readable(before.get(k), k) if before else "", _readable(after.get(k), k))
        for k in keys
    ]
