"""The key-project register from Excel (issue 38): the platform's own form filled in and read back, every
problem named by sheet, row and column, and a file with any problem refused whole, nothing written."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from carbonpeak.core.models import AuditEvent
from carbonpeak.projects import services, workbook
from carbonpeak.projects.models import KeyProject, ProjectKind

CHOICES = {
    "kinds": {"光伏": "pv", "节能改造": "retrofit", "合同能源管理": "emc"},
    "statuses": {"谋划": "planned", "在建": "building"},
    "sources": {"绿色贷款": "loan", "企业自筹": "own"},
    "years": (2020, 2035),
}


def _filled(rows: dict[str, list[list]], template: bytes | None = None) -> bytes:
    """The platform's form with ``rows`` written under each sheet's headers."""
    template = template or workbook.template_bytes(["光伏", "节能改造"], ["谋划", "在建"], ["绿色贷款"])
    wb = load_workbook(io.BytesIO(template))
    for sheet, values in rows.items():
        for row in values:
            wb[sheet].append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _project(name="厂房屋顶光伏", kind="光伏", tasks="", lead="市发改委", status="在建", **extra) -> list:
    row = [name, kind, tasks, lead, "", "", "", "2024-03-01", "2025-06-30", status, 2000, "屋顶分布式光伏"]
    for index, value in extra.items():
        row[int(index[1:])] = value
    return row


def test_the_form_read_back_gives_each_project_with_its_rows():
    data = _filled(
        {
            workbook.PROJECTS: [_project(), _project("电机能效提升", "节能改造", status="谋划", c10=None)],
            workbook.SAVINGS: [["电机能效提升", "电力", 120, "万千瓦时"]],
            workbook.INVESTMENTS: [["厂房屋顶光伏", 2024, 600, None], ["厂房屋顶光伏", "2025", 200, 150.5]],
            workbook.FUNDING: [["厂房屋顶光伏", 2024, "绿色贷款", 400, "某银行"]],
            workbook.MILESTONES: [["厂房屋顶光伏", "并网发电", "2025-06-30"]],
        }
    )
    parsed = workbook.read_projects(data, **CHOICES)
    assert parsed.errors == []
    pv, motors = parsed.projects
    assert pv.values["类型"] == "pv" and pv.values["装机容量（千瓦）"] == 2000
    assert [i.values["完成投资（万元）"] for i in pv.items[workbook.INVESTMENTS]] == [
        None,
        150.5,
    ]  # 未报, not 0
    assert pv.items[workbook.FUNDING][0].values["资金来源"] == "loan"
    assert str(pv.items[workbook.MILESTONES][0].values["计划日期"]) == "2025-06-30"
    assert motors.items[workbook.SAVINGS][0].row == 3


def test_every_problem_names_sheet_row_and_column():
    data = _filled(
        {
            workbook.PROJECTS: [
                _project(kind="风电", c7="2024-13-01", c10="很多"),
                _project(),
                _project(),
            ],
            workbook.INVESTMENTS: [["别的项目", 2024, 1, None], ["厂房屋顶光伏", 1990, -5, None]],
            workbook.FUNDING: [["厂房屋顶光伏", 2024, "众筹", "=1+1", ""]],
        }
    )
    said = [str(e) for e in workbook.read_projects(data, **CHOICES).errors]
    assert (
        "工作表“重点项目” 第3行 B列（类型）：类型应为 光伏、节能改造、合同能源管理 之一，而不是“风电”" in said
    )
    assert any(s.startswith("工作表“重点项目” 第3行 H列（开工日期）：日期“2024-13-01”无效") for s in said)
    assert any(s.startswith("工作表“重点项目” 第3行 K列（装机容量（千瓦））") for s in said)
    assert "工作表“重点项目” 第4行 A列（项目名称）：与第3行的项目同名" in said
    assert "工作表“年度投资” 第3行 A列（项目名称）：“别的项目”不在工作表“重点项目”中" in said
    assert any(s.startswith("工作表“年度投资” 第4行 B列（年份）") for s in said)
    assert any(s.startswith("工作表“年度投资” 第4行 C列（计划投资（万元））") for s in said)
    assert any(s.startswith("工作表“资金来源” 第3行 D列：是公式") for s in said)


def test_a_file_that_is_not_the_form_is_refused_by_name():
    other = load_workbook(io.BytesIO(workbook.template_bytes(["光伏"], ["在建"], ["其他"])))
    other[workbook.FUNDING]["B2"] = "年度"
    out = io.BytesIO()
    other.save(out)
    said = [str(e) for e in workbook.read_projects(out.getvalue(), **CHOICES).errors]
    assert said == ["工作表“资金来源” 第2行 B列（年份）：表头应为“年份”：请使用平台下载的模板"]
    said = [str(e) for e in workbook.read_projects(b"not a workbook", **CHOICES).errors]
    assert said and said[0].startswith("（文件）：不是有效的 Excel")


@pytest.mark.django_db
def test_an_import_writes_every_project_or_none(demo_plan, coordinator):
    task = demo_plan.tasks.select_related("action", "section").first()
    template = services.template()
    good = {
        workbook.PROJECTS: [_project(tasks=task.label), _project("余热利用", "节能改造", lead="市工信局")],
        workbook.SAVINGS: [["余热利用", "原煤", 800, "吨"]],
        workbook.INVESTMENTS: [["厂房屋顶光伏", 2025, 600, None]],
    }
    bad = {
        **good,
        workbook.PROJECTS: [
            *good[workbook.PROJECTS],
            _project("节能服务", "合同能源管理", tasks="（九十九）1", lead="不存在的局", c5="9X"),
        ],
        workbook.SAVINGS: [*good[workbook.SAVINGS], ["余热利用", "原煤", 10, "万千瓦时"]],
    }
    refused = services.import_projects(coordinator, _filled(bad, template))
    assert not refused.ok and KeyProject.objects.count() == 0
    said = "\n".join(refused.errors)
    assert "工作表“重点项目” 第5行 D列（牵头部门）：“不存在的局”不是平台中的部门或单位" in said
    assert "工作表“重点项目” 第5行 C列（方案任务）：方案中没有编号为“（九十九）1”的任务" in said
    assert "工作表“重点项目” 第5行 F列（实施企业统一社会信用代码）" in said
    assert "工作表“重点项目” 第5行 G列（节能服务公司）：合同能源管理项目须写明节能服务公司" in said
    assert "工作表“设计节能量” 第4行：原煤不能以“万千瓦时”计量" in said

    done = services.import_projects(coordinator, _filled(good, template))
    assert done.ok and done.saved == 2
    pv = KeyProject.objects.get(name="厂房屋顶光伏")
    assert pv.kind == ProjectKind.PV and list(pv.tasks.all()) == [task]
    assert pv.investments.get().actual is None  # 未报 stays missing
    assert AuditEvent.objects.filter(object_id=str(pv.pk), action=AuditEvent.Action.CREATE).exists()
    again = services.import_projects(coordinator, _filled(good, template))
    assert "项目库中已有同名项目" in again.errors[0] and KeyProject.objects.count() == 2


@pytest.mark.django_db
def test_a_department_imports_only_its_own_projects_through_the_page(demo_plan, client):
    user = get_user_model().objects.get(username="市交运局")
    template = services.template()
    theirs = _filled(
        {workbook.PROJECTS: [_project(lead="市交运局"), _project("别人的", lead="市发改委")]}, template
    )
    with pytest.raises(PermissionDenied, match="市发改委"):
        services.import_projects(user, theirs)
    client.force_login(user)
    page = client.get(reverse("projects:template"))
    assert page.status_code == 200 and page["Content-Type"].startswith("application/vnd.openxml")
    own = io.BytesIO(_filled({workbook.PROJECTS: [_project(lead="市交运局")]}, template))
    own.name = "项目.xlsx"
    response = client.post(reverse("projects:upload"), {"file": own}, follow=True)
    assert "登记重点项目 1 个" in response.content.decode()
    assert KeyProject.objects.get().lead.name == "市交运局"
