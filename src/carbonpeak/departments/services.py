"""Writes to the departments that are not the plan's: the city's districts (区镇) from the bundled list."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from carbonpeak.departments.models import Department, DepartmentKind

DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "taicang-districts.csv"


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
