"""Roles (Django groups), departments and districts users belong to, and the demo's users."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from carbonpeak.accounts.models import Membership
from carbonpeak.accounts.permissions import ADMINISTRATOR, COORDINATOR, DEPARTMENT, DISTRICT, LEADER
from carbonpeak.plans.models import Department, DepartmentKind, Role

DEMO_PASSWORD = "carbonpeak-demo"
DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "taicang-districts.csv"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    note: str


DEMO_LOGINS = (
    DemoLogin("admin", "carbonpeak-admin", ADMINISTRATOR, "系统管理员，可进入后台管理"),
    DemoLogin("coordinator", DEMO_PASSWORD, COORDINATOR, "市发改委协调员：开启报告期、审核、查看全部"),
    DemoLogin("leader", DEMO_PASSWORD, LEADER, "市领导：只读浏览"),
    DemoLogin("stats", DEMO_PASSWORD, DEPARTMENT, "市统计局填报员：报送全市能源统计数据"),
    DemoLogin("chengxiang", DEMO_PASSWORD, DISTRICT, "城厢镇填报员：报送本区镇数据"),
)
MEMBERSHIP = {"stats": "市统计局", "chengxiang": "城厢镇"}


@transaction.atomic
def ensure_roles() -> None:
    """Groups for the roles; the coordinator also edits the registry, indicators and factors in the admin."""
    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR)
    admin_perms = Permission.objects.filter(
        content_type__app_label__in=("plans", "monitoring", "energy")
    ).exclude(content_type__model__in=("assessment", "warning", "accountingrun", "accountingresult"))
    coordinator.permissions.set(admin_perms)
    leader, _ = Group.objects.get_or_create(name=LEADER)
    leader.permissions.set(
        Permission.objects.filter(content_type__app_label="plans", codename__startswith="view_")
    )
    for name in (ADMINISTRATOR, DEPARTMENT, DISTRICT):
        Group.objects.get_or_create(name=name)


@transaction.atomic
def ensure_districts() -> list[Department]:
    """The city's districts (区镇) as the 2019 target allocation names them, from the bundled list."""
    out = []
    with open(DISTRICTS_FILE, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            dept, _ = Department.objects.get_or_create(
                name=row["name"], defaults={"kind": DepartmentKind.DISTRICT}
            )
            out.append(dept)
    return out


@transaction.atomic
def ensure_demo_users() -> list[DemoLogin]:
    """One user per role and one per lead department (username = the department's name).

    Passwords are reset to the documented ones so the README stays true.
    """
    ensure_roles()
    ensure_districts()
    Department.objects.get_or_create(name="市统计局", defaults={"kind": DepartmentKind.CITY})
    logins = list(DEMO_LOGINS)
    leads = Department.objects.filter(responsibilities__role=Role.LEAD, responsibilities__suppressed=False)
    for dept in leads.exclude(kind=DepartmentKind.DISTRICT).distinct().order_by("name"):
        if dept.name.startswith("各"):
            continue  # 各区镇, 各相关部门: not one body that can log in
        logins.append(DemoLogin(dept.name, DEMO_PASSWORD, DEPARTMENT, "牵头部门：填报本部门牵头任务和指标"))
    user_model = get_user_model()
    for login in logins:
        user, _ = user_model.objects.get_or_create(username=login.username)
        user.set_password(login.password)
        user.is_staff = login.role in (ADMINISTRATOR, COORDINATOR)
        user.is_superuser = login.role == ADMINISTRATOR
        user.save()
        user.groups.set([Group.objects.get(name=login.role)])
        department = MEMBERSHIP.get(login.username) or (login.username if login.role == DEPARTMENT else None)
        if department:
            Membership.objects.update_or_create(
                user=user, defaults={"department": Department.objects.get(name=department)}
            )
    return logins
