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


def test_a_district_reads_its_own_figures_and_opens_its_quarter(
    browser_page, live_server, login, artifacts, demo_budgets
):
    page = browser_page
    login(page, live_server, "chengxiang")
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=own-figures]")
    assert page.inner_text("h1").startswith("待办")
    figures = page.inner_text("[data-testid=own-figures]")
    assert "万吨标准煤" in figures and "已用" in figures  # its accounts and its budget use, on the page
    page.click("[data-testid=district-tasks] summary")
    assert page.locator("[data-testid=district-tasks] li").count() > 0
    page.screenshot(path=str(artifacts / "front-door-district.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=own-figures]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "front-door-district-phone.png"), full_page=True)
    page.locator("[data-testid=todo-row] a").first.click()  # its quarter's energy statistics
    page.wait_for_url("**/energy/submissions/**")


def test_the_parent_region_reads_its_regions_side_by_side_and_goes_down_one(
    browser_page, live_server, login, artifacts, demo_budgets
):
    page = browser_page
    login(page, live_server, "suzhou")
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=child-region]")
    row = page.inner_text("[data-testid=child-region]")
    assert "太仓市" in row and "%" in row
    page.screenshot(path=str(artifacts / "front-door-parent.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table = page.locator("[data-testid=rollup]")  # one card per region: nothing scrolls sideways
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    page.screenshot(path=str(artifacts / "front-door-parent-phone.png"), full_page=True)
    page.click("[data-testid=child-region] a >> text=太仓市")
    page.wait_for_selector("[data-testid=child-region]")
    assert page.locator("[data-testid=child-region]").count() == 7  # the seven units, side by side


def test_the_statistics_office_and_the_coordinator_meet_over_one_quarter(
    browser_page, live_server, login, artifacts, demo_plan, coordinator
):
    """The statistics office sees the quarter it owes and goes to send it; once one is sent, the coordinator
    opens it from the queue heading the dashboard, on a phone."""
    from django.contrib.auth import get_user_model

    from carbonpeak.energy import services as energy

    page = browser_page
    login(page, live_server, "stats")
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=todo-section]")
    assert page.inner_text("h1").startswith("待办") and "能源统计报表" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "front-door-statistics.png"), full_page=True)
    page.locator("[data-testid=todo-row] a").first.click()
    page.wait_for_url("**/energy/submissions/**")

    stats = get_user_model().objects.get(username="stats")
    csv = "period,region,sector,fuel,quantity,unit\n2023Q1,太仓市,其他工业,原煤,1,万吨\n"
    energy.submit_submission(energy.upload(csv.encode(), "q.csv", stats).submissions[0], user=stats)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=review-queue] a")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "front-door-coordinator-phone.png"), full_page=True)
    page.locator("[data-testid=review-queue] a[href*='/energy/submissions/']").first.click()
    page.wait_for_url("**/energy/submissions/**")


def test_a_leader_reads_the_dashboard_on_a_phone_and_opens_a_target(
    browser_page, live_server, login, artifacts, demo_plan
):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "leader")
    page.goto(f"{live_server.url}/")
    page.wait_for_url("**/monitoring/")
    assert not page.is_visible("[data-testid=menu]")  # folded behind the button
    page.screenshot(path=str(artifacts / "front-door-leader-phone.png"), full_page=True)
    page.locator("a[href*='/monitoring/targets/']").first.click()
    page.wait_for_url("**/monitoring/targets/**")
