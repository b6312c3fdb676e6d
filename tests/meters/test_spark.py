"""The aggregation's Spark text run in PySpark's local mode on the same Parquet store gives DuckDB's result
(run with ``pytest -m spark``; ``make test`` installs Java and PySpark)."""

from __future__ import annotations

import shutil

import pytest

from carbonpeak.meters import aggregation, readings

from .conftest import csv_bytes
from .test_aggregation import random_rows

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None:
        pytest.skip("没有 Java（Debian 软件包 default-jre-headless，make test 会安装）：跳过 Spark 测试")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("carbonpeak-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_and_duckdb_give_the_same_totals(spark, tmp_path):
    store = tmp_path / "store"
    for seed in (11, 12):  # two batches, so the store holds several files per partition
        path = tmp_path / f"r{seed}.csv"
        rows = [r for r in random_rows(seed) if r[1] != "M0" or seed == 11]
        if seed == 12:
            rows = [[r[0], r[1] + "b", *r[2:]] for r in rows]  # other meters: no repeated reading
        path.write_bytes(csv_bytes(rows))
        readings.ingest(path, "csv", store, f"b{seed}")
    duck = aggregation.monthly_totals(store)
    sparked = aggregation.monthly_totals_spark(spark, store)
    assert len(duck) > 10
    key = lambda t: (t.credit_code, t.month, t.energy_type)  # noqa: E731
    assert [key(t) for t in sorted(sparked, key=key)] == [key(t) for t in sorted(duck, key=key)]
    for d, s in zip(sorted(duck, key=key), sorted(sparked, key=key), strict=True):
        assert (s.region, s.unit, s.readings, s.meters) == (d.region, d.unit, d.readings, d.meters)
        assert s.total == pytest.approx(d.total, rel=1e-9)


def test_the_cluster_job_submitted_with_spark_submit_writes_totals_the_platform_reads_back(tmp_path):
    """What docs/scale.md tells an operator: the job file and SQL the CLI writes, spark-submit, and the
    folder it writes read back — the same totals as DuckDB's."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    if shutil.which("java") is None:
        pytest.skip("没有 Java（Debian 软件包 default-jre-headless，make test 会安装）：跳过 Spark 测试")
    store = tmp_path / "store"
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(random_rows(21)))
    readings.ingest(path, "csv", store, "b21")
    job = tmp_path / "job"
    subprocess.run(
        [str(Path(sys.executable).with_name("carbonpeak")), "meters", "spark-job", str(job)], check=True
    )
    out = tmp_path / "totals"
    submit = Path(sys.executable).with_name("spark-submit")
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    done = subprocess.run(
        [
            str(submit),
            "--master",
            "local[2]",
            str(job / "spark_job.py"),
            "--store",
            str(store),
            "--sql",
            str(job / "monthly_totals.sql"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    key = lambda t: (t.credit_code, t.month, t.energy_type)  # noqa: E731
    back = sorted(aggregation.read_totals(out), key=key)
    duck = sorted(aggregation.monthly_totals(store), key=key)
    assert [key(t) for t in back] == [key(t) for t in duck]
    assert all(
        b.total == pytest.approx(d.total, rel=1e-9) and b.readings == d.readings
        for b, d in zip(back, duck, strict=True)
    )
