"""End to end in Debian's chromium: log in, open the matrix, click a department, see its tasks."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="未安装 chromium（make test 以 root 运行时会自动安装）"
    ),
]


def test_matrix_to_department(browser_page, live_server, bundled_plan, login, artifacts):
    from carbonpeak.demo import ensure_demo_users
    from carbonpeak.plans.services import import_plan

    import_plan(bundled_plan, source_name="taicang.json", region="太仓市")
    ensure_demo_users()
    page = browser_page

    page.goto(f"{live_server.url}/plans/matrix/")
    assert "/login/" in page.url
    login(page, live_server)
    page.goto(f"{live_server.url}/plans/matrix/")
    page.wait_for_selector("#matrix")
    assert page.locator("#matrix tbody tr").count() > 20
    # the stylesheet is served by the platform itself
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    page.screenshot(path=str(artifacts / "matrix.png"), full_page=True)

    page.click("#matrix >> text=市交运局")
    page.wait_for_selector("#lead-tasks")
    lead_text = page.inner_text("#lead-tasks")
    assert "加快构建绿色高效运输体系" in lead_text
    assert "推进交通运输设备低碳转型" in lead_text
    assert "新能源和清洁能源公交车辆占比" in lead_text
    assert "推动重点领域能效提升" in page.inner_text("#support-tasks")
    page.screenshot(path=str(artifacts / "department.png"), full_page=True)


def test_plan_page_and_target_filter(browser_page, live_server, bundled_plan, login, artifacts):
    from carbonpeak.demo import ensure_demo_users
    from carbonpeak.plans.services import import_plan

    import_plan(bundled_plan, source_name="taicang.json", region="太仓市")
    ensure_demo_users()
    page = browser_page
    login(page, live_server, "leader")
    page.wait_for_selector("text=太仓市碳达峰实施方案")  # the dashboard, home after login
    page.goto(f"{live_server.url}/plans/")
    page.wait_for_selector(".cp-task")
    assert page.locator(".cp-task").count() == 40
    page.screenshot(path=str(artifacts / "plan.png"))

    page.goto(f"{live_server.url}/plans/targets/")
    total = page.locator("#targets tbody tr").count()
    page.select_option("#f-year", "2030")
    # waited for through locators (Playwright's utility world): the page's CSP refuses evaluating strings
    expect(page.locator("#targets tbody tr")).not_to_have_count(total)
    years = page.locator("#targets tbody tr td:first-child").all_inner_texts()
    assert years and set(years) == {"2030"}
    assert "year=2030" in page.url  # the filter is in the address, so it can be bookmarked
    page.screenshot(path=str(artifacts / "targets.png"), full_page=True)
