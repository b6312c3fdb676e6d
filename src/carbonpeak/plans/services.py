"""Writing the plan registry: the only code that writes the plans app's tables.

``import_plan`` merges a parsed document into the registry. Each imported row keeps
the values it was last imported with; on a re-import a field is updated only when
the document changed it and nobody corrected it by hand since, so corrections made
in the admin survive, and the changes are listed and kept with the new version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from carbonpeak.accounts import permissions
from carbonpeak.core import audit, events
from carbonpeak.core.errors import DomainError
from carbonpeak.departments.models import Department, DepartmentAlias

from . import document as doc
from .models import Action, Plan, PlanRole, PlanVersion, Responsibility, Role, Section, Target, Task


@dataclass
class ImportReport:
    plan_id: int | None
    plan_title: str
    version: int | None
    unchanged: bool
    dry_run: bool
    changes: list[dict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {"added": 0, "changed": 0, "removed": 0, "kept_manual": 0}
        for c in self.changes:
            out[c["change"]] += 1
        return out

    def to_dict(self) -> dict:
        return {
            "plan_id": self.plan_id,
            "plan_title": self.plan_title,
            "version": self.version,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "counts": self.counts(),
            "changes": self.changes,
        }


def structure_sha256(plan: doc.PlanDocument) -> str:
    """Digest of the parsed structure: the same document gives the same digest in any encoding."""
    payload = json.dumps(plan.to_dict(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def resolve_department(
    name: str, cache: dict[str, Department] | None = None, *, create: bool = True
) -> Department:
    """The department a document name refers to, through its aliases; created when new (an unsaved one
    when ``create`` is False, for a dry run)."""
    if cache is not None and name in cache:
        return cache[name]
    department = Department.objects.filter(name=name).first()
    if department is None:
        alias = DepartmentAlias.objects.select_related("department").filter(name=name).first()
        department = alias.department if alias else None
    if department is None:
        department = Department(name=name, kind=doc.classify_department(name))
        if create:
            department.save()
    if cache is not None:
        cache[name] = department
    return department


def _records_of(department: Department) -> list[str]:
    """What besides the plan's responsibilities and the aliases belongs to a department (users, progress
    reports, indicators, warnings…), by name: deleting it would lose or orphan them."""
    kinds = []
    for rel in department._meta.related_objects:
        if rel.many_to_many or rel.related_model in (Responsibility, DepartmentAlias):
            continue
        if rel.related_model._base_manager.filter(**{rel.field.name: department}).exists():
            kinds.append(str(rel.related_model._meta.verbose_name))
    return sorted(set(kinds))


@transaction.atomic
def merge_departments(keep: Department, others: list[Department], user) -> Department:
    """Fold ``others`` into ``keep``: their tasks move over and their names become aliases (audited)."""
    permissions.require(user, permissions.Action.MANAGE_PLAN)
    for other in others:
        if other.pk != keep.pk and (used := _records_of(other)):
            raise DomainError(
                f"“{other.name}”仍有{'、'.join(used)}，不能合并（合并只移交任务分工和名称，"
                f"不会改动这些记录）：请先将它们改到“{keep.name}”名下"
            )
    for other in others:
        if other.pk == keep.pk:
            continue
        moved = [
            [r.task.label, r.role]
            for r in Responsibility.objects.filter(department=other).select_related("task")
        ]
        audit.record(
            user,
            audit.Action.MERGE,
            keep,
            before={"merged": other.name, "merged_id": other.pk, "responsibilities": moved},
            after={"kept": keep.name, "alias": other.name},
            comment=f"{other.name} 并入 {keep.name}",
        )
        for resp in Responsibility.objects.filter(department=other):
            clash = Responsibility.objects.filter(task=resp.task, department=keep, role=resp.role).first()
            if clash:
                resp.delete()
            else:
                resp.department = keep
                resp.save(update_fields=["department"])
        DepartmentAlias.objects.filter(department=other).update(department=keep)
        name = other.name
        other.delete()
        DepartmentAlias.objects.get_or_create(name=name, defaults={"department": keep})
    return keep


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _merge(obj, values: dict, changes: list[dict], entity: str, key: str) -> bool:
    """Three-way merge of imported values into obj. Returns True when obj must be saved."""
    previous = obj.imported or {}
    fresh = obj.pk is None
    dirty = fresh
    changed: dict[str, list] = {}
    for name, new in values.items():
        current = _plain(getattr(obj, name))
        new = _plain(new)
        if fresh:
            setattr(obj, name, values[name])
            continue
        was = previous.get(name, current)
        if new == was:
            continue
        if current != was:
            changes.append(
                {
                    "entity": entity,
                    "key": key,
                    "change": "kept_manual",
                    "field": name,
                    "document": new,
                    "kept": current,
                }
            )
            continue
        changed[name] = [current, new]
        setattr(obj, name, values[name])
        dirty = True
    if changed:
        changes.append({"entity": entity, "key": key, "change": "changed", "fields": changed})
    if fresh:
        changes.append({"entity": entity, "key": key, "change": "added"})
    new_imported = {k: _plain(v) for k, v in values.items()}
    if new_imported != previous:
        obj.imported = new_imported
        dirty = True
    return dirty


def _fit(model, values: dict) -> dict:
    """Values cut to their columns' lengths: a document's overlong heading never fails the import."""
    out = {}
    for name, value in values.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        out[name] = value[:limit] if limit and isinstance(value, str) else value
    return out


def _target_values(t: doc.Target) -> dict:
    return _fit(
        Target,
        {
            "year": t.year if t.year is None or 1900 <= t.year <= 2200 else None,
            "indicator": t.indicator,
            "comparator": t.comparator,
            "value": t.value,
            "value_max": t.value_max,
            "unit": t.unit,
            "commitment": t.commitment,
            "kind": t.kind,
            "base_year": t.base_year if t.base_year is None or 1900 <= t.base_year <= 2200 else None,
            "issuer": t.issuer,
            "base_value": t.base_value,
            "attribute": t.attribute,
            "sentence": t.sentence,
        },
    )


def _target_key(owner: str, t: doc.Target, seen: set[str]) -> str:
    base = f"{owner}|{t.year or ''}|{t.indicator}|{t.comparator}"
    key, n = base, 1
    while key in seen:
        n += 1
        key = f"{base}#{n}"
    seen.add(key)
    return key[:300]


def import_plan(
    plan_doc: doc.PlanDocument,
    *,
    source_name: str,
    region: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    user: str = "",
    role: str | None = None,
) -> ImportReport:
    """Merge a parsed plan into the registry and record a version when anything changed.

    ``role``: why the city keeps it (``PlanRole``); a new plan without one is the city's own when the city
    has none yet, else a sector plan beside it; a plan imported again keeps its role unless one is given."""
    region = (region or doc.guess_region(plan_doc) or "未注明地区")[
        : Plan._meta.get_field("region").max_length
    ]
    plan_doc.title = plan_doc.title[: Plan._meta.get_field("title").max_length]
    digest = structure_sha256(plan_doc)
    plan = Plan.objects.filter(region=region, title=plan_doc.title).first()
    latest = plan.versions.order_by("-number").first() if plan else None
    if latest and latest.source_sha256 == digest and not force and (role is None or role == plan.role):
        return ImportReport(plan.pk, plan.title, latest.number, unchanged=True, dry_run=dry_run)
    report = ImportReport(None, plan_doc.title, None, unchanged=False, dry_run=dry_run)
    if dry_run:
        # a dry run reads and compares: it saves, creates and deletes nothing, not even inside a rollback
        _apply(plan_doc, region, digest, source_name, user, report, write=False, role=role)
        report.plan_id = None if plan is None else plan.pk
    else:
        try:
            with transaction.atomic():
                _apply(plan_doc, region, digest, source_name, user, report, write=True, role=role)
                events.emit("plan_imported", plan_id=report.plan_id)
        except IntegrityError as exc:
            raise DomainError(
                _("方案结构无法写入（编号冲突）：%(exc)s；请检查文件中重复的编号") % {"exc": exc}
            ) from exc
    if not report.changes and latest is not None:
        report.unchanged = True
    return report


def _apply(
    plan_doc: doc.PlanDocument,
    region: str,
    digest: str,
    source_name: str,
    user: str,
    report,
    *,
    write: bool,
    role: str | None = None,
) -> None:
    """Merge the document into the registry, or (``write=False``) only list what merging would change."""
    merge = _Merge(report.changes, write)
    plan = merge.plan_row(plan_doc, region, role)
    report.plan_id = plan.pk
    merge.load_existing(plan)
    for s_order, s in enumerate(plan_doc.sections, start=1):
        merge.section(plan, s, s_order)
    merge.remove_what_is_gone()
    merge.record_version(plan, plan_doc, digest, source_name, user, report)


class _Merge:
    """One merge of a parsed document into the registry: each row is compared with what is stored, its
    changes listed, and (when writing) saved; rows the document no longer has are removed at the end."""

    def __init__(self, changes: list[dict], write: bool) -> None:
        self.changes, self.write = changes, write
        self.departments: dict[str, Department] = {}
        self.seen: dict[str, set[str]] = {"section": set(), "action": set(), "task": set(), "target": set()}
        self.existing: dict[str, dict] = {"section": {}, "action": {}, "task": {}, "target": {}}
        self.order = {"task": 0, "target": 0}
        self.stored = False

    def save(self, obj) -> None:
        if self.write:
            obj.save()

    def plan_row(self, plan_doc: doc.PlanDocument, region: str, role: str | None) -> Plan:
        plan = Plan.objects.filter(region=region, title=plan_doc.title).first() or Plan(
            region=region, title=plan_doc.title
        )
        try:
            issue_date = dt.date.fromisoformat(plan_doc.issue_date) if plan_doc.issue_date else None
        except ValueError:
            issue_date = None
        values = _fit(Plan, {"document_number": plan_doc.document_number, "issue_date": issue_date})
        dirty = _merge(plan, values, self.changes, "plan", "")
        if plan.pk is None and role is None:
            role = PlanRole.SECTOR if Plan.objects.filter(role=PlanRole.OWN).exists() else PlanRole.OWN
        if role is not None and role != plan.role:
            if plan.pk is not None:
                self.changes.append(
                    {"entity": "plan", "key": "", "change": "changed", "fields": {"role": [plan.role, role]}}
                )
            plan.role, dirty = role, True
        if dirty:
            self.save(plan)
        return plan

    def load_existing(self, plan: Plan) -> None:
        self.stored = plan.pk is not None
        if not self.stored:
            return
        self.existing["section"] = {s.key: s for s in plan.sections.all()}
        self.existing["action"] = {a.key: a for a in plan.actions.all()}
        self.existing["task"] = {t.key: t for t in plan.tasks.all()}
        # totals handed down later are the coordinator's, not the document's: a re-import keeps them
        self.existing["target"] = {t.key: t for t in plan.targets.exclude(key__startswith=HANDED_DOWN_PREFIX)}

    def section(self, plan: Plan, s, s_order: int) -> None:
        section = self.existing["section"].get(s.key) or Section(plan=plan, key=s.key)
        self.seen["section"].add(s.key)
        text = s.text
        if s.subsections:
            text = "\n".join(
                [s.text] + [f"{sub.number}{sub.title}\n{sub.text}" for sub in s.subsections]
            ).strip()
        values = _fit(Section, {"number": s.number, "title": s.title, "text": text, "kind": s.kind})
        dirty = _merge(section, values, self.changes, "section", s.key)
        if section.order != s_order:
            section.order, dirty = s_order, True
        if dirty:
            self.save(section)
        self.targets(plan, s.targets, section, None, s.key)
        for a_order, a in enumerate(s.actions, start=1):
            action = self.action(plan, a, section, a_order)
            for t in a.tasks:
                self.task(plan, t, section, action)
        for t in s.items:
            self.task(plan, t, section, None)

    def action(self, plan: Plan, a, section: Section, a_order: int) -> Action:
        action = self.existing["action"].get(a.key) or Action(plan=plan, key=a.key)
        self.seen["action"].add(a.key)
        values = _fit(Action, {"number": a.number, "title": a.title, "text": a.text})
        dirty = _merge(action, values, self.changes, "action", a.key)
        if action.section_id != section.pk or action.order != a_order:
            action.section, action.order, dirty = section, a_order, True
        if dirty:
            self.save(action)
        return action

    def task(self, plan: Plan, t: doc.Task, section: Section, action: Action | None) -> None:
        task = self.existing["task"].get(t.key) or Task(plan=plan, key=t.key)
        self.seen["task"].add(t.key)
        self.order["task"] += 1
        values = _fit(
            Task,
            {
                "number": t.number,
                "title": t.title,
                "text": t.text,
                "clause": t.clause,
                "due_date": _iso_date(t.due),
                "deadline": t.deadline,
            },
        )
        dirty = _merge(task, values, self.changes, "task", t.key)
        if task.section_id != section.pk or task.action_id != (action.pk if action else None):
            task.section, task.action, dirty = section, action, True
        if task.order != self.order["task"]:
            task.order, dirty = self.order["task"], True
        if dirty:
            self.save(task)
        _sync_responsibilities(task, t, self.departments, self.changes, write=self.write)
        self.targets(plan, t.targets, section, task, t.key)

    def targets(self, plan: Plan, targets: list[doc.Target], section: Section, task: Task | None, owner: str):
        for t in targets:
            key = _target_key(owner, t, self.seen["target"])
            target = self.existing["target"].get(key) or Target(plan=plan, key=key)
            self.order["target"] += 1
            dirty = _merge(target, _target_values(t), self.changes, "target", key)
            if target.section_id != section.pk or target.task_id != (task.pk if task else None):
                target.section, target.task, dirty = section, task, True
            if target.order != self.order["target"]:
                target.order, dirty = self.order["target"], True
            if dirty:
                self.save(target)

    def remove_what_is_gone(self) -> None:
        """What the document no longer has goes, innermost first (a task's targets before the task)."""
        for entity in ("target", "task", "action", "section"):
            for key, obj in self.existing[entity].items():
                if key not in self.seen[entity]:
                    self.changes.append({"entity": entity, "key": key, "change": "removed"})
                    if self.write:
                        obj.delete()

    def record_version(self, plan: Plan, plan_doc, digest: str, source_name: str, user: str, report) -> None:
        latest = plan.versions.order_by("-number").first() if self.stored else None
        if not self.write:
            report.version = (latest.number + 1) if latest and latest.source_sha256 != digest else None
            return
        if latest is None or latest.source_sha256 != digest:
            version = PlanVersion.objects.create(
                plan=plan,
                number=(latest.number + 1) if latest else 1,
                source_name=source_name[:255],
                source_sha256=digest,
                structure=plan_doc.to_dict(),
                changes=self.changes if latest else [],
                imported_by=user,
            )
            report.version = version.number
        else:
            report.version = latest.number


def _sync_responsibilities(task: Task, t: doc.Task, cache: dict, changes: list[dict], *, write: bool) -> None:
    wanted: list[tuple[Department, str, int]] = []
    for role, names in ((Role.LEAD, t.lead), (Role.SUPPORT, t.support), (Role.IMPLEMENT, t.implement)):
        for i, name in enumerate(names):
            wanted.append((resolve_department(name, cache, create=write), role, i))
    existing = list(task.responsibilities.all()) if task.pk else []
    manual_departments = {r.department_id for r in existing if r.source == Responsibility.Source.MANUAL}
    by_key = {(r.department_id, r.role): r for r in existing}
    wanted_keys = set()
    for department, role, i in wanted:
        key = (department.pk or department.name, role)
        wanted_keys.add(key)
        resp = by_key.get(key)
        if resp is None:
            if department.pk in manual_departments:
                continue  # the coordinator set this department's role by hand
            if write:
                Responsibility.objects.create(
                    task=task, department=department, role=role, source=Responsibility.Source.IMPORT, order=i
                )
            changes.append(
                {"entity": "responsibility", "key": f"{t.key}|{department.name}|{role}", "change": "added"}
            )
        elif resp.order != i and resp.source == Responsibility.Source.IMPORT and write:
            resp.order = i
            resp.save(update_fields=["order"])
    for key, resp in by_key.items():
        if key not in wanted_keys and resp.source == Responsibility.Source.IMPORT:
            changes.append(
                {
                    "entity": "responsibility",
                    "key": f"{t.key}|{resp.department.name}|{resp.role}",
                    "change": "removed",
                }
            )
            if write:
                resp.delete()


HANDED_DOWN_PREFIX = "下达/"
# the totals a higher level may hand down, each graded against the accounts (monitoring.indicators.TOTALS)
HANDED_DOWN_TOTALS = {  # indicator → unit (the names shown in the reader's language: gettext_noop marks them)
    gettext_noop("能源消费总量"): "万吨标准煤",
    gettext_noop("化石能源消费总量"): "万吨标准煤",
    gettext_noop("二氧化碳排放总量"): "万吨",
}


@transaction.atomic
def set_handed_down_total(
    plan: Plan, indicator: str, year: int, *, value: float, issuer: str, document: str, user
) -> Target:
    """A total handed down for a year (下达的能源消费总量, 化石能源消费总量 or 二氧化碳排放总量): a target of
    the plan the grading checks as a cap; entered again, the value is replaced (audited)."""
    permissions.require(user, permissions.Action.MANAGE_PLAN)
    if indicator not in HANDED_DOWN_TOTALS:
        raise DomainError(_("只能录入：%(names)s") % {"names": "、".join(HANDED_DOWN_TOTALS)})
    if not 2000 <= year <= 2100:
        raise DomainError(_("年份须在 2000–2100 之间"))
    if not value > 0 or value != value or value == float("inf"):
        raise DomainError(_("下达总量须为正数"))
    if not issuer.strip() or not document.strip():
        raise DomainError(_("请填写下达单位和下达文件（文号）"))
    key = f"{HANDED_DOWN_PREFIX}{indicator}/{year}"
    target = Target.objects.filter(plan=plan, key=key).first()
    before = audit.snapshot(target, ("value", "issuer", "sentence")) if target else None
    if target is None:
        # a plan without targets yet: the new one is the first (an order, not a figure)
        last = plan.targets.order_by("-order").values_list("order", flat=True).first() or 0
        target = Target(plan=plan, key=key, order=last + 1)
    target.indicator, target.year, target.comparator = indicator, year, "<="
    target.value, target.unit, target.kind = value, HANDED_DOWN_TOTALS[indicator], "external"
    target.issuer, target.commitment = issuer.strip()[:50], "下达"
    target.sentence = (
        f"{issuer.strip()}下达{year}年{indicator}不高于{value:g}{target.unit}（{document.strip()}）"[:500]
    )
    target.save()
    after = audit.snapshot(target, ("value", "issuer", "sentence"))
    audit.record(
        user, audit.Action.UPDATE if before else audit.Action.CREATE, target, before=before, after=after
    )
    events.emit("handed_down_total_set", target_id=target.pk, document=document.strip()[:200])
    return target


@transaction.atomic
def set_external_target_value(
    plan: Plan,
    indicator: str,
    year: int,
    *,
    value: float,
    unit: str,
    user,
    base_year: int | None = None,
) -> int:
    """Enter the value of a target the plan leaves to a higher level (确保完成苏州市下达的指标).

    The row's imported snapshot is left alone, so a re-import keeps this value as a coordinator's correction.
    Returns how many targets were updated; each change is audited.
    """
    permissions.require(user, permissions.Action.MANAGE_PLAN)
    fields = ("value", "unit", "base_year")
    targets = list(Target.objects.filter(plan=plan, indicator=indicator, year=year, comparator="external"))
    for target in targets:
        before = audit.snapshot(target, fields)
        target.value, target.unit, target.base_year = value, unit, base_year
        target.save(update_fields=list(fields))
        audit.record(user, audit.Action.UPDATE, target, before=before, after=audit.snapshot(target, fields))
    if targets:
        events.emit("target_value_set", target_id=targets[0].pk, user_id=audit.user_id(user))
    return len(targets)
