"""Carbon double control in chromium, as the demo sets it up: the coordinator sets a budget by the intensity
method and allocates it on the page, registers a project and decides it; the Suzhou viewer walks the tree
Suzhou → Taicang → towns and reads the budget without any form."""

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


def test_budget_projects_and_the_regions_tree(browser_page, live_server, login, artifacts):
    from django.contrib.auth import get_user_model

    from carbonpeak.core.regions import ensure_regions
    from carbonpeak.demo import ensure_demo_budgets, ensure_demo_enterprises, ensure_demo_users
    from carbonpeak.energy.services import ensure_bundled_factor_sets, load_sample_data, load_sample_districts

    ensure_regions()
    ensure_demo_users()
    coordinator = get_user_model().objects.get(username="coordinator")
    ensure_bundled_factor_sets()
    load_sample_data(coordinator)
    load_sample_districts(coordinator)
    ensure_demo_enterprises(coordinator)
    assert ensure_demo_budgets(coordinator) == 3

    page = browser_page
    login(page, live_server)
    page.wait_for_selector("nav")
    page.click("nav .dropdown-toggle >> text=能源与碳排放")  # a menu of the navigation
    page.click("nav .dropdown-menu >> text=碳排放双控")
    page.wait_for_selector("[data-testid=district-budgets]")
    assert page.locator("[data-testid=district-budgets] tbody tr").count() == 8  # seven units + 未分解
    assert "等于总量" in page.inner_text("[data-testid=district-budgets] tfoot")
    assert page.is_visible("[data-testid=sample-banner]")
    assert "2025年" in page.inner_text("h1")  # the page opens on the latest year the demo budgeted
    page.screenshot(path=str(artifacts / "budgets-latest.png"), full_page=True)

    # a 2026 budget by the intensity method, then allocated by hand with parts left empty: refused, nothing written
    page.fill("[data-testid=set-budget] #year", "2026")
    page.fill("#reduction_pct", "3.9")
    page.fill("#baseline_year", "2025")
    page.fill("#target_year", "2026")
    page.fill("#growth_pct", "5")
    page.fill("#document", "测试输入（非参考值）")
    page.click("[data-testid=set-budget] button")
    page.wait_for_selector("text=已设定太仓市2026年碳预算")
    assert "2026年碳预算" in page.inner_text("[data-testid=city-budget]")
    page.select_option("#method-district", "manual")
    page.click("[data-testid=allocate-district] summary")
    page.fill("#part-district-0", "1000")
    page.click("[data-testid=allocate-district] button")
    page.wait_for_selector("text=未填写分配量")
    assert page.locator("[data-testid=district-budgets]").count() == 0  # nothing allocated
    page.select_option("#method-district", "historical")
    page.click("[data-testid=allocate-district] button")
    page.wait_for_selector("[data-testid=district-budgets]")
    page.screenshot(path=str(artifacts / "budgets-2026-allocated.png"), full_page=True)

    page.goto(f"{live_server.url}/budgets/projects/")
    page.wait_for_selector("[data-testid=assessments]")
    assert page.locator("[data-testid=assessments] tbody tr").count() == 3
    page.fill("#name", "页面登记项目")
    page.fill("#applicant", "某公司")
    page.select_option("#district", "沙溪镇")
    page.select_option("#sector", "其他工业")
    page.fill("#operation_year", "2027")
    page.fill("#electricity_kwh", "2000000")
    page.select_option("[name=fuel-0]", "天然气")
    page.fill("[name=unit-0]", "万立方米")
    page.fill("[name=quantity-0]", "50")
    page.click("[data-testid=register-project] button")
    page.wait_for_selector("[data-testid=assessment]")
    assert "不单独进行节能审查" in page.inner_text("[data-testid=review-level]")
    page.click("[data-testid=submit-project]")
    page.wait_for_selector("[data-testid=decide]")
    page.select_option("[data-testid=decide] select", "approved")
    page.click("[data-testid=decide] button")
    page.wait_for_selector("[data-testid=decision]")
    assert page.inner_text("[data-testid=decision]") == "通过"
    page.screenshot(path=str(artifacts / "budgets-project.png"), full_page=True)

    page.context.clear_cookies()
    login(page, live_server, "suzhou")
    page.wait_for_selector("[data-testid=rollup]")
    assert "苏州市" in page.inner_text("h1") and page.locator("text=重点企业").count() == 0
    page.click("[data-testid=rollup] >> text=太仓市")
    page.wait_for_selector("[data-testid=unallocated]")
    assert page.locator("[data-testid=rollup] tbody tr").count() == 7
    page.screenshot(path=str(artifacts / "budgets-region-suzhou-view.png"), full_page=True)
    page.goto(f"{live_server.url}/budgets/2024/")
    page.wait_for_selector("[data-testid=district-budgets]")
    assert page.locator("[data-testid=set-budget]").count() == 0  # read-only
    page.screenshot(path=str(artifacts / "budgets-suzhou-view.png"), full_page=True)
