"""The demo's users: one per role and one per lead department of the imported plan (示例账号).

Above the apps (like the CLI): it reads the plan to know which departments lead tasks, and gives each a login.
The passwords are the documented ones (README), reset on every run so the README stays true.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from carbonpeak.accounts.models import Membership, RegionScope
from carbonpeak.accounts.permissions import (
    ADMINISTRATOR,
    COORDINATOR,
    DEPARTMENT,
    DISTRICT,
    ENTERPRISE,
    LEADER,
    PARENT,
)
from carbonpeak.accounts.services import ensure_roles
from carbonpeak.core import clock
from carbonpeak.core.models import Region
from carbonpeak.departments.models import Department, DepartmentKind
from carbonpeak.departments.services import ensure_districts
from carbonpeak.energy.factors import shown_label
from carbonpeak.enterprises import sample as enterprise_sample
from carbonpeak.plans.models import Role

DEMO_PASSWORD = "carbonpeak-demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    note: str


DEMO_LOGINS = (
    DemoLogin("admin", "carbonpeak-admin", ADMINISTRATOR, "系统管理员，可进入后台管理"),
    DemoLogin("coordinator", DEMO_PASSWORD, COORDINATOR, "市发改委协调员：开启报告期、审核、查看全部"),
    DemoLogin("leader", DEMO_PASSWORD, LEADER, "市领导：只读浏览"),
    DemoLogin("stats", DEMO_PASSWORD, DEPARTMENT, "市统计局填报员：报送全市能源统计数据"),
    DemoLogin("chengxiang", DEMO_PASSWORD, DISTRICT, "城厢镇填报员：报送本区镇数据"),
    DemoLogin("finance", DEMO_PASSWORD, DEPARTMENT, "市财政局：登记重点项目按节点拨付的财政奖补"),
    DemoLogin("suzhou", DEMO_PASSWORD, PARENT, "苏州市查看员：只读查看太仓市及其区镇的汇总与碳预算"),
)
MEMBERSHIP = {"stats": "市统计局", "chengxiang": "城厢镇", "finance": settings.CARBONPEAK_FINANCE_DEPARTMENT}
REGION_SCOPE = {"suzhou": "苏州市"}


@transaction.atomic
def ensure_demo_users() -> list[DemoLogin]:
    """One user per role and one per lead department (username = the department's name).

    Passwords are reset to the documented ones so the README stays true.
    """
    from carbonpeak.core.regions import ensure_regions

    ensure_roles()
    ensure_regions()
    ensure_districts()
    for name in ("市统计局", settings.CARBONPEAK_FINANCE_DEPARTMENT):
        Department.objects.get_or_create(name=name, defaults={"kind": DepartmentKind.CITY})
    logins = list(DEMO_LOGINS)
    leads = Department.objects.filter(responsibilities__role=Role.LEAD, responsibilities__suppressed=False)
    for dept in leads.exclude(kind=DepartmentKind.DISTRICT).distinct().order_by("name"):
        if dept.name.startswith("各"):
            continue  # 各区镇, 各相关部门: not one body that can log in
        logins.append(DemoLogin(dept.name, DEMO_PASSWORD, DEPARTMENT, "牵头部门：填报本部门牵头任务和指标"))
    user_model = get_user_model()
    # each documented password hashed once (the hash is the slow part), not once per user
    hashed: dict[str, str] = {}
    for login in logins:
        user, _ = user_model.objects.get_or_create(username=login.username)
        if login.password not in hashed:
            hashed[login.password] = make_password(login.password)
        user.password = hashed[login.password]
        user.is_staff = login.role in (ADMINISTRATOR, COORDINATOR)
        user.is_superuser = login.role == ADMINISTRATOR
        user.save()
        user.groups.set([Group.objects.get(name=login.role)])
        department = MEMBERSHIP.get(login.username) or (login.username if login.role == DEPARTMENT else None)
        if department:
            Membership.objects.update_or_create(
                user=user, defaults={"department": Department.objects.get(name=department)}
            )
        if login.username in REGION_SCOPE:
            RegionScope.objects.update_or_create(
                user=user, defaults={"region": Region.objects.get(name=REGION_SCOPE[login.username])}
            )
    return logins


DEMO_ENTERPRISE_LOGIN = DemoLogin(
    "jiulong", DEMO_PASSWORD, ENTERPRISE, "示例企业用户（玖龙纸业（太仓）（示例））：只能查看和报送本企业"
)
#: the reporter of the sample German-invested enterprise (serial 11), who reads the platform in English
DEMO_GERMAN_ENTERPRISE_LOGIN = DemoLogin(
    "zhongde",
    DEMO_PASSWORD,
    ENTERPRISE,
    "示例德资企业用户（中德示例精密部件（示例））：只能查看和报送本企业，界面可切换为英文",
)
#: each sample enterprise user and the serial of the enterprise it reports for
DEMO_ENTERPRISE_USERS = (
    (DEMO_ENTERPRISE_LOGIN, enterprise_sample.PAPER_MILL),
    (DEMO_GERMAN_ENTERPRISE_LOGIN, enterprise_sample.GERMAN_INVESTED),
)


@transaction.atomic
def ensure_demo_enterprises(coordinator, *, reports: bool = True) -> tuple[int, DemoLogin]:
    """The sample register (示例数据) through the register import, its 两高 projects, annual reports
    (``reports``: the demo has them; a test that does not read them leaves them out) and 一企一策 plans, and
    one enterprise user for it."""
    from carbonpeak.enterprises import sample, services
    from carbonpeak.enterprises.models import Enterprise, EnterpriseMembership

    loaded = 0
    if not Enterprise.objects.filter(sample=True).exists():
        loaded = services.import_register(coordinator, sample.register_bytes(), sample=True).created
        for row in sample.projects():
            serial = row.pop("serial")
            enterprise = Enterprise.objects.get(credit_code=sample.credit_code(serial))
            services.create_project(
                coordinator, enterprise=enterprise, district=enterprise.district, sample=True, **row
            )
        verifier = "示例核查机构（示例数据）"
        for row in sample.reports() if reports else ():
            enterprise = Enterprise.objects.get(credit_code=sample.credit_code(row.pop("serial")))
            year = row.pop("year")
            plan = services.save_monitoring_plan(
                coordinator, enterprise, year, "示例数据：按计量器具台账监测"
            )
            services.submit_monitoring_plan(plan, user=coordinator)
            services.approve_monitoring_plan(plan, user=coordinator)
            report = services.save_report(coordinator, enterprise, year, **row)
            services.submit_report(report, user=coordinator)
            services.record_verification(
                coordinator, report, verifier=verifier, result="通过", reference=f"示例-{year}"
            )
            services.approve_report(report, user=coordinator)
        for serial, title, goal, steps in sample.REDUCTION_PLANS:
            services.create_reduction_plan(
                coordinator,
                Enterprise.objects.get(credit_code=sample.credit_code(serial)),
                title=title,
                goal=goal,
                milestones=list(steps),
            )
    ensure_roles()
    for login, serial in DEMO_ENTERPRISE_USERS:
        user, _ = get_user_model().objects.get_or_create(username=login.username)
        user.set_password(login.password)
        user.save()
        user.groups.set([Group.objects.get(name=ENTERPRISE)])
        EnterpriseMembership.objects.update_or_create(
            user=user, defaults={"enterprise": Enterprise.objects.get(credit_code=sample.credit_code(serial))}
        )
    return loaded, DEMO_ENTERPRISE_LOGIN


def ensure_demo_budgets(coordinator) -> int:
    """Taicang's 2024 budget from the sourced intensity target and growth (示例数据) and its 2025 one carrying
    them forward (示例输入), their allocation to the seven units (historical share) and sectors, and the
    sample project assessments; returns how many projects were added. Runs once the accounts of the city and
    of the units (``load_sample_districts``) exist."""
    from carbonpeak.budgets import assessment, sample, services
    from carbonpeak.budgets.models import Allocation, ProjectAssessment
    from carbonpeak.enterprises.models import Enterprise, TwoHighProject
    from carbonpeak.enterprises.sample import credit_code

    inputs = sample.demo_inputs()
    target, growth = inputs["co2_intensity_reduction"], inputs["gdp_real_growth"]
    sourced = f"强度目标 {target['source']}；增速 {growth['source']}"
    # the latest complete year of the sample data has no sourced target or growth: the demo carries the
    # sourced year's forward, as 示例输入 (said in the budget's document wherever it shows)
    for year in (sample.YEAR, sample.YEAR + 1):
        carried = "" if year == sample.YEAR else f"示例输入：{year}年沿用{sample.YEAR}年的目标与增速；"
        budget = services.set_budget(
            coordinator,
            region="太仓市",
            year=year,
            method="intensity",
            reduction_pct=float(target["value"]),
            baseline_year=year - 1,
            target_year=year,
            growth_pct=float(growth["value"]),
            document=f"示例数据：{carried}{sourced}",
            is_sample=True,
        )
        services.allocate(coordinator, budget, Allocation.DISTRICT, "historical", note="示例数据")
        services.allocate(coordinator, budget, Allocation.SECTOR, "historical", note="示例数据")
    added = 0
    for name, serial, applicant, district, sector, fuels, kwh, value_added, decision in sample.PROJECTS:
        if ProjectAssessment.objects.filter(name=name).exists():
            continue
        enterprise = Enterprise.objects.filter(credit_code=credit_code(serial)).first() if serial else None
        listed = TwoHighProject.objects.filter(enterprise=enterprise).first() if enterprise else None
        project = assessment.register_project(
            coordinator,
            name=name,
            applicant=applicant,
            district=district,
            sector=sector,
            operation_year=sample.YEAR + 2,
            fuels=[{"fuel": f, "unit": u, "quantity": q} for f, u, q in fuels],
            electricity_kwh=kwh,
            value_added_10k=value_added,
            enterprise=enterprise,
            two_high_project=listed,
            is_sample=True,
        )
        if decision is not None:
            assessment.submit_project(project, user=coordinator)
            assessment.decide_project(
                project,
                user=coordinator,
                decision=decision[0],
                conditions=decision[1],
                review_number="（示例）",
            )
        added += 1
    return added


DEMO_CLIMATE_ZONE = (
    "温带",
    "示例数据：太仓所属气候带未经核实（IPCC 森林参数表按联合国粮农组织全球生态区划分，参考资料未找到太仓的归属）；"
    "演示选用温带，以使用参考资料中的温带阔叶参数",
)


def ensure_demo_sinks(coordinator) -> int:
    """The seven units' sample land data (示例数据) and, once, the demo's climate-zone choice; returns how many
    land records were added."""
    from carbonpeak.sinks import services

    services.ensure_bundled_set()
    added = services.load_sample(coordinator)
    if not services.default_set().climate_zone:
        services.choose_climate_zone(coordinator, *DEMO_CLIMATE_ZONE)
    return added


def ensure_demo_meters(coordinator) -> tuple[int, list]:
    """Sample online-monitoring readings (示例数据) of the sample enterprises that report no power
    generation, spread from their approved 2024 reports with three planted faults (``meters.sample``),
    imported once through the same checks as any file; returns the readings added and the faults."""
    import tempfile

    import pyarrow.parquet as pq

    from carbonpeak.energy import catalog
    from carbonpeak.enterprises.models import EnterpriseReport
    from carbonpeak.meters import sample, services
    from carbonpeak.meters.models import ReadingBatch

    if ReadingBatch.objects.filter(sample=True).exists():
        return 0, []
    reports = (
        EnterpriseReport.objects.filter(
            year=2024, status="approved", enterprise__sample=True, electricity_generated_kwh__isnull=True
        )
        .select_related("enterprise")
        .prefetch_related("fuels")
        .order_by("enterprise__credit_code", "-revision")
    )
    enterprises, seen = [], set()
    for report in reports:
        if report.enterprise_id in seen or report.electricity_kwh is None:
            continue
        seen.add(report.enterprise_id)
        fuels = []
        for line in report.fuels.all():
            scale = catalog.parse_unit(line.unit)
            base = {catalog.MASS: "吨", catalog.VOLUME: "立方米"}.get(scale.dimension)
            if base is not None:
                fuels.append((line.fuel, base, line.quantity * scale.to_base))
        enterprises.append(
            sample.SampleEnterprise(report.enterprise.credit_code, report.electricity_kwh, tuple(fuels))
        )
    if not enterprises:
        return 0, []
    table, faults = sample.readings(enterprises)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "在线监测示例数据.parquet"
        pq.write_table(table, path)
        batch = services.ingest_path(coordinator, path, sample=True)
    return batch.rows, faults


def demo_today() -> dt.date:
    """The demo's today (示例输入): twenty days after the last quarter of the sample energy statistics ended —
    that quarter's statistics are in, its progress reports are being written, its quarterly report can be
    drafted. Every page of the demo says so."""
    from carbonpeak.energy import sample

    return dt.date(max(sample.YEARS) + 1, 1, 20)


#: the reference's national figures the demo enters as 示例输入 for the two yearly inputs it has no sourced
#: value for (the year's 发电 coal rate; the Jiangsu grid's non-fossil share): (addendum item, publisher and
#: document, what it stands in for)
DEMO_INPUT_BASES = {
    "generation_coal_rate": (
        "全国6000千瓦及以上火电厂供电标准煤耗 2022",
        "中电联《中国电力行业年度发展报告2023》（人民日报2023年7月10日报道）",
        "以2022年全国火电厂供电标准煤耗近似各年平均发电标准煤耗",
    ),
    "grid_non_fossil_share": {
        2020: (
            "全国非化石能源发电量占全口径发电量比重 2020",
            "《中国能源大数据报告（2021）》电力篇（数据来自国家统计局、国家能源局、中电联）",
            "以全国非化石能源发电量占比近似江苏电网",
        ),
        2022: (
            "全国非化石能源发电量占总发电量比重 2022",
            "中电联《中国电力行业年度发展报告2023》（人民日报2023年7月10日报道）",
            "以全国非化石能源发电量占比近似江苏电网",
        ),
    },
}


def demo_yearly_inputs(years) -> list:
    """The demo's 示例输入 for each sample year: the reference's national figure of the nearest earlier year
    (never a number of its own), each row saying what it stands in for and where the figure comes from."""
    from carbonpeak.energy.factors import NATIONAL, SAMPLE_INPUT
    from carbonpeak.energy.services import YearlyInput

    addendum = _addendum()

    def row(kind: str, key: str, year: int, basis) -> YearlyInput:
        item, document, stands_for = basis
        value, unit = addendum[item]
        return YearlyInput(kind, key, year, value, unit, f"{stands_for}：{document}", SAMPLE_INPUT)

    rows = [row("generation_coal_rate", NATIONAL, y, DEMO_INPUT_BASES["generation_coal_rate"]) for y in years]
    shares = DEMO_INPUT_BASES["grid_non_fossil_share"]
    for y in years:
        basis = shares[max([k for k in shares if k <= y], default=min(shares))]
        rows.append(row("grid_non_fossil_share", settings.CARBONPEAK_GRID_REGION, y, basis))
    return rows


def _addendum() -> dict[str, tuple[float, str]]:
    """The reference addendum's figures by item (the item's text up to its first parenthesis or comment)."""
    import csv

    from carbonpeak.energy.factors import REFERENCE_ADDENDUM

    out = {}
    with REFERENCE_ADDENDUM.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            try:
                out[r["item"].split(" (")[0].strip()] = (float(r["value"]), r["unit"])
            except ValueError:
                continue
    return out


def _enter_demo_inputs(coordinator) -> None:
    """Once: the two yearly inputs the reference lacks, entered as 示例输入 so that the demo's 等价值, intensity
    and shares are computed (a real installation shows 缺失 until its coordinator enters sourced values)."""
    from carbonpeak.energy import sample
    from carbonpeak.energy.factors import SAMPLE_INPUT
    from carbonpeak.energy.selectors import official_factor_set
    from carbonpeak.energy.services import enter_yearly_factors

    official = official_factor_set()
    if official is not None and official.factors.filter(status=SAMPLE_INPUT).exists():
        return
    enter_yearly_factors(
        coordinator,
        demo_yearly_inputs(sample.YEARS),
        "录入演示用平均发电标准煤耗与电网非化石电量占比（示例输入）",
    )
    print("核算因子：演示以参考资料中的全国数值录入各年平均发电标准煤耗与江苏电网非化石电量占比（示例输入）")


def load_demo_data(plan_id: int) -> None:
    """The demo's data: sample energy statistics and indicator values (示例数据), the Suzhou-assigned
    intensity target as a coordinator would enter it, target links and grades, and an open reporting period."""
    from django.contrib.auth import get_user_model

    from carbonpeak.core import jobs
    from carbonpeak.energy import sample
    from carbonpeak.energy.services import ensure_bundled_factor_sets, load_sample_data
    from carbonpeak.plans.models import Plan
    from carbonpeak.plans.services import set_external_target_value

    clock.fix_today(demo_today())
    fs = ensure_bundled_factor_sets()
    coordinator = get_user_model().objects.get(username="coordinator")
    from carbonpeak.monitoring import services as monitoring

    plan = Plan.objects.get(pk=plan_id)
    suzhou = next(
        r for r in sample.public_figures() if r["item"] == "suzhou_target_energy_intensity_reduction"
    )
    year = int(suzhou["year"])
    # the target handed down first: the accounts of the sample data cap the certificate deduction with it
    set_external_target_value(
        plan,
        "单位地区生产总值能耗",
        year,
        value=float(suzhou["value"]),
        unit=suzhou["unit"],
        base_year=2020,
        user=coordinator,
    )
    loaded = load_sample_data(coordinator)
    if loaded:
        print(
            f"能源统计：已生成并审核 {loaded} 个季度的示例数据（示例数据，seed {sample.DEFAULT_SEED}），因子集 {shown_label(fs.label)}"
        )
    else:
        print(f"能源统计：示例数据已存在，因子集 {shown_label(fs.label)}")
    _enter_demo_inputs(coordinator)
    monitoring.propose_links(plan)  # the value document lives on the link, so after the links exist
    monitoring.set_value_document(plan, "单位地区生产总值能耗", year, suzhou["source"].split("：")[0])
    observed = monitoring.load_sample_observations(plan, coordinator)
    if observed:
        print(f"指标监测：已生成并审核 {observed} 个部门报送指标数值（示例数据）")
    enterprises, enterprise_login = ensure_demo_enterprises(coordinator)
    if enterprises:
        print(f"重点企业：已登记 {enterprises} 家示例企业（示例数据），企业用户 {enterprise_login.username}")
    from carbonpeak.energy.services import load_sample_districts

    towns = load_sample_districts(coordinator)
    if towns:
        print(f"区镇能源统计：已生成并审核七个区镇 {towns} 个季度报送（示例数据）")
    # the approvals above enqueued the recomputation, projections and grading: run them before serving
    jobs.run_pending()
    projects = ensure_demo_budgets(coordinator)
    print(f"碳排放双控：2024、2025年碳预算已按区镇、行业分配（示例数据），项目碳排放评价 {projects} 项")
    land = ensure_demo_sinks(coordinator)
    if land:
        print(f"碳汇：已载入七个区镇 {land} 条国土与森林数据（示例数据），气候带由演示选定并注明")
    jobs.run_pending()  # the land data re-grade the plan (湿地保护率 is computed from them)
    readings, faults = ensure_demo_meters(coordinator)
    if readings:
        print(
            f"在线监测：已导入 {readings} 条示例读数（示例数据），数据质量已评价；预置问题 {len(faults)} 处："
            + "；".join(f"{f.month} {f.what}" for f in faults)
        )
    from carbonpeak.projects.sample import ensure_demo_projects

    made = ensure_demo_projects(plan, coordinator)
    if made:
        print(f"重点项目库：已登记 {made} 个示例项目（示例数据），光伏年等效满负荷小时数为示例输入")
    _report_and_open(plan, coordinator)
    ensure_demo_release(plan, coordinator)


def ensure_demo_release(plan, coordinator):
    """The demo's one release (示例数据): the last quarter's report drafted and made final, the release
    prepared by the coordinator and approved by the demo's leader, as the public page then shows it."""
    from django.contrib.auth import get_user_model

    from carbonpeak.publication import services as publication
    from carbonpeak.publication.models import Release
    from carbonpeak.reports import services as reports
    from carbonpeak.supervision.services import latest_quarter

    if Release.objects.exists():
        return None
    quarter = latest_quarter(clock.today())
    draft = reports.request_report(plan, quarter, coordinator, background=False)
    if draft.status != draft.State.DONE:
        print(f"数据发布：未能生成{quarter}季度报告（{draft.message}），未发布")
        return None
    final = reports.finalise(draft, coordinator, background=False)
    release = publication.prepare_release(
        plan,
        quarter,
        coordinator,
        note=f"示例数据：演示站点以示例数据发布{quarter}的主要指标、目标评估与重点行动进展，非真实统计数据。",
    )
    publication.submit_release(release, user=coordinator)
    leader = get_user_model().objects.get(username="leader")
    release = publication.approve_release(release, user=leader)
    print(
        f"数据发布：{release.title}（示例数据）已由领导账户批准发布，公开页面 /public/"
        + ("，附定稿报告公开版 PDF" if final.public_pdf_name else "")
    )
    return release


def _report_and_open(plan, coordinator) -> None:
    """The demo's closing lines — its peak probability and warnings — and its open progress period."""
    from carbonpeak.core import clock
    from carbonpeak.monitoring.models import EarlyWarning
    from carbonpeak.projection import selectors as projection

    planned = projection.stored_projection(projection.PLANNED, plan)
    if planned is not None:
        print(f"达峰预测：规划情景下2030年前达峰的概率 {planned.result['p_peak_by_2030']:.1%}（示例数据）")
    print(f"目标评估：已完成，预警共 {EarlyWarning.objects.count()} 条")
    from carbonpeak.supervision.services import open_latest_quarter

    period = open_latest_quarter(plan, coordinator, clock.today())
    if period is not None:
        print(
            f"进展报送：已开启{period}（截止 {period.due_date:%Y-%m-%d}），{period.reports.count()} 份报告待各牵头部门填写"
        )
