"""Quarterly report speed: one full report (.docx with charts + .xlsx) for the demo data.

Usage: python benchmarks/bench_report.py [--period 2025Q3] [--repeat 3]

Prepares a fresh demo database in a temporary folder (``carbonpeak demo``: the Taicang plan, sample energy
data 示例数据, indicator values, grades, projections), then times, in the same run:
- T: ``reports.services.build`` — gathering every figure from the database (accounting, grades on data up
  to the quarter, progress, warnings, the stored 规划情景 projection, data quality), drawing the four
  charts, writing the .docx and the .xlsx and storing both (best of ``--repeat``);
- floor: writing the same tables and paragraphs to a .docx without charts and without the database,
  the least a report with these tables costs.
Goal: T < 10 s on this machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2025Q3")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="carbonpeak-bench-") as folder:
        os.environ["CARBONPEAK_DATA_DIR"] = folder
        os.environ.pop("DATABASE_URL", None)
        started = time.perf_counter()
        cli = Path(sys.executable).with_name("carbonpeak")
        subprocess.run([str(cli), "demo"], check=True, capture_output=True)
        print(f"demo database prepared in {time.perf_counter() - started:.1f} s ({folder})")

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbonpeak.settings")
        import django

        django.setup()
        from django.contrib.auth import get_user_model

        from carbonpeak.projection.services import latest_plan
        from carbonpeak.reports import services, writers
        from carbonpeak.reports.content import Report
        from carbonpeak.reports.models import QuarterlyReport

        plan = latest_plan()
        user = get_user_model().objects.get(username="coordinator")
        times = []
        for _ in range(args.repeat):
            job = QuarterlyReport.objects.create(plan=plan, period=args.period, created_by=user)
            started = time.perf_counter()
            job = services.build(job)
            times.append(time.perf_counter() - started)
            if job.status != QuarterlyReport.State.DONE:
                raise SystemExit(f"report failed: {job.message}")
        t = min(times)
        docx = services.file_path(job, "docx").stat().st_size
        xlsx = services.file_path(job, "xlsx").stat().st_size
        print(
            f"full report: {', '.join(f'{x:.2f}' for x in times)} s; docx {docx / 1024:.0f} KB, xlsx {xlsx / 1024:.0f} KB"
        )

        report, _ = services.collect(plan, args.period)
        bare = Report(**{**report.__dict__, "sections": []})
        for section in report.sections:
            bare.sections.append(
                type(section)(section.title, section.paragraphs, section.tables, [], section.items)
            )
        started = time.perf_counter()
        writers.write_docx(bare)
        floor = time.perf_counter() - started
        print(
            f"quarterly report {args.period}: {t:.2f} s (goal < 10 s), floor {floor:.2f} s "
            f"(the same tables and text as .docx, no charts, no database), ratio {t / floor:.1f}"
        )


if __name__ == "__main__":
    main()
