"""Energy: account a statistics workbook or CSV with a factor set, without the platform."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from django.utils.translation import gettext as _

from carbonpeak.core.language import said, said_all

from .common import database_ready, django_setup


def cmd_account(args: argparse.Namespace) -> int:
    """Account a reporting form (.xlsx) or long CSV and print the summary (or one JSON object).
    (Long: the command's steps — read, factors, target, certificates, account, print — each with its own
    refusal, in the order a user's mistakes are found.)"""
    from carbonpeak.energy import certificates as register
    from carbonpeak.energy import workbook
    from carbonpeak.energy.accounting import BASE_YEAR, AccountingError, IntensityTarget, account
    from carbonpeak.energy.factors import FactorError, load_factor_set

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(
            _("错误：无法读取 %(file)s：%(why)s") % {"file": args.file, "why": exc.strerror}, file=sys.stderr
        )
        return 2
    try:
        factors = load_factor_set(args.factors)
    except FactorError as exc:
        factors = _database_factor_set(args.factors)
        if factors is None:
            print(_("错误：%(why)s") % {"why": exc}, file=sys.stderr)
            return 2
    form = workbook.read_upload(data, os.path.basename(args.file), factors=factors)
    if form.errors:
        print(
            _("错误：%(file)s 有 %(count)s 处问题，未核算：")
            % {"file": args.file, "count": len(form.errors)},
            file=sys.stderr,
        )
        for error in form.errors:
            print(f"  {said(error)}", file=sys.stderr)
        return 2
    entries, target = [], None
    if args.intensity_target:
        pct, _colon, year = args.intensity_target.partition(":")
        try:
            target = IntensityTarget(
                float(pct) / 100, BASE_YEAR, int(year or 2025), _("命令行 --intensity-target")
            )
        except ValueError:
            print(
                _("错误：--intensity-target 须写作 百分数:年份（如 14.5:2025），不是“%(typed)s”")
                % {"typed": args.intensity_target},
                file=sys.stderr,
            )
            return 2
    if args.certificates:
        try:
            raw = Path(args.certificates).read_bytes()
        except OSError as exc:
            print(
                _("错误：无法读取 %(file)s：%(why)s") % {"file": args.certificates, "why": exc.strerror},
                file=sys.stderr,
            )
            return 2
        regions = sorted({r.region for r in form.energy_records()}) or [""]
        parsed = register.read_register(
            raw, os.path.basename(args.certificates), region=regions[0], home_province=args.grid_region
        )
        if parsed.errors:
            print(
                _("错误：%(file)s 有 %(count)s 处问题，未核算：")
                % {"file": args.certificates, "count": len(parsed.errors)},
                file=sys.stderr,
            )
            for error in parsed.errors:
                print(f"  {said(error)}", file=sys.stderr)
            return 2
        entries = [entry for _row, entry in parsed.entries]
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
        print(_("错误：核算失败："), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {said(problem)}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(said_all(accounts.to_dict()), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for warning in form.warnings:
        print(_("提示：%(warning)s") % {"warning": said(warning)})
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
    lines = [
        _("因子集：%(set)s    电网因子地区：%(region)s")
        % {"set": accounts.factor_set, "region": _(accounts.grid_region)}
    ]
    header = (
        f"{_('报告期'):<14}{_('能源消费量(等价值,吨标煤)'):>24}{_('当量值(参考)'):>18}"
        f"{_('能源活动二氧化碳(吨)'):>20}{_('非化石比重(等价值)'):>14}"
    )
    lines.append(header)
    for acc in accounts.ordered():
        eq = _("缺失") if acc.energy_tce_equivalent is None else f"{acc.energy_tce_equivalent:,.1f}"
        share = _("缺失") if acc.non_fossil_share is None else f"{acc.non_fossil_share:.2%}"
        region = "" if len(accounts.regions()) == 1 else f"{acc.region} "
        lines.append(
            f"{region + acc.period.key:<14}{eq:>24}{acc.energy_tce:>18,.1f}{acc.co2_t:>20,.1f}{share:>14}"
        )
    missing = sorted({said(m) for acc in accounts.ordered() for m in acc.missing})
    lines += ["", *missing] if missing else []
    for acc in accounts.ordered():
        lines.append("")
        lines.append(
            _("%(period)s（%(region)s）分品种：") % {"period": said(acc.period.label), "region": acc.region}
        )
        for fuel, fa in acc.by_fuel.items():
            lines.append(
                f"  {_(fuel):<12}{fa.tce:>18,.1f} " + _("吨标煤") + f"{fa.co2_t:>18,.1f} " + _("吨CO2")
            )
        for note in acc.notes:
            lines.append("  " + _("注：%(note)s") % {"note": said(note)})
    return "\n".join(lines)


def register(sub) -> None:
    """This module's commands on the ``carbonpeak`` parser."""

    acc = sub.add_parser("account", help=_("核算能源统计报表（.xlsx 报表模板或长格式 .csv）"))
    acc.add_argument("file")
    acc.add_argument(
        "--factors", default="national", help=_("因子集：内置名称、因子 CSV 路径或平台中的 名称@版本")
    )
    acc.add_argument("--grid-region", default="江苏", help=_("电网排放因子所用地区（默认 江苏）"))
    acc.add_argument(
        "--certificates",
        metavar="FILE",
        help=_("绿证与绿电交易登记表（平台模板 .xlsx 或同列 .csv），计入非化石能源与考核扣除"),
    )
    acc.add_argument(
        "--intensity-target",
        metavar="PCT:YEAR",
        help=_("上级下达的能耗强度下降目标（比2020年，如 14.5:2025），用于绿证抵扣上限"),
    )
    acc.add_argument("--json", action="store_true", help=_("以一个 JSON 对象输出"))
    acc.set_defaults(func=cmd_account)
