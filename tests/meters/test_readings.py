"""A file of readings is checked row by row and written to the month × region partitioned store, or refused
whole with every bad row named and nothing written."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from carbonpeak.meters import aggregation, readings

from .conftest import code, csv_bytes, quarter_hours

A, B = code("A0001"), code("B0002", region="320583")


def _ingest(tmp_path, store, data: bytes, batch="b1", name="r.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return readings.ingest(path, "csv", store, batch)


def test_a_good_file_lands_partitioned_by_month_and_region(tmp_path, store):
    rows = quarter_hours(A, "E1", datetime(2025, 1, 31, 23, 0), 8) + quarter_hours(
        B, "E9", datetime(2025, 2, 1), 4
    )
    written = _ingest(tmp_path, store, csv_bytes(rows))
    assert written.rows == 12 and written.months == ["2025-01", "2025-02"]
    assert written.regions == ["320583", "320585"]  # characters 3–8 of the credit code
    parts = sorted(str(p.relative_to(store).parent) for p in store.rglob("*.parquet"))
    assert parts == [
        "month=2025-01/region=320585",
        "month=2025-02/region=320583",
        "month=2025-02/region=320585",
    ]
    assert all(p.name.startswith("batch_b1_") for p in store.rglob("*.parquet"))


def test_units_are_converted_to_the_base_unit_and_headers_may_be_spelled_otherwise(tmp_path, store):
    header = ["credit_code", "meter", "energy_type", "timestamp", "value", "unit", "granularity"]
    rows = [
        [A, "E1", "电力", "2025-03-01 00:00:00", "1.5", "万千瓦时", "day"],
        [A, "G1", "管道天然气", "2025/03/01 00:00", "2", "万立方米", "日"],
        [A, "C1", "原煤", "2025-03-01", "3", "万吨", "月"],
    ]
    _ingest(tmp_path, store, csv_bytes(rows, header))
    totals = {(t.energy_type, t.unit): t.total for t in aggregation.monthly_totals(store)}
    assert totals == {("电力", "kWh"): 15000.0, ("天然气", "m3"): 20000.0, ("原煤", "t"): 30000.0}


def test_every_bad_row_is_named_and_nothing_is_written(tmp_path, store):
    rows = [
        [A, "E1", "电力", "2025-01-01 00:00:00", 5, "千瓦时", "15分钟"],
        [
            A[:-1] + ("1" if A[-1] != "1" else "2"),
            "E1",
            "电力",
            "2025-01-01 00:15:00",
            5,
            "千瓦时",
            "15分钟",
        ],  # check character
        [A, "=HYPERLINK(1)", "电力", "2025-01-01 00:30:00", 5, "千瓦时", "15分钟"],
        [A, "E1", "自来水", "2025-01-01 00:45:00", 5, "吨", "15分钟"],
        [A, "E1", "电力", "2025-01-01 01:00:00", 5, "吨", "15分钟"],
        [A, "E1", "电力", "2025-02-30 00:00:00", 5, "千瓦时", "15分钟"],
        [A, "E1", "电力", "2025-01-01 01:30:00", "", "千瓦时", "15分钟"],
        [A, "E1", "电力", "2025-01-01 01:45:00", "abc", "千瓦时", "15分钟"],
        [A, "E1", "电力", "2025-01-01 02:00:00", -1, "千瓦时", "15分钟"],
        [A, "E1", "电力", "2025-01-01 02:15:00", 5, "千瓦时", "每周"],
        [A, "E1", "电力", "2025-01-01 00:00:10", 5, "千瓦时", "15分钟"],  # the same period as row 2
    ]
    with pytest.raises(readings.ReadingsError) as refused:
        _ingest(tmp_path, store, csv_bytes(rows))
    problems = refused.value.problems
    assert [p.split("：")[0] for p in problems] == [f"第{n}行" for n in range(3, 13)]
    text = "\n".join(problems)
    for expected in (
        "校验",
        "不允许的字符",
        "未知能源品种",
        "能量单位",
        "无法识别",
        "数值为空",
        "不是数字",
        "为负",
        "每周",
        "与第2行",
    ):
        assert expected in text, expected
    assert not store.exists() or not list(store.rglob("*.parquet"))


def test_a_missing_column_is_named(tmp_path, store):
    data = "统一社会信用代码,计量器具编号,数据时标,数值\n".encode()
    with pytest.raises(readings.ReadingsError, match="缺少列：能源品种、计量单位"):
        _ingest(tmp_path, store, data)


def test_a_file_that_is_not_csv_is_refused_with_a_reason(tmp_path, store):
    with pytest.raises(readings.ReadingsError, match="无法读取文件"):
        _ingest(tmp_path, store, b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 50)


def test_readings_already_stored_are_refused_and_a_withdrawn_batch_frees_them(tmp_path, store):
    data = csv_bytes(quarter_hours(A, "E1", datetime(2025, 1, 1), 4))
    _ingest(tmp_path, store, data, batch="first")
    with pytest.raises(readings.ReadingsError, match="已在批次 first 中入库"):
        _ingest(tmp_path, store, data, batch="second")
    assert readings.withdraw(store, "first") == ["2025-01"]
    assert not list(store.rglob("*.parquet"))
    assert _ingest(tmp_path, store, data, batch="second").rows == 4


def test_parquet_files_are_read_with_their_own_types(tmp_path, store):
    table = pa.table(
        {
            "统一社会信用代码": [A, A],
            "计量器具编号": ["E1", "E1"],
            "能源品种": ["电力", "电力"],
            "数据时标": pa.array(
                [datetime(2025, 5, 1, 0, 0), datetime(2025, 5, 1, 0, 15)], pa.timestamp("s")
            ),
            "数值": pa.array([1.25, 2.5], pa.float64()),
            "计量单位": ["千瓦时", "千瓦时"],
        }
    )
    path = tmp_path / "r.parquet"
    pq.write_table(table, path)
    written = readings.ingest(path, "parquet", store, "pq")
    assert written.rows == 2
    [total] = aggregation.monthly_totals(store)
    assert total.total == 3.75 and total.month == "2025-05"


def test_a_timestamp_is_stored_with_its_period_and_its_offset(tmp_path, store):
    rows = [
        [A, "E1", "电力", "2025-01-31 23:59:30", 7, "千瓦时", "日"],  # counts for 1 February, 30 s early
        [
            A,
            "E1",
            "电力",
            "2025-01-31 00:00:00",
            9,
            "千瓦时",
            "月",
        ],  # the month nearest: February, a day early
    ]
    _ingest(tmp_path, store, csv_bytes(rows))
    con = duckdb.connect()
    readings.readings_view(con, store)
    got = con.execute(
        "SELECT granularity, month, CAST(slot AS VARCHAR), offset_s FROM readings ORDER BY 1"
    ).fetchall()
    assert got == [
        ("day", "2025-02", "2025-02-01 00:00:00", -30),
        ("month", "2025-02", "2025-02-01 00:00:00", -86400),
    ]


def test_hostile_column_names_in_a_parquet_file_are_only_names(tmp_path, store):
    table = pa.table(
        {
            'x" AS VARCHAR), 1; DROP TABLE raw; --': ["a"],
            "统一社会信用代码": [A],
            "计量器具编号": ["E1"],
            "能源品种": ["电力"],
            "数据时标": ["2025-05-01 00:00"],
            "数值": ["1"],
            "计量单位": ["千瓦时"],
        }
    )
    path = tmp_path / "r.parquet"
    pq.write_table(table, path)
    assert readings.ingest(path, "parquet", store, "pq").rows == 1


def test_a_column_given_twice_is_refused_naming_it(tmp_path, store):
    """Two headers for one column: never 'the first wins' (the other values would be dropped unseen)."""
    table = pa.table(
        [
            pa.array([A]),
            pa.array(["E1"]),
            pa.array(["电力"]),
            pa.array(["2025-01-01 00:00"]),
            pa.array(["1"]),
            pa.array(["2"]),
            pa.array(["千瓦时"]),
        ],
        names=["统一社会信用代码", "计量器具编号", "能源品种", "数据时标", "数值", "数值", "计量单位"],
    )
    path = tmp_path / "twice.parquet"
    pq.write_table(table, path)
    with pytest.raises(readings.ReadingsError, match="“数值”出现不止一次"):
        readings.ingest(path, "parquet", store, "b1")
    spelled = "统一社会信用代码,计量器具编号,能源品种,数据时标,数值,value,计量单位\n".encode()
    with pytest.raises(readings.ReadingsError, match="都是数值列"):
        _ingest(tmp_path, store, spelled)
    assert not store.exists() or not list(store.rglob("*.parquet"))


def test_a_reader_message_shows_no_server_path(tmp_path, store):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 100 + b"PAR1")
    with pytest.raises(readings.ReadingsError) as refused:
        readings.ingest(path, "parquet", store, "b1")
    assert str(tmp_path) not in str(refused.value) and "/tmp" not in str(refused.value)
