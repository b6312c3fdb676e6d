"""The online-monitoring pages in chromium on the demo's sample readings: the planted faults found and
shown by month, a bad file refused with its rows listed, the measured year beside an enterprise's report and
in the reconciliation."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="未安装 chromium（make test 以 root 运行时会自动安装）"
    ),
]


def test_meters_pages(browser_page, live_server, login, artifacts, demo_plan, coordinator, tmp_path):
    from carbonpeak.demo import ensure_demo_enterprises, ensure_demo_meters
    from carbonpeak.enterprises.models import Enterprise

    ensure_demo_enterprises(coordinator)
    ensure_demo_meters(coordinator)
    page = browser_page
    login(page, live_server)
    page.wait_for_selector("nav")
    page.click("nav .dropdown-toggle >> text=重点企业")  # a menu of the navigation
    page.click("nav .dropdown-menu >> text=在线监测")
    page.wait_for_selector("[data-testid=quality]")
    assert page.is_visible("[data-testid=sample-banner]")
    page.click("text=2024-09")
    page.wait_for_selector("[data-testid=summary] >> text=2024-09")
    failing = page.locator("[data-testid=quality] tr.table-danger")
    assert failing.count() == 1 and "化纤" in failing.inner_text()
    assert "75.5%" in failing.inner_text() and "5 个工作日" in failing.inner_text()
    page.screenshot(path=str(artifacts / "meters.png"), full_page=True)
    failing.locator("a").first.click()
    page.wait_for_selector("[data-testid=totals]")
    assert page.inner_text("[data-testid=quality] tr.table-active td:first-child") == "2024-09"
    assert page.locator("[data-testid=totals] tbody tr").count() > 12 and page.is_visible(
        "[data-testid=sample-badge]"
    )
    page.screenshot(path=str(artifacts / "meters-enterprise.png"), full_page=True)
    page.go_back()

    paper = Enterprise.objects.get(name__startswith="玖龙纸业")
    bad = tmp_path / "坏文件.csv"
    bad.write_text(
        "统一社会信用代码,计量器具编号,能源品种,数据时标,数值,计量单位\n"
        f"{paper.credit_code[:-1]}X,E-01,电力,2025-04-01 00:00,12,千瓦时\n"
        f"{paper.credit_code},E-01,电力,2025-04-01 00:15,,千瓦时\n",
        encoding="utf-8",
    )
    page.set_input_files("[data-testid=upload-form] input[type=file]", str(bad))
    page.click("[data-testid=upload-form] button")
    page.wait_for_selector("[data-testid=upload-errors]")
    errors = page.inner_text("[data-testid=upload-errors]")
    assert "第2行" in errors and "第3行：数值为空" in errors
    assert page.get_attribute("[data-testid=upload-job]", "data-status") == "refused"
    page.screenshot(path=str(artifacts / "meters-refused.png"), full_page=True)

    good = tmp_path / "十二月读数.csv"
    good.write_text(
        "统一社会信用代码,计量器具编号,能源品种,数据时标,数值,计量单位\n"
        f"{paper.credit_code},E-01,电力,2025-12-01 00:00,12,千瓦时\n"
        f"{paper.credit_code},E-01,电力,2025-12-01 00:15,13,千瓦时\n",
        encoding="utf-8",
    )
    page.click("text=返回重新上传")
    page.set_input_files("[data-testid=upload-form] input[type=file]", str(good))
    page.click("[data-testid=upload-form] button")
    page.wait_for_selector("[data-testid=upload-done]")
    assert "已导入 2 条读数" in page.inner_text("[data-testid=upload-done]")
    page.screenshot(path=str(artifacts / "meters-imported.png"), full_page=True)

    page.goto(f"{live_server.url}/enterprises/{paper.pk}/reports/2024/")
    page.wait_for_selector("[data-testid=measured]")
    measured = page.inner_text("[data-testid=measured]")
    assert "电力" in measured and "原煤" in measured and "%" in measured
    page.screenshot(path=str(artifacts / "meters-beside-report.png"), full_page=True)

    page.goto(f"{live_server.url}/enterprises/reconciliation/?year=2024")
    page.wait_for_selector("[data-testid=reconciliation]")
    assert page.locator("[data-testid=measured] >> text=家").count() >= 1
    page.screenshot(path=str(artifacts / "meters-reconciliation.png"), full_page=True)
