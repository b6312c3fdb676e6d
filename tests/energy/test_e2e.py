"""End to end in chromium: the accounts page with charts, a rejected upload, a form taken through review."""

from __future__ import annotations

import io
import os

import pytest
from openpyxl import load_workbook

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="未安装 chromium（make test 以 root 运行时会自动安装）"
    ),
]


def _setup():
    from django.contrib.auth import get_user_model

    from carbonpeak.demo import ensure_demo_users
    from carbonpeak.energy import services

    ensure_demo_users()
    services.ensure_bundled_factor_sets()
    return services, get_user_model().objects.get(username="coordinator")


def test_overview_with_sample_data_and_charts(browser_page, live_server, login, artifacts):
    services, coordinator = _setup()
    services.load_sample_data(coordinator)
    page = browser_page
    login(page, live_server, "leader")
    page.goto(f"{live_server.url}/energy/")
    page.wait_for_selector("[data-testid=chart-fuel] svg")
    assert page.inner_text("[data-testid=sample-badge]") == "示例数据"
    assert page.inner_text("[data-testid=factor-set]") == "国家方法默认因子集 2026.1 版"
    assert page.locator("[data-testid=annual-table] tbody tr").count() == 6
    assert page.locator("[data-testid=quarter-table] tbody tr").count() == 24
    for chart in ("chart-fuel", "chart-sector", "chart-intensity", "chart-quarter"):
        assert page.locator(f"[data-testid={chart}] svg").count() == 1, chart
    page.screenshot(path=str(artifacts / "energy-overview.png"), full_page=True)


def test_the_coordinator_enters_a_missing_rate_and_the_equivalent_value_appears(
    browser_page, live_server, login, artifacts
):
    services, coordinator = _setup()
    services.load_sample_data(coordinator)
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/energy/")
    row_2025 = page.locator("[data-testid=annual-table] tbody tr", has_text="2025年全年")
    assert "缺失" in row_2025.inner_text()
    page.click("text=录入年度因子（发电煤耗、电网非化石电量占比）")
    page.wait_for_selector("[data-testid=enter-factor]")
    page.fill("#id_year", "2025")
    page.fill("#id_value", "290")
    page.fill("#id_source", "测试：协调员录入（非参考值）")
    page.screenshot(path=str(artifacts / "energy-enter-factor.png"), full_page=True)
    page.click("[data-testid=enter-factor] button")
    page.wait_for_selector("text=已录入并以因子集 国家方法默认因子集 2026.1 版（录入 1） 重算")
    row_2025 = page.locator("[data-testid=annual-table] tbody tr", has_text="2025年全年")
    cells = row_2025.locator("td").all_inner_texts()
    assert cells[1] != "缺失" and float(cells[1].replace(",", "")) > 0  # 等价值 now computed
    page.screenshot(path=str(artifacts / "energy-after-rate.png"), full_page=True)


def test_rejected_upload_then_a_form_through_review(browser_page, live_server, login, artifacts, tmp_path):
    from carbonpeak.energy import workbook
    from carbonpeak.energy.models import EnergySubmission

    services, _ = _setup()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/energy/submissions/")

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "period,region,sector,fuel,quantity,unit\n2025Q3,太仓市,其他工业,原煤,十,万吨\n", encoding="utf-8"
    )
    page.set_input_files("[data-testid=upload-form] input[type=file]", str(bad))
    page.click("[data-testid=upload-form] button")
    errors = page.inner_text("[data-testid=upload-errors]")
    assert "第2行 E列（quantity）：“十”不是数字" in errors
    assert EnergySubmission.objects.count() == 0
    page.screenshot(path=str(artifacts / "energy-upload-rejected.png"), full_page=True)

    wb = load_workbook(io.BytesIO(workbook.template_bytes("2025Q3", "太仓市")))
    wb[workbook.FUELS_SHEET]["D4"] = 1  # 农林牧渔业 原煤 1 万吨
    wb[workbook.FUELS_SHEET]["E4"] = 8000  # standard quantity 12 % above 7,143: a warning, not an error
    wb[workbook.POWER_USE_SHEET]["B4"] = 500
    wb[workbook.POWER_BALANCE_SHEET]["C13"] = 500  # 电力调入 · 省内电网
    wb[workbook.POWER_BALANCE_SHEET]["C16"] = 0  # 电力调出 · 省内电网: none
    good = tmp_path / "2025Q3.xlsx"
    wb.save(good)
    page.goto(f"{live_server.url}/energy/submissions/")
    page.set_input_files("[data-testid=upload-form] input[type=file]", str(good))
    page.click("[data-testid=upload-form] button")
    page.wait_for_selector("[data-testid=upload-done]")  # the background job's page: what it received
    assert "2025年第3季度" in page.inner_text("[data-testid=upload-done]") or "2025Q3" in page.inner_text(
        "[data-testid=upload-done]"
    )
    page.screenshot(path=str(artifacts / "energy-upload-received.png"), full_page=True)
    page.click("text=查看结果")
    page.wait_for_selector("[data-testid=records]")
    assert page.inner_text("[data-testid=status]") == "草稿"
    assert "相差 +12.0%" in page.inner_text("[data-testid=warnings]")
    page.click("button:text-is('报送')")
    page.wait_for_selector("text=已报送，等待协调员审核")
    page.click("button:has-text('审核通过')")
    page.wait_for_selector("text=已审核通过")
    assert page.inner_text("[data-testid=status]") == "已审核"
    assert "审核通过" in page.inner_text("[data-testid=events]")
    page.screenshot(path=str(artifacts / "energy-submission.png"), full_page=True)
    page.goto(f"{live_server.url}/energy/")
    page.wait_for_selector("[data-testid=quarter-table]")
    assert "2025年第3季度" in page.inner_text("[data-testid=quarter-table]")


def test_the_register_of_certificates_in_the_browser(browser_page, live_server, login, artifacts, tmp_path):
    """The coordinator sees the sample register (示例数据) and what it does to the accounts, uploads a file
    with a number already registered (refused, row named, nothing written), then enters one line."""
    from carbonpeak.energy.models import GreenCertificate

    services, coordinator = _setup()
    services.load_sample_data(coordinator)
    services.enter_yearly_factor(
        coordinator,
        kind="generation_coal_rate",
        key="江苏",
        year=2025,
        value=290,
        unit="gce/kWh",
        source="测试输入",
    )
    before = GreenCertificate.objects.count()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/energy/factors/")
    page.click("[data-testid=link-certificates]")
    page.wait_for_selector("[data-testid=certificate-register]")
    assert "示例数据" in page.inner_text("[data-testid=certificate-register]")
    effect = page.inner_text("[data-testid=certificate-effect]")
    assert "2025年" in effect
    page.screenshot(path=str(artifacts / "energy-certificates.png"), full_page=True)
    bad = tmp_path / "register.csv"
    bad.write_text(
        "证书编号或交易编号,核销（使用）日期,类型,方向,绿证数量（张）,出售方所在省份,凭证\n"
        "GEC-NEW,2025-05-01,单独绿证,购入,10,四川,平台\n示例-绿证-2025-01,2025-06-30,单独绿证,购入,1,四川,平台\n",
        encoding="utf-8",
    )
    page.set_input_files("[data-testid=certificate-upload] input[type=file]", str(bad))
    page.click("[data-testid=certificate-upload] button")
    page.wait_for_selector("[data-testid=upload-errors]")
    assert "第3行：编号“示例-绿证-2025-01”已于" in page.inner_text("[data-testid=upload-errors]")
    assert GreenCertificate.objects.count() == before
    page.screenshot(path=str(artifacts / "energy-certificates-refused.png"), full_page=True)
    page.goto(f"{live_server.url}/energy/certificates/")
    page.fill("#c_serial", "GEC-页面-1")
    page.fill("#c_used_on", "2025-05-01")
    page.fill("#c_certificates", "100")
    page.fill("#c_seller_province", "四川")
    page.fill("#c_source", "中国绿色电力证书交易平台")
    page.click("[data-testid=certificate-enter] button")
    page.wait_for_selector("text=已登记 GEC-页面-1")
    assert GreenCertificate.objects.count() == before + 1


def test_a_what_if_is_shown_as_such_and_adopting_the_set_makes_it_official(
    browser_page, live_server, login, artifacts
):
    """The coordinator recomputes with a set that is not the official one: the run's page says 试算 and the
    accounts stay; adopting the set (with its basis) makes its accounts the official ones."""
    from carbonpeak.energy import selectors

    services, coordinator = _setup()
    services.load_sample_data(coordinator)
    official = selectors.current_run()
    rows = "".join(
        f"grid_co2,江苏,{year},0.9,kgCO2/kWh,测试输入（试算，非参考值）,test\n" for year in range(2020, 2026)
    )
    what_if = services.import_factor_csv(
        "kind,key,year,value,unit,source,status\n" + rows,
        name="national",
        version="what-if",
        user=coordinator,
        based_on=official.factor_set,
    )
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server)
    page.goto(f"{live_server.url}/energy/factors/{what_if.pk}/")
    assert "非正式" in page.inner_text("h1 + span, .badge")
    page.fill("input[name=reason]", "比较：电网因子 0.9")
    page.click("text=用此因子集试算（不影响正式核算）")
    page.wait_for_selector("[data-testid=what-if]")
    assert "试算结果" in page.inner_text("[data-testid=what-if]")
    page.screenshot(path=str(artifacts / "energy-what-if.png"), full_page=False)
    assert selectors.current_run() == official
    page.goto(f"{live_server.url}/energy/factors/{what_if.pk}/")
    page.locator("form[action$='/default/'] input[name=reason]").fill("测试：采用新电网因子")
    page.click("text=采用为正式因子集并重新核算")
    page.wait_for_selector("[data-testid=factor-set]")
    assert page.inner_text("[data-testid=factor-set]") == "国家方法默认因子集 what-if 版"
    assert page.locator("[data-testid=what-if]").count() == 0
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "energy-adopted-phone.png"), full_page=False)
