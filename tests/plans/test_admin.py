"""The coordinator corrects the registry in the admin; corrections and merges stick."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from carbonpeak.departments.models import Department, DepartmentAlias
from carbonpeak.plans.models import Responsibility, Task
from carbonpeak.plans.services import import_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "departments_department",
        "plans_plan",
        "plans_planversion",
        "plans_section",
        "plans_action",
        "plans_task",
        "plans_responsibility",
        "plans_target",
    ],
)
def test_admin_lists_open(admin_client_for, imported_plan, model):
    response = admin_client_for.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200


def test_task_change_page_opens(admin_client_for, imported_plan):
    task = Task.objects.get(plan=imported_plan, key="三.（二）.2")
    response = admin_client_for.get(reverse("admin:plans_task_change", args=[task.pk]))
    assert response.status_code == 200
    assert "市商务局" in response.content.decode()


def test_merge_action_folds_departments_into_one(admin_client_for, imported_plan):
    keep = Department.objects.get(name="太仓生态环境局")
    other = Department.objects.create(name="市生态环境局")
    url = reverse("admin:departments_department_changelist")
    ids = [str(keep.pk), str(other.pk)]
    page = admin_client_for.post(url, {"action": "merge_selected", ACTION_CHECKBOX_NAME: ids})
    assert page.status_code == 200 and "确认合并" in page.content.decode()
    done = admin_client_for.post(
        url,
        {"action": "merge_selected", ACTION_CHECKBOX_NAME: ids, "keep": keep.pk, "confirm": "1"},
        follow=True,
    )
    assert done.status_code == 200
    assert not Department.objects.filter(pk=other.pk).exists()
    assert DepartmentAlias.objects.get(name="市生态环境局").department == keep


def test_deleting_an_imported_responsibility_suppresses_it_through_reimports(
    admin_client_for, imported_plan, bundled_plan
):
    resp = Responsibility.objects.get(task__key="三.（二）.3", department__name="市供电公司")
    url = reverse("admin:plans_responsibility_delete", args=[resp.pk])
    admin_client_for.post(url, {"post": "yes"})
    resp.refresh_from_db()
    assert resp.suppressed
    import_plan(bundled_plan, source_name="again.json", region="太仓市", force=True)
    resp.refresh_from_db()
    assert resp.suppressed
    assert Responsibility.objects.filter(task__key="三.（二）.3", department__name="市供电公司").count() == 1


def test_changing_a_role_by_hand_survives_reimport(admin_client_for, imported_plan, bundled_plan):
    resp = Responsibility.objects.get(task__key="三.（二）.3", department__name="市工信局")
    url = reverse("admin:plans_responsibility_change", args=[resp.pk])
    response = admin_client_for.post(
        url,
        {"task": resp.task_id, "department": resp.department_id, "role": "lead", "order": 0},
    )
    assert response.status_code == 302
    resp.refresh_from_db()
    assert resp.role == "lead" and resp.source == "manual"
    import_plan(bundled_plan, source_name="again.json", region="太仓市", force=True)
    roles = set(
        Responsibility.objects.filter(task__key="三.（二）.3", department__name="市工信局").values_list(
            "role", flat=True
        )
    )
    assert roles == {"lead"}


def test_leader_cannot_enter_the_admin(client, db):
    from carbonpeak.demo import ensure_demo_users

    ensure_demo_users()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="leader"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_a_department_with_users_or_reports_is_not_merged_away(admin_client_for, imported_plan, coordinator):
    from django.contrib.auth import get_user_model

    from carbonpeak.accounts.models import Membership

    keep = Department.objects.get(name="太仓生态环境局")
    other = Department.objects.get(name="市交运局")
    Membership.objects.create(user=get_user_model().objects.create(username="jiaoyun"), department=other)
    url = reverse("admin:departments_department_changelist")
    page = admin_client_for.post(
        url,
        {
            "action": "merge_selected",
            ACTION_CHECKBOX_NAME: [keep.pk, other.pk],
            "keep": keep.pk,
            "confirm": "1",
        },
        follow=True,
    )
    assert "“市交运局”仍有指标、部门成员，不能合并" in page.content.decode()
    assert Department.objects.filter(pk=other.pk).exists()
    assert Responsibility.objects.filter(department=other).exists()  # nothing moved either
