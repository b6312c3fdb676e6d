"""Database state a fixture builds, kept per worker and put back for the next test that needs it.

Building the demo (the plan, the sample energy data and its accounting, the observations, the grades and
the projections) takes 3–6 s; a hundred tests need it, on SQLite and again on PostgreSQL. The first test in
a worker builds it as before and records what the build changed, row by row, against the state it started
from; a later test that starts from the same state gets the same rows written back in one transaction (a
fraction of a second). The state a test starts from is checked first (each table's row count and largest
numbered key): anything else, and the fixture builds as usual, so a snapshot can only ever stand in for the build
it recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Count, Max


def _tables() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def _columns(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.local_concrete_fields]


def _rows(model: type[models.Model]) -> dict:
    names = _columns(model)
    key = names.index(model._meta.pk.attname)
    return {row[key]: row for row in model._base_manager.values_list(*names)}


def fingerprint() -> tuple:
    """Each table's row count and largest key: what a snapshot's starting state must match."""
    out = []
    for model in _tables():
        numbered = isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
        figures = model._base_manager.aggregate(n=Count("pk"), **({"top": Max("pk")} if numbered else {}))
        out.append((model._meta.db_table, figures["n"], figures.get("top")))
    return tuple(out)


@dataclass
class Change:
    """What a build did to one table."""

    model: type[models.Model]
    inserted: list[tuple] = field(default_factory=list)
    updated: list[tuple] = field(default_factory=list)
    deleted: list = field(default_factory=list)


def _record(before: dict[type, dict], after: dict[type, dict]) -> list[Change]:
    changes = []
    for model, rows in after.items():
        old = before[model]
        change = Change(
            model,
            inserted=[row for pk, row in rows.items() if pk not in old],
            updated=[row for pk, row in rows.items() if pk in old and old[pk] != row],
            deleted=[pk for pk in old if pk not in rows],
        )
        if change.inserted or change.updated or change.deleted:
            changes.append(change)
    return changes


def _write_back(changes: list[Change]) -> None:
    """The recorded rows written as they were: raw inserts (no auto_now, no signals), as loaddata does,
    inside one transaction so that foreign keys are checked once all rows are in."""
    with transaction.atomic():
        for change in changes:
            manager = change.model._base_manager
            names = _columns(change.model)
            if change.deleted:
                manager.filter(pk__in=change.deleted).delete()
            key = names.index(change.model._meta.pk.attname)
            for row in change.updated:
                values = dict(zip(names, row, strict=True))
                manager.filter(pk=row[key]).update(**{k: v for k, v in values.items() if k != names[key]})
            fields = change.model._meta.local_concrete_fields
            # the bound on variables in one statement: SQLite's 999 (older builds), PostgreSQL's 65,535
            batch = max(1, (60_000 if connection.vendor == "postgresql" else 900) // len(fields))
            for start in range(0, len(change.inserted), batch):
                objs = [
                    change.model(**dict(zip(names, row, strict=True)))
                    for row in change.inserted[start : start + batch]
                ]
                manager._insert(objs, fields=fields, raw=True)
        inserted = [c.model for c in changes if c.inserted]
        statements = connection.ops.sequence_reset_sql(no_style(), inserted)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


_kept: dict[tuple[str, tuple], list[Change]] = {}


def build_or_restore(name: str, build: Callable[[], None]) -> None:
    """Run `build`, or, when this worker already recorded it from the same starting state, write back what
    it did."""
    start = fingerprint()
    changes = _kept.get((name, start))
    if changes is not None:
        _write_back(changes)
        return
    tables = _tables()
    before = {m: _rows(m) for m in tables}
    build()
    _kept[(name, start)] = _record(before, {m: _rows(m) for m in tables})
