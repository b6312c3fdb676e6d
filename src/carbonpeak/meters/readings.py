"""Online-monitoring readings: the file a monitoring system exports, checked row by row and written to the
columnar store (pure, no Django: DuckDB does the work, so a file of millions of rows is checked and written
without passing through Python row by row).

A reading is what one meter measured over one period: the enterprise's 统一社会信用代码, the meter, the
energy type, the period's start (数据时标), the quantity consumed in the period, its unit, and the kind of
data (15-minute, daily or monthly; 15-minute when the file has no such column). A bad file is refused whole:
every problem is named by its row (the first 50, with the total), and nothing is written.

Stored, each reading carries its nominal period (the grid point nearest its timestamp, so that a daily
figure stamped 23:59:30 counts for the next day) and its offset from it (what the timestamp rule checks),
the quantity in the energy type's base unit (t, m³, kWh), and its batch. The store is Parquet partitioned by
month and region — the region being the 登记管理机关行政区划码 in the credit code (GB 32100-2015, characters
3–8), which a province's readings carry without any register — so that a month's or a county's readings are
read alone, by DuckDB here or by Spark on a cluster.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from carbonpeak.core.text import gettext_noop
from carbonpeak.energy import catalog
from carbonpeak.enterprises import creditcode

# canonical column → the headers accepted for it (as monitoring systems and hand-made files spell them)
HEADERS: dict[str, tuple[str, ...]] = {
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "meter": ("计量器具编号", "计量器具", "表计编号", "meter", "meter_id"),
    "energy_type": ("能源品种", "能源类型", "energy_type"),
    "ts": ("数据时标", "采集时间", "时间", "timestamp", "ts"),
    "value": ("数值", "采集值", "用量", "value"),
    "unit": ("计量单位", "单位", "unit"),
    "granularity": ("数据类型", "采集频率", "granularity"),
}
REQUIRED = ("credit_code", "meter", "energy_type", "ts", "value", "unit")
LABEL = {
    "credit_code": "统一社会信用代码",
    "meter": "计量器具编号",
    "energy_type": "能源品种",
    "ts": "数据时标",
    "value": "数值",
    "unit": "计量单位",
    "granularity": "数据类型",
}

# kinds of data: stored code → label, the accepted spellings, and the grid its timestamps fall on
FIFTEEN_MINUTES, DAILY, MONTHLY = "15min", "day", "month"
GRANULARITY_LABEL = {
    FIFTEEN_MINUTES: gettext_noop("15分钟数据"),
    DAILY: gettext_noop("日数据"),
    MONTHLY: gettext_noop("月数据"),
}
GRANULARITY_ALIASES = {
    FIFTEEN_MINUTES: ("15分钟", "15分钟数据", "15min", "15m", "实时"),
    DAILY: ("日", "日数据", "day", "daily"),
    MONTHLY: ("月", "月数据", "month", "monthly"),
}
# the nominal period of a timestamp: the nearest grid point (a month's: the start of the month nearest it)
SLOT_SQL = {
    FIFTEEN_MINUTES: "time_bucket(INTERVAL 15 MINUTE, ts + INTERVAL 450 SECOND)",
    DAILY: "date_trunc('day', ts + INTERVAL 12 HOUR)",
    MONTHLY: "date_trunc('month', ts + INTERVAL 15 DAY)",
}
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d")
MAX_ERRORS = 50
MEMORY_LIMIT = "1GB"  # DuckDB spills beyond it: the check's memory does not grow with the file (本平台规则)
# letters, digits, CJK and _ - . # /: no formula start (=, +, @), no control characters
METER_PATTERN = "^[0-9A-Za-z_.#/\\-" + "\u4e00-\u9fff" + "]{1,50}$"

# the columns of the store, in order (month and region are the partitions)
STORE_COLUMNS = (
    "credit_code",
    "meter",
    "energy_type",
    "unit",
    "granularity",
    "ts",
    "slot",
    "offset_s",
    "value",
    "batch",
)


class ReadingsError(ValueError):
    """A file refused: ``problems`` names each bad row (the first 50) and ``total`` counts them all."""

    def __init__(self, problems: list[str], total: int | None = None) -> None:
        self.problems = problems
        self.total = len(problems) if total is None else total
        more = f"（共 {self.total} 处，仅列前 {len(problems)} 处）" if self.total > len(problems) else ""
        super().__init__("；".join(problems) + more)


@dataclass
class Written:
    """What one accepted file put into the store."""

    batch: str
    rows: int
    months: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    credit_codes: list[str] = field(default_factory=list)
    first_ts: str = ""
    last_ts: str = ""


def _header_map(columns: list[str]) -> dict[str, str]:
    """Canonical column → the file's header, or ReadingsError naming what is missing or unknown."""
    by_name = {h.lower(): canonical for canonical, names in HEADERS.items() for h in names}
    found: dict[str, str] = {}
    twice = []
    for col in columns:
        canonical = by_name.get(str(col).strip().lower())
        if canonical and canonical in found:
            twice.append(f"“{found[canonical]}”与“{col}”都是{LABEL[canonical]}列，请只保留一列")
        elif canonical:
            found[canonical] = col
    if twice:
        raise ReadingsError(twice)
    missing = [LABEL[c] for c in REQUIRED if c not in found]
    if missing:
        expected = "、".join(LABEL[c] for c in (*REQUIRED, "granularity"))
        raise ReadingsError(
            [f"缺少列：{'、'.join(missing)}（表头应为：{expected}；数据类型可省略，默认为15分钟数据）"]
        )
    return found


def sql_text(value: str) -> str:
    """A path or name as an SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def base_unit(fuel: catalog.Fuel) -> str:
    """The unit the store keeps an energy type in: its dimension's base unit (kWh, m3, t)."""
    return catalog.BASE_UNIT[fuel.dimension].replace("m**3", "m3")


def _ident(name: str) -> str:
    """A column name from the file as a quoted SQL identifier (a header is text from outside)."""
    return '"' + str(name).replace('"', '""') + '"'


def _file_headers(path: Path, kind: str) -> list[str]:
    """The header as the file has it (DuckDB renames a repeated name, which would hide it)."""
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except (OSError, ValueError):
            return []  # not Parquet: DuckDB says so below
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        return next(csv.reader([fh.readline(1 << 20)]), [])


def _without_paths(message: str, path: Path) -> str:
    """A reader's message with the server's file paths taken out (they say nothing to the person)."""
    message = message.replace(str(path), "上传的文件")
    return re.sub(r"(?:/[\w.\-]+){2,}", "…", message)


def _read(con: duckdb.DuckDBPyConnection, path: Path, kind: str) -> None:
    """The file as a table of text (every cell as written), keeping the file's row order in ``rowid``."""
    headers = [str(h).strip() for h in _file_headers(path, kind)]
    repeated = sorted({h for h in headers if h and headers.count(h) > 1})
    if repeated:
        raise ReadingsError([f"表头中“{h}”出现不止一次：每列只能有一个表头，请只保留一列" for h in repeated])
    source = sql_text(path)
    try:
        if kind == "parquet":
            con.execute(f"CREATE TABLE raw_typed AS SELECT * FROM read_parquet({source})")
            columns = [r[0] for r in con.execute("DESCRIBE raw_typed").fetchall()]
            casts = ", ".join(f"CAST({_ident(c)} AS VARCHAR) AS {_ident(c)}" for c in columns)
            con.execute(f"CREATE TABLE raw AS SELECT {casts} FROM raw_typed ORDER BY rowid")
            con.execute("DROP TABLE raw_typed")
        else:
            con.execute(
                f"CREATE TABLE raw AS SELECT * FROM read_csv({source}, all_varchar = true, header = true, "
                "auto_detect = true, encoding = 'utf-8')"
            )
    except duckdb.Error as exc:
        what = "Parquet" if kind == "parquet" else "CSV（UTF-8 编码，首行为表头）"
        detail = _without_paths(str(exc).splitlines()[0], path)[:200]
        raise ReadingsError([f"无法读取文件：不是有效的{what}（{detail}）"]) from exc


def _lookup_tables(con: duckdb.DuckDBPyConnection, cols: dict[str, str]) -> None:
    """Each distinct code, energy type, unit and kind resolved once in Python (a few thousand values, not
    millions of rows) into small tables the row check joins."""
    codes = [r[0] for r in con.execute(f"SELECT DISTINCT {_ident(cols['credit_code'])} FROM raw").fetchall()]
    con.execute("CREATE TABLE code_ok (raw VARCHAR, code VARCHAR, region VARCHAR, problem VARCHAR)")
    code_rows = []
    for raw in codes:
        try:
            code = creditcode.validate(raw or "")
            code_rows.append((raw, code, code[2:8], None))
        except creditcode.CreditCodeError as exc:
            code_rows.append((raw, None, None, str(exc)))
    if code_rows:
        con.executemany("INSERT INTO code_ok VALUES (?, ?, ?, ?)", code_rows)

    pairs = con.execute(
        f"SELECT DISTINCT {_ident(cols['energy_type'])}, {_ident(cols['unit'])} FROM raw"
    ).fetchall()
    con.execute(
        "CREATE TABLE unit_ok (raw_type VARCHAR, raw_unit VARCHAR, energy_type VARCHAR, unit VARCHAR, "
        "to_base DOUBLE, problem VARCHAR)"
    )
    unit_rows = []
    for raw_type, raw_unit in pairs:
        try:
            fuel = catalog.resolve_fuel(raw_type or "")
            scale = catalog.parse_unit(raw_unit or "")
            if scale.dimension != fuel.dimension:
                raise catalog.UnknownName(
                    f"{fuel.name}的计量单位应为{catalog.DIMENSION_LABEL[fuel.dimension]}单位，"
                    f"“{raw_unit}”是{catalog.DIMENSION_LABEL[scale.dimension]}单位"
                )
            unit_rows.append((raw_type, raw_unit, fuel.name, base_unit(fuel), scale.to_base, None))
        except catalog.UnknownName as exc:
            unit_rows.append((raw_type, raw_unit, None, None, None, str(exc)))
    if unit_rows:
        con.executemany("INSERT INTO unit_ok VALUES (?, ?, ?, ?, ?, ?)", unit_rows)

    con.execute("CREATE TABLE kind_ok (raw VARCHAR, granularity VARCHAR)")
    kinds = [(alias, code) for code, aliases in GRANULARITY_ALIASES.items() for alias in aliases]
    con.executemany("INSERT INTO kind_ok VALUES (?, ?)", kinds)


def _timestamp_sql(column: str) -> str:
    tries = ", ".join(f"try_strptime(trim({column}), '{f}')" for f in TIMESTAMP_FORMATS)
    return f"coalesce(TRY_CAST(trim({column}) AS TIMESTAMP), {tries})"


def check(con: duckdb.DuckDBPyConnection, path: Path, kind: str) -> int:
    """Read and check a file into table ``checked`` (the store's columns plus month and region); refuses
    it with ReadingsError naming the rows (the header is row 1). Returns the number of readings.
    (Long: one SQL check per kind of bad row, run in order over the file.)"""
    _read(con, path, kind)
    # the file's order is in raw's rowid from here on: the rest may run in any order, which spills better
    con.execute("SET preserve_insertion_order = false")
    columns = [r[0] for r in con.execute("DESCRIBE raw").fetchall()]
    cols = _header_map(columns)
    _lookup_tables(con, cols)
    q = {k: f"r.{_ident(v)}" for k, v in cols.items()}
    granularity = f"lower(trim({q['granularity']}))" if "granularity" in cols else f"'{FIFTEEN_MINUTES}'"
    slot = "CASE granularity " + " ".join(f"WHEN '{g}' THEN {sql}" for g, sql in SLOT_SQL.items()) + " END"
    con.execute(
        f"""
        CREATE VIEW parsed AS
        SELECT r.rowid + 2 AS line,
               c.code AS credit_code, c.region, c.problem AS code_problem, {q["credit_code"]} AS raw_code,
               trim({q["meter"]}) AS meter,
               u.energy_type, u.unit, u.to_base, u.problem AS unit_problem,
               k.granularity, {granularity} AS raw_granularity,
               {_timestamp_sql(q["ts"])} AS ts, {q["ts"]} AS raw_ts,
               TRY_CAST(trim({q["value"]}) AS DOUBLE) AS number, {q["value"]} AS raw_value
        FROM raw r
        LEFT JOIN code_ok c ON c.raw IS NOT DISTINCT FROM {q["credit_code"]}
        LEFT JOIN unit_ok u ON u.raw_type IS NOT DISTINCT FROM {q["energy_type"]}
                           AND u.raw_unit IS NOT DISTINCT FROM {q["unit"]}
        LEFT JOIN kind_ok k ON k.raw = {granularity}
        """
    )
    con.execute(
        f"""
        CREATE TABLE problems AS
        SELECT line, problem FROM (SELECT line, concat_ws('；',
            CASE WHEN code_problem IS NOT NULL THEN code_problem END,
            CASE WHEN meter IS NULL OR meter = '' THEN '计量器具编号为空'
                 WHEN NOT regexp_matches(meter, '{METER_PATTERN}')
                 THEN '计量器具编号“' || left(meter, 20) || '”含不允许的字符或超过50字' END,
            CASE WHEN unit_problem IS NOT NULL THEN unit_problem END,
            CASE WHEN granularity IS NULL THEN '数据类型“' || coalesce(raw_granularity, '') ||
                 '”无法识别（可填 15分钟、日、月）' END,
            CASE WHEN ts IS NULL THEN '数据时标“' || coalesce(raw_ts, '') ||
                 '”无法识别（如 2025-03-01 08:15:00）' END,
            CASE WHEN raw_value IS NULL OR trim(raw_value) = ''
                 THEN '数值为空（未采集的时段不填写该行，不要填 0）'
                 WHEN number IS NULL OR isnan(number) OR isinf(number)
                 THEN '数值“' || left(raw_value, 20) || '”不是数字'
                 WHEN number < 0 THEN '数值为负（应为本时段的用量）' END
        ) AS problem
        FROM parsed) WHERE problem <> ''
        """
    )
    con.execute(
        f"""
        CREATE TABLE checked AS
        SELECT line, credit_code, meter, energy_type, unit, granularity, ts,
               {slot} AS slot, number * to_base AS value, region
        FROM parsed p
        WHERE NOT EXISTS (SELECT 1 FROM problems x WHERE x.line = p.line)
        """
    )
    con.execute(
        """
        CREATE TABLE twice AS
        WITH repeated_hash AS (  -- one number per key first: an aggregate that spills, whatever the file's size
            SELECT hash(credit_code, meter, energy_type, granularity, slot) AS h
            FROM checked GROUP BY h HAVING count(*) > 1
        ), candidates AS (
            SELECT c.* FROM checked c SEMI JOIN repeated_hash r
            ON hash(c.credit_code, c.meter, c.energy_type, c.granularity, c.slot) = r.h
        ), repeated AS (
            SELECT credit_code, meter, energy_type, granularity, slot, min(line) AS first_line
            FROM candidates GROUP BY ALL HAVING count(*) > 1
        )
        SELECT c.line, r.first_line
        FROM candidates c JOIN repeated r USING (credit_code, meter, energy_type, granularity, slot)
        WHERE c.line <> r.first_line
        """
    )
    total = con.execute("SELECT (SELECT count(*) FROM problems) + (SELECT count(*) FROM twice)").fetchone()[0]
    if total:
        listed = con.execute(
            f"""
            SELECT line, problem FROM (
                SELECT line, problem FROM problems
                UNION ALL
                SELECT line, '与第' || first_line || '行是同一计量器具同一时段的重复数据' FROM twice
            ) ORDER BY line LIMIT {MAX_ERRORS}
            """
        ).fetchall()
        raise ReadingsError([f"第{line}行：{problem}" for line, problem in listed], total)
    rows = con.execute("SELECT count(*) FROM checked").fetchone()[0]
    if not rows:
        raise ReadingsError(["文件没有数据行"])
    return rows


def store_glob(store: Path, months: list[str] | None = None, regions: list[str] | None = None) -> list[str]:
    """The store's Parquet files (of some months and regions only, when given): what a query reads."""
    month_dirs = (
        [store / f"month={m}" for m in months] if months is not None else sorted(store.glob("month=*"))
    )
    files = []
    for month_dir in month_dirs:
        region_dirs = (
            [month_dir / f"region={r}" for r in regions]
            if regions is not None
            else sorted(month_dir.glob("region=*"))
        )
        for region_dir in region_dirs:
            files.extend(str(p) for p in sorted(region_dir.glob("*.parquet")))
    return files


def readings_view(
    con: duckdb.DuckDBPyConnection, store: Path, months: list[str] | None = None, name: str = "readings"
) -> bool:
    """A view ``readings`` over the store (the given months only), month and region read as text from the
    partition names; False when there are no readings."""
    files = store_glob(store, months)
    if not files:
        return False
    listed = ", ".join(sql_text(f) for f in files)
    con.execute(
        f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet([{listed}], hive_partitioning = true, "
        "hive_types = {'month': VARCHAR, 'region': VARCHAR})"
    )
    return True


def overlaps(con: duckdb.DuckDBPyConnection, store: Path) -> None:
    """Refuse a file that repeats readings already stored (same meter, kind and period): the batch holding
    them must be withdrawn first, so a reading is never counted twice."""
    months = [r[0] for r in con.execute("SELECT DISTINCT strftime(slot, '%Y-%m') FROM checked").fetchall()]
    if not readings_view(con, store, months, name="stored"):
        return
    rows = con.execute(
        f"""
        SELECT c.line, s.batch, count(*) OVER () AS total FROM checked c
        JOIN stored s ON s.credit_code = c.credit_code AND s.meter = c.meter
             AND s.energy_type = c.energy_type AND s.granularity = c.granularity AND s.slot = c.slot
        ORDER BY c.line LIMIT {MAX_ERRORS}
        """
    ).fetchall()
    if rows:
        raise ReadingsError(
            [
                f"第{line}行：该时段已在批次 {batch} 中入库（如需更正，请先撤回该批次）"
                for line, batch, _ in rows
            ],
            rows[0][2],
        )


def write(con: duckdb.DuckDBPyConnection, store: Path, batch: str) -> Written:
    """The checked readings into the store, partitioned by month and region, in files named by the batch
    (so that a batch can be withdrawn by removing its files)."""
    store.mkdir(parents=True, exist_ok=True)
    target = sql_text(store)
    con.execute(
        f"""
        COPY (
            SELECT credit_code, meter, energy_type, unit, granularity, ts, slot,
                   CAST(epoch(ts) - epoch(slot) AS INTEGER) AS offset_s, value, '{batch}' AS batch,
                   strftime(slot, '%Y-%m') AS month, region
            FROM checked
        ) TO {target} (FORMAT PARQUET, PARTITION_BY (month, region), OVERWRITE_OR_IGNORE true,
                         FILENAME_PATTERN 'batch_{batch}_{{i}}')
        """
    )
    summary = con.execute(
        """SELECT count(*), list(DISTINCT strftime(slot, '%Y-%m') ORDER BY 1), list(DISTINCT region ORDER BY 1),
                  list(DISTINCT credit_code ORDER BY 1), CAST(min(ts) AS VARCHAR), CAST(max(ts) AS VARCHAR)
           FROM checked"""
    ).fetchone()
    # DuckDB orders a list's DISTINCT elements by the ORDER BY given; sort again in case
    rows, months, regions, codes, first, last = summary
    return Written(batch, rows, sorted(months), sorted(regions), sorted(codes), first, last)


@dataclass(frozen=True)
class Bounds:
    """What a file read for a page or the API may cost (the CLI reads without them): its rows, counted
    before it is read, and the seconds its check and writing may take; ``larger`` says where a bigger file
    goes. ``temp_root`` is where DuckDB spills (the site's data directory, swept at start-up)."""

    max_rows: int | None = None
    max_seconds: float | None = None
    larger: str = ""
    temp_root: Path | None = None


def count_rows(path: Path, kind: str) -> int | None:
    """The file's rows without reading them: Parquet's metadata, or a CSV's line ends (less its header);
    None when the file is not readable as its kind (the check says why)."""
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            return pq.ParquetFile(path).metadata.num_rows
        except (OSError, ValueError):
            return None
    lines, last = 0, b"\n"
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            lines += block.count(b"\n")
            last = block[-1:]
    return max(0, lines + (last != b"\n") - 1)


def _too_many_rows(rows: int, bounds: Bounds) -> ReadingsError:
    where = f"：{bounds.larger}" if bounds.larger else ""
    return ReadingsError(
        [
            f"文件共 {rows:,} 行读数，超过网页和接口导入的上限 {bounds.max_rows:,} 行（本平台规则），未导入{where}"
        ]
    )


def _too_slow(bounds: Bounds) -> ReadingsError:
    where = f"：{bounds.larger}" if bounds.larger else ""
    return ReadingsError(
        [
            f"文件的校验超过 {bounds.max_seconds:,.0f} 秒（网页和接口导入的上限，本平台规则），已停止，未导入{where}"
        ]
    )


def ingest(
    path: Path,
    kind: str,
    store: Path,
    batch: str,
    *,
    bounds: Bounds | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> Written:
    """Check a file and, when every row is good and none repeats a stored reading, write it to the store.
    With ``bounds`` (a page's or the API's file), a file over its rows is refused unread and a check that
    runs past its seconds is stopped; either way nothing is written."""
    if not re.fullmatch(r"[0-9a-zA-Z]{1,40}", batch):
        raise ValueError("batch id must be alphanumeric")
    bounds = bounds or Bounds()
    step = progress or (lambda _percent, _stage: None)
    if bounds.max_rows is not None:
        step(10, "清点行数")
        rows = count_rows(path, kind)
        if rows is not None and rows > bounds.max_rows:
            raise _too_many_rows(rows, bounds)
    if bounds.temp_root is not None:
        bounds.temp_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="carbonpeak-ingest-", dir=bounds.temp_root) as work:
        # a database on disk with a memory limit: a file of any size is checked by spilling, not by holding it
        con = duckdb.connect(str(Path(work) / "check.duckdb"))
        stopped = threading.Event()

        def stop() -> None:
            stopped.set()
            con.interrupt()

        timer = threading.Timer(bounds.max_seconds, stop) if bounds.max_seconds else None
        try:
            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            con.execute(f"SET temp_directory = '{work}'")
            con.execute("SET enable_progress_bar = false")
            if timer is not None:
                timer.start()

            def stage(percent: int, what: str) -> None:  # a stop that fell between two queries ends here
                if stopped.is_set():
                    raise _too_slow(bounds)
                step(percent, what)

            stage(20, "逐行校验")
            check(con, path, kind)
            stage(60, "核对是否与已导入的读数重复")
            overlaps(con, store)
            stage(75, "写入列式存储")
            try:
                return write(con, store, batch)
            except BaseException:
                withdraw(store, batch)  # stopped while writing: no file of the batch stays
                raise
        except (ReadingsError, duckdb.Error):
            if stopped.is_set():
                raise _too_slow(bounds) from None
            raise
        finally:
            if timer is not None:
                timer.cancel()
            con.close()


def withdraw(store: Path, batch: str) -> list[str]:
    """Remove a batch's files from the store; the months it touched (to recompute)."""
    months = set()
    for path in store.glob(f"month=*/region=*/batch_{batch}_*.parquet"):
        months.add(path.parent.parent.name.removeprefix("month="))
        path.unlink()
    for region_dir in store.glob("month=*/region=*"):
        if not any(region_dir.iterdir()):
            region_dir.rmdir()
    for month_dir in store.glob("month=*"):
        if not any(month_dir.iterdir()):
            shutil.rmtree(month_dir)
    return sorted(months)
