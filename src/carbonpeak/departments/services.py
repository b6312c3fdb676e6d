"""Writes to the departments that are not the plan's: the city's districts (区镇) from the bundled region tree."""

from __future__ import annotations

from django.db import transaction

from carbonpeak.core.regions import DISTRICT_LEVEL, bundled_rows
from carbonpeak.departments.models import Department, DepartmentKind


@transaction.atomic
def ensure_districts() -> list[Department]:
    """The city's districts (区镇) as the 2019 target allocation names them, from the bundled list."""
    out = []
    for row in bundled_rows():
        if row.level != DISTRICT_LEVEL:
            continue
        dept, _ = Department.objects.get_or_create(name=row.name, defaults={"kind": DepartmentKind.DISTRICT})
        out.append(dept)
    return out
