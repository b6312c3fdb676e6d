"""Roles (Django groups) and what each may edit in the admin; logins made for a new city's departments."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from carbonpeak.accounts.permissions import (
    ADMINISTRATOR,
    COORDINATOR,
    DEPARTMENT,
    DISTRICT,
    ENTERPRISE,
    LEADER,
    PARENT,
)


@transaction.atomic
def ensure_roles() -> None:
    """Groups for the roles; the coordinator also edits the registry, indicators and factors in the admin."""
    coordinator, _created = Group.objects.get_or_create(name=COORDINATOR)
    admin_perms = Permission.objects.filter(
        content_type__app_label__in=("departments", "plans", "monitoring", "energy")
    ).exclude(content_type__model__in=("assessment", "earlywarning", "accountingrun", "accountingresult"))
    coordinator.permissions.set(admin_perms)
    leader, _created = Group.objects.get_or_create(name=LEADER)
    leader.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=("departments", "plans"), codename__startswith="view_"
        )
    )
    for name in (ADMINISTRATOR, DEPARTMENT, DISTRICT, ENTERPRISE, PARENT):
        Group.objects.get_or_create(name=name)


@dataclass
class NewLogin:
    """A login made for a department; the password is shown once and never stored in clear."""

    username: str
    department: str
    role: str
    password: str  # "" when the account existed already (its password is left as it was)


def create_department_logins(departments, user) -> list[NewLogin]:
    """One login per department or district that answers for tasks (username = its name), each with a
    random initial password. An existing account is kept as it is. Audited."""
    from carbonpeak.accounts import permissions
    from carbonpeak.accounts.models import Membership
    from carbonpeak.core import audit
    from carbonpeak.departments.models import DepartmentKind

    permissions.require(user, permissions.Action.MANAGE_PLAN)
    ensure_roles()
    user_model = get_user_model()
    made: list[NewLogin] = []
    for department in departments:
        if department.name.startswith("各"):
            continue  # 各区镇, 各有关部门: not one body that can log in
        role = DISTRICT if department.kind == DepartmentKind.DISTRICT else DEPARTMENT
        existing = user_model.objects.filter(username=department.name).first()
        if existing is not None:
            made.append(NewLogin(department.name, department.name, role, ""))
            continue
        password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _i in range(12))
        account = user_model.objects.create_user(username=department.name, password=password)
        account.groups.set([Group.objects.get(name=role)])
        Membership.objects.create(user=account, department=department)
        audit.record(user, audit.Action.CREATE, account, after={"username": account.username, "role": role})
        made.append(NewLogin(account.username, department.name, role, password))
    return made


# no 0/O, 1/l/I: an initial password is read off paper
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


#: the session's copy of a logged-in user's language (read by ``accounts.middleware.UserLanguage`` without a
#: query on every request)
SESSION_LANGUAGE = "cp_language"


def set_language(user, language: str, session=None) -> str:
    """Keep a user's interface language (one of settings.LANGUAGES); an anonymous visitor's is kept by the
    caller in a cookie only. Returns the language kept; an unknown one is refused."""
    from django.conf import settings

    from carbonpeak.accounts.models import Preference
    from carbonpeak.core import audit
    from carbonpeak.core.errors import DomainError

    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("不支持该界面语言"))
    if getattr(user, "is_authenticated", False):
        before = Preference.objects.filter(user=user).values_list("language", flat=True).first()
        if before != language:
            preference, _created = Preference.objects.update_or_create(
                user=user, defaults={"language": language}
            )
            audit.record(
                user,
                audit.Action.UPDATE,
                preference,
                before={"language": before},
                after={"language": language},
            )
        if session is not None:
            session[SESSION_LANGUAGE] = language
    return language


def remember_language(session, user) -> None:
    """At login: the user's kept language into the session (nothing when they never chose one)."""
    from carbonpeak.accounts.models import Preference

    language = Preference.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        session[SESSION_LANGUAGE] = language
    else:
        session.pop(SESSION_LANGUAGE, None)
