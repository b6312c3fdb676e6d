"""Reporting in English, in chromium (issue 37): the reporter of a German-invested enterprise files its annual
report from its front door, and a department files its quarterly progress report, each in an English browser.

"English throughout" is read off the page: once the names a user or the plan wrote (the enterprise's name, the
plan's tasks, the departments) are taken out, no Chinese character is left — but the switch naming 简体中文.
"""

from __future__ import annotations

import os
import re

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="未安装 chromium（make test 以 root 运行时会自动安装）"
    ),
]
CJK = re.compile(r"[\u3400-\u9fff]+")


def chinese_left(page, *names: str) -> list[str]:
    """The Chinese words on the page that are neither one of ``names`` nor the switch to 简体中文."""
    text = page.locator("body").inner_text()
    for name in sorted({"简体中文", *names}, key=len, reverse=True):
        text = text.replace(name, "")
    return CJK.findall(text)


def english_page(browser_page):
    context = browser_page.context.browser.new_context(
        locale="en-GB", viewport={"width": 1400, "height": 900}
    )
    return context.new_page()


def test_a_german_invested_enterprise_files_its_annual_report_in_english(
    browser_page, live_server, login, artifacts, demo_plan, coordinator
):
    from django.utils import timezone

    from carbonpeak.demo import DEMO_GERMAN_ENTERPRISE_LOGIN, ensure_demo_enterprises
    from carbonpeak.energy.selectors import official_factors
    from carbonpeak.enterprises import sample, services
    from carbonpeak.enterprises.models import Enterprise, EnterpriseReport, MonitoringPlan

    ensure_demo_enterprises(coordinator, reports=False)
    enterprise = Enterprise.objects.get(credit_code=sample.credit_code(11))
    assert enterprise.foreign_origin == "德国"
    grid = {
        f.key for f in official_factors().factors if f.kind == "grid_co2"
    }  # regions, named as the set does
    names = (enterprise.name, enterprise.district, enterprise.sector, enterprise.foreign_origin, *grid)
    year = timezone.localdate().year - 1
    page = english_page(browser_page)
    login(page, live_server, DEMO_GERMAN_ENTERPRISE_LOGIN.username)
    page.wait_for_selector("[data-testid=todo-section]")
    assert page.inner_text("h1").startswith("To do")
    assert chinese_left(page, *names) == []
    page.screenshot(path=str(artifacts / "english-enterprise-front-door.png"), full_page=True)

    page.click(f"text=Energy and carbon emissions report {year}")  # its front door's row
    page.wait_for_url(f"**/reports/{year}/")
    assert chinese_left(page, *names) == []
    page.fill(
        "#plan-content", "Gas meters at the boiler house; electricity from the utility's bills, monthly."
    )
    page.click("#monitoring-plan button[name=submit_plan]")
    page.wait_for_selector("text=Monitoring plan submitted")
    plan = MonitoringPlan.objects.get(enterprise=enterprise, year=year)
    services.approve_monitoring_plan(plan, user=coordinator)  # the coordinator's part

    page.reload()
    page.fill("[name=fuel-0]", "Natural gas")  # typed in English, kept under the catalogue's own name
    page.fill("[name=unit-0]", "10,000 m³")
    page.fill("[name=quantity-0]", "140")
    page.fill("#bought", "85000000")
    page.fill("#sold", "0")
    page.fill("#va", "12000")
    page.screenshot(path=str(artifacts / "english-enterprise-report-form.png"), full_page=True)
    page.click("#report-form button[value=submit]")
    page.wait_for_selector("text=Report submitted; it awaits third-party verification")
    assert page.get_attribute("[data-testid=report-status]", "data-status") == "submitted"
    assert page.inner_text("[data-testid=report-status]") == "Submitted"
    assert "Natural gas" in page.inner_text("[data-testid=report]")
    assert chinese_left(page, *names) == []
    page.screenshot(path=str(artifacts / "english-enterprise-report-submitted.png"), full_page=True)

    report = EnterpriseReport.objects.get(enterprise=enterprise, year=year)
    assert [(f.fuel, f.unit, f.quantity) for f in report.fuels.all()] == [("天然气", "万立方米", 140.0)]
    assert report.electricity_sold_kwh == 0 and report.output_value is None  # 0 kept, nothing typed is 未报


def test_a_department_files_its_progress_report_in_english(
    browser_page, live_server, login, artifacts, demo_plan, coordinator
):
    from django.utils import timezone

    from carbonpeak.departments.models import Department
    from carbonpeak.monitoring.models import Indicator
    from carbonpeak.supervision import services as supervision

    supervision.open_latest_quarter(demo_plan, coordinator, timezone.localdate())
    department = Department.objects.get(name="市交运局")
    report = (
        department.progress_reports.select_related("task", "task__action").order_by("task__order").first()
    )
    names = [t.title for t in demo_plan.tasks.all()] + [t.label for t in demo_plan.tasks.all()]  # the plan
    names += [a.title for a in demo_plan.actions.all()] + list(
        Department.objects.values_list("name", flat=True)
    )
    names += list(Indicator.objects.values_list("name", flat=True))
    page = english_page(browser_page)
    login(page, live_server, department.name)
    page.wait_for_selector("[data-testid=todo-section]")
    assert "progress reports on the tasks you lead" in page.inner_text("main")
    assert chinese_left(page, *names) == []
    page.screenshot(path=str(artifacts / "english-department-front-door.png"), full_page=True)

    page.click(f"[data-testid=todo-row] a[href='/progress/reports/{report.pk}/']")
    page.wait_for_url(f"**/progress/reports/{report.pk}/")
    assert chinese_left(page, *names) == []
    page.click("[data-testid=report-form] button[formaction]")  # submitted empty: refused, in English
    page.wait_for_selector("text=Please describe the progress before submitting")
    page.select_option("#progress", "in_progress")
    page.fill("#narrative", "40 new-energy buses entered service this quarter.")
    page.click("[data-testid=report-form] button[formaction]")
    page.wait_for_selector("text=Submitted; it awaits the coordinator's review")
    assert page.inner_text("[data-testid=report-status]") == "Submitted"
    assert chinese_left(page, *names) == []
    page.screenshot(path=str(artifacts / "english-department-progress-submitted.png"), full_page=True)
    report.refresh_from_db()
    assert (report.status, report.progress) == ("submitted", "in_progress")
