"""Users and roles. Issue-level roles (department and district reporters) build on these groups."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

COORDINATOR, LEADER, ADMINISTRATOR = "协调员", "领导", "管理员"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    note: str


DEMO_LOGINS = (
    DemoLogin("admin", "carbonpeak-admin", ADMINISTRATOR, "系统管理员，可进入后台管理"),
    DemoLogin("coordinator", "carbonpeak-demo", COORDINATOR, "市发改委协调员：维护方案、部门与目标"),
    DemoLogin("leader", "carbonpeak-demo", LEADER, "市领导：只读浏览"),
)


@transaction.atomic
def ensure_roles() -> None:
    """Groups with the permissions each role needs on the plan registry."""
    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR)
    plan_perms = Permission.objects.filter(content_type__app_label="plans")
    coordinator.permissions.set(plan_perms)
    leader, _ = Group.objects.get_or_create(name=LEADER)
    leader.permissions.set(plan_perms.filter(codename__startswith="view_"))
    Group.objects.get_or_create(name=ADMINISTRATOR)


@transaction.atomic
def ensure_demo_users() -> list[DemoLogin]:
    """The demo's users; passwords are reset to the documented ones so the README stays true."""
    ensure_roles()
    user_model = get_user_model()
    for login in DEMO_LOGINS:
        user, _ = user_model.objects.get_or_create(username=login.username)
        user.set_password(login.password)
        user.is_staff = login.role in (ADMINISTRATOR, COORDINATOR)
        user.is_superuser = login.role == ADMINISTRATOR
        user.save()
        user.groups.set([Group.objects.get(name=login.role)])
    return list(DEMO_LOGINS)
