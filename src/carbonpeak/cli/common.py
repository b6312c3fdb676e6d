"""What every command shares: Django set up, the one opening check, plan files, refusals in Chinese."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

BUNDLED_PLAN = Path(__file__).resolve().parents[1] / "plans" / "data" / "taicang-carbon-peak-plan.json"
NOT_INITIALISED = "数据库尚未初始化：请先运行 make demo（或 carbonpeak demo）导入方案、载入数据，再运行本命令"
NO_PLAN = "尚未导入任何方案"


class Refused(Exception):
    """A command cannot run; ``main`` prints the message in Chinese and exits with 2."""


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbonpeak.settings")
    import django

    django.setup()


def database_missing() -> str | None:
    """Why the database cannot answer yet (not migrated, unreachable), in Chinese; None when it can."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return f"无法连接数据库（{type(exc).__name__}）：请检查 DATABASE_URL，或先运行 make demo"
    return NOT_INITIALISED if pending else None


def opened(*, plan: bool = False):
    """The one opening of a command that reads the site: Django set up and the database ready, and with
    ``plan`` the plan the platform runs (returned); otherwise :class:`Refused` says why."""
    django_setup()
    if (why := database_missing()) is not None:
        raise Refused(why)
    if not plan:
        return None
    from carbonpeak.plans.selectors import current_plan

    found = current_plan()
    if found is None:
        raise Refused(NO_PLAN)
    return found


def database_ready() -> bool:
    from django.db import connection
    from django.db.utils import DatabaseError

    try:
        return "plans_plan" in connection.introspection.table_names()
    except DatabaseError:
        return False


def load_plan(path: str):
    from carbonpeak.plans import document as doc

    if path.lower().endswith(".json"):
        with open(path, encoding="utf-8") as fh:
            try:
                return doc.plan_from_dict(json.load(fh))
            except json.JSONDecodeError as exc:
                raise doc.PlanParseError(f"JSON 格式错误：第 {exc.lineno} 行：{exc.msg}") from exc
    source = doc.read_plan_source(path)
    return doc.parse_plan(source.text, source.tables)


def refuse(args: argparse.Namespace, message: str) -> int:
    """A refusal in Chinese: on stderr, and as a JSON object on stdout when --json asked for one."""
    print(f"错误：{message}", file=sys.stderr)
    if getattr(args, "json", False):
        json.dump({"error": message}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    return 2
