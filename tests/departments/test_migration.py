"""Moving departments into their own app carries the rows over: departments, aliases, what points at them,
content types and the audit records of merges."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("plans", "0002_department_email"),
    ("accounts", "0003_auditevent_to_core"),
    ("monitoring", "0003_warning_is_early_warning"),
    ("supervision", "0002_review_lifecycle_in_core"),
    ("core", "0001_initial"),
]
AFTER = [("departments", "0002_own_table_names")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_departments_and_what_points_at_them_move_with_their_app():
    old = _migrate(BEFORE)
    department = old.get_model("plans", "Department").objects.create(name="市交运局", kind="市级部门")
    old.get_model("plans", "DepartmentAlias").objects.create(name="太仓市交通运输局", department=department)
    user = old.get_model("auth", "User").objects.create(username="jiaoyun")
    old.get_model("accounts", "Membership").objects.create(user=user, department=department)
    old.get_model("monitoring", "Indicator").objects.create(
        code="bus", name="公交", unit="%", owner=department
    )
    old.get_model("core", "AuditEvent").objects.create(
        action="merge", object_type="plans.Department", object_id=str(department.pk), object_repr="市交运局"
    )
    try:
        new = _migrate(AFTER)
        moved = new.get_model("departments", "Department").objects.get(name="市交运局")
        assert moved.pk == department.pk and moved.kind == "市级部门"
        assert [a.name for a in moved.aliases.all()] == ["太仓市交通运输局"]
        assert (
            new.get_model("accounts", "Membership").objects.get(user__username="jiaoyun").department == moved
        )
        assert new.get_model("monitoring", "Indicator").objects.get(code="bus").owner == moved
        assert (
            new.get_model("core", "AuditEvent").objects.filter(object_type="departments.Department").count()
            == 1
        )
        assert "departments_department" in connection.introspection.table_names()
        assert "plans_department" not in connection.introspection.table_names()
    finally:
        _migrate(_latest())


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
