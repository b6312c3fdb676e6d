"""A whole cycle in chromium: the department submits, the coordinator returns, resubmit, approve, board updates."""

from __future__ import annotations

import datetime as dt
import os

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="未安装 chromium（make test 以 root 运行时会自动安装）"
    ),
]


def test_cycle_end_to_end(browser_page, live_server, login, artifacts, imported_plan, settings, tmp_path):
    from django.contrib.auth import get_user_model

    from carbonpeak.core.models import AuditEvent
    from carbonpeak.demo import ensure_demo_users
    from carbonpeak.supervision import services

    settings.DATA_DIR = tmp_path
    ensure_demo_users()
    coordinator = get_user_model().objects.get(username="coordinator")
    period = services.open_period(
        imported_plan, "2026Q3", dt.date.today() + dt.timedelta(days=20), coordinator
    )
    report = period.reports.filter(department__name="市交运局").order_by("task__order").first()
    page = browser_page

    def as_user(name):
        page.context.clear_cookies()
        login(page, live_server, name)
        page.wait_for_selector("nav")

    as_user("市交运局")
    page.goto(f"{live_server.url}/progress/")
    page.click(f"[data-testid=my-reports] >> text={report.task.title}")
    page.select_option("#progress", "in_progress")
    page.fill("#narrative", "本季度新增新能源公交车 40 辆。")
    page.click("[data-testid=report-form] button:has-text('报送')")
    page.wait_for_selector("text=已报送，等待协调员审核")
    page.screenshot(path=str(artifacts / "progress-submitted.png"), full_page=True)

    as_user("coordinator")
    page.goto(f"{live_server.url}/progress/reports/{report.pk}/")
    page.fill("[data-testid=review-form] textarea", "请补充充电设施建设进度")
    page.click("[data-testid=review-form] button:has-text('退回')")
    page.wait_for_selector("[data-testid=review-comment]")
    assert page.inner_text("[data-testid=report-status]") == "已退回"

    as_user("市交运局")
    page.goto(f"{live_server.url}/progress/reports/{report.pk}/")
    assert "请补充充电设施建设进度" in page.inner_text("[data-testid=review-comment]")
    page.fill("#narrative", "本季度新增新能源公交车 40 辆；新建公共充电桩 120 个。")
    page.click("[data-testid=report-form] button:has-text('报送')")
    page.wait_for_selector("text=已报送，等待协调员审核")

    as_user("coordinator")
    page.goto(f"{live_server.url}/progress/reports/{report.pk}/")
    page.click("[data-testid=review-form] button:has-text('审核通过')")
    page.wait_for_selector("text=已审核通过")
    page.goto(f"{live_server.url}/progress/{period.pk}/")
    cell = page.locator(f"[data-testid=board] a[href='/progress/reports/{report.pk}/']")
    assert cell.get_attribute("data-state") == "approved"
    page.screenshot(path=str(artifacts / "progress-board.png"), full_page=True)

    steps = list(
        AuditEvent.objects.filter(object_type="supervision.ProgressReport", object_id=str(report.pk))
        .order_by("id")
        .values_list("action", "username")
    )
    assert steps == [
        ("update", "市交运局"),
        ("submit", "市交运局"),
        ("return", "coordinator"),
        ("update", "市交运局"),
        ("submit", "市交运局"),
        ("approve", "coordinator"),
    ]
