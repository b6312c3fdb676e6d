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
    assert download.suggested_filename == "太仓市碳达峰季度报告-2025Q3-示例数据.docx"
    doc = Document(io.BytesIO(Path(download.path()).read_bytes()))
    assert doc.paragraphs[0].text == "太仓市碳达峰工作季度报告"
    page.click("nav .dropdown-toggle >> text=管理")  # a menu of the navigation
    page.click("nav .dropdown-menu >> text=季度报告")
    assert "2025Q3" in page.inner_text("[data-testid=jobs]")
    page.screenshot(path=str(artifacts / "report-list.png"), full_page=True)
