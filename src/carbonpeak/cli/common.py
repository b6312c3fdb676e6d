"""What every command shares: Django set up, the one opening check, plan files, refusals in the language the
command was asked to speak (``carbonpeak --language en …``; Chinese by default)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from carbonpeak.core.text import Message, gettext_noop

BUNDLED_PLAN = Path(__file__).resolve().parents[1] / "plans" / "data" / "taicang-carbon-peak-plan.json"
NOT_INITIALISED = gettext_noop(
    "数据库尚未初始化：请先运行 make demo（或 carbonpeak demo）导入方案、载入数据，再运行本命令"
)
NO_PLAN = gettext_noop("尚未导入任何方案")


class Refused(Exception):
    """A command cannot run; ``main`` prints the message and exits with 2."""


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbonpeak.settings")
    import django

    django.setup()


def database_missing() -> str | None:
    """Why the database cannot answer yet (not migrated, unreachable); None when it can."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils.translation import gettext

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return gettext("无法连接数据库（%(error)s）：请检查 DATABASE_URL，或先运行 make demo") % {
            "error": type(exc).__name__
        }
    return gettext(NOT_INITIALISED) if pending else None


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
        from django.utils.translation import gettext

        raise Refused(gettext(NO_PLAN))
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
                raise doc.PlanParseError(
                    Message(
                        gettext_noop("JSON 格式错误：第 %(line)s 行：%(why)s"), line=exc.lineno, why=exc.msg
                    )
                ) from exc
    source = doc.read_plan_source(path)
    return doc.parse_plan(source.text, source.tables)


def refuse(args: argparse.Namespace, message: str) -> int:
    """A refusal: on stderr, and as a JSON object on stdout when --json asked for one."""
    from django.utils.translation import gettext

    print(gettext("错误：%(why)s") % {"why": message}, file=sys.stderr)
    if getattr(args, "json", False):
        json.dump({"error": message}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    return 2
