"""The quarterly report (.docx and .xlsx) written into a folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from carbonpeak.core.language import said

from .common import opened


def cmd_report(args: argparse.Namespace) -> int:
    """Write the quarterly report (.docx) and its data (.xlsx) for one quarter into a folder."""
    plan = opened(plan=True)
    import shutil

    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from carbonpeak.reports import services
    from carbonpeak.reports.models import QuarterlyReport

    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        print(
            _("错误：用户“%(user)s”不存在（--user 指定以其名义生成报告的协调员）") % {"user": args.user},
            file=sys.stderr,
        )
        return 2
    try:
        job = services.request_report(
            plan, args.period, user, background=False, language=args.lang or get_language() or ""
        )
    except (services.ReportError, PermissionDenied) as exc:
        print(_("错误：%(why)s") % {"why": exc}, file=sys.stderr)
        return 2
    if job.status != QuarterlyReport.State.DONE:
        print(_("错误：%(why)s") % {"why": said(job.message)}, file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for kind in ("docx", "xlsx"):
        target = out / services.file_name(job, kind)
        with services.open_file(job, kind) as source, open(target, "wb") as copy:
            shutil.copyfileobj(source, copy)
        print(target)
    print(
        _("报告记录 %(report)s，用时 %(seconds)s 秒；数据版本：")
        % {"report": job.pk, "seconds": f"{job.elapsed_ms / 1000:.1f}"}
    )
    for key, value in job.data_version.items():
        print(f"  {key}: {value}")
    return 0


def register(sub) -> None:
    """This module's commands on the ``carbonpeak`` parser."""

    rp = sub.add_parser("report", help=_("生成季度报告（.docx）与数据表（.xlsx）"))
    rp.add_argument("--period", required=True, help=_("报告期，如 2025Q3"))
    rp.add_argument("--out", default=".", help=_("输出目录（默认当前目录）"))
    rp.add_argument("--user", default="coordinator", help=_("以其名义生成的协调员用户名（记入审计日志）"))
    rp.add_argument(
        "--lang",
        default="",
        help=_(
            "报告语言：zh-hans 或 en（默认为 --language 所选，否则中文）；数字相同，方案原文与名称保持原文"
        ),
    )
    rp.set_defaults(func=cmd_report)
