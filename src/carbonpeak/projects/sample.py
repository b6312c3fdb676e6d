"""The demo's key projects (示例数据), registered and reported through the services as a department would,
and the one input the reference lacks — photovoltaics' full-load hours — entered as 示例输入."""

from __future__ import annotations

import datetime as dt

from carbonpeak.departments.models import Department
from carbonpeak.projects import services
from carbonpeak.projects.models import FundingSource, KeyProject, ProjectKind, ProjectStatus

#: the demo's own input where the reference gives none, labelled 示例输入 wherever a figure depends on it
SAMPLE_PV_HOURS = 1000
SAMPLE_PV_SOURCE = "示例输入：演示用数值，非来源数值；请协调员按发布单位与文件录入本地光伏年等效满负荷小时数"


def _department(*names: str) -> Department | None:
    return Department.objects.filter(name__in=names).order_by("name").first()


def _tasks(plan, *words: str) -> list:
    """The plan's tasks whose title names any of ``words`` (the plan's own wording)."""
    found = []
    for task in plan.tasks.order_by("id"):
        if any(w in task.title for w in words):
            found.append(task)
    return found[:2]


def _demo_enterprise():
    """The sample paper mill, whose reporter is the demo's enterprise user, when the sample register is loaded."""
    from carbonpeak.enterprises import sample
    from carbonpeak.enterprises.models import Enterprise

    return Enterprise.objects.filter(credit_code=sample.credit_code(sample.PAPER_MILL)).first()


def _sample_forms(plan, lead) -> list[services.ProjectForm]:
    """The three sample projects as a department would fill in the register form (示例数据)."""
    return [
        services.ProjectForm(
            name="示例：港区工业厂房屋顶分布式光伏（一期）",
            kind=ProjectKind.PV,
            lead=_department("市发改委") or lead,
            tasks=_tasks(plan, "可再生能源", "新型电力系统"),
            status=ProjectStatus.OPERATING,
            start_date=dt.date(2024, 3, 1),
            completion_date=dt.date(2024, 12, 20),
            capacity_kw=8000,
            description="示例数据：利用港区标准厂房屋顶建设分布式光伏，自发自用、余电上网。",
            investments=[(2024, 2800, 2650), (2025, 400, None)],
            funding=[
                (2024, FundingSource.OWN, 1200, ""),
                (2024, FundingSource.LOAN, 1400, "示例银行太仓支行"),
                (2025, FundingSource.AWARD, 200, "太仓市财政局"),
            ],
            milestones=[("并网发电", dt.date(2024, 12, 20)), ("竣工验收", dt.date(2025, 6, 30))],
            sample=True,
        ),
        services.ProjectForm(
            name="示例：造纸企业锅炉节能改造",
            kind=ProjectKind.RETROFIT,
            lead=_department("市工信局") or lead,
            enterprise=_demo_enterprise(),  # its reporter (the demo's enterprise user) reports the progress
            tasks=_tasks(plan, "能效提升", "节能减碳示范工程"),
            status=ProjectStatus.BUILDING,
            start_date=dt.date(2025, 4, 1),
            savings=[("原煤", 3000, "吨"), ("电力", 120, "万千瓦时")],
            investments=[(2025, 1500, None), (2026, 600, None)],
            funding=[(2025, FundingSource.OWN, 900, ""), (2025, FundingSource.INTEREST, 60, "太仓市财政局")],
            milestones=[("设备安装", dt.date(2025, 12, 31)), ("投运", dt.date(2026, 6, 30))],
            sample=True,
        ),
        services.ProjectForm(
            name="示例：医院建筑合同能源管理改造",
            kind=ProjectKind.EMC,
            lead=_department("市住建局", "市卫健委") or lead,
            tasks=_tasks(plan, "绿色建筑", "市场化机制"),
            status=ProjectStatus.PLANNED,
            esco="示例节能服务有限公司",
            savings=[("电力", None, "万千瓦时"), ("天然气", 20, "万立方米")],
            investments=[(2026, 800, None)],
            funding=[(2026, FundingSource.OWN, None, "示例节能服务有限公司")],
            sample=True,
        ),
    ]


def ensure_demo_projects(plan, coordinator) -> int:
    """Once: three sample projects (光伏, 节能改造 by the demo's enterprise, 合同能源管理) with money and
    milestones, PV's full-load hours as 示例输入, an approved quarter of progress that reached a milestone, and
    the fiscal award paid against it; returns how many projects were made."""
    if KeyProject.objects.filter(sample=True).exists():
        return 0
    lead = _department("市发改委", "市工信局", "市住建局") or Department.objects.order_by("name").first()
    if lead is None:
        return 0
    services.set_full_load_hours(coordinator, ProjectKind.PV, SAMPLE_PV_HOURS, SAMPLE_PV_SOURCE, sample=True)
    specs = _sample_forms(plan, lead)
    made = [services.register_project(coordinator, spec) for spec in specs]
    pv = made[0]
    progress = services.save_progress(
        coordinator,
        pv,
        "2025Q1",
        investment=150,
        measured_kwh=1_900_000,
        narrative="示例数据：一季度发电正常，完成屋顶加固收尾。",
        milestones=[m.pk for m in pv.milestones.filter(name="并网发电")],
    )
    progress.sample = True
    progress.save(update_fields=["sample"])
    services.submit_progress(progress, user=coordinator)
    services.approve_progress(progress, user=coordinator)
    services.record_award(
        coordinator,
        pv,
        milestone=pv.milestones.get(name="并网发电").pk,
        source=FundingSource.AWARD,
        amount=200,
        paid_on=dt.date(2025, 5, 20),
        document="示例数据：示例拨付文件（非真实文号）",
        sample=True,
    )
    return len(made)
