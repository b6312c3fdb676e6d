"""`carbonpeak meters …` on a site of its own: import, a refused file (exit 1, the rows named), the same file
again, withdrawal, and the totals a cluster wrote loaded back."""

from __future__ import annotations

from datetime import datetime

from .conftest import code, csv_bytes, quarter_hours

A = code("C0001")


def test_ingest_refuse_withdraw_and_load_totals(fresh_site, tmp_path):
    made = fresh_site.python("from carbonpeak.demo import ensure_demo_users; ensure_demo_users()")
    assert made.returncode == 0, made.stderr
    good = tmp_path / "读数.csv"
    good.write_bytes(csv_bytes(quarter_hours(A, "E1", datetime(2025, 6, 1), 96)))
    done = fresh_site.run("meters", "ingest", str(good))
    assert done.returncode == 0, done.stderr
    assert "96 条读数" in done.stdout and "2025-06" in done.stdout
    again = fresh_site.run("meters", "ingest", str(good))
    assert again.returncode == 1 and "已于" in again.stderr

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([[A, "E1", "电力", "2025-06-02 00:00:00", "x", "千瓦时", "15分钟"]]))
    refused = fresh_site.run("meters", "ingest", str(bad))
    assert refused.returncode == 1 and "第2行" in refused.stderr and "不是数字" in refused.stderr
    assert fresh_site.run("meters", "ingest", str(tmp_path / "none.csv")).returncode == 2
    assert (
        fresh_site.run("meters", "ingest", str(good), "--user", "stats").returncode == 2
    )  # not a coordinator

    batch = fresh_site.python(
        "from carbonpeak.meters.models import ReadingBatch; print(ReadingBatch.objects.get().batch)"
    )
    withdrawn = fresh_site.run("meters", "withdraw", batch.stdout.strip().splitlines()[-1])
    assert withdrawn.returncode == 0 and "已撤回" in withdrawn.stdout

    totals = tmp_path / "totals"
    totals.mkdir()
    written = fresh_site.python(
        "import pyarrow as pa, pyarrow.parquet as pq\n"
        f"pq.write_table(pa.table({{'credit_code': ['{A}'], 'region': ['320585'], 'month': ['2025-06'],"
        " 'energy_type': ['电力'], 'unit': ['kWh'], 'total': [960.0], 'readings': [96], 'meters': [1]}),"
        f" '{totals / 'part-0.parquet'}')"
    )
    assert written.returncode == 0, written.stderr
    loaded = fresh_site.run("meters", "load-totals", str(totals))
    assert loaded.returncode == 0 and "1 行" in loaded.stdout, loaded.stderr
