"""The reconciliation of key enterprises with the city's sector accounts, at province-register scale.

Usage: python benchmarks/bench_reconciliation.py [--enterprises 5000] [--repeat 5]

Builds, in a temporary SQLite database, N enterprises across the account's sectors, each with an approved
report for two years (and a second, newer approved revision for a tenth of them, which must win), plus
an accounting run with the city's sector accounts. Then times, in the same run:
- the reconciliation as the page and the API call it (``enterprises.selectors.reconciliation``: latest
  approved revision per enterprise, sums by sector, the city's accounts, coverage and warnings) and the
  year-on-year movers;
- the floor: one plain ``SUM(terminal_tce) GROUP BY sector`` over the same reports (no revision logic).
The last line prints both, the ratio, and whether the reconciliation answers within the issue's second.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time

GOAL_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-reconciliation-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbonpeak.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Sum

    call_command("migrate", verbosity=0)
    from carbonpeak.energy import catalog
    from carbonpeak.energy.models import AccountingResult, AccountingRun
    from carbonpeak.energy.services import ensure_bundled_factor_sets
    from carbonpeak.enterprises import selectors
    from carbonpeak.enterprises.creditcode import check_character
    from carbonpeak.enterprises.models import Enterprise, EnterpriseReport

    rng = random.Random(1)
    sectors = [s.name for s in catalog.SECTORS]
    started = time.perf_counter()
    Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=(code := f"91320585BENCH{n:04d}"[:17].replace("I", "1").replace("O", "0"))
            + check_character(code),
            name=f"基准企业{n}",
            industry_code="C3433",
            sector=rng.choice(sectors),
        )
        for n in range(args.enterprises)
    )
    reports = []
    for enterprise_id in Enterprise.objects.values_list("id", flat=True):
        for year in (2024, 2025):
            tce = rng.uniform(1e3, 1e5)
            reports.append(
                EnterpriseReport(enterprise_id=enterprise_id, year=year, status="approved", terminal_tce=tce)
            )
            if rng.random() < 0.1:
                reports.append(
                    EnterpriseReport(
                        enterprise_id=enterprise_id,
                        year=year,
                        revision=2,
                        status="approved",
                        terminal_tce=tce * 1.01,
                    )
                )
    EnterpriseReport.objects.bulk_create(reports, batch_size=5000)
    fs = ensure_bundled_factor_sets()
    run = AccountingRun.objects.create(
        factor_set=fs, factor_set_label=fs.label, grid_region="江苏", reason="基准"
    )
    by_sector = {s: {"terminal_tce": rng.uniform(1e7, 5e7)} for s in sectors}
    AccountingResult.objects.create(
        run=run,
        region="基准市",
        period="2025",
        year=2025,
        first_quarter=1,
        last_quarter=4,
        energy_tce=1e8,
        co2_t=2e8,
        data={"by_sector": by_sector},
    )
    print(
        f"准备：{args.enterprises} 家企业、{len(reports)} 份审核通过的报告（{time.perf_counter() - started:.1f} 秒）"
    )

    def best(fn) -> float:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    def reconcile():
        rows, _ = selectors.reconciliation(2025)
        selectors.movers(2025)
        assert len(rows) == len({s for s in sectors}) or rows

    def floor():
        list(
            EnterpriseReport.objects.filter(year=2025, status="approved")
            .values("enterprise__sector")
            .annotate(total=Sum("terminal_tce"))
        )

    t_reconcile, t_floor = best(reconcile), best(floor)
    within = "达到" if t_reconcile <= GOAL_SECONDS else "未达到"
    print(
        f"对账（{args.enterprises} 家企业）：{t_reconcile * 1000:.0f} 毫秒；下限（按行业直接求和）："
        f"{t_floor * 1000:.0f} 毫秒；比值 {t_reconcile / t_floor:.1f}×；目标 ≤ {GOAL_SECONDS:g} 秒：{within}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
