"""The money workbook, the department's front door, the quarterly report's section and the carbon market's
compliance (issue 38)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from carbonpeak.departments.models import Department
from carbonpeak.projects import services
from carbonpeak.projects.models import FundingSource, ProjectKind, ProjectStatus

pytestmark = pytest.mark.django_db


def _project(coordinator, **extra):
    values = {
        "name": '=HYPERLINK("x")改造',
        "kind": ProjectKind.RETROFIT,
        "lead": Department.objects.get(name="市工信局"),
        "status": ProjectStatus.BUILDING,
        "savings": [("原煤", "100", "吨")],
        "investments": [("2025", "500", "")],
        "funding": [
            ("2025", FundingSource.LOAN, "300", "某银行"),
            ("2025", FundingSource.AWARD, "", "太仓市财政局"),
        ],
        "milestones": [("设备到货", dt.date(2025, 9, 30))],
    }
    values.update(extra)
    return services.register_project(coordinator, services.ProjectForm(**values))


def test_the_money_workbook_for_finance_and_the_regulator(demo_plan, coordinator, client):
    _project(coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("projects:money"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "说明", "资金来源汇总", "按部门投资", "绿色金融", "财政奖补计划", "财政奖补拨付", "项目明细"
    ]  # fmt: skip
    sources = {row[0]: row for row in book["资金来源汇总"].iter_rows(min_row=2, values_only=True)}
    assert sources["绿色贷款"][1] == 300 and sources["市财政奖励"][1] == "未填"  # not given is not 0
    assert sources["市财政奖励"][-1] == 1
    green = list(book["绿色金融"].iter_rows(min_row=2, values_only=True))
    assert green == [
        ("某银行", "绿色贷款", 2025, '\'=HYPERLINK("x")改造', 300)
    ]  # no formula reaches the file
    detail = list(book["项目明细"].iter_rows(min_row=2, values_only=True))[0]
    assert detail[0].startswith("'=") and detail[10] == pytest.approx(71.43, rel=1e-3)
    english = load_workbook(
        io.BytesIO(client.get(reverse("projects:money"), HTTP_ACCEPT_LANGUAGE="en").content)
    )
    assert english.sheetnames == [
        "Note",
        "Funding by source",
        "Investment by department",
        "Green finance",
        "Fiscal awards planned",
        "Fiscal awards paid",
        "Projects",
    ]
    assert list(english["Green finance"].iter_rows(max_row=1, values_only=True))[0][0] == "Institution"


def test_a_department_sees_its_projects_due_progress_at_its_front_door(demo_plan, coordinator, client):
    project = _project(coordinator, name="锅炉改造")
    client.force_login(get_user_model().objects.get(username="市工信局"))
    html = client.get("/").content.decode()
    assert "重点项目季度进展" in html and "锅炉改造" in html
    assert reverse("projects:detail", args=[project.pk]) + "#progress-form" in html


def test_the_quarterly_report_has_a_section_on_the_projects(demo_plan, coordinator):
    from carbonpeak.reports.collection import collect

    _project(coordinator, name="锅炉改造")
    report, _ids = collect(demo_plan, "2025Q4")
    section = next(s for s in report.sections if s.key == "key_projects")
    assert "共登记1个项目" in section.paragraphs[0]
    table = section.tables[0]
    assert table.rows[0][0] == "锅炉改造" and table.rows[0][5] == "未报"


def test_the_carbon_markets_compliance_is_reported_with_the_annual_report(demo_plan, coordinator, client):
    from carbonpeak.demo import ensure_demo_enterprises
    from carbonpeak.enterprises import services as enterprises
    from carbonpeak.enterprises.models import Enterprise

    ensure_demo_enterprises(coordinator, reports=False)
    covered = Enterprise.objects.filter(ets_covered=True).first()
    other = Enterprise.objects.filter(ets_covered=False).first()
    year = 2025
    report = enterprises.save_report(coordinator, covered, year, fuels=[], ets_compliance="complied")
    assert report.ets_compliance == "complied"
    with pytest.raises(ValidationError, match="未纳入全国碳市场"):
        enterprises.save_report(coordinator, other, year, fuels=[], ets_compliance="complied")
    client.force_login(coordinator)
    html = client.get(reverse("projects:index")).content.decode()
    assert 'data-testid="ets"' in html and "已按期履约" in html
