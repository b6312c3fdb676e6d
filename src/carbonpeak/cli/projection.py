"""The peak projection of a scenario, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from carbonpeak.core.language import said_all

from .common import opened


def cmd_project(args: argparse.Namespace) -> int:
    """Project CO2 to the end year under a scenario, from the latest accounting run and the plan's targets."""
    opened()
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
        print(_("错误：%(why)s") % {"why": exc}, file=sys.stderr)
        return 2
    result = said_all(run.result)  # the sentences and names in the language asked for
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
            for k in (
                "base_year",
                "end_year",
                "refined_oil",
                "fit",
                "notes",
                "sample",
                "factor_set",
                "measures",
            )
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(_projection_text(result, run.elapsed_ms))
    return 0


def _projection_text(r: dict, elapsed_ms: int) -> str:
    from carbonpeak.energy.terms import factor_set_name

    peak = r["peak_year"]
    years = pgettext("list separator", "、").join(
        f"{q.upper()} {peak[q] if peak[q] else _('未达峰')}" for q in ("p10", "p50", "p90")
    )
    semicolon = pgettext("list separator", "；")
    lines = [
        _("%(scenario)s（%(draws)s 次抽样，种子 %(seed)s，%(ms)s 毫秒）")
        % {"scenario": r["scenario"], "draws": r["draws"], "seed": r["seed"], "ms": elapsed_ms}
        + ("  " + _("【示例数据】") if r["sample"] else ""),
        "  "
        + _("2030年前达峰的概率：%(p)s（%(boundary)s；%(rule)s）")
        % {
            "p": f"{r['p_peak_by_2030']:.1%}",
            "boundary": r["boundary_label"],
            "rule": r["peak_rule"]["text"],
        },
        "  "
        + _("平台期（峰值年在%(first)s–%(last)s年）的概率：%(p)s")
        % {"first": r["plateau_window"][0], "last": r["plateau_window"][1], "p": f"{r['p_plateau']:.1%}"},
        *(
            "  "
            + _("%(boundary)s：2030年前达峰的概率 %(p)s")
            % {"boundary": b["label"], "p": f"{b['p_peak_by_2030']:.1%}"}
            for b in r.get("boundaries", {}).values()
        ),
        *(
            "  "
            + _("%(year)s年%(name)s（%(status)s）：")
            % {"year": e["year"], "name": e["name"], "status": _(e["status"])}
            + semicolon.join(
                _("若%(label)s %(p)s") % {"label": b["label"], "p": f"{b['p_peak_by_2030']:.1%}"}
                for b in e["branches"]
            )
            + _("（上面的概率按投运概率 %(p)s 合并）") % {"p": f"{e['probability']:.0%}"}
            for e in r.get("events", [])
            if e.get("branches")
        ),
        "  " + _("达峰年份：%(years)s") % {"years": years},
        "  "
        + _("基年 %(year)s，核算因子集 %(set)s，历史拟合平均误差 %(mape)s")
        % {
            "year": r["base_year"],
            "set": factor_set_name(r["factor_set"]),
            "mape": f"{r['fit']['mape']:.1%}",
        },
        "  " + _("二氧化碳排放（万吨，P10 / P50 / P90）："),
    ]
    for year, q in r["trajectory"].items():
        lines.append(f"    {year}  {q['p10'] / 1e4:>9,.1f} {q['p50'] / 1e4:>9,.1f} {q['p90'] / 1e4:>9,.1f}")
    if r["levers"]:
        lines.append("  " + _("各措施对2030年排放的贡献（中位数，万吨）："))
        for name, value in r["levers"].items():
            lines.append(f"    {_(name):<20}{value / 1e4:>9,.1f}")
    for note in r["notes"]:
        lines.append("  " + _("注：%(note)s") % {"note": note})
    return "\n".join(lines)


def register(sub) -> None:
    """This module's commands on the ``carbonpeak`` parser."""

    pj = sub.add_parser("project", help=_("达峰预测：按情景做蒙特卡洛模拟（使用最新核算结果与方案目标）"))
    pj.add_argument(
        "--scenario", default="规划情景", help=_("情景名称（基准情景、规划情景、强化情景或自定义情景）")
    )
    pj.add_argument(
        "--draws",
        type=int,
        default=None,
        help=_("抽样次数（默认为站点设置 CARBONPEAK_PROJECTION_DRAWS，通常 10000）"),
    )
    pj.add_argument("--seed", type=int, default=1, help=_("随机种子（相同种子结果相同）"))
    pj.add_argument("--end-year", type=int, default=2035, help=_("预测终止年份（默认 2035，可选 2040）"))
    pj.add_argument("--json", action="store_true", help=_("以一个 JSON 对象输出"))
    pj.add_argument(
        "--boundary",
        choices=("territorial", "assessed", "consumption"),
        help=_(
            "主口径（默认按核算因子集设定的考核口径）：territorial 本地燃烧、assessed 净调入、consumption 消费"
        ),
    )
    pj.set_defaults(func=cmd_project)
