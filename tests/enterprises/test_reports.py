"""Annual enterprise reports (MRV): monitoring plan → report → third-party verification → approved, on the
shared review lifecycle, audited; energy and CO2 by the city's engine and factor set; what the PV rule
then reads."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from carbonpeak.core.models import AuditEvent
from carbonpeak.demo import ensure_demo_enterprises, ensure_demo_users
from carbonpeak.energy import catalog
from carbonpeak.energy.factors import load_factor_set
from carbonpeak.enterprises import mrv, sample, selectors, services
from carbonpeak.enterprises.models import Enterprise, EnterpriseReport

pytestmark = pytest.mark.django_db

FUELS = [
    {"fuel": "原煤", "unit": "吨", "quantity": "10000", "use": "燃料"},
    {"fuel": "天然气", "unit": "万立方米", "quantity": "100", "use": "燃料"},
    {"fuel": "", "unit": "", "quantity": ""},  # an empty row of the form
]


def test_figures_are_the_city_engines():
    factors = load_factor_set()
    report = mrv.ReportInput(
        "X",
        "造纸和纸制品业",
        2025,
        (mrv.FuelLine("原煤", "吨", 10000), mrv.FuelLine("天然气", "万立方米", 100)),
        6_000_000,
        0,
    )
    got = mrv.figures(report, factors)
    coal, gas = catalog.FUEL_BY_NAME["原煤"], catalog.FUEL_BY_NAME["天然气"]
    direct = 10000 * factors.co2_per_unit(coal) + 1_000_000 * factors.co2_per_unit(gas)
    assert got.co2_direct_t == pytest.approx(direct)
    grid = factors.grid("江苏", 2025).value
    assert got.co2_t == pytest.approx(direct + 6_000_000 * grid)
    assert got.electricity_kwh == 6_000_000
    assert got.energy_tce == pytest.approx(
        10000 * factors.coal_coefficient(coal)
        + 1_000_000 * factors.coal_coefficient(gas)
        + 6_000_000 * factors.coal_coefficient(catalog.FUEL_BY_NAME["电力"])
    )
    # without the year's 发电 coal rate the 等价值 is 缺失, never a number
    assert got.energy_tce_equivalent is None and any("发电标准煤耗" in m for m in got.missing)


@pytest.fixture
def setup():
    ensure_demo_users()
    User = get_user_model()
    coordinator = User.objects.get(username="coordinator")
    ensure_demo_enterprises(coordinator, reports=False)
    paper = Enterprise.objects.get(credit_code=sample.credit_code(5))
    return coordinator, User.objects.get(username="jiulong"), paper


def test_the_whole_lifecycle(setup):
    coordinator, company, paper = setup
    report = services.save_report(
        company,
        paper,
        2023,
        fuels=FUELS,
        electricity_bought_kwh="6000000",
        electricity_sold_kwh="0",
        value_added="52000",
    )
    assert report.fuels.count() == 2 and report.status == "draft"
    with pytest.raises(ValidationError, match="监测计划"):
        services.submit_report(report, user=company)
    plan = services.save_monitoring_plan(company, paper, 2023, "燃煤锅炉：皮带秤计量；天然气：贸易结算表。")
    services.submit_monitoring_plan(plan, user=company)
    with pytest.raises(PermissionDenied):
        services.approve_monitoring_plan(plan, user=company)
    services.approve_monitoring_plan(plan, user=coordinator)
    services.submit_report(report, user=company)
    with pytest.raises(ValidationError, match="不能修改"):
        services.save_report(
            company, paper, 2023, fuels=FUELS, electricity_bought_kwh="1", electricity_sold_kwh="0"
        )
    with pytest.raises(ValidationError, match="核查"):
        services.approve_report(report, user=coordinator)
    services.record_verification(
        coordinator, report, verifier="某核查机构（测试）", result="不通过", reference="HC-1"
    )
    services.return_report(report, user=coordinator, comment="核查不通过：天然气计量有误")
    report = services.save_report(
        company, paper, 2023, fuels=FUELS[:1], electricity_bought_kwh="6000000", electricity_sold_kwh="0"
    )
    assert report.revision == 1 and report.status == "returned"
    services.submit_report(report, user=company)
    services.record_verification(
        coordinator, report, verifier="某核查机构（测试）", result="通过", reference="HC-2"
    )
    services.approve_report(report, user=coordinator)
    report.refresh_from_db()
    assert report.status == "approved" and report.co2_t > report.co2_direct_t > 0
    assert report.factor_set and report.energy_tce_equivalent is None
    steps = list(
        AuditEvent.objects.filter(object_type="enterprises.EnterpriseReport", object_id=str(report.pk))
        .order_by("id")
        .values_list("action", "username")
    )
    assert steps == [
        ("create", "jiulong"),
        ("submit", "jiulong"),
        ("update", "coordinator"),
        ("return", "coordinator"),
        ("update", "jiulong"),
        ("submit", "jiulong"),
        ("update", "coordinator"),
        ("approve", "coordinator"),
    ]
    # a correction after approval is a new revision; the approved one stays as it was
    again = services.save_report(
        company, paper, 2023, fuels=FUELS, electricity_bought_kwh="6500000", electricity_sold_kwh="0"
    )
    assert again.revision == 2 and EnterpriseReport.objects.get(pk=report.pk).status == "approved"
    # the PV rule for existing buildings now reads the approved report: ≥ 500 万kWh decides it
    findings = selectors.pv_compliance(Enterprise.objects.filter(pk=paper.pk))
    existing = [f for f in findings if f.finding.rule == "existing_large_user"]
    assert existing and all(f.finding.status != "缺失" for f in existing)


def test_bad_lines_are_refused_and_nothing_is_saved(setup):
    _, company, paper = setup
    with pytest.raises(ValidationError) as refused:
        services.save_report(
            company,
            paper,
            2023,
            fuels=[
                {"fuel": "月光", "unit": "吨", "quantity": "1"},
                {"fuel": "原煤", "unit": "桶桶", "quantity": "1"},
                {"fuel": "原煤", "unit": "吨", "quantity": "-5"},
                {"fuel": "原煤", "unit": "吨", "quantity": ""},
                {"fuel": "电力", "unit": "千瓦时", "quantity": "5"},
            ],
            electricity_bought_kwh="abc",
        )
    text = " ".join(refused.value.messages)
    for part in (
        "外购电量“abc”不是数字",
        "第1行：未知能源品种“月光”",
        "第2行：未知计量单位“桶桶”",
        "第3行实物量须为不小于0",
        "实物量为空",
        "第5行：电力请填在",
    ):
        assert part in text, part
    assert not EnterpriseReport.objects.filter(year=2023).exists()


def test_an_enterprise_reports_for_itself_only(setup):
    _, company, _ = setup
    other = Enterprise.objects.get(credit_code=sample.credit_code(1))
    with pytest.raises(PermissionDenied):
        services.save_report(company, other, 2023, fuels=FUELS)
    with pytest.raises(PermissionDenied):
        services.save_monitoring_plan(company, other, 2023, "x")


def test_the_report_page_drives_the_lifecycle(setup, client):
    from django.urls import reverse

    coordinator, company, paper = setup
    url = reverse("enterprises:report", args=[paper.pk, 2023])
    client.force_login(company)
    client.post(url, {"action": "plan_save", "content": "皮带秤计量燃煤", "submit_plan": "1"})
    form = {
        "action": "submit",
        "fuel_rows": "2",
        "fuel-0": "原煤",
        "unit-0": "吨",
        "quantity-0": "20000",
        "use-0": "燃料",
    }
    form.update({"electricity_bought_kwh": "8000000", "electricity_sold_kwh": "0"})
    page = client.post(url, form, follow=True).content.decode()
    assert "须先有本年度经审核的监测计划" in page
    client.force_login(coordinator)
    page = client.post(url, {"action": "plan_return", "comment": ""}, follow=True).content.decode()
    assert 'href="#plan-comment"' in page and "退回" in page  # a return needs its reason, beside the comment
    client.post(url, {"action": "plan_approve"})
    client.force_login(company)
    page = client.post(url, form, follow=True).content.decode()
    assert "报告已报送" in page
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert 'data-testid="verification-form"' in page and 'data-testid="report-preview"' in page
    client.post(
        url, {"action": "verify", "verifier": "某核查机构（测试）", "result": "通过", "reference": "HC-9"}
    )
    page = client.post(url, {"action": "approve"}, follow=True).content.decode()
    assert 'data-testid="report-figures"' in page and "缺失" in page  # 等价值 without the coal rate
    detail = client.get(reverse("enterprises:detail", args=[paper.pk])).content.decode()
    assert "已审核" in detail and "某核查机构" not in detail
    other = Enterprise.objects.get(credit_code=sample.credit_code(1))
    client.force_login(company)
    assert client.get(reverse("enterprises:report", args=[other.pk, 2023])).status_code == 403
    assert client.post(reverse("enterprises:report", args=[other.pk, 2023]), form).status_code == 403


def test_the_verification_report_is_a_pdf_kept_and_read_by_who_may_see_the_enterprise(
    setup, client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.DATA_DIR = tmp_path
    coordinator, company, paper = setup
    plan = services.save_monitoring_plan(company, paper, 2023, "计量器具台账")
    services.submit_monitoring_plan(plan, user=company)
    services.approve_monitoring_plan(plan, user=coordinator)
    report = services.save_report(
        company, paper, 2023, fuels=FUELS, electricity_bought_kwh="1", electricity_sold_kwh="0"
    )
    services.submit_report(report, user=company)
    with pytest.raises(ValidationError, match="PDF"):
        services.record_verification(
            coordinator, report, verifier="某机构", result="通过", reference="A", file=("x.pdf", b"not a pdf")
        )
    url = reverse("enterprises:report", args=[paper.pk, 2023])
    client.force_login(coordinator)
    pdf = b"%PDF-1.4\n% verification report (test)\n"
    answer = client.post(
        url,
        {
            "action": "verify",
            "verifier": "某机构（测试）",
            "result": "通过",
            "reference": "HC-7",
            "file": SimpleUploadedFile("核查报告.pdf", pdf, content_type="application/pdf"),
        },
        follow=True,
    )
    report.refresh_from_db()
    assert report.verification_file_name == "核查报告.pdf", [str(m) for m in answer.context["messages"]]
    download = reverse("enterprises:verification_file", args=[report.pk])
    client.force_login(company)
    assert client.get(download).content == pdf
    other_user = get_user_model().objects.create_user("别家企业")
    from django.contrib.auth.models import Group

    from carbonpeak.accounts.permissions import ENTERPRISE
    from carbonpeak.enterprises.models import EnterpriseMembership

    other_user.groups.set([Group.objects.get(name=ENTERPRISE)])
    EnterpriseMembership.objects.create(
        user=other_user, enterprise=Enterprise.objects.get(credit_code=sample.credit_code(1))
    )
    client.force_login(other_user)
    assert client.get(download).status_code == 403


def test_a_refused_report_comes_back_as_typed_with_the_problems_on_top(setup, client):
    from django.urls import reverse

    _, company, paper = setup
    url = reverse("enterprises:report", args=[paper.pk, 2023])
    client.force_login(company)
    form = {
        "action": "save",
        "fuel_rows": "2",
        "fuel-0": "原煤",
        "unit-0": "吨",
        "quantity-0": "两万",  # not a number
        "use-0": "燃料",
        "electricity_bought_kwh": "8000000",
        "output_value": "123456",
    }
    response = client.post(url, form)
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="error-summary"' in html
    assert 'value="两万"' in html and 'value="8000000"' in html and 'value="123456"' in html  # nothing erased
    assert not EnterpriseReport.objects.filter(enterprise=paper, year=2023).exists()


def test_approved_reports_get_the_official_factor_sets_figures_beside_their_own(client):
    """Adopting a new official set leaves every approved report's figures as approved and computes them
    again on the new set beside them; the page says which basis each figure is on; back on the report's own
    set, the computation beside it goes."""
    from carbonpeak.energy import services as energy

    ensure_demo_users()
    coordinator = get_user_model().objects.get(username="coordinator")
    ensure_demo_enterprises(coordinator)
    approved = list(EnterpriseReport.objects.filter(status="approved"))
    assert approved and not any(r.official_basis for r in approved)
    original = energy.official_factor_set()
    rows = "".join(
        f"generation_coal_rate,江苏,{year},300,gce/kWh,测试输入（非参考值）,test\n"
        for year in range(2020, 2026)
    )
    newer = energy.import_factor_csv(
        "kind,key,year,value,unit,source,status\n" + rows,
        name="national",
        version="test-rates",
        user=coordinator,
        based_on=original,
    )
    energy.adopt_factor_set(newer, user=coordinator, reason="测试：录入发电煤耗")
    for report in approved:
        before = (report.energy_tce, report.co2_t, report.factor_set, report.energy_tce_equivalent)
        report.refresh_from_db()
        assert (report.energy_tce, report.co2_t, report.factor_set, report.energy_tce_equivalent) == before
        basis = report.official_basis
        assert basis["factor_set"] == newer.label and basis["energy_tce"] == pytest.approx(report.energy_tce)
        assert basis["energy_tce_equivalent"] is not None  # the new set has the year's rate
    client.force_login(coordinator)
    page = client.get(approved[0].get_absolute_url()).content.decode()
    assert 'data-testid="official-basis"' in page and "test-rates 版" in page and "不改动" in page
    energy.adopt_factor_set(original, user=coordinator, reason="测试：恢复")
    assert not any(r.official_basis for r in EnterpriseReport.objects.filter(status="approved"))
