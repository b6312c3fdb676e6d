"""Running a site: the demo, the server, the worker and its schedule, the event chain, backup and restore."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from django.utils.translation import gettext as _

from carbonpeak.core.language import said

from .common import BUNDLED_PLAN, django_setup, load_plan


def cmd_demo(args: argparse.Namespace) -> int:
    """Prepare the demo database: migrate, import the Taicang plan, create the demo users, load the demo data."""
    django_setup()
    from django.core.management import call_command

    from carbonpeak.demo import ensure_demo_users, load_demo_data
    from carbonpeak.plans.services import import_plan

    call_command("migrate", interactive=False, verbosity=0)
    plan = load_plan(str(BUNDLED_PLAN))
    report = import_plan(plan, source_name=BUNDLED_PLAN.name, region="太仓市", user="demo")
    state = (
        _("已是最新") if report.unchanged else _("已导入（版本 %(version)s）") % {"version": report.version}
    )
    print(_("方案：%(title)s %(state)s") % {"title": plan.title, "state": state})
    from carbonpeak.core.regions import ensure_regions

    ensure_regions()
    logins = ensure_demo_users()
    load_demo_data(report.plan_id)
    print(_("演示账号（用户名 / 密码 / 角色）："))
    from carbonpeak.demo import DEMO_ENTERPRISE_LOGIN

    for login in (*logins, DEMO_ENTERPRISE_LOGIN):
        print(f"  {login.username:<12} {login.password:<18} {login.role}  {login.note}")
    if args.serve:
        call_command("collectstatic", interactive=False, verbosity=0)
        return _serve(args.port)
    return 0


SCHEDULE_SECONDS = 600  # how often the worker looks whether the day's re-grade is due


def _start_daily_schedule() -> None:
    """Beside the worker's loop: the day's re-grade is enqueued once the day has none (grades depend on the
    date as well as the data, and pages only read them)."""
    import threading
    import time

    from django.db import connection

    from carbonpeak.monitoring.services import regrade_if_new_day

    def loop() -> None:
        while True:
            try:
                regrade_if_new_day()
            except Exception as exc:  # a database away for a moment: try again at the next turn
                print(
                    _("后台任务：每日评估未能排队（%(why)s），稍后重试") % {"why": exc},
                    file=sys.stderr,
                    flush=True,
                )
            finally:
                connection.close()
            time.sleep(SCHEDULE_SECONDS)

    threading.Thread(target=loop, name="daily-regrade", daemon=True).start()


def cmd_events(args: argparse.Namespace) -> int:
    """What follows each domain event, in order: the chain each app declares in its events.py."""
    django_setup()
    from carbonpeak.core import events

    for event, steps in events.chain().items():
        print(event)
        for n, step in enumerate(steps, 1):
            print(f"  {n}. {step}")
        if not steps:
            print("  " + _("（无）"))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """The background worker: recover jobs a stopped worker left, then run jobs as they are enqueued."""
    django_setup()
    from django.core.management import call_command

    from carbonpeak.core import jobs, uploads

    worker_id = jobs.new_worker_id()
    beating = jobs.start_heartbeat(worker_id, also=lambda: _recover(jobs))  # a batch beats too
    _recover(jobs)
    removed, interrupted, pruned = uploads.sweep()  # files a stopped worker left behind
    if removed or interrupted:
        print(
            _("文件导入：清理暂存文件 %(removed)s 个，中断的导入 %(interrupted)s 个（须重新上传）")
            % {"removed": removed, "interrupted": interrupted},
            flush=True,
        )
    if pruned:
        print(
            _("文件导入：删除 %(days)s 天前完成的导入记录 %(pruned)s 条")
            % {"days": uploads.KEEP_FINISHED.days, "pruned": pruned},
            flush=True,
        )
    if not args.batch:
        _start_daily_schedule()
    try:
        call_command(
            "db_worker",
            batch=args.batch,
            startup_delay=not args.batch,  # several workers started together do not all poll at once
            interval=args.interval,
            worker_id=worker_id,
            verbosity=1,
        )
    finally:
        beating.set()
        jobs.stopped(worker_id)
    return 0


def _recover(jobs) -> None:
    from carbonpeak.core import uploads

    retried, failed = jobs.recover_interrupted()
    if retried or failed:
        print(
            _("后台任务：已停止的任务进程留下的任务已重新排队 %(retried)s 个，标记失败 %(failed)s 个")
            % {"retried": retried, "failed": failed},
            flush=True,
        )
    if interrupted := uploads.mark_interrupted():
        print(
            _("文件导入：已停止的任务进程中断的导入 %(interrupted)s 个（须重新上传）")
            % {"interrupted": interrupted},
            flush=True,
        )


def _backup_summary(summary) -> None:
    from carbonpeak.core.backup import VENDOR_NAMES

    secret = _("含密钥") if summary.secret_key else _("不含密钥")
    print(
        "  "
        + _(
            "%(where)s：%(vendor)s 数据库 %(tables)s 张表 %(rows)s 行，文件 %(files)s 个（%(mb)s MB），%(secret)s；"
            "备份时间 %(created_at)s"
        )
        % {
            "where": summary.where,
            "vendor": VENDOR_NAMES[summary.vendor],
            "tables": summary.tables,
            "rows": summary.rows,
            "files": summary.files,
            "mb": f"{summary.file_bytes / 2**20:.1f}",
            "secret": secret,
            "created_at": summary.created_at,
        }
    )
    for note in summary.notes:
        print("  " + _("注意：%(note)s") % {"note": said(note)})


def cmd_backup(args: argparse.Namespace) -> int:
    """One archive of the database, the evidence and report files and the secret key (docs/operations.md)."""
    django_setup()
    from carbonpeak.core import backup

    if args.list:
        kept = backup.kept_backups()
        print("\n".join(kept) if kept else _("文件存储中没有备份"))
        return 0
    try:
        summary = backup.create(Path(args.out)) if args.out else backup.create_kept()
    except backup.BackupError as error:
        print(_("备份失败：%(why)s") % {"why": said(error)}, file=sys.stderr)
        return 1
    print(_("备份完成："))
    _backup_summary(summary)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace this site's data with a backup's, migrate, and check every table against the backup."""
    django_setup()
    from carbonpeak.core import backup

    local = Path(args.archive)
    try:
        if local.is_file() or args.archive.startswith(("/", ".")):
            summary = backup.restore(local, force=args.force)
        else:  # a name ``carbonpeak backup`` printed: kept in the file store
            summary = backup.restore_kept(args.archive.removeprefix("backups/"), force=args.force)
    except backup.BackupError as error:
        print(_("恢复失败：%(why)s") % {"why": said(error)}, file=sys.stderr)
        return 1
    print(_("恢复完成，各表行数与备份一致："))
    _backup_summary(summary)
    print("  " + _("请重新启动服务（carbonpeak serve）"))
    return 0


def _server_size() -> list[str]:
    """gunicorn's workers and threads for this machine (``CARBONPEAK_WEB_WORKERS`` / ``_THREADS`` override):
    measured with benchmarks/bench_web.py, see docs/operations.md."""
    cores = os.cpu_count() or 1
    # one sync worker per core (at least two, so that one slow request cannot hold every page): on 2 cores,
    # 2 answered 205 requests/s with 20 users against 162 for 3, and threads did worse still (the GIL)
    workers = int(os.environ.get("CARBONPEAK_WEB_WORKERS", str(max(2, cores))))
    threads = int(os.environ.get("CARBONPEAK_WEB_THREADS", "1"))
    # a request is stopped after 2 minutes: the largest upload takes ~6 s under load, nothing may hold a worker
    size = ["--workers", str(workers), "--timeout", "120"]
    if threads > 1:
        size += ["--worker-class", "gthread", "--threads", str(threads)]
    return size


def _serve(
    port: int, *, host: str = "127.0.0.1", with_worker: bool = True, workers: int | None = None
) -> int:
    import atexit
    import subprocess

    from gunicorn.app.wsgiapp import run

    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    note = _("未启动后台任务进程：请另行运行 carbonpeak worker")
    if with_worker:  # the background worker beside the web server, stopped with it (the demo, one machine)
        worker = subprocess.Popen(
            [sys.executable, "-c", "import sys; from carbonpeak.cli import main; sys.exit(main(['worker']))"]
        )
        atexit.register(worker.terminate)
        note = _("后台任务进程 %(pid)s") % {"pid": worker.pid}
    print(
        _("CarbonPeak 已启动：http://%(bind)s/  （%(note)s；Ctrl+C 停止）") % {"bind": bind, "note": note},
        flush=True,
    )
    size = _server_size()
    if workers is not None:
        size[1] = str(workers)
    sys.argv = [
        "gunicorn",
        "carbonpeak.wsgi:application",
        "--bind",
        bind,
        *size,
        "--access-logfile",
        "-",
    ]
    run()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    django_setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    if args.workers is not None and not 1 <= args.workers <= 64:
        print(_("--workers 须为 1–64 之间的整数"), file=sys.stderr)
        return 2
    return _serve(args.port, host=args.bind, with_worker=args.with_worker, workers=args.workers)


def register(sub) -> None:
    """This module's commands on the ``carbonpeak`` parser."""

    demo = sub.add_parser("demo", help=_("准备演示数据库（迁移、导入太仓方案、创建演示账号）"))
    demo.add_argument("--serve", action="store_true", help=_("准备完成后启动服务"))
    demo.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    demo.set_defaults(func=cmd_demo)

    wk = sub.add_parser(
        "worker", help=_("后台任务进程：重算、评估、达峰预测与季度报告（carbonpeak serve 会自动启动）")
    )
    wk.add_argument("--batch", action="store_true", help=_("处理完排队的任务后退出"))
    wk.add_argument("--interval", type=float, default=1.0, help=_("轮询间隔（秒）"))
    wk.set_defaults(func=cmd_worker)
    chain = sub.add_parser("events", help=_("列出每个事件之后依次发生的处理（各模块在启动时登记）"))
    chain.set_defaults(func=cmd_events)
    bk = sub.add_parser("backup", help=_("备份：数据库、佐证材料与报告文件、密钥，写成一个 .tar.gz 文件"))
    bk.add_argument(
        "out",
        nargs="?",
        help=_("备份文件名，如 carbonpeak-20261130.tar.gz；省略时保存在文件存储的 backups 目录"),
    )
    bk.add_argument("--list", action="store_true", help=_("列出文件存储中保存的备份"))
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help=_("从备份恢复（覆盖当前站点的数据库、文件与密钥，并核对各表行数）"))
    rs.add_argument("archive", help=_("carbonpeak backup 写出的备份文件，或文件存储中备份的名称"))
    rs.add_argument("--force", action="store_true", help=_("当前站点已有数据时仍然恢复（将被覆盖）"))
    rs.set_defaults(func=cmd_restore)
    serve = sub.add_parser(
        "serve", help=_("以 gunicorn 启动网页服务（后台任务进程另行运行，或加 --with-worker）")
    )
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument(
        "--bind",
        default=os.environ.get("CARBONPEAK_BIND", "127.0.0.1"),
        help=_("监听地址（默认 127.0.0.1，仅本机；多台服务器在负载均衡之后时可设为 0.0.0.0）"),
    )
    serve.add_argument(
        "--workers", type=int, default=None, help=_("网页进程数（默认按 CPU 核数，见运维文档）")
    )
    serve.add_argument(
        "--with-worker", action="store_true", help=_("同时在本机启动一个后台任务进程（单机部署、演示）")
    )
    serve.set_defaults(func=cmd_serve)
