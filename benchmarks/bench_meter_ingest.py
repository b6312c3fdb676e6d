"""Online-monitoring import: a CSV of N readings checked row by row and written to the store, against DuckDB
reading the same file into a table and nothing more.

Usage: python benchmarks/bench_meter_ingest.py --rows 20000000 [--seed 1] [--dir PATH]

Generates a CSV of N 15-minute electricity readings in the import's own columns (seeded; meters = N / 2,976,
one month each), then times, each in a fresh process so that its peak memory is its own:
- the baseline: DuckDB reading the CSV into a table (every cell as text), the least an import must do;
- the import: ``carbonpeak.meters.readings.ingest`` (every check, the duplicate and overlap checks, the
  partitioned Parquet written), on a database on disk with a 1 GB memory limit.
The last line prints the figures, the rows per second and the ratio import/baseline; the import's peak
memory should not grow with N (DuckDB spills beyond its limit).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

SLOTS_PER_MONTH = 31 * 96


def generate(path: Path, rows: int, seed: int) -> int:
    from carbonpeak.enterprises.creditcode import check_character

    rng = np.random.default_rng(seed)
    meters = max(1, rows // SLOTS_PER_MONTH)
    per = rows // meters
    codes = []
    for m in range(meters):
        first17 = f"91320585{m // 2:09d}"
        codes.append(first17 + check_character(first17))
    written = 0
    with pacsv.CSVWriter(path, pa.schema([(n, pa.string()) for n in _HEADER])) as out:
        for start in range(0, meters, 200):  # 200 meters at a time: bounded memory for any N
            chosen = np.arange(start, min(meters, start + 200))
            index = np.repeat(chosen, per)
            slots = np.tile(np.arange(per), len(chosen))
            stamps = (np.datetime64("2025-01-01T00:00") + slots * np.timedelta64(15, "m")).astype(
                "datetime64[s]"
            )
            n = len(index)
            out.write_table(
                pa.table(
                    {
                        "统一社会信用代码": pa.array(np.array(codes)[index]),
                        "计量器具编号": pa.array(np.where(index % 2 == 0, "E-01", "E-02")),
                        "能源品种": pa.array(np.full(n, "电力")),
                        "数据时标": pa.array(np.datetime_as_string(stamps).astype(object)).cast(pa.string()),
                        "数值": pa.array(np.round(rng.gamma(2.0, 50.0, n), 3).astype(str)),
                        "计量单位": pa.array(np.full(n, "千瓦时")),
                        "数据类型": pa.array(np.full(n, "15分钟")),
                    }
                )
            )
            written += n
    return written


_HEADER = ("统一社会信用代码", "计量器具编号", "能源品种", "数据时标", "数值", "计量单位", "数据类型")


def child(kind: str, csv_path: Path, work: Path) -> dict:
    import duckdb

    from carbonpeak.meters import readings

    started = time.perf_counter()
    if kind == "baseline":
        con = duckdb.connect(str(work / "baseline.duckdb"))
        source = str(csv_path).replace("'", "''")
        con.execute(
            f"CREATE TABLE raw AS SELECT * FROM read_csv('{source}', all_varchar = true, header = true)"
        )
        rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
        con.close()
    else:
        rows = readings.ingest(csv_path, "csv", work / "store", "bench").rows
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "rows": rows,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(kind: str, csv_path: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as work:
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--csv", str(csv_path), "--work", work],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument("--child", choices=("baseline", "ingest"), help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, Path(args.csv), Path(args.work))))
        return
    folder = Path(args.dir) / f"carbonpeak-bench-ingest-{args.rows}-{args.seed}"
    csv_path = folder / "readings.csv"
    if not csv_path.with_suffix(".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        started = time.perf_counter()
        rows = generate(csv_path, args.rows, args.seed)
        csv_path.with_suffix(".complete").write_text(str(rows))
        print(
            f"生成 {rows:,} 条读数的 CSV（{csv_path.stat().st_size / 1048576:,.0f} MB）：{time.perf_counter() - started:.1f} 秒"
        )
    baseline = measure("baseline", csv_path)
    ingest = measure("ingest", csv_path)
    assert ingest["rows"] == baseline["rows"], "the import must take every row"
    rate = ingest["rows"] / ingest["seconds"]
    print(
        f"基线（DuckDB 读入 CSV，不做检查）：{baseline['seconds']:.1f} 秒，峰值内存 {baseline['peak_mb']:,.0f} MB"
    )
    print(
        f"导入（逐行检查、查重、按月份和地区写 Parquet）：{ingest['seconds']:.1f} 秒，峰值内存 {ingest['peak_mb']:,.0f} MB"
    )
    print(
        f"rows={ingest['rows']} baseline_s={baseline['seconds']:.1f} ingest_s={ingest['seconds']:.1f} "
        f"rows_per_s={rate:,.0f} ratio={ingest['seconds'] / baseline['seconds']:.2f} peak_mb={ingest['peak_mb']:.0f}"
    )


if __name__ == "__main__":
    main()
