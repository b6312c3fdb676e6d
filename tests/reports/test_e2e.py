"""End to end in chromium: the coordinator generates a quarterly report in the background and downloads it."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from docx import Document

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="未安装 chromium（make test 以 root 运行时会自动安装）"
    ),
]


def test_generate_and_download_a_quarterly_report(
    browser_page, live_server, login, artifacts, demo_plan, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    page = browser_page
    login(page, live_server)
    page.click("nav .dropdown-toggle >> text=管理")  # a menu of the navigation
    page.click("nav .dropdown-menu >> text=季度报告")
    page.select_option("#id_period", "2025Q3")
    page.click("[data-testid=generate] button")
    page.wait_for_selector("[data-testid=job-status][data-status=done]", timeout=60_000)
    assert "示例数据" in page.inner_text("[data-testid=job-status]")
    page.screenshot(path=str(artifacts / "report-done.png"), full_page=True)
    with page.expect_download() as info:
        page.click("[data-testid=download-docx]")
    download = info.value
    assert download.suggested_filename == "太仓市碳达峰季度报告-2025Q3-征求意见稿-示例数据.docx"
    doc = Document(io.BytesIO(Path(download.path()).read_bytes()))
    texts = [p.text for p in doc.paragraphs[:6] if p.text]
    assert texts[:2] == ["征求意见稿", "太仓市发展和改革委员会"] and "太仓市碳达峰工作季度报告" in texts
    page.click("nav .dropdown-toggle >> text=管理")  # a menu of the navigation
    page.click("nav .dropdown-menu >> text=季度报告")
    assert "2025Q3" in page.inner_text("[data-testid=jobs]")
    page.screenshot(path=str(artifacts / "report-list.png"), full_page=True)


def test_a_quarter_is_finalised_released_by_a_leader_and_read_by_anyone(
    browser_page, live_server, login, artifacts, demo_plan, settings, tmp_path
):
    """The coordinator makes the report final and prepares the release; the leader approves it; an anonymous
    visitor reads it on a desktop and on a phone, and the page prints."""
    settings.DATA_DIR = tmp_path
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/reports/")
    page.select_option("#id_period", "2025Q3")
    page.click("[data-testid=generate] button")
    page.wait_for_selector("[data-testid=job-status][data-status=done]", timeout=60_000)
    page.click("[data-testid=finalise] button")
    page.wait_for_selector("[data-testid=job-status][data-status=done]", timeout=60_000)
    assert "定稿已生成" in page.inner_text("[data-testid=job-status]")
    page.click("nav >> text=数据发布")
    page.select_option("#id_period", "2025Q3")
    page.fill("#id_note", "2025年前三季度碳达峰工作数据")
    page.click("[data-testid=prepare] button[type=submit]")
    page.wait_for_selector("[data-testid=submit-release]")
    assert "定稿" in page.inner_text("main")
    page.click("[data-testid=submit-release] button")
    page.wait_for_selector("[data-testid=release-status] >> text=已报送")
    page.click("nav button:has-text('退出')")
    login(page, live_server, "leader")
    page.goto(f"{live_server.url}/releases/")
    page.click("[data-testid=releases] a")
    page.click("[data-testid=approve-release] button")
    page.wait_for_selector("[data-testid=release-status] >> text=已发布")
    page.screenshot(path=str(artifacts / "release-approved.png"), full_page=False)
    page.click("nav button:has-text('退出')")

    page.goto(f"{live_server.url}/public/")
    assert page.locator("[data-testid=sample-banner]").is_visible()
    assert "2025年前三季度碳达峰工作数据" in page.inner_text("[data-testid=release]")
    assert page.locator("[data-testid=figures] tbody tr").count() == 8
    assert page.locator("#grades-chart svg").count() == 1  # ECharts from the platform's own static files
    page.screenshot(path=str(artifacts / "public-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing runs off a phone's screen (wide tables scroll inside their box)
    page.screenshot(path=str(artifacts / "public-phone.png"), full_page=False)
    page.emulate_media(media="print")
    assert page.locator("[data-testid=downloads]").is_hidden()

    # a visitor whose browser asks for English reads the same release in English (issue 37)
    from tests.web.test_english_reporting_e2e import english_page

    english = english_page(browser_page)
    english.goto(f"{live_server.url}/public/")
    assert "Main figures" in english.inner_text("[data-testid=release]")
    assert english.locator("[data-testid=figures] tbody tr").count() == 8
    assert (
        english.locator("[data-testid=targets] .cp-grade-green").count()
        == page.locator("[data-testid=targets] .cp-grade-green").count()
    )
    english.wait_for_selector("#grades-chart svg")
    english.screenshot(path=str(artifacts / "public-english.png"), full_page=True)
    english.context.close()
