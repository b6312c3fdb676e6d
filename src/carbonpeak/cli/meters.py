"""Online-monitoring readings: import, withdraw, load cluster totals, print the SQL or the Spark job."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .common import opened


def cmd_meters(args: argparse.Namespace) -> int:
    """Online-monitoring data: import a file of readings, withdraw a batch, or print the aggregation's SQL
    for an engine (what an operator submits to a Spark cluster: docs/scale.md)."""
    if args.action == "sql":
        from carbonpeak.meters.aggregation import sql_for

        print(sql_for(args.engine))
        return 0
    if args.action == "spark-job":
        import shutil

        from carbonpeak.meters import spark_job
        from carbonpeak.meters.aggregation import sql_for

        folder = Path(args.target)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(spark_job.__file__, folder / "spark_job.py")
        (folder / "monthly_totals.sql").write_text(sql_for("spark"), encoding="utf-8")
        print(
            _("已写出 %(job)s 与 %(sql)s：用 spark-submit 提交（docs/scale.md）")
            % {"job": folder / "spark_job.py", "sql": folder / "monthly_totals.sql"}
        )
        return 0
    opened()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied, ValidationError

    from carbonpeak.meters import services
    from carbonpeak.meters.models import ReadingBatch

    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        print(
            _("错误：用户“%(user)s”不存在（--user 指定以其名义导入的协调员）") % {"user": args.user},
            file=sys.stderr,
        )
        return 2
    try:
        if args.action == "ingest":
            path = Path(args.target)
            if not path.is_file():
                print(_("错误：文件不存在：%(file)s") % {"file": path}, file=sys.stderr)
                return 2
            batch = services.ingest_path(user, path)
            print(
                _(
                    "已导入 %(file)s：批次 %(batch)s，%(rows)s 条读数，月份 %(months)s，%(enterprises)s 家企业；"
                    "月度用量与数据质量已重算"
                )
                % {
                    "file": path.name,
                    "batch": batch.batch,
                    "rows": batch.rows,
                    "months": pgettext("list separator", "、").join(batch.months),
                    "enterprises": batch.enterprises,
                }
            )
        elif args.action == "load-totals":
            record = services.load_totals(user, Path(args.target))
            print(
                _("已导入集群汇总结果：%(rows)s 行，月份 %(first)s 至 %(last)s")
                % {"rows": record.rows, "first": record.months[0], "last": record.months[-1]}
            )
        else:
            batch = ReadingBatch.objects.filter(batch=args.target).first()
            if batch is None:
                print(_("错误：批次“%(batch)s”不存在") % {"batch": args.target}, file=sys.stderr)
                return 2
            services.withdraw(user, batch)
            print(
                _("已撤回批次 %(batch)s（%(file)s）；涉及月份已重算")
                % {"batch": batch.batch, "file": batch.file_name}
            )
    except PermissionDenied as exc:
        print(_("错误：%(why)s") % {"why": exc}, file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(_("未导入：") + "\n" + "\n".join(exc.messages), file=sys.stderr)
        return 1
    return 0


def register(sub) -> None:
    """This module's commands on the ``carbonpeak`` parser."""
    mt = sub.add_parser("meters", help=_("在线监测：导入读数文件、撤回批次、输出汇总 SQL（DuckDB 或 Spark）"))
    mt_sub = mt.add_subparsers(dest="action", required=True)
    mi = mt_sub.add_parser(
        "ingest", help=_("导入读数文件（.csv UTF-8 或 .parquet，不限大小；任一行有误整个文件不导入）")
    )
    mi.add_argument("target", metavar="FILE")
    mi.add_argument("--user", default="coordinator", help=_("以其名义导入的协调员（默认 coordinator）"))
    mw = mt_sub.add_parser("withdraw", help=_("撤回一个批次（其读数移出列式存储，涉及月份重算）"))
    mw.add_argument("target", metavar="BATCH")
    mw.add_argument("--user", default="coordinator")
    ml = mt_sub.add_parser(
        "load-totals", help=_("导入 Spark 集群算出的月度用量（spark_job.py --out 的文件夹），替换其所含月份")
    )
    ml.add_argument("target", metavar="FOLDER")
    ml.add_argument("--user", default="coordinator")
    ms = mt_sub.add_parser(
        "sql", help=_("输出“读数 → 企业×月份×能源品种”汇总的 SQL（提交到 Spark 集群用 --engine spark）")
    )
    ms.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    mj = mt_sub.add_parser(
        "spark-job", help=_("写出提交到 Spark 集群的作业文件与 SQL（spark_job.py、monthly_totals.sql）")
    )
    mj.add_argument("target", metavar="FOLDER")
    mt.set_defaults(func=cmd_meters)
