"""A new city in the browser, from a published PDF: upload, check against the text, correct, confirm, print
the logins, and a department logs in with its printed password."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.shared,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="未安装 chromium（make test 以 root 运行时会自动安装）"
    ),
]


def test_new_city_from_a_published_pdf(browser_page, live_server, login, artifacts, shared_dir):
    from carbonpeak.demo import ensure_demo_users
    from carbonpeak.plans.models import Plan, PlanDraft
    from carbonpeak.supervision.models import ReportingPeriod

    ensure_demo_users()

    pdf = shared_dir / "plans" / "other" / "pdf" / "wuhan_low_carbon_industry_work_plan.pdf"
    page = browser_page
    login(page, live_server)
    # a new installation's home page leads to the import
    page.wait_for_selector("[data-testid=no-plan]")
    page.screenshot(path=str(artifacts / "onboard-empty-home.png"))
    page.click("[data-testid=onboard-link]")
    page.set_input_files("#file", str(pdf))
    page.select_option("#role", "own")
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_selector("[data-testid=source-text] mark.cp-src-clause")
    assert "武汉市推动降碳及发展低碳产业工作方案" in page.inner_text("h1")
    page.screenshot(path=str(artifacts / "onboard-review.png"), full_page=False)

    # a task's clause is shown where it stands in the text
    first_task = page.locator("[data-testid=draft-task]").first
    first_task.locator("a:has-text('原文条款')").click()
    anchor = page.evaluate("location.hash").lstrip("#")
    assert page.locator(f"mark#{anchor}").inner_text().startswith("责任单位")

    # rename a department (the short name to its full name), set a lead, leave a target out
    draft = PlanDraft.objects.get()
    names = draft.structure["departments"]
    index = names.index("市发改委")
    page.fill(f"input[name='dept-{index}']", "市发展和改革委员会")
    key = first_task.get_attribute("data-key")
    page.fill(f"input[name='lead-{key}']", "市生态环境局")
    page.locator("[data-testid=draft-targets] input[type=checkbox]").first.uncheck()
    page.locator("[data-testid=review-form] button[type=submit]").last.click()
    page.wait_for_selector("text=更正已保存")
    assert page.input_value(f"input[name='dept-{index}']") == "市发展和改革委员会"
    assert page.input_value(f"input[name='lead-{key}']") == "市生态环境局"
    page.screenshot(path=str(artifacts / "onboard-corrected.png"), full_page=False)

    page.click("[data-testid=confirm-form] button")
    page.wait_for_selector("[data-testid=logins]")
    page.screenshot(path=str(artifacts / "onboard-logins.png"), full_page=True)
    plan = Plan.objects.get(title="武汉市推动降碳及发展低碳产业工作方案")
    assert plan.role == "own"
    first = plan.tasks.get(key=key)
    assert [r.department.name for r in first.responsibilities.filter(role="lead")] == ["市生态环境局"]
    assert plan.targets.count() == len(draft.structure["targets"]) - 1
    # the short name renamed on the page is gone everywhere, also from tasks whose lead field showed it
    assert not plan.tasks.filter(responsibilities__department__name="市发改委").exists()
    assert "市发改委" not in page.inner_text("[data-testid=logins]")
    period = ReportingPeriod.objects.get(plan=plan)
    assert period.reports.exists()

    # a department logs in with the password printed for it and finds its reports
    row = page.locator("[data-testid=logins] tr", has_text="市生态环境局")
    password = row.locator("td").nth(3).inner_text().strip()
    page.context.clear_cookies()
    login(page, live_server, "市生态环境局", password)
    page.wait_for_selector("nav")
    page.goto(f"{live_server.url}/progress/")
    assert first.title in page.inner_text("[data-testid=my-reports]")

    page.context.clear_cookies()
    login(page, live_server)
    page.goto(f"{live_server.url}/plans/all/")
    assert plan.title in page.inner_text("[data-testid=city-plans] [data-role=own]")
    page.screenshot(path=str(artifacts / "onboard-city-plans.png"), full_page=True)


def test_a_plan_without_clauses_shows_its_measures_for_the_coordinator_to_lead(
    browser_page, live_server, login, artifacts, shared_dir
):
    """A published plan that names no department: its measures arrive as tasks, each marked as needing a
    lead, and the coordinator sets one."""
    from carbonpeak.demo import ensure_demo_users

    ensure_demo_users()
    pdf = shared_dir / "plans" / "other" / "pdf" / "yunnan_green_low_carbon_economy_action_plan.pdf"
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/plans/new/")
    page.set_input_files("#file", str(pdf))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_selector("[data-testid=draft-task]")
    tasks = page.locator("[data-testid=draft-task]")
    assert f"{tasks.count()} 项任务未识别到牵头单位" in page.inner_text("[data-testid=missing-leads]")
    assert tasks.count() >= 20
    assert page.locator("[data-testid=draft-task] input.is-invalid").count() == tasks.count()
    key = tasks.first.get_attribute("data-key")
    page.fill(f"input[name='lead-{key}']", "省工业和信息化厅")
    page.locator("[data-testid=review-form] button[type=submit]").last.click()
    page.wait_for_selector("text=更正已保存")
    assert page.input_value(f"input[name='lead-{key}']") == "省工业和信息化厅"
    assert page.locator("[data-testid=draft-task] input.is-invalid").count() == tasks.count() - 1
    page.screenshot(path=str(artifacts / "onboard-without-clauses.png"), full_page=False)


def test_joint_responsibility_is_shown_for_the_coordinator_to_confirm(
    browser_page, live_server, login, artifacts, shared_dir
):
    """A published plan whose clauses name bodies 按职责分工负责 without a lead: the review says how many tasks
    are joint and marks each, its first body shown as the lead for now (本平台规则)."""
    from carbonpeak.demo import ensure_demo_users

    ensure_demo_users()
    pdf = shared_dir / "plans" / "other" / "pdf" / "tianjin_green_low_carbon_economy_plan.pdf"
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/plans/new/")
    page.set_input_files("#file", str(pdf))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_selector("[data-testid=draft-task]")
    marked = page.locator("[data-testid=joint-lead]").count()
    assert marked >= 10
    assert f"{marked} 项任务为联合负责" in page.inner_text("[data-testid=joint-leads]")
    page.locator("[data-testid=joint-lead]").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "onboard-joint.png"), full_page=False)
