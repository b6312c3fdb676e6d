"""The monitoring system's data-quality rules, judged per enterprise and month from what the store holds,
with the thresholds read from the data file that carries their source."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from carbonpeak.meters import quality, readings

from .conftest import code, csv_bytes, quarter_hours

A = code("Q0001")
JUNE = datetime(2025, 6, 1)
JUNE_SLOTS = 30 * 96


def judge(tmp_path, rows, months=("2025-06",)):
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(rows))
    store = tmp_path / "store"
    readings.ingest(path, "csv", store, "b1")
    stats, gaps, as_of = quality.gather(store, list(months))
    return {(c.month, c.rule): c for c in quality.evaluate(stats, gaps, as_of, list(months))}


def test_the_thresholds_come_from_the_reference_with_their_source():
    t = quality.thresholds()
    assert (t["completeness_min"].value, t["daily_monthly_max_deviation"].value) == (90, 5)
    assert (t["timestamp_tolerance_daily"].value, t["timestamp_tolerance_monthly"].value) == (60, 86400)
    assert t["repair_max_working_days"].value == 3
    assert all("sanyawang" in x.source and "hao3537" in x.source for x in t.values())


def _july_tail():
    return quarter_hours(A, "E1", datetime(2025, 7, 1), 4)  # a reading in July: June has ended


def test_completeness_at_the_threshold_passes_and_below_it_fails(tmp_path):
    missing = JUNE_SLOTS // 10  # exactly 90 % left; spread so that no gap is long
    at = judge(
        tmp_path / "a",
        quarter_hours(A, "E1", JUNE, JUNE_SLOTS, skip=set(range(0, JUNE_SLOTS, 10))) + _july_tail(),
    )
    assert at[("2025-06", "completeness")].status == quality.PASS
    assert at[("2025-06", "completeness")].figure == pytest.approx(90.0)
    below = judge(
        tmp_path / "b",
        quarter_hours(A, "E1", JUNE, JUNE_SLOTS, skip=set(range(0, JUNE_SLOTS, 10)) | {5}) + _july_tail(),
    )
    assert below[("2025-06", "completeness")].status == quality.FAIL
    assert missing + 1 == JUNE_SLOTS - round(below[("2025-06", "completeness")].figure * JUNE_SLOTS / 100)


def test_a_month_not_ended_is_judged_up_to_the_latest_reading(tmp_path):
    checks = judge(tmp_path, quarter_hours(A, "E1", JUNE, 96 * 10))  # ten whole days, nothing after
    completeness = checks[("2025-06", "completeness")]
    assert completeness.status == quality.PASS and completeness.figure == 100.0
    assert "本月未结束" in completeness.detail


def _daily_and_monthly(daily_value: float, monthly_value: float) -> list[list]:
    rows = [
        [A, "G1", "天然气", (JUNE + timedelta(days=d)).strftime("%Y-%m-%d"), daily_value, "立方米", "日"]
        for d in range(30)
    ]
    rows.append([A, "G1", "天然气", "2025-06-01", monthly_value, "立方米", "月"])
    rows.append([A, "G1", "天然气", "2025-07-01", daily_value, "立方米", "日"])
    return rows


@pytest.mark.parametrize(
    ("monthly", "status"),
    [
        (3000 / 1.05, quality.PASS),
        (3000 / 1.0501, quality.FAIL),
        (3000 * 0.951, quality.FAIL),
        (3000 * 0.953, quality.PASS),
    ],
)
def test_daily_figures_against_the_monthly_figure_within_five_per_cent(tmp_path, monthly, status):
    check = judge(tmp_path, _daily_and_monthly(100, monthly))[("2025-06", "daily_monthly")]
    assert check.status == status, check.detail


def test_without_a_monthly_figure_the_rule_is_not_judged(tmp_path):
    check = judge(tmp_path, quarter_hours(A, "E1", JUNE, JUNE_SLOTS) + _july_tail())[
        ("2025-06", "daily_monthly")
    ]
    assert check.status == quality.NOT_JUDGED and check.figure is None


def test_timestamps_within_a_minute_for_daily_and_a_day_for_monthly_data(tmp_path):
    rows = _daily_and_monthly(100, 3000)
    rows[3][3] = "2025-06-04 00:01:00"  # 60 s late: allowed
    rows[-2][3] = "2025-05-31 00:00:00"  # the monthly figure a day early: allowed
    assert judge(tmp_path / "a", rows)[("2025-06", "timestamp")].status == quality.PASS
    rows[4][3] = "2025-06-05 00:01:01"  # 61 s late
    check = judge(tmp_path / "b", rows)[("2025-06", "timestamp")]
    assert check.status == quality.FAIL and check.figure == 1


def test_a_fault_longer_than_three_working_days_fails(tmp_path):
    # readings stop after Friday 6 June 2025 and come back on Thursday 12 June: Mon–Wed lost (3 working days)
    def outage(until_day: int):
        stop = (datetime(2025, 6, 7) - JUNE) // timedelta(minutes=15)
        back = (datetime(2025, 6, until_day) - JUNE) // timedelta(minutes=15)
        return quarter_hours(A, "E1", JUNE, JUNE_SLOTS, skip=set(range(stop, back))) + _july_tail()

    assert judge(tmp_path / "a", outage(12))[("2025-06", "repair")].status == quality.PASS
    check = judge(tmp_path / "b", outage(13))[("2025-06", "repair")]
    assert check.status == quality.FAIL and check.figure == 4
    assert "2025-06-07 00:00 起中断" in check.detail


def test_a_meter_still_silent_is_a_fault_not_yet_mended(tmp_path):
    rows = quarter_hours(A, "E1", JUNE, 96 * 5) + quarter_hours(A, "E2", JUNE, JUNE_SLOTS) + _july_tail()
    check = judge(tmp_path, rows)[("2025-06", "repair")]
    assert check.status == quality.FAIL and "E1" in check.detail and "至今未恢复" in check.detail


def test_working_days_count_monday_to_friday():
    assert quality.working_days(datetime(2025, 6, 6, 12), datetime(2025, 6, 10)) == 2  # Fri, Mon
    assert quality.working_days(datetime(2025, 6, 7), datetime(2025, 6, 9)) == 0  # a weekend


def test_a_meter_silent_for_a_whole_month_counts_as_missing_not_as_absent(tmp_path):
    # E1 reports in June only; E2 reports June to August: July and August expect E1 too
    rows = (
        quarter_hours(A, "E1", JUNE, JUNE_SLOTS)
        + quarter_hours(A, "E2", JUNE, (30 + 31 + 31) * 96)
        + quarter_hours(A, "E2", datetime(2025, 9, 1), 1)
    )
    checks = judge(tmp_path, rows, months=("2025-07", "2025-08"))
    for month in ("2025-07", "2025-08"):
        completeness = checks[(month, "completeness")]
        assert completeness.status == quality.FAIL and completeness.figure == pytest.approx(50.0)
        assert "E1" in completeness.detail and "本月无读数" in completeness.detail
        assert (
            checks[(month, "repair")].status == quality.FAIL
            and "至今未恢复" in checks[(month, "repair")].detail
        )


def test_an_enterprise_silent_altogether_still_gets_its_verdicts(tmp_path):
    rows = quarter_hours(A, "E1", JUNE, JUNE_SLOTS) + quarter_hours(
        code("Q0002"), "X", datetime(2025, 8, 1), 4
    )
    checks = judge(tmp_path, rows, months=("2025-07",))
    assert checks[("2025-07", "completeness")].figure == 0.0
    assert checks[("2025-07", "timestamp")].status == quality.NOT_JUDGED
    assert checks[("2025-07", "repair")].status == quality.FAIL


def test_a_meter_silent_for_more_than_twelve_months_is_taken_as_retired(tmp_path):
    # E1 reports in June 2025 only; E2 until July 2026: E1 is expected through June 2026, not in July 2026
    rows = quarter_hours(A, "E1", JUNE, JUNE_SLOTS) + [
        [A, "E2", "电力", f"{y}-{m:02d}-01", 100, "千瓦时", "日"]
        for y, m in [(2025, 6), *[(2025, k) for k in range(7, 13)], *[(2026, k) for k in range(1, 9)]]
    ]
    still = judge(tmp_path / "a", rows, months=("2026-06",))[("2026-06", "completeness")]
    assert still.status == quality.FAIL and "E1" in still.detail
    retired = judge(tmp_path / "b", rows, months=("2026-07",))[("2026-07", "completeness")]
    assert "E1" not in retired.detail
    assert "停用" in "".join(quality.PLATFORM_RULES)


def test_the_rules_items_and_units_are_in_the_catalogue():
    """The data file's items and units are the ones ``quality`` names for the translation catalogue."""
    found = quality.thresholds().values()
    assert {t.item for t in found} == set(quality.ITEM_NAMES)
    assert {t.unit for t in found} == set(quality.UNIT_NAMES)
