"""The peak projection of a scenario, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys

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
        *(
            f"  {e['year']}年{e['name']}（{e['status']}）："
            + "；".join(f"若{b['label']} {b['p_peak_by_2030']:.1%}" for b in e["branches"])
            + f"（上面的概率按投运概率 {e['probability']:.0%} 合并）"
            for e in r.get("events", [])
            if e.get("branches")
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


def register(sub) -> None:
    """This module's commands on the ``carbonpeak`` parser."""

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
