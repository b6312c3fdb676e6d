"""The sinks page in chromium on the demo's sample land data: the sink by district with its band and its
missing parameters, and a parameter entered with its source turning 缺失 into a figure."""

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


def test_sinks_page(browser_page, live_server, login, artifacts):
    from django.contrib.auth import get_user_model

    from carbonpeak.core.regions import ensure_regions
    from carbonpeak.demo import ensure_demo_sinks, ensure_demo_users

    ensure_regions()
    ensure_demo_users()
    ensure_demo_sinks(get_user_model().objects.get(username="coordinator"))
    page = browser_page
    login(page, live_server)
    page.wait_for_selector("nav")
    page.click("nav .dropdown-toggle >> text=能源与碳排放")  # a menu of the navigation
    page.click("nav .dropdown-menu >> text=碳汇")
    page.wait_for_selector("[data-testid=sinks]")
    assert page.inner_text("[data-testid=climate-zone]") == "温带"
    assert page.is_visible("[data-testid=sample-banner]") and page.is_visible("[data-testid=separate]")
    assert "CRW" in page.inner_text("[data-testid=missing-parameters]")
    assert page.locator("[data-testid=district-totals] tbody tr").count() == 7
    page.wait_for_selector("#chart-sinks svg")  # the chart drew (stocks and sinks by land type)
    page.screenshot(path=str(artifacts / "sinks.png"), full_page=True)
    crown_missing = page.locator("[data-testid=sinks] tr:has-text('城市树木') >> text=缺失").count()
    assert crown_missing == 3
    page.select_option("[data-testid=parameter-form] [name=parameter]", "urban_crw")
    page.fill("[data-testid=parameter-form] [name=value]", "1.5")
    page.fill("[data-testid=parameter-form] [name=low]", "1.0")
    page.fill("[data-testid=parameter-form] [name=high]", "2.0")
    page.fill("[data-testid=parameter-form] [name=source]", "测试输入（非参考值）")
    page.click("[data-testid=parameter-form] button")
    page.wait_for_selector("text=已录入参数并重算")
    assert page.locator("[data-testid=sinks] tr:has-text('城市树木') >> text=缺失").count() == 0
    page.screenshot(path=str(artifacts / "sinks-parameter-entered.png"), full_page=True)

    form = "[data-testid=land-form]"

    def fill_wetland(area: str) -> None:
        page.select_option(f"{form} [name=district]", "城厢镇")
        page.fill(f"{form} [name=record_year]", "2025")
        page.select_option(f"{form} [name=land_type]", "wetland")
        page.fill(f"{form} [name=group]", "池塘")
        page.fill(f"{form} [name=area_ha]", area)
        page.fill(f"{form} [name=source]", "镇湿地调查（测试输入）")
        page.click(f"{form} button")

    fill_wetland("十二")
    page.wait_for_selector("text=面积须为数字")
    assert page.locator("[data-testid=sinks] tr:has-text('池塘')").count() == 0  # nothing written
    # nothing typed is lost: the form comes back with it, only the bad figure to correct
    assert page.input_value(f"{form} [name=source]") == "镇湿地调查（测试输入）"
    assert page.input_value(f"{form} [name=area_ha]") == "十二"
    page.fill(f"{form} [name=area_ha]", "12")
    page.click(f"{form} button")
    page.wait_for_selector("text=已保存并重算")
    assert page.locator("[data-testid=sinks] tr:has-text('池塘')").count() == 1
