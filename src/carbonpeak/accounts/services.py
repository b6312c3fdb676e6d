"""Roles (Django groups) and what each may edit in the admin."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from carbonpeak.accounts.permissions import ADMINISTRATOR, COORDINATOR, DEPARTMENT, DISTRICT, LEADER


@transaction.atomic
def ensure_roles() -> None:
    """Groups for the roles; the coordinator also edits the registry, indicators and factors in the admin."""
    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR)
    admin_perms = Permission.objects.filter(
        content_type__app_label__in=("departments", "plans", "monitoring", "energy")
    ).exclude(content_type__model__in=("assessment", "earlywarning", "accountingrun", "accountingresult"))
    coordinator.permissions.set(admin_perms)
    leader, _ = Group.objects.get_or_create(name=LEADER)
    leader.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=("departments", "plans"), codename__startswith="view_"
        )
    )
    for name in (ADMINISTRATOR, DEPARTMENT, DISTRICT):
        Group.objects.get_or_create(name=name)
