"""Importing readings through the service: refused files write nothing; accepted ones feed the monthly
totals, the quality verdicts and a warning per newly failing rule; a batch can be withdrawn."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carbonpeak.meters import selectors, services
from carbonpeak.meters.models import MonthlyTotal, QualityCheck, ReadingBatch
from carbonpeak.monitoring.models import EarlyWarning

from .conftest import code, csv_bytes, quarter_hours

A = code("K0001")
JUNE_SLOTS = 30 * 96


def _june_with_an_outage() -> bytes:
    # silent from Monday 9 June to Monday 16 June: completeness 76.7 % and a five-working-day fault
    skip = set(range(8 * 96, 15 * 96))
    rows = quarter_hours(A, "E1", datetime(2025, 6, 1), JUNE_SLOTS, skip=skip)
    return csv_bytes(rows + quarter_hours(A, "E1", datetime(2025, 7, 1), 4))


def _parquet_files():
    return list(services.store_dir().rglob("*.parquet")) if services.store_dir().exists() else []


def test_a_refused_file_writes_nothing(coordinator):
    bad = csv_bytes([[A, "E1", "电力", "2025-06-01 00:00:00", "", "千瓦时", "15分钟"]])
    with pytest.raises(ValidationError) as refused:
        services.ingest_bytes(coordinator, "bad.csv", bad)
    assert "第2行：数值为空" in refused.value.messages[0]
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        services.ingest_bytes(coordinator, "readings.xlsx", b"PK")
    assert not ReadingBatch.objects.exists() and not _parquet_files()


def test_an_accepted_file_feeds_totals_checks_and_warnings_once(coordinator):
    batch = services.ingest_bytes(coordinator, "june.csv", _june_with_an_outage())
    assert batch.rows == JUNE_SLOTS - 7 * 96 + 4 and batch.months == ["2025-06", "2025-07"]
    june = MonthlyTotal.objects.get(credit_code=A, month="2025-06")
    assert (june.energy_type, june.unit, june.total) == ("电力", "kWh", 10.0 * (JUNE_SLOTS - 7 * 96))
    failing = set(QualityCheck.objects.filter(month="2025-06", status="fail").values_list("rule", flat=True))
    assert failing == {"completeness", "repair"}
    warnings = EarlyWarning.objects.filter(kind=EarlyWarning.Kind.METER)
    assert warnings.count() == 2 and all(A in w.message and "2025-06" in w.subject for w in warnings)
    assert warnings.first().href.startswith(f"/meters/enterprises/{A}/")

    # more readings of June later (another meter): June is judged again, its failures are not warned twice
    services.ingest_bytes(
        coordinator, "e2.csv", csv_bytes(quarter_hours(A, "E2", datetime(2025, 6, 1), JUNE_SLOTS))
    )
    assert (
        set(QualityCheck.objects.filter(month="2025-06", status="fail").values_list("rule", flat=True))
        == failing
    )
    assert EarlyWarning.objects.filter(kind=EarlyWarning.Kind.METER).count() == 2

    with pytest.raises(ValidationError, match="已于"):
        services.ingest_bytes(coordinator, "again.csv", _june_with_an_outage())

    services.withdraw(coordinator, batch)  # June is then the second file's meter alone, and whole
    assert MonthlyTotal.objects.get(month="2025-06").total == 10.0 * JUNE_SLOTS
    assert not QualityCheck.objects.filter(month="2025-06", status="fail").exists()
    with pytest.raises(ValidationError, match="已撤回"):
        services.withdraw(coordinator, batch)
    # withdrawn, the same file may come again
    assert services.ingest_bytes(coordinator, "june.csv", _june_with_an_outage()).rows == batch.rows


def test_only_a_coordinator_imports_or_withdraws(coordinator, django_user_model):
    batch = services.ingest_bytes(coordinator, "june.csv", _june_with_an_outage())
    department = django_user_model.objects.get(username="stats")
    with pytest.raises(PermissionDenied):
        services.ingest_bytes(
            department, "more.csv", csv_bytes(quarter_hours(A, "E9", datetime(2025, 6, 1), 2))
        )
    with pytest.raises(PermissionDenied):
        services.withdraw(department, batch)
    assert ReadingBatch.objects.count() == 1


def test_the_demo_meters_feed_the_enterprise_report_and_the_reconciliation(demo_plan, coordinator, client):
    from carbonpeak.demo import ensure_demo_enterprises, ensure_demo_meters
    from carbonpeak.enterprises import selectors as enterprises
    from carbonpeak.enterprises.models import Enterprise

    ensure_demo_enterprises(coordinator)
    readings, faults = ensure_demo_meters(coordinator)
    assert readings > 200_000 and len(faults) == 3
    assert ensure_demo_meters(coordinator) == (0, [])  # once

    # each planted fault is found, in its month
    found = {(c.credit_code, c.month, c.rule) for c in QualityCheck.objects.filter(status="fail")}
    assert {(f.credit_code, f.month) for f in faults} == {(c, m) for c, m, _ in found}

    paper = Enterprise.objects.get(name__startswith="玖龙纸业")
    report = paper.reports.get(year=2024, status="approved")
    rows = {r.energy_type: r for r in selectors.beside_report(paper.pk, 2024, report)}
    assert rows["电力"].reported == report.electricity_kwh
    assert rows["电力"].measured is not None and abs(rows["电力"].difference_pct) < 6
    assert rows["原煤"].months == 12 and rows["原煤"].unit == "t"
    # 2025 has three months of readings: the year is missing, not the sum of three months
    partial = {r.energy_type: r for r in selectors.beside_report(paper.pk, 2025, None)}
    assert (
        partial["电力"].measured is None and partial["电力"].months == 3 and partial["电力"].reported is None
    )

    rows, _ = enterprises.reconciliation(2024)
    metered = [r for r in rows if r.measured_tce is not None]
    assert metered and all(r.measured_enterprises >= 1 for r in metered)
    for r in metered:
        assert r.measured_tce == pytest.approx(r.measured_reported_tce, rel=0.1)
    client.force_login(coordinator)
    api = {r["sector"]: r for r in client.get("/api/enterprises/reconciliation?year=2024").json()["items"]}
    assert all(api[r.sector]["measured_tce"] == pytest.approx(r.measured_tce) for r in metered)
    assert any(
        r["measured_tce"] is None and r["measured_enterprises"] == 0 for r in api.values()
    )  # power plants


def test_totals_from_a_cluster_replace_their_months_and_anything_else_is_refused(coordinator, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from carbonpeak.meters.models import TotalsImport

    services.ingest_bytes(coordinator, "june.csv", _june_with_an_outage())
    out = tmp_path / "totals"
    out.mkdir()
    pq.write_table(
        pa.table(
            {
                "credit_code": [A, A],
                "region": ["320585", "320585"],
                "month": ["2025-06", "2025-08"],
                "energy_type": ["电力", "电力"],
                "unit": ["kWh", "kWh"],
                "total": [123.0, 456.0],
                "readings": [3, 4],
                "meters": [1, 1],
            }
        ),
        out / "part-00000.parquet",
    )
    record = services.load_totals(coordinator, out)
    assert record.rows == 2 and record.months == ["2025-06", "2025-08"]
    june = MonthlyTotal.objects.get(month="2025-06")
    assert (june.total, june.engine) == (123.0, "spark")
    assert MonthlyTotal.objects.get(month="2025-07").engine == "duckdb"  # a month the cluster did not carry

    (tmp_path / "other").mkdir()
    pq.write_table(pa.table({"x": [1]}), tmp_path / "other" / "a.parquet")
    with pytest.raises(ValidationError, match="缺少列"):
        services.load_totals(coordinator, tmp_path / "other")
    with pytest.raises(ValidationError, match="没有 Parquet"):
        services.load_totals(coordinator, tmp_path / "nothing")
    assert TotalsImport.objects.count() == 1
