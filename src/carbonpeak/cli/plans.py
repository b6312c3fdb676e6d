"""Plans: import a plan into the registry, or parse one without a database."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from carbonpeak.core.language import said

from .common import database_ready, django_setup, load_plan, refuse


def cmd_plan_import(args: argparse.Namespace) -> int:
    """Import a plan; whatever the file holds, the answer is the structure or a message in the reader's language."""
    from django.core.exceptions import ValidationError

    from carbonpeak.plans import document as doc

    if not os.path.isfile(args.file):
        return refuse(args, _("找不到文件 %(file)s") % {"file": args.file})
    try:
        plan = load_plan(args.file)
    except doc.PlanParseError as exc:
        return refuse(args, _("无法识别方案 %(file)s：%(why)s") % {"file": args.file, "why": exc})
    except (OSError, RecursionError, MemoryError) as exc:
        return refuse(
            args, _("无法读取 %(file)s（%(error)s）") % {"file": args.file, "error": type(exc).__name__}
        )
    try:
        return _import_parsed(args, plan)
    except ValidationError as exc:
        return refuse(args, pgettext("list separator", "；").join(exc.messages))


def _import_parsed(args: argparse.Namespace, plan) -> int:
    django_setup()
    report = None
    if database_ready():
        from carbonpeak.plans.services import import_plan

        report = import_plan(
            plan,
            source_name=os.path.basename(args.file),
            region=args.region,
            dry_run=args.dry_run,
            force=args.force,
            user=os.environ.get("USER", ""),
            role=args.role,
        )
    elif not args.dry_run:
        print(_("错误：数据库尚未初始化，请先运行 carbonpeak migrate（或 make demo）"), file=sys.stderr)
        return 2
    if args.json:
        out = plan.to_dict()
        out["import"] = report.to_dict() if report else None
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print_summary(plan, report)
    return 0


def _print_summary(plan, report) -> None:
    counts = plan.to_dict()["counts"]
    print(_("方案：%(title)s") % {"title": plan.title})
    print(
        _(
            "章节 %(sections)s 个，重点行动 %(actions)s 项，行动下任务 %(tasks)s 项，其他章节条目 %(items)s 项，"
            "目标 %(targets)s 个（其中有年份的 %(dated_targets)s 个）"
        )
        % counts
    )
    for action in plan.actions:
        print(
            "  "
            + _("%(number)s%(title)s：%(tasks)s 项任务")
            % {"number": action.number, "title": action.title, "tasks": len(action.tasks)}
        )
    for warning in plan.warnings:
        print(_("提示：%(warning)s") % {"warning": said(warning)})
    if report is None:
        print(_("（试运行：数据库未初始化，仅解析，未比较）"))
        return
    c = report.counts()
    mode = _("试运行，未写入") if report.dry_run else _("已写入")
    if report.unchanged:
        print(_("与已导入的版本相同，没有变化（%(mode)s）") % {"mode": mode})
    else:
        print(
            _("%(mode)s：新增 %(added)s，修改 %(changed)s，删除 %(removed)s，保留手工更正 %(kept_manual)s")
            % {"mode": mode, **c}
            + (_("；版本 %(version)s") % {"version": report.version} if report.version else "")
        )
        for change in report.changes:
            if change["change"] != "added":
                print("  " + json.dumps(change, ensure_ascii=False))


def cmd_plan_parse(args: argparse.Namespace) -> int:
    """Parse a plan document and write its structured data (used for the committed Taicang data)."""
    from carbonpeak.plans import document as doc

    try:
        source = doc.read_plan_source(args.file)
        plan = doc.parse_plan(source.text, source.tables)
    except (OSError, doc.PlanParseError) as exc:
        print(_("错误：%(why)s") % {"why": exc}, file=sys.stderr)
        return 2
    data = plan.to_dict()
    data["source"] = os.path.basename(args.file)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(_("已写入 %(file)s") % {"file": args.out})
    else:
        sys.stdout.write(text)
    return 0


def register(sub) -> None:
    """This module's commands on the ``carbonpeak`` parser."""

    plan = sub.add_parser("plan", help=_("方案：导入与解析"))
    plan_sub = plan.add_subparsers(dest="plan_command", required=True)
    imp = plan_sub.add_parser(
        "import", help=_("导入方案文件（文字版 PDF、.docx、UTF-8/GB18030 文本或结构化 .json）")
    )
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help=_("只解析并比较，不写入数据库"))
    imp.add_argument("--json", action="store_true", help=_("以 JSON 输出完整结构"))
    imp.add_argument("--region", help=_("地区（默认从标题识别）"))
    imp.add_argument("--force", action="store_true", help=_("即使与上一版相同也重新合并"))
    imp.add_argument(
        "--role",
        choices=("own", "sector", "reference"),
        help=_(
            "方案类别：own 本市综合方案（平台按它运行）、sector 本市专项方案、reference 上级方案（参照）；"
            "默认：尚无综合方案时为 own，否则为 sector"
        ),
    )
    imp.set_defaults(func=cmd_plan_import)
    parse = plan_sub.add_parser("parse", help=_("解析方案并输出结构化数据（不访问数据库）"))
    parse.add_argument("file")
    parse.add_argument("--out", help=_("写入文件而不是标准输出"))
    parse.set_defaults(func=cmd_plan_parse)
