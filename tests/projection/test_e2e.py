"""End to end in chromium: scenarios compared, the planned scenario's charts, a coordinator's scenario edited."""

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


def test_scenarios_charts_and_an_edited_scenario(browser_page, live_server, login, artifacts, demo_plan):
    page = browser_page
    login(page, live_server)
    page.click("nav >> text=达峰预测")
    page.wait_for_selector("[data-testid=chart-compare] svg")
    assert page.locator("[data-testid=scenario-cards] [data-scenario]").count() == 3
    assert page.inner_text("[data-testid=sample-badge]") == "示例数据"
    page.screenshot(path=str(artifacts / "projection-overview.png"), full_page=True)

    page.click("[data-scenario=规划情景] >> text=规划情景")
    for chart in ("chart-fan", "chart-histogram", "chart-tornado", "chart-sectors"):
        page.wait_for_selector(f"[data-testid={chart}] svg")
    planned = page.inner_text("[data-testid=probability]")
    assert planned.endswith("%")
    assert "次模拟中有" in page.inner_text("[data-testid=sentence]")
    assert "重点行业能效提升" in page.inner_text("[data-testid=levers]")
    page.screenshot(path=str(artifacts / "projection-planned.png"), full_page=True)

    # each boundary read as the headline: asked for once, then shown with its own fan, backtest and drivers
    for label, key in (("本地燃烧口径", "territorial"), ("消费口径", "consumption")):
        page.click(f"[data-testid=boundary-link] >> text={label}")
        page.wait_for_selector("[data-testid=pending]")
        page.click("[data-testid=compute]")
        page.wait_for_selector("[data-testid=chart-fan] svg")
        assert page.inner_text("[data-testid=boundary]") == label and f"boundary={key}" in page.url
        assert "评估“二氧化碳排放达峰”目标用的是净调入口径" in page.inner_text(
            "[data-testid=grading-boundary]"
        )
        page.screenshot(path=str(artifacts / f"projection-planned-{key}.png"), full_page=True)
        page.click("text=回到考核口径")
        page.wait_for_selector("[data-testid=chart-fan] svg")

    # the longer horizon is asked for, not computed on the page's GET
    page.click("[data-testid=horizon] >> text=2040年")
    page.wait_for_selector("[data-testid=pending]")
    page.screenshot(path=str(artifacts / "projection-pending-2040.png"), full_page=True)
    page.click("[data-testid=compute]")
    page.wait_for_selector("[data-testid=chart-fan] svg")
    assert "至2040年" in page.inner_text("[data-testid=sentence]")
    page.click("[data-testid=horizon] >> text=2035年")
    page.wait_for_selector("[data-testid=chart-fan] svg")

    page.fill("[data-testid=edit] input[name=name]", "加快光伏与工业节能")
    page.click("[data-testid=edit] button:has-text('另存为新情景')")
    page.wait_for_selector("text=已新建情景")
    page.fill("input[name='pv.target_mw__mode']", "1500")
    page.fill("input[name='pv.target_year__mode']", "2030")
    page.fill("input[name='industry.extra_efficiency__low']", "3")
    page.fill("input[name='industry.extra_efficiency__high']", "4")
    page.fill("#id_comment", "光伏2030年1500兆瓦；工业能效加快")
    page.click("button:has-text('保存并重新计算')")
    page.wait_for_selector("text=已保存第2版")
    page.wait_for_selector("[data-testid=chart-fan] svg")
    edited = page.inner_text("[data-testid=probability]")
    assert float(edited.strip("<>%")) > float(planned.strip("<>%"))
    assert "第2版" in page.inner_text("[data-testid=versions]")
    assert "主要因为情景假设调整" in page.inner_text("[data-testid=what-moved]")  # ΔP and why
    assert "本地燃烧口径" in page.inner_text("[data-testid=boundaries]")
    page.screenshot(path=str(artifacts / "projection-edited.png"), full_page=True)

    page.click("nav >> text=总览")
    page.wait_for_selector("[data-testid=barometer]")
    row = page.locator("#barometer tr", has_text="二氧化碳排放量")
    assert "规划情景下2030年前达峰的概率" in row.inner_text()
