"""End to end in chromium: the barometer, a target page, a value reported and approved changes the grade."""

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


def test_dashboard_and_a_target_through_review(browser_page, live_server, login, artifacts, demo_plan):
    page = browser_page
    login(page, live_server)
    page.wait_for_selector("[data-testid=barometer]")  # the home page after login
    assert page.locator("#barometer tr[data-grade]").count() == 37
    page.wait_for_selector("[data-testid=chart-grades] svg")
    assert page.inner_text("[data-testid=sample-badge]") == "示例数据"
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)

    page.click("#barometer >> text=新能源和清洁能源公交车辆占比")
    page.wait_for_selector("[data-testid=chart-target] svg")
    assert "评估理由" in page.inner_text("[data-testid=reason]")
    page.screenshot(path=str(artifacts / "target.png"), full_page=True)

    page.fill("[data-testid=report-form] input[name=year]", "2025")
    page.fill("[data-testid=report-form] input[name=value]", "30")
    page.click("[data-testid=report-form] button")
    page.wait_for_selector("text=等待协调员审核")
    page.click("[data-testid=observations] button:has-text('审核通过')")
    page.wait_for_selector("text=已审核通过")
    assert page.inner_text("[data-testid=grade]") == "十分严峻"
    assert "落后" in page.inner_text("[data-testid=reason]")
    page.screenshot(path=str(artifacts / "target-after-review.png"), full_page=True)
