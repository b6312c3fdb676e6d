"""The register, an enterprise and PV compliance in chromium on the sample data; the enterprise user's view."""

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


def test_register_enterprise_and_pv_pages(browser_page, live_server, login, artifacts):
    from django.contrib.auth import get_user_model

    from carbonpeak.demo import ensure_demo_enterprises, ensure_demo_users
    from carbonpeak.enterprises import sample
    from carbonpeak.enterprises.models import Enterprise

    ensure_demo_users()
    ensure_demo_enterprises(get_user_model().objects.get(username="coordinator"), reports=False)
    own = Enterprise.objects.get(credit_code=sample.credit_code(5))
    other = Enterprise.objects.get(credit_code=sample.credit_code(1))
    page = browser_page
    login(page, live_server)
    page.wait_for_selector("nav")
    page.goto(f"{live_server.url}/enterprises/")
    page.wait_for_selector("[data-testid=register]")
    assert page.locator("[data-testid=register] tbody tr").count() == len(sample.ENTERPRISES)
    assert page.is_visible("[data-testid=sample-banner]")
    page.select_option("#f-district", "璜泾镇")
    page.wait_for_url("**district=*")
    assert page.locator("[data-testid=register] tbody tr").count() == 3
    page.screenshot(path=str(artifacts / "enterprises-register.png"), full_page=True)
    page.locator("[data-testid=register] tbody a").first.click()
    page.wait_for_selector("[data-testid=buildings]")
    assert "化纤" in page.inner_text("h1")
    page.goto(f"{live_server.url}/enterprises/{own.pk}/")
    page.wait_for_selector("[data-testid=buildings]")
    page.screenshot(path=str(artifacts / "enterprise-detail.png"), full_page=True)
    page.goto(f"{live_server.url}/enterprises/pv/")
    page.wait_for_selector("[data-testid=pv-findings]")
    page.screenshot(path=str(artifacts / "enterprises-pv.png"), full_page=True)
    page.goto(f"{live_server.url}/enterprises/projects/")
    page.fill("#value_pct", "5")
    page.fill("#source", "某市发改委关于节能审查验收的通知（测试输入）")
    page.click("[data-testid=tolerance-form] button")
    page.wait_for_selector("text=已录入验收偏差容许值")
    assert page.is_visible("[data-testid=project-warnings]")
    page.screenshot(path=str(artifacts / "enterprises-projects.png"), full_page=True)

    page.context.clear_cookies()
    login(page, live_server, "jiulong")
    page.wait_for_selector("nav")
    page.goto(f"{live_server.url}/enterprises/")
    page.wait_for_selector("[data-testid=enterprise-facts]")
    assert own.name in page.inner_text("h1")
    response = page.goto(f"{live_server.url}/enterprises/{other.pk}/")
    assert response.status == 403 and "只能查看本企业" in page.inner_text("body")


def test_report_lifecycle_and_reconciliation_pages(
    browser_page, live_server, login, artifacts, demo_plan, coordinator
):
    from carbonpeak.demo import ensure_demo_enterprises
    from carbonpeak.enterprises import sample
    from carbonpeak.enterprises.models import Enterprise

    ensure_demo_enterprises(coordinator)
    paper = Enterprise.objects.get(credit_code=sample.credit_code(5))
    page = browser_page
    login(page, live_server, "jiulong")
    page.wait_for_selector("nav")
    page.goto(f"{live_server.url}/enterprises/{paper.pk}/reports/2023/")
    page.fill("textarea[name=content]", "燃煤锅炉：皮带秤计量；天然气：贸易结算表。")
    page.click("button[name=submit_plan]")
    page.wait_for_selector("text=监测计划已报送")
    page.fill("input[name=fuel-0]", "原煤")
    page.fill("input[name=unit-0]", "吨")
    page.fill("input[name=quantity-0]", "1200000")
    page.fill("#bought", "900000000")
    page.fill("#sold", "0")
    page.click("[data-testid=report-form] button[value=save]")
    page.wait_for_selector("text=草稿已保存")
    assert page.is_visible("[data-testid=report-preview]")
    page.screenshot(path=str(artifacts / "enterprise-report-draft.png"), full_page=True)

    page.context.clear_cookies()
    login(page, live_server)
    page.wait_for_selector("nav")
    page.goto(f"{live_server.url}/enterprises/reconciliation/?year=2025")
    page.wait_for_selector("[data-testid=reconciliation] tbody tr")
    assert "造纸和纸制品业" in page.inner_text("[data-testid=reconciliation]")
    page.screenshot(path=str(artifacts / "enterprises-reconciliation.png"), full_page=True)
    page.goto(f"{live_server.url}/enterprises/efficiency/?year=2025")
    page.wait_for_selector("[data-testid=efficiency] [data-grade=D]")
    page.screenshot(path=str(artifacts / "enterprises-efficiency.png"), full_page=True)
    page.goto(f"{live_server.url}/enterprises/{paper.pk}/reports/2025/")
    page.wait_for_selector("[data-testid=report-figures]")
    page.screenshot(path=str(artifacts / "enterprise-report-approved.png"), full_page=True)
