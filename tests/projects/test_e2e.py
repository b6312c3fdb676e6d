"""A key project in chromium (issue 38): the 市工信局's user registers a retrofit with its yearly savings and
money, files a quarter's progress, and the coordinator approves it and records the fiscal award paid against the
milestone reached; the pages say the effect computed from the savings by the official factors, and the
项目库情景's industrial-efficiency measure grows by the project once approved. Screenshots in test-artifacts/."""

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


def test_a_department_registers_a_project_reports_progress_and_the_coordinator_approves(
    browser_page, live_server, login, artifacts, demo_plan
):
    from carbonpeak.core.models import ReviewStatus
    from carbonpeak.projects.models import KeyProject

    page = browser_page
    login(page, live_server, "市工信局")
    page.goto(f"{live_server.url}/key-projects/")
    form = page.locator("[data-testid=register-project]")
    form.locator("#name").fill("化纤厂余热回收改造")
    form.locator("#kind").select_option("retrofit")
    form.locator("#status").select_option("building")
    form.locator("#tasks").select_option(label=page.locator("#tasks option").nth(9).inner_text())
    form.locator("select[name=fuel-0]").select_option("原煤")
    form.locator("input[name=quantity-0]").fill("1200")
    form.locator("select[name=unit-0]").select_option("吨")
    form.locator("input[name=investment_year-0]").fill("2025")
    form.locator("input[name=planned-0]").fill("900")
    form.locator("input[name=funding_year-0]").fill("2025")
    form.locator("select[name=source-0]").select_option("loan")
    form.locator("input[name=amount-0]").fill("600")
    form.locator("input[name=institution-0]").fill("某商业银行太仓支行")
    form.locator("input[name=milestone-0]").fill("设备安装完成")
    page.screenshot(path=str(artifacts / "key-project-register.png"), full_page=True)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=effect]")
    project = KeyProject.objects.get(name="化纤厂余热回收改造")
    effect = page.locator("[data-testid=effect]").inner_text()
    assert "857.2" in effect  # 1,200 t of 原煤 × 0.7143 tce/t
    assert "绿色贷款" in page.locator("[data-testid=funding]").inner_text()
    page.locator("#edit summary").click()  # its own project: the register form, filled in, to move it on
    assert page.locator("[data-testid=edit-project] #name").input_value() == "化纤厂余热回收改造"
    page.locator("#edit").screenshot(path=str(artifacts / "key-project-edit.png"))

    progress = page.locator("[data-testid=progress-form]")
    progress.locator("#period").fill("2025Q3")
    progress.locator("#investment").fill("350")
    progress.locator("input[name=milestones]").first.check()
    progress.locator("#narrative").fill("完成余热锅炉安装")
    progress.locator("[data-testid=submit-progress]").click()
    page.wait_for_selector("[data-testid=progress]")
    assert project.progress.get().status == ReviewStatus.SUBMITTED
    page.screenshot(path=str(artifacts / "key-project-department.png"), full_page=True)

    page.context.clear_cookies()
    login(page, live_server, "coordinator")

    def industry_measure() -> str:  # the 项目库情景's industrial-efficiency measure, as its page says it
        page.goto(f"{live_server.url}/projection/项目库情景/")
        page.wait_for_selector("[data-testid=levers]")
        row = page.locator("[data-testid=levers] tr", has_text="重点行业能效提升")
        return row.locator("[data-testid=measure-source]").inner_text()

    assert "0 个项目" in industry_measure()  # submitted, not yet approved: not a project in hand
    page.goto(f"{live_server.url}/key-projects/{project.pk}/")
    page.locator("[data-testid=review-progress] button[value=approve]").click()
    page.wait_for_selector("[data-testid=milestones]")
    assert project.progress.get().status == ReviewStatus.APPROVED
    assert "✓" in page.locator("[data-testid=milestones]").inner_text()
    assert "350" in page.locator("[data-testid=investment]").inner_text()
    page.screenshot(path=str(artifacts / "key-project-approved.png"), full_page=True)
    award = page.locator("[data-testid=award-form]")  # paid against the milestone just reached
    award.locator("#award-source").select_option("award")
    award.locator("#amount").fill("30")
    award.locator("#paid_on").fill("2025-11-03")
    award.locator("#document").fill("太财建〔2025〕12号")
    award.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=awards]")
    assert "太财建〔2025〕12号" in page.locator("[data-testid=awards]").inner_text()
    page.locator("#awards").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "key-project-award.png"), full_page=True)
    grown = industry_measure()  # approved: the project now sizes the measure
    assert "1 个项目" in grown and "857" in grown
    page.screenshot(path=str(artifacts / "key-project-projection.png"), full_page=True)
    page.goto(f"{live_server.url}/key-projects/")
    assert "化纤厂余热回收改造" in page.locator("[data-testid=key-projects]").inner_text()
    page.screenshot(path=str(artifacts / "key-projects.png"), full_page=True)


def test_the_register_reads_in_english(browser_page, live_server, login, artifacts, demo_plan, coordinator):
    """The projects page and a project's page in an English browser: the platform's words in English, the
    projects', departments' and plan's own words as written."""
    import re

    from carbonpeak.projects.models import KeyProject
    from carbonpeak.projects.sample import ensure_demo_projects

    ensure_demo_projects(demo_plan, coordinator)
    page = browser_page.context.browser.new_context(
        locale="en-GB", viewport={"width": 1400, "height": 900}
    ).new_page()
    login(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/key-projects/")
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Key projects")
    head = page.locator("[data-testid=key-projects] thead").inner_text()
    assert "Planned investment" in head and not re.findall(r"[\u3400-\u9fff]", head)
    page.screenshot(path=str(artifacts / "key-projects-en.png"), full_page=True)
    pv = KeyProject.objects.filter(kind="pv").first()
    page.goto(f"{live_server.url}/key-projects/{pv.pk}/")
    effect = page.locator("[data-testid=effect]").inner_text()
    assert "Designed effect" in effect and "Sample input" in effect
    page.screenshot(path=str(artifacts / "key-project-en.png"), full_page=True)


def test_the_enterprise_reports_its_projects_progress_from_its_front_door(
    browser_page, live_server, login, artifacts, demo_plan, coordinator
):
    """The demo's enterprise user finds the retrofit its enterprise carries out on its front door, opens it —
    a page without the city's doors — and submits the quarter's progress."""
    from carbonpeak.core.models import ReviewStatus
    from carbonpeak.demo import ensure_demo_enterprises
    from carbonpeak.projects.models import KeyProject
    from carbonpeak.projects.sample import ensure_demo_projects

    ensure_demo_enterprises(coordinator, reports=False)
    ensure_demo_projects(demo_plan, coordinator)
    project = KeyProject.objects.get(enterprise__isnull=False, sample=True)
    page = browser_page
    login(page, live_server, "jiulong")
    page.get_by_role("link", name=project.name).click()
    page.wait_for_selector("[data-testid=progress-form]")
    assert page.locator("a[href='/key-projects/']").count() == 0
    form = page.locator("[data-testid=progress-form]")
    form.locator("#investment").fill("200")
    form.locator("#narrative").fill("锅炉本体安装过半")
    form.locator("[data-testid=submit-progress]").click()
    page.wait_for_selector("[data-testid=progress]")
    assert project.progress.get().status == ReviewStatus.SUBMITTED
    page.screenshot(path=str(artifacts / "key-project-enterprise.png"), full_page=True)
