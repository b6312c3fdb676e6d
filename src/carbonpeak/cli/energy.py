"""Energy: account a statistics workbook or CSV with a factor set, without the platform."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .common import database_ready, django_setup


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
        from carbonpeak.core.text import as_text

        json.dump(as_text(accounts.to_dict()), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for warning in form.warnings:
        print(f"提示：{warning}")
    print(_accounts_table(accounts))
    return 0


def _database_factor_set(name: str):
    """A factor set stored in the platform's database, as ``name`` or ``name@version``."""
    django_setup()
    if not database_ready():
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


def register(sub) -> None:
    """This module's commands on the ``carbonpeak`` parser."""

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
