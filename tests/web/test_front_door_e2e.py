"""The front doors in chromium, on a desktop and a phone: a department sees what it owes and opens a report
from there; the coordinator's dashboard is headed by its review queue; the menu folds behind a button on a
phone."""

from __future__ import annotations

import os

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.path.exists("/usr/bin/chromium"), reason="未安装 chromium（make test 会自动安装）"
    ),
]


def test_a_department_and_the_coordinator_at_their_front_doors(
    browser_page, live_server, login, artifacts, demo_plan, coordinator
):
    from django.utils import timezone

    from carbonpeak.supervision import services as supervision

    supervision.open_latest_quarter(demo_plan, coordinator, timezone.localdate())
    page = browser_page
    login(page, live_server, "市交运局")
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=todo-section]")
    assert page.inner_text("h1").startswith("待办")
    assert "牵头任务的进展报告" in page.inner_text("main")
    assert page.locator("[data-testid=todo-row][data-state=draft]").count() == 0  # nothing written yet
    page.screenshot(path=str(artifacts / "front-door-department.png"), full_page=True)
    page.locator("[data-testid=todo-row] a").first.click()
    page.wait_for_url("**/progress/reports/**")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=todo-section]")
    assert not page.is_visible("[data-testid=menu]")  # folded behind the button
    page.screenshot(path=str(artifacts / "front-door-department-phone.png"), full_page=True)
    page.click(".navbar-toggler")
    page.wait_for_selector("#cp-menu.collapse.show")  # unfolded (the transition over)
    assert page.is_visible("nav >> text=退出")
    page.screenshot(path=str(artifacts / "front-door-phone-menu.png"))

    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()  # signed out
    login(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=review-queue]")  # the dashboard, headed by what waits for review
    assert "份" in page.inner_text("[data-testid=waiting-total]")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, width  # no page wider than the window
    page.screenshot(path=str(artifacts / "front-door-coordinator.png"), full_page=True)


def test_an_enterprise_reporter_starts_its_annual_report_from_its_front_door(
    browser_page, live_server, login, artifacts, demo_plan, coordinator
):
    from django.utils import timezone

    from carbonpeak.demo import ensure_demo_enterprises

    ensure_demo_enterprises(coordinator, reports=False)
    page = browser_page
    login(page, live_server, "jiulong")
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=todo-section]")
    assert page.inner_text("h1").startswith("待办")
    page.screenshot(path=str(artifacts / "front-door-enterprise.png"), full_page=True)
    year = timezone.localdate().year - 1
    page.click(f"text={year}年度能源与碳排放报告")
    page.wait_for_url(f"**/reports/{year}/")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=todo-section]")
    page.screenshot(path=str(artifacts / "front-door-enterprise-phone.png"), full_page=True)
