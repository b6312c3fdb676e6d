"""Writing the enterprise register: the only code that writes the enterprises app's tables.

``import_register`` reads an uploaded register and merges it (by 统一社会信用代码; a building by its name within
its enterprise) in one transaction: any error in the file and nothing is written. Every row created or
changed is audited with its values before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from carbonpeak.accounts import permissions
from carbonpeak.core import audit, quotas
from carbonpeak.core.upload_errors import FormError

from . import workbook
from .models import AcceptanceTolerance, Building, Enterprise, TwoHighProject

_ENTERPRISE_FIELDS = (
    "name",
    "district",
    "industry_code",
    "sector",
    "key_energy_user",
    "ets_covered",
    "two_high",
    "data_centre",
    "pue",
    "state_owned",
)
_BUILDING_FIELDS = workbook.BUILDING_FIELDS[1:]  # the name identifies the building


class RegisterRejected(ValidationError):
    """The file was refused: every problem, each naming sheet, row and column."""

    def __init__(self, errors: list[FormError]):
        self.form_errors = errors
        super().__init__([str(e) for e in errors])


@dataclass
class RegisterImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    buildings_created: int = 0
    buildings_updated: int = 0

    def summary(self) -> str:
        return (
            f"企业新增 {self.created} 家、更新 {self.updated} 家、未变 {self.unchanged} 家；"
            f"建筑新增 {self.buildings_created} 栋、更新 {self.buildings_updated} 栋"
        )


def import_register(user, data: bytes, *, sample: bool = False) -> RegisterImport:
    """Merge an uploaded register; refuse it whole (``RegisterRejected``) when any row is wrong."""
    permissions.require(user, permissions.Action.MANAGE_ENTERPRISES)
    if not sample:
        quotas.take(user, "upload")
    parsed = workbook.read_register(data)
    known = set(
        Enterprise.objects.filter(credit_code__in={b.credit_code for b in parsed.buildings}).values_list(
            "credit_code", flat=True
        )
    )
    in_file = {e.credit_code for e in parsed.enterprises}
    for b in parsed.buildings:
        if b.credit_code not in in_file and b.credit_code not in known:
            parsed.errors.append(
                FormError(
                    workbook.BUILDINGS_SHEET,
                    b.row,
                    "A列（统一社会信用代码）",
                    f"企业“{b.credit_code}”不在名录中：请先在“{workbook.REGISTER_SHEET}”登记",
                )
            )
    if parsed.errors:
        raise RegisterRejected(parsed.errors)
    result = RegisterImport()
    with transaction.atomic():
        existing = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=in_file)}
        by_code: dict[str, Enterprise] = {}
        for row in parsed.enterprises:
            values = {f: getattr(row, f) for f in _ENTERPRISE_FIELDS}
            enterprise, change = _merge_row(
                user,
                existing.get(row.credit_code),
                lambda row=row, values=values: Enterprise(
                    credit_code=row.credit_code, sample=sample, **values
                ),
                values,
            )
            result.created += change == "created"
            result.updated += change == "updated"
            result.unchanged += change == "unchanged"
            by_code[row.credit_code] = enterprise
        missing = {b.credit_code for b in parsed.buildings} - set(by_code)
        by_code.update({e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=missing)})
        buildings = {
            (b.enterprise_id, b.name): b
            for b in Building.objects.filter(
                enterprise__in=[by_code[b.credit_code] for b in parsed.buildings]
            )
        }
        for row in parsed.buildings:
            enterprise = by_code[row.credit_code]
            values = {f: getattr(row, f) for f in _BUILDING_FIELDS}
            _, change = _merge_row(
                user,
                buildings.get((enterprise.pk, row.name)),
                lambda enterprise=enterprise, row=row, values=values: Building(
                    enterprise=enterprise, name=row.name, **values
                ),
                values,
            )
            result.buildings_created += change == "created"
            result.buildings_updated += change == "updated"
    return result


def _merge_row(user, existing, make, values: dict):
    """Create the row (``make()``) or update ``existing`` with ``values``, auditing what changed; returns the
    row and 'created', 'updated' or 'unchanged'."""
    if existing is None:
        row = make()
        row.save()
        audit.record(user, audit.Action.CREATE, row, after=audit.snapshot(row))
        return row, "created"
    if all(getattr(existing, f) == v for f, v in values.items()):
        return existing, "unchanged"
    before = audit.snapshot(existing)
    for f, v in values.items():
        setattr(existing, f, v)
    existing.save()
    audit.record(user, audit.Action.UPDATE, existing, before=before, after=audit.snapshot(existing))
    return existing, "updated"


def set_acceptance_tolerance(user, value_pct: float, source: str) -> AcceptanceTolerance:
    """Enter the 验收 tolerance with the document it comes from (no public source gives one)."""
    permissions.require(user, permissions.Action.MANAGE_ENTERPRISES)
    source = (source or "").strip()
    if not source:
        raise ValidationError("请填写容许偏差的依据文件（文号或名称）")
    if not 0 <= value_pct <= 100:
        raise ValidationError("容许偏差须在 0 至 100（%）之间")
    entry = AcceptanceTolerance.objects.create(value_pct=value_pct, source=source[:300], entered_by=user)
    audit.record(user, audit.Action.CREATE, entry, after=audit.snapshot(entry))
    return entry


def create_project(user, *, enterprise: Enterprise | None, sample: bool = False, **fields) -> TwoHighProject:
    """Put a project on the 两高 list (the admin edits it afterwards, audited the same way)."""
    permissions.require(user, permissions.Action.MANAGE_ENTERPRISES)
    project = TwoHighProject(enterprise=enterprise, sample=sample, **fields)
    project.full_clean()
    project.save()
    audit.record(user, audit.Action.CREATE, project, after=audit.snapshot(project))
    return project
