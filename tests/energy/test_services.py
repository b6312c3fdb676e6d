"""Uploads, the review lifecycle, revisions, factor sets and accounting runs, through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carbonpeak.core import audit
from carbonpeak.core.models import ReviewStatus
from carbonpeak.energy import selectors, services
from carbonpeak.energy.models import (
    AccountingResult,
    AccountingRun,
    EnergyRecord,
    EnergySubmission,
    FactorSet,
)

CSV = (
    "period,region,sector,fuel,quantity,unit\n2023Q1,太仓市,其他工业,原煤,1,万吨\n"
    "2023Q1,太仓市,电力调入,电力,1,亿千瓦时\n2023Q1,太仓市,电力调出,电力,0,亿千瓦时\n"
)


@pytest.fixture
def leader(db):
    from django.contrib.auth import get_user_model

    services.ensure_bundled_factor_sets()
    from carbonpeak.demo import ensure_demo_users

    ensure_demo_users()
    return get_user_model().objects.get(username="leader")


@pytest.fixture
def factor_set(db):
    return services.ensure_bundled_factor_sets()


def test_bundled_factor_set_is_stored_once_and_is_the_default(factor_set):
    again = services.ensure_bundled_factor_sets()
    assert again.pk == factor_set.pk and factor_set.is_default
    assert factor_set.factors.count() == len(factor_set.to_pure().factors)
    assert factor_set.factors.filter(kind="grid_co2", key="江苏", year=2023).get().source


def test_upload_creates_a_draft_per_period_and_region(coordinator, factor_set):
    result = services.upload(CSV.encode(), "q.csv", coordinator)
    assert result.ok
    (sub,) = result.submissions
    assert (sub.period, sub.region, sub.revision, sub.status) == ("2023Q1", "太仓市", 1, ReviewStatus.DRAFT)
    assert sub.records.count() == 3
    assert list(audit.history(sub).values_list("action", flat=True)) == ["create"]


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("2023Q1,太仓市,其他工业,原煤,abc,万吨", "第5行 E列（quantity）"),
        ("2023Q1,太仓市,其他工业,煤饼,1,万吨", "第5行 D列（fuel）"),
        ("2023Q1,太仓市,其他工业,原煤,1,斤", "第5行 F列（unit）"),
        ("2023Q1,太仓市,航天业,原煤,1,万吨", "第5行 C列（sector）"),
        ("2023Q1,太仓市,其他工业,原煤,-5,万吨", "第5行 E列（quantity）"),
        ("2023Q5,太仓市,其他工业,原煤,1,万吨", "第5行 A列（period）"),
    ],
)
def test_one_bad_cell_rejects_the_whole_file_and_writes_nothing(coordinator, factor_set, line, named):
    result = services.upload((CSV + line + "\n").encode(), "q.csv", coordinator)
    assert not result.ok
    assert any(named in e for e in result.errors), result.errors
    assert EnergySubmission.objects.count() == 0
    assert EnergyRecord.objects.count() == 0


def test_quarter_on_quarter_warning_is_kept_with_the_submission(coordinator, factor_set):
    first = services.upload(CSV.encode(), "q1.csv", coordinator).submissions[0]
    services.submit_submission(first, user=coordinator)
    services.approve_submission(first, user=coordinator)
    q2 = CSV.replace("2023Q1", "2023Q2").replace("原煤,1,万吨", "原煤,3,万吨")
    sub = services.upload(q2.encode(), "q2.csv", coordinator).submissions[0]
    assert sub.warnings == ["其他工业 原煤：比上季度变化 +200.0%（超过 ±50%），请核实"]


def test_lifecycle_submit_return_resubmit_approve(coordinator, factor_set):
    sub = services.upload(CSV.encode(), "q.csv", coordinator).submissions[0]
    with pytest.raises(ValidationError):
        services.approve_submission(sub, user=coordinator)  # a draft cannot be approved
    services.submit_submission(sub, user=coordinator)
    with pytest.raises(ValidationError, match="须填写意见"):
        services.return_submission(sub, user=coordinator, comment="  ")
    services.return_submission(sub, user=coordinator, comment="原煤数量请核对")
    sub.refresh_from_db()
    assert sub.status == ReviewStatus.RETURNED and sub.review_comment == "原煤数量请核对"
    services.submit_submission(sub, user=coordinator)
    services.approve_submission(sub, user=coordinator)
    sub.refresh_from_db()
    assert sub.status == ReviewStatus.APPROVED
    actions = list(audit.history(sub).values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "submit", "approve"]
    with pytest.raises(ValidationError):
        services.submit_submission(sub, user=coordinator)  # approved data is never reopened


def test_approval_accounts_with_the_default_set_and_records_its_version(coordinator, factor_set):
    sub = services.upload(CSV.encode(), "q.csv", coordinator).submissions[0]
    services.submit_submission(sub, user=coordinator)
    services.approve_submission(sub, user=coordinator)
    run = selectors.current_run()
    assert run.factor_set_label == "national@2026.1" and run.submissions == [sub.pk]
    result = run.results.get(period="2023Q1")
    assert round(result.co2_t) == 19003 + 58270
    assert result.data["electricity"]["grid_factor"]["year"] == 2023


def test_a_correction_is_a_new_revision_and_the_approved_one_stays(coordinator, factor_set):
    first = services.upload(CSV.encode(), "q.csv", coordinator).submissions[0]
    services.submit_submission(first, user=coordinator)
    services.approve_submission(first, user=coordinator)
    second = services.upload(
        CSV.replace("原煤,1,万吨", "原煤,2,万吨").encode(), "q-fix.csv", coordinator
    ).submissions[0]
    assert second.revision == 2
    assert selectors.current_submission("2023Q1", "太仓市").pk == first.pk  # until the correction is approved
    services.submit_submission(second, user=coordinator)
    services.approve_submission(second, user=coordinator)
    assert selectors.current_submission("2023Q1", "太仓市").pk == second.pk
    first.refresh_from_db()
    assert first.status == ReviewStatus.APPROVED and first.records.get(fuel="原煤").quantity == 1
    assert "supersede" in audit.history(first).values_list("action", flat=True)
    assert round(selectors.current_run().results.get(period="2023Q1").co2_t) == 2 * 19003 + 58270


def test_recomputing_with_a_new_set_keeps_the_old_results(coordinator, factor_set):
    sub = services.upload(CSV.encode(), "q.csv", coordinator).submissions[0]
    services.submit_submission(sub, user=coordinator)
    services.approve_submission(sub, user=coordinator)
    old_run = selectors.current_run()
    new_set = services.import_factor_csv(
        "kind,key,year,value,unit,source,status\ngrid_co2,江苏,2023,0.5,kgCO2/kWh,test source,test\n",
        name="national",
        version="2027.1",
        user=coordinator,
        based_on=factor_set,
    )
    assert new_set.factors.count() == factor_set.factors.count()
    run = services.recompute_with(new_set, coordinator, "新电网因子")
    assert run.factor_set_label == "national@2027.1" and run.created_by == coordinator
    assert round(run.results.get(period="2023Q1").co2_t) == 19003 + 50000
    assert round(AccountingRun.objects.get(pk=old_run.pk).results.get(period="2023Q1").co2_t) == 19003 + 58270
    assert AccountingResult.objects.count() == 2


def test_a_new_version_cannot_reuse_an_existing_label(coordinator, factor_set):
    with pytest.raises(ValidationError, match="已存在"):
        services.import_factor_csv(
            "kind,key,value,unit,source,status\n", name="national", version="2026.1", user=coordinator
        )


def test_a_run_that_cannot_account_is_recorded_with_its_error(coordinator, factor_set):
    empty = FactorSet.objects.create(name="empty", version="1")
    sub = services.upload(CSV.encode(), "q.csv", coordinator).submissions[0]
    services.submit_submission(sub, user=coordinator)
    services.approve_submission(sub, user=coordinator)
    run = services.recompute_with(empty, coordinator)
    assert "缺少“原煤”的折标准煤系数" in run.error
    assert selectors.current_run().pk != run.pk  # the pages keep showing the last good run


def test_leader_can_neither_upload_nor_review(leader, coordinator):
    with pytest.raises(PermissionDenied):
        services.upload(CSV.encode(), "q.csv", leader)
    sub = services.upload(CSV.encode(), "q.csv", coordinator).submissions[0]
    services.submit_submission(sub, user=coordinator)
    with pytest.raises(PermissionDenied):
        services.approve_submission(sub, user=leader)
    with pytest.raises(PermissionDenied):
        services.recompute_with(FactorSet.objects.get(is_default=True), leader)


def test_sample_data_is_loaded_once_and_labelled(coordinator, factor_set):
    assert services.load_sample_data(coordinator) == 24
    assert services.load_sample_data(coordinator) == 0
    assert EnergySubmission.objects.filter(is_sample=True, status=ReviewStatus.APPROVED).count() == 24
    run = selectors.current_run()
    assert run.includes_sample
    y2020 = run.results.get(period="2020")
    assert y2020.data["gdp_current_100m_yuan"] == pytest.approx(1386.09)  # the public figure, as published
    assert y2020.data["population_10k"] == pytest.approx(83.11)


def test_a_workbook_with_one_bad_cell_writes_nothing(coordinator, factor_set):
    import io

    from openpyxl import load_workbook

    from carbonpeak.energy import workbook

    wb = load_workbook(io.BytesIO(workbook.template_bytes("2025Q3", "太仓市")))
    wb[workbook.FUELS_SHEET]["D4"] = 2
    wb[workbook.POWER_USE_SHEET]["B5"] = "一千"
    buf = io.BytesIO()
    wb.save(buf)
    result = services.upload(buf.getvalue(), "2025Q3.xlsx", coordinator)
    assert result.errors == ["工作表“分行业用电量” 第5行 B列（用电量）：“一千”不是数字"]
    assert EnergySubmission.objects.count() == 0 and EnergyRecord.objects.count() == 0


def test_quarter_on_quarter_threshold_is_a_setting(coordinator, factor_set, settings):
    settings.CARBONPEAK_QOQ_WARNING = 5.0
    first = services.upload(CSV.encode(), "q1.csv", coordinator).submissions[0]
    services.submit_submission(first, user=coordinator)
    services.approve_submission(first, user=coordinator)
    q2 = CSV.replace("2023Q1", "2023Q2").replace("原煤,1,万吨", "原煤,3,万吨")
    assert services.upload(q2.encode(), "q2.csv", coordinator).submissions[0].warnings == []


def test_an_export_without_import_is_refused_naming_the_line(coordinator, factor_set):
    csv_text = "period,region,sector,fuel,quantity,unit\n2023Q1,太仓市,其他工业,电力,1,亿千瓦时\n"
    result = services.upload(
        (csv_text + "2023Q1,太仓市,电力调出,电力,1,亿千瓦时\n").encode(), "q.csv", coordinator
    )
    assert not result.ok and EnergySubmission.objects.count() == 0
    assert any("2023Q1 太仓市：电力调入未报（电力调出已报）" in e for e in result.errors), result.errors


def test_a_row_absent_against_the_quarters_before_is_shown_to_the_reviewer(coordinator, factor_set):
    first = services.upload(CSV.encode(), "q1.csv", coordinator).submissions[0]
    services.submit_submission(first, user=coordinator)
    services.approve_submission(first, user=coordinator)
    q2 = CSV.replace("2023Q1", "2023Q2").replace("2023Q2,太仓市,其他工业,原煤,1,万吨\n", "")
    sub = services.upload(q2.encode(), "q2.csv", coordinator).submissions[0]
    assert "数据不全：其他工业·原煤 前四个季度中报送过，本季度未报（确为零请填 0）" in sub.warnings


def test_the_coordinator_names_the_assessed_boundary_with_its_basis(coordinator, factor_set, leader):
    sub = services.upload(CSV.encode(), "q.csv", coordinator).submissions[0]
    services.submit_submission(sub, user=coordinator)
    services.approve_submission(sub, user=coordinator)
    with pytest.raises(ValidationError, match="请注明依据"):
        services.set_assessed_boundary(coordinator, boundary="consumption", source=" ")
    with pytest.raises(PermissionDenied):
        services.set_assessed_boundary(leader, boundary="consumption", source="文件")
    run = services.set_assessed_boundary(coordinator, boundary="territorial", source="测试：上级口径文件")
    assert run.factor_set.to_pure().assessed_boundary == "territorial"
    assert selectors.official_factor_set() == run.factor_set
    data = run.results.get(period="2023Q1").data
    assert data["co2_boundary"] == "territorial"
    assert data["co2_t"] == data["co2_t_by_boundary"]["territorial"]
    assert factor_set.to_pure().assessed_boundary == "assessed"  # the earlier version is unchanged


def test_accounts_in_memory_are_the_ones_a_run_stores(demo_plan, coordinator):
    """The projection splits a change among data, factors and assumptions by accounting old data with new
    factors (and the reverse) in memory: the same accounts a stored run has."""
    from django.conf import settings

    from carbonpeak.energy import selectors
    from carbonpeak.energy.models import AccountingResult, EnergySubmission

    run = selectors.current_run()
    subs = list(EnergySubmission.objects.filter(pk__in=run.submissions))
    accounts = selectors.accounts_of(subs, run.factor_set, settings.CARBONPEAK_GRID_REGION)
    stored = {(r.region, r.period): r.co2_t for r in AccountingResult.objects.filter(run=run)}
    computed = {(a.region, a.period.key): a.co2_t for a in accounts.ordered()}
    assert computed.keys() == stored.keys()
    assert all(computed[k] == pytest.approx(stored[k]) for k in stored)
