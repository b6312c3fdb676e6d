"""The ``carbonpeak`` command: plan import, demo set-up and serving, and Django's own commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

BUNDLED_PLAN = Path(__file__).resolve().parent / "plans" / "data" / "taicang-carbon-peak-plan.json"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbonpeak.settings")
    import django

    django.setup()


NOT_INITIALISED = "数据库尚未初始化：请先运行 make demo（或 carbonpeak demo）导入方案、载入数据，再运行本命令"


def _database_missing() -> str | None:
    """Why the database cannot answer yet (not migrated, unreachable), in Chinese; None when it can."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return f"无法连接数据库（{type(exc).__name__}）：请检查 DATABASE_URL，或先运行 make demo"
    return NOT_INITIALISED if pending else None


def _load_plan(path: str):
    from carbonpeak.plans import document as doc

    if path.lower().endswith(".json"):
        with open(path, encoding="utf-8") as fh:
            try:
                return doc.plan_from_dict(json.load(fh))
            except json.JSONDecodeError as exc:
                raise doc.PlanParseError(f"JSON 格式错误：第 {exc.lineno} 行：{exc.msg}") from exc
    source = doc.read_plan_source(path)
    return doc.parse_plan(source.text, source.tables)


def _database_ready() -> bool:
    from django.db import connection
    from django.db.utils import DatabaseError

    try:
        return "plans_plan" in connection.introspection.table_names()
    except DatabaseError:
        return False


def _refuse(args: argparse.Namespace, message: str) -> int:
    """A refusal in Chinese: on stderr, and as a JSON object on stdout when --json asked for one."""
    print(f"错误：{message}", file=sys.stderr)
    if getattr(args, "json", False):
        json.dump({"error": message}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    return 2


def cmd_plan_import(args: argparse.Namespace) -> int:
    """Import a plan; whatever the file holds, the answer is the structure or a Chinese message."""
    from django.core.exceptions import ValidationError

    from carbonpeak.plans import document as doc

    if not os.path.isfile(args.file):
        return _refuse(args, f"找不到文件 {args.file}")
    try:
        plan = _load_plan(args.file)
    except doc.PlanParseError as exc:
        return _refuse(args, f"无法识别方案 {args.file}：{exc}")
    except (OSError, RecursionError, MemoryError) as exc:
        return _refuse(args, f"无法读取 {args.file}（{type(exc).__name__}）")
    try:
        return _import_parsed(args, plan)
    except ValidationError as exc:
        return _refuse(args, "；".join(exc.messages))


def _import_parsed(args: argparse.Namespace, plan) -> int:
    _django()
    report = None
    if _database_ready():
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
        print("错误：数据库尚未初始化，请先运行 carbonpeak migrate（或 make demo）", file=sys.stderr)
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
    print(f"方案：{plan.title}")
    print(
        f"章节 {counts['sections']} 个，重点行动 {counts['actions']} 项，行动下任务 {counts['tasks']} 项，"
        f"其他章节条目 {counts['items']} 项，"
        f"目标 {counts['targets']} 个（其中有年份的 {counts['dated_targets']} 个）"
    )
    for action in plan.actions:
        print(f"  {action.number}{action.title}：{len(action.tasks)} 项任务")
    for warning in plan.warnings:
        print(f"提示：{warning}")
    if report is None:
        print("（试运行：数据库未初始化，仅解析，未比较）")
        return
    c = report.counts()
    mode = "试运行，未写入" if report.dry_run else "已写入"
    if report.unchanged:
        print(f"与已导入的版本相同，没有变化（{mode}）")
    else:
        print(
            f"{mode}：新增 {c['added']}，修改 {c['changed']}，删除 {c['removed']}，"
            f"保留手工更正 {c['kept_manual']}" + (f"；版本 {report.version}" if report.version else "")
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
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    data = plan.to_dict()
    data["source"] = os.path.basename(args.file)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"已写入 {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_account(args: argparse.Namespace) -> int:
    """Account a reporting form (.xlsx) or long CSV and print the summary (or one JSON object)."""
    from carbonpeak.energy import certificates as register
    from carbonpeak.energy import workbook
    from carbonpeak.energy.accounting import BASE_YEAR, AccountingError, IntensityTarget, account
    from carbonpeak.energy.factors import FactorError, load_factor_set

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"错误：无法读取 {args.file}：{exc.strerror}", file=sys.stderr)
        return 2
    try:
        factors = load_factor_set(args.factors)
    except FactorError as exc:
        factors = _database_factor_set(args.factors)
        if factors is None:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
    form = workbook.read_upload(data, os.path.basename(args.file), factors=factors)
    if form.errors:
        print(f"错误：{args.file} 有 {len(form.errors)} 处问题，未核算：", file=sys.stderr)
        for error in form.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    entries, target = [], None
    if args.intensity_target:
        pct, _, year = args.intensity_target.partition(":")
        try:
            target = IntensityTarget(
                float(pct) / 100, BASE_YEAR, int(year or 2025), "命令行 --intensity-target"
            )
        except ValueError:
            print(
                f"错误：--intensity-target 须写作 百分数:年份（如 14.5:2025），不是“{args.intensity_target}”",
                file=sys.stderr,
            )
            return 2
    if args.certificates:
        try:
            raw = Path(args.certificates).read_bytes()
        except OSError as exc:
            print(f"错误：无法读取 {args.certificates}：{exc.strerror}", file=sys.stderr)
            return 2
        regions = sorted({r.region for r in form.energy_records()}) or [""]
        parsed = register.read_register(
            raw, os.path.basename(args.certificates), region=regions[0], home_province=args.grid_region
        )
        if parsed.errors:
            print(f"错误：{args.certificates} 有 {len(parsed.errors)} 处问题，未核算：", file=sys.stderr)
            for error in parsed.errors:
                print(f"  {error}", file=sys.stderr)
            return 2
        entries = [entry for _, entry in parsed.entries]
    try:
        accounts = account(
            form.energy_records(),
            factors,
            form.economy,
            grid_region=args.grid_region,
            certificates=entries,
            intensity_target=target,
        )
    except AccountingError as exc:
        print("错误：核算失败：", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(accounts.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for warning in form.warnings:
        print(f"提示：{warning}")
    print(_accounts_table(accounts))
    return 0


def _database_factor_set(name: str):
    """A factor set stored in the platform's database, as ``name`` or ``name@version``."""
    _django()
    if not _database_ready():
        return None
    from carbonpeak.energy.services import factor_set_by_label

    return factor_set_by_label(name)


def _accounts_table(accounts) -> str:
    lines = [f"因子集：{accounts.factor_set}    电网因子地区：{accounts.grid_region}"]
    header = (
        f"{'报告期':<14}{'能源消费量(等价值,吨标煤)':>24}{'当量值(参考)':>18}"
        f"{'能源活动二氧化碳(吨)':>20}{'非化石比重(等价值)':>14}"
    )
    lines.append(header)
    for acc in accounts.ordered():
        eq = "缺失" if acc.energy_tce_equivalent is None else f"{acc.energy_tce_equivalent:,.1f}"
        share = "缺失" if acc.non_fossil_share is None else f"{acc.non_fossil_share:.2%}"
        region = "" if len(accounts.regions()) == 1 else f"{acc.region} "
        lines.append(
            f"{region + acc.period.key:<14}{eq:>24}{acc.energy_tce:>18,.1f}{acc.co2_t:>20,.1f}{share:>14}"
        )
    missing = sorted({m for acc in accounts.ordered() for m in acc.missing})
    lines += ["", *missing] if missing else []
    for acc in accounts.ordered():
        lines.append("")
        lines.append(f"{acc.period.label}（{acc.region}）分品种：")
        for fuel, fa in acc.by_fuel.items():
            lines.append(f"  {fuel:<12}{fa.tce:>18,.1f} 吨标煤{fa.co2_t:>18,.1f} 吨CO2")
        for note in acc.notes:
            lines.append(f"  注：{note}")
    return "\n".join(lines)


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Grade every target now and raise warnings (run daily, e.g. from cron, to catch overdue data)."""
    _django()
    if (why := _database_missing()) is not None:
        print(f"错误：{why}", file=sys.stderr)
        return 2
    from carbonpeak.monitoring.services import evaluate
    from carbonpeak.plans.selectors import current_plan

    plan = current_plan()
    if plan is None:
        print("错误：尚未导入任何方案", file=sys.stderr)
        return 2
    raised = evaluate(plan)
    print(f"已评估 {plan.targets.count()} 个目标，新增预警 {len(raised)} 条")
    for warning in raised:
        print(f"  {warning.message}")
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    """Remind departments of progress reports due soon or overdue, once each (run daily from cron)."""
    _django()
    if (why := _database_missing()) is not None:
        print(f"错误：{why}", file=sys.stderr)
        return 2
    from carbonpeak.supervision.models import ReportingPeriod
    from carbonpeak.supervision.services import send_reminders

    made = [r for period in ReportingPeriod.objects.filter(is_open=True) for r in send_reminders(period)]
    print(f"已发出提醒 {len(made)} 条")
    for reminder in made:
        print(f"  {reminder.message}")
    return 0


def cmd_project(args: argparse.Namespace) -> int:
    """Project CO2 to the end year under a scenario, from the latest accounting run and the plan's targets."""
    _django()
    if (why := _database_missing()) is not None:
        print(f"错误：{why}", file=sys.stderr)
        return 2
    from carbonpeak.projection import services
    from carbonpeak.projection.model import ProjectionError

    try:
        run = services.run_projection(
            args.scenario,
            draws=args.draws,
            seed=args.seed,
            end_year=args.end_year,
            boundary=args.boundary or "",
            reuse=False,
        )
    except ProjectionError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    result = run.result
    if args.json:
        keys = (
            "scenario",
            "draws",
            "seed",
            "p_peak_by_2030",
            "peak_year",
            "peak_value_t",
            "trajectory",
            "levers",
            "boundary",
            "boundary_label",
            "peak_rule",
            "p_plateau",
            "validation",
            "history",
            "boundaries",
            "events",
            "boundary_sentence",
        )
        out = {k: result[k] for k in keys}
        out |= {
            k: result[k]
            for k in ("base_year", "end_year", "refined_oil", "fit", "notes", "sample", "factor_set")
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(_projection_text(result, run.elapsed_ms))
    return 0


def _projection_text(r: dict, elapsed_ms: int) -> str:
    peak = r["peak_year"]
    years = "、".join(f"{q.upper()} {peak[q] if peak[q] else '未达峰'}" for q in ("p10", "p50", "p90"))
    lines = [
        f"{r['scenario']}（{r['draws']} 次抽样，种子 {r['seed']}，{elapsed_ms} 毫秒）"
        + ("  【示例数据】" if r["sample"] else ""),
        f"  2030年前达峰的概率：{r['p_peak_by_2030']:.1%}（{r['boundary_label']}；{r['peak_rule']['text']}）",
        f"  平台期（峰值年在{r['plateau_window'][0]}–{r['plateau_window'][1]}年）的概率：{r['p_plateau']:.1%}",
        *(
            f"  {b['label']}：2030年前达峰的概率 {b['p_peak_by_2030']:.1%}"
            for b in r.get("boundaries", {}).values()
        ),
        f"  达峰年份：{years}",
        f"  基年 {r['base_year']}，核算因子集 {r['factor_set']}，历史拟合平均误差 {r['fit']['mape']:.1%}",
        "  二氧化碳排放（万吨，P10 / P50 / P90）：",
    ]
    for year, q in r["trajectory"].items():
        lines.append(f"    {year}  {q['p10'] / 1e4:>9,.1f} {q['p50'] / 1e4:>9,.1f} {q['p90'] / 1e4:>9,.1f}")
    if r["levers"]:
        lines.append("  各措施对2030年排放的贡献（中位数，万吨）：")
        for name, value in r["levers"].items():
            lines.append(f"    {name:<20}{value / 1e4:>9,.1f}")
    for note in r["notes"]:
        lines.append(f"  注：{note}")
    return "\n".join(lines)


def cmd_report(args: argparse.Namespace) -> int:
    """Write the quarterly report (.docx) and its data (.xlsx) for one quarter into a folder."""
    _django()
    if (why := _database_missing()) is not None:
        print(f"错误：{why}", file=sys.stderr)
        return 2
    import shutil

    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from carbonpeak.plans.selectors import current_plan
    from carbonpeak.reports import services
    from carbonpeak.reports.models import QuarterlyReport

    plan = current_plan()
    if plan is None:
        print("错误：尚未导入任何方案", file=sys.stderr)
        return 2
    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        print(f"错误：用户“{args.user}”不存在（--user 指定以其名义生成报告的协调员）", file=sys.stderr)
        return 2
    try:
        job = services.request_report(plan, args.period, user, background=False)
    except (services.ReportError, PermissionDenied) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if job.status != QuarterlyReport.State.DONE:
        print(f"错误：{job.message}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for kind in ("docx", "xlsx"):
        source = services.file_path(job, kind)
        shutil.copyfile(source, out / source.name)
        print(out / source.name)
    print(f"报告记录 {job.pk}，用时 {job.elapsed_ms / 1000:.1f} 秒；数据版本：")
    for key, value in job.data_version.items():
        print(f"  {key}：{value}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Prepare the demo database: migrate, import the Taicang plan, create the demo users, load the demo data."""
    _django()
    from django.core.management import call_command

    from carbonpeak.demo import ensure_demo_users
    from carbonpeak.plans.services import import_plan

    call_command("migrate", interactive=False, verbosity=0)
    plan = _load_plan(str(BUNDLED_PLAN))
    report = import_plan(plan, source_name=BUNDLED_PLAN.name, region="太仓市", user="demo")
    state = "已是最新" if report.unchanged else f"已导入（版本 {report.version}）"
    print(f"方案：{plan.title} {state}")
    from carbonpeak.core.regions import ensure_regions

    ensure_regions()
    logins = ensure_demo_users()
    _load_demo_data(report.plan_id)
    print("演示账号（用户名 / 密码 / 角色）：")
    from carbonpeak.demo import DEMO_ENTERPRISE_LOGIN

    for login in (*logins, DEMO_ENTERPRISE_LOGIN):
        print(f"  {login.username:<12} {login.password:<18} {login.role}  {login.note}")
    if args.serve:
        call_command("collectstatic", interactive=False, verbosity=0)
        return _serve(args.port)
    return 0


def _load_demo_data(plan_id: int) -> None:
    """The demo's data: sample energy statistics and indicator values (示例数据), the Suzhou-assigned
    intensity target as a coordinator would enter it, target links and grades, and an open reporting period."""
    from django.contrib.auth import get_user_model

    from carbonpeak.energy import sample
    from carbonpeak.energy.services import ensure_bundled_factor_sets, load_sample_data
    from carbonpeak.plans.models import Plan
    from carbonpeak.plans.services import set_external_target_value

    fs = ensure_bundled_factor_sets()
    coordinator = get_user_model().objects.get(username="coordinator")
    from carbonpeak.monitoring import services as monitoring

    plan = Plan.objects.get(pk=plan_id)
    suzhou = next(
        r for r in sample.public_figures() if r["item"] == "suzhou_target_energy_intensity_reduction"
    )
    year = int(suzhou["year"])
    # the target handed down first: the accounts of the sample data cap the certificate deduction with it
    set_external_target_value(
        plan,
        "单位地区生产总值能耗",
        year,
        value=float(suzhou["value"]),
        unit=suzhou["unit"],
        base_year=2020,
        user=coordinator,
    )
    loaded = load_sample_data(coordinator)
    if loaded:
        print(
            f"能源统计：已生成并审核 {loaded} 个季度的示例数据（示例数据，seed {sample.DEFAULT_SEED}），因子集 {fs.label}"
        )
    else:
        print(f"能源统计：示例数据已存在，因子集 {fs.label}")
    monitoring.propose_links(plan)  # the value document lives on the link, so after the links exist
    monitoring.set_value_document(plan, "单位地区生产总值能耗", year, suzhou["source"].split("：")[0])
    observed = monitoring.load_sample_observations(plan, coordinator)
    if observed:
        print(f"指标监测：已生成并审核 {observed} 个部门报送指标数值（示例数据）")
    from carbonpeak.demo import ensure_demo_enterprises

    enterprises, enterprise_login = ensure_demo_enterprises(coordinator)
    if enterprises:
        print(f"重点企业：已登记 {enterprises} 家示例企业（示例数据），企业用户 {enterprise_login.username}")
    from carbonpeak.energy.services import load_sample_districts

    towns = load_sample_districts(coordinator)
    if towns:
        print(f"区镇能源统计：已生成并审核七个区镇 {towns} 个季度报送（示例数据）")
    # the approvals above enqueued the recomputation, projections and grading: run them before serving
    _run_pending_jobs()
    from carbonpeak.demo import ensure_demo_budgets

    projects = ensure_demo_budgets(coordinator)
    print(f"碳排放双控：2024年碳预算已按区镇、行业分配（示例数据），项目碳排放评价 {projects} 项")
    from carbonpeak.demo import ensure_demo_sinks

    land = ensure_demo_sinks(coordinator)
    if land:
        print(f"碳汇：已载入七个区镇 {land} 条国土与森林数据（示例数据），气候带由演示选定并注明")
    _run_pending_jobs()  # the land data re-grade the plan (湿地保护率 is computed from them)
    from carbonpeak.demo import ensure_demo_meters

    readings, faults = ensure_demo_meters(coordinator)
    if readings:
        print(
            f"在线监测：已导入 {readings} 条示例读数（示例数据），数据质量已评价；预置问题 {len(faults)} 处："
            + "；".join(f"{f.month} {f.what}" for f in faults)
        )
    from carbonpeak.monitoring.models import EarlyWarning
    from carbonpeak.projection import selectors as projection

    planned = projection.stored_projection(projection.PLANNED, plan)
    if planned is not None:
        print(f"达峰预测：规划情景下2030年前达峰的概率 {planned.result['p_peak_by_2030']:.1%}（示例数据）")
    print(f"目标评估：已完成，预警共 {EarlyWarning.objects.count()} 条")
    import datetime as dt

    from carbonpeak.supervision.services import open_latest_quarter

    period = open_latest_quarter(plan, coordinator, dt.date.today())
    if period is not None:
        print(
            f"进展报送：已开启{period}（截止 {period.due_date:%Y-%m-%d}），{period.reports.count()} 份报告待各牵头部门填写"
        )


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
            f"已写出 {folder / 'spark_job.py'} 与 {folder / 'monthly_totals.sql'}：用 spark-submit 提交（docs/scale.md）"
        )
        return 0
    _django()
    if (why := _database_missing()) is not None:
        print(f"错误：{why}", file=sys.stderr)
        return 2
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied, ValidationError

    from carbonpeak.meters import services
    from carbonpeak.meters.models import ReadingBatch

    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        print(f"错误：用户“{args.user}”不存在（--user 指定以其名义导入的协调员）", file=sys.stderr)
        return 2
    try:
        if args.action == "ingest":
            path = Path(args.target)
            if not path.is_file():
                print(f"错误：文件不存在：{path}", file=sys.stderr)
                return 2
            batch = services.ingest_path(user, path)
            print(
                f"已导入 {path.name}：批次 {batch.batch}，{batch.rows} 条读数，月份 {'、'.join(batch.months)}，"
                f"{batch.enterprises} 家企业；月度用量与数据质量已重算"
            )
        elif args.action == "load-totals":
            record = services.load_totals(user, Path(args.target))
            print(f"已导入集群汇总结果：{record.rows} 行，月份 {record.months[0]} 至 {record.months[-1]}")
        else:
            batch = ReadingBatch.objects.filter(batch=args.target).first()
            if batch is None:
                print(f"错误：批次“{args.target}”不存在", file=sys.stderr)
                return 2
            services.withdraw(user, batch)
            print(f"已撤回批次 {batch.batch}（{batch.file_name}）；涉及月份已重算")
    except PermissionDenied as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print("未导入：\n" + "\n".join(exc.messages), file=sys.stderr)
        return 1
    return 0


def _run_pending_jobs() -> None:
    from django.core.management import call_command

    from carbonpeak.core import jobs

    if jobs.database_backend():
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


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
                print(f"后台任务：每日评估未能排队（{exc}），稍后重试", file=sys.stderr, flush=True)
            finally:
                connection.close()
            time.sleep(SCHEDULE_SECONDS)

    threading.Thread(target=loop, name="daily-regrade", daemon=True).start()


def cmd_events(args: argparse.Namespace) -> int:
    """What follows each domain event, in order: the chain each app declares in its events.py."""
    _django()
    from carbonpeak.core import events

    for event, steps in events.chain().items():
        print(event)
        for n, step in enumerate(steps, 1):
            print(f"  {n}. {step}")
        if not steps:
            print("  （无）")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """The background worker: recover jobs a stopped worker left, then run jobs as they are enqueued."""
    _django()
    from django.core.management import call_command

    from carbonpeak.core import jobs

    retried, failed = jobs.recover_interrupted()
    if retried or failed:
        print(f"后台任务：上次中断的任务已重新排队 {retried} 个，标记失败 {failed} 个", flush=True)
    if not args.batch:
        _start_daily_schedule()
    call_command("db_worker", batch=args.batch, startup_delay=False, interval=args.interval, verbosity=1)
    return 0


def _backup_summary(summary) -> None:
    from carbonpeak.core.backup import VENDOR_NAMES

    secret = "含密钥" if summary.secret_key else "不含密钥"
    print(
        f"  {summary.path}：{VENDOR_NAMES[summary.vendor]} 数据库 {summary.tables} 张表 {summary.rows} 行，"
        f"文件 {summary.files} 个（{summary.file_bytes / 2**20:.1f} MB），{secret}；备份时间 {summary.created_at}"
    )
    for note in summary.notes:
        print(f"  注意：{note}")


def cmd_backup(args: argparse.Namespace) -> int:
    """One archive of the database, the evidence and report files and the secret key (docs/operations.md)."""
    _django()
    from carbonpeak.core import backup

    try:
        summary = backup.create(Path(args.out))
    except backup.BackupError as error:
        print(f"备份失败：{error}", file=sys.stderr)
        return 1
    print("备份完成：")
    _backup_summary(summary)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace this site's data with a backup's, migrate, and check every table against the backup."""
    _django()
    from carbonpeak.core import backup

    try:
        summary = backup.restore(Path(args.archive), force=args.force)
    except backup.BackupError as error:
        print(f"恢复失败：{error}", file=sys.stderr)
        return 1
    print("恢复完成，各表行数与备份一致：")
    _backup_summary(summary)
    print("  请重新启动服务（carbonpeak serve）")
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


def _serve(port: int) -> int:
    import atexit
    import subprocess

    from gunicorn.app.wsgiapp import run

    bind = f"127.0.0.1:{port}"
    # the background worker runs beside the web server and stops with it
    worker = subprocess.Popen(
        [sys.executable, "-c", "import sys; from carbonpeak.cli import main; sys.exit(main(['worker']))"]
    )
    atexit.register(worker.terminate)
    print(f"CarbonPeak 已启动：http://{bind}/  （后台任务进程 {worker.pid}；Ctrl+C 停止）", flush=True)
    sys.argv = [
        "gunicorn",
        "carbonpeak.wsgi:application",
        "--bind",
        bind,
        *_server_size(),
        "--access-logfile",
        "-",
    ]
    run()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    return _serve(args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="carbonpeak", description="CarbonPeak 碳达峰实施方案管理平台")
    sub = parser.add_subparsers(dest="command", required=True)

    plan = sub.add_parser("plan", help="方案：导入与解析")
    plan_sub = plan.add_subparsers(dest="plan_command", required=True)
    imp = plan_sub.add_parser(
        "import", help="导入方案文件（文字版 PDF、.docx、UTF-8/GB18030 文本或结构化 .json）"
    )
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="只解析并比较，不写入数据库")
    imp.add_argument("--json", action="store_true", help="以 JSON 输出完整结构")
    imp.add_argument("--region", help="地区（默认从标题识别）")
    imp.add_argument("--force", action="store_true", help="即使与上一版相同也重新合并")
    imp.add_argument(
        "--role",
        choices=("own", "sector", "reference"),
        help="方案类别：own 本市综合方案（平台按它运行）、sector 本市专项方案、reference 上级方案（参照）；"
        "默认：尚无综合方案时为 own，否则为 sector",
    )
    imp.set_defaults(func=cmd_plan_import)
    parse = plan_sub.add_parser("parse", help="解析方案并输出结构化数据（不访问数据库）")
    parse.add_argument("file")
    parse.add_argument("--out", help="写入文件而不是标准输出")
    parse.set_defaults(func=cmd_plan_parse)

    acc = sub.add_parser("account", help="核算能源统计报表（.xlsx 报表模板或长格式 .csv）")
    acc.add_argument("file")
    acc.add_argument(
        "--factors", default="national", help="因子集：内置名称、因子 CSV 路径或平台中的 名称@版本"
    )
    acc.add_argument("--grid-region", default="江苏", help="电网排放因子所用地区（默认 江苏）")
    acc.add_argument(
        "--certificates",
        metavar="FILE",
        help="绿证与绿电交易登记表（平台模板 .xlsx 或同列 .csv），计入非化石能源与考核扣除",
    )
    acc.add_argument(
        "--intensity-target",
        metavar="PCT:YEAR",
        help="上级下达的能耗强度下降目标（比2020年，如 14.5:2025），用于绿证抵扣上限",
    )
    acc.add_argument("--json", action="store_true", help="以一个 JSON 对象输出")
    acc.set_defaults(func=cmd_account)

    ev = sub.add_parser("evaluate", help="评估全部目标并生成预警（可每日定时运行）")
    ev.set_defaults(func=cmd_evaluate)

    rm = sub.add_parser("remind", help="进展报告截止前与逾期提醒（可每日定时运行）")
    rm.set_defaults(func=cmd_remind)

    pj = sub.add_parser("project", help="达峰预测：按情景做蒙特卡洛模拟（使用最新核算结果与方案目标）")
    pj.add_argument(
        "--scenario", default="规划情景", help="情景名称（基准情景、规划情景、强化情景或自定义情景）"
    )
    pj.add_argument("--draws", type=int, default=10_000, help="抽样次数（默认 10000）")
    pj.add_argument("--seed", type=int, default=1, help="随机种子（相同种子结果相同）")
    pj.add_argument("--end-year", type=int, default=2035, help="预测终止年份（默认 2035，可选 2040）")
    pj.add_argument("--json", action="store_true", help="以一个 JSON 对象输出")
    pj.add_argument(
        "--boundary",
        choices=("territorial", "assessed", "consumption"),
        help="主口径（默认按核算因子集设定的考核口径）：territorial 本地燃烧、assessed 净调入、consumption 消费",
    )
    pj.set_defaults(func=cmd_project)

    rp = sub.add_parser("report", help="生成季度报告（.docx）与数据表（.xlsx）")
    rp.add_argument("--period", required=True, help="报告期，如 2025Q3")
    rp.add_argument("--out", default=".", help="输出目录（默认当前目录）")
    rp.add_argument("--user", default="coordinator", help="以其名义生成的协调员用户名（记入审计日志）")
    rp.set_defaults(func=cmd_report)

    demo = sub.add_parser("demo", help="准备演示数据库（迁移、导入太仓方案、创建演示账号）")
    demo.add_argument("--serve", action="store_true", help="准备完成后启动服务")
    demo.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    demo.set_defaults(func=cmd_demo)

    wk = sub.add_parser(
        "worker", help="后台任务进程：重算、评估、达峰预测与季度报告（carbonpeak serve 会自动启动）"
    )
    wk.add_argument("--batch", action="store_true", help="处理完排队的任务后退出")
    wk.add_argument("--interval", type=float, default=1.0, help="轮询间隔（秒）")
    wk.set_defaults(func=cmd_worker)
    chain = sub.add_parser("events", help="列出每个事件之后依次发生的处理（各模块在启动时登记）")
    chain.set_defaults(func=cmd_events)
    mt = sub.add_parser("meters", help="在线监测：导入读数文件、撤回批次、输出汇总 SQL（DuckDB 或 Spark）")
    mt_sub = mt.add_subparsers(dest="action", required=True)
    mi = mt_sub.add_parser(
        "ingest", help="导入读数文件（.csv UTF-8 或 .parquet，不限大小；任一行有误整个文件不导入）"
    )
    mi.add_argument("target", metavar="FILE")
    mi.add_argument("--user", default="coordinator", help="以其名义导入的协调员（默认 coordinator）")
    mw = mt_sub.add_parser("withdraw", help="撤回一个批次（其读数移出列式存储，涉及月份重算）")
    mw.add_argument("target", metavar="BATCH")
    mw.add_argument("--user", default="coordinator")
    ml = mt_sub.add_parser(
        "load-totals", help="导入 Spark 集群算出的月度用量（spark_job.py --out 的文件夹），替换其所含月份"
    )
    ml.add_argument("target", metavar="FOLDER")
    ml.add_argument("--user", default="coordinator")
    ms = mt_sub.add_parser(
        "sql", help="输出“读数 → 企业×月份×能源品种”汇总的 SQL（提交到 Spark 集群用 --engine spark）"
    )
    ms.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    mj = mt_sub.add_parser(
        "spark-job", help="写出提交到 Spark 集群的作业文件与 SQL（spark_job.py、monthly_totals.sql）"
    )
    mj.add_argument("target", metavar="FOLDER")
    mt.set_defaults(func=cmd_meters)
    bk = sub.add_parser("backup", help="备份：数据库、佐证材料与报告文件、密钥，写成一个 .tar.gz 文件")
    bk.add_argument("out", help="备份文件名，如 carbonpeak-20261130.tar.gz")
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help="从备份恢复（覆盖当前站点的数据库、文件与密钥，并核对各表行数）")
    rs.add_argument("archive", help="carbonpeak backup 写出的备份文件")
    rs.add_argument("--force", action="store_true", help="当前站点已有数据时仍然恢复（将被覆盖）")
    rs.set_defaults(func=cmd_restore)
    serve = sub.add_parser("serve", help="以 gunicorn 启动服务（同时启动后台任务进程）")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("manage", "migrate", "createsuperuser", "shell", "check", "makemigrations"):
        # Django's own management commands: `carbonpeak migrate`, `carbonpeak manage <command>`
        _django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["carbonpeak", *(argv[1:] if argv[0] == "manage" else argv)])
        return 0
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
