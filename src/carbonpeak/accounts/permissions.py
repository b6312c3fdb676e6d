"""Who may do what: the one place pages, services and the API ask.

Roles are Django groups; a reporter's scope comes from the department or district they belong to.
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

COORDINATOR, DEPARTMENT, DISTRICT, LEADER, ADMINISTRATOR, ENTERPRISE, PARENT = (
    "协调员",
    "部门填报员",
    "区镇填报员",
    "领导",
    "管理员",
    "企业填报员",
    "上级查看员",
)
ROLES = (COORDINATOR, DEPARTMENT, DISTRICT, LEADER, ADMINISTRATOR, ENTERPRISE, PARENT)


class Action(StrEnum):
    VIEW = "view"  # signed in: one's own account, and the pages every role has (an enterprise's own)
    VIEW_CITY = "view_city"  # the city's figures: plan, grades, accounts, budgets, sinks, projection
    VIEW_WORK = "view_work"  # records under review, their comments, the forms that write: the city's users
    REPORT_ENERGY = "report_energy"  # obj: region name
    REPORT_INDICATOR = "report_indicator"  # obj: monitoring.Indicator
    EDIT_PROGRESS = "edit_progress"  # obj: supervision.ProgressReport (the lead department's)
    CONTRIBUTE_PROGRESS = "contribute_progress"  # obj: supervision.ProgressReport (a supporting department)
    REVIEW = "review"  # approve or return anything submitted
    MANAGE_PERIODS = "manage_periods"
    MANAGE_FACTORS = "manage_factors"
    VIEW_AUDIT = "view_audit"
    MANAGE_SCENARIOS = "manage_scenarios"
    MANAGE_REPORTS = "manage_reports"
    MANAGE_PLAN = "manage_plan"  # target values handed down, department merges
    MANAGE_CERTIFICATES = "manage_certificates"  # the register of 绿证 and 绿电交易
    VIEW_ENTERPRISE = "view_enterprise"  # obj: enterprises.Enterprise (None: the register as a whole)
    REPORT_ENTERPRISE = "report_enterprise"  # obj: enterprises.Enterprise
    MANAGE_ENTERPRISES = "manage_enterprises"  # the register: import, buildings, exemptions
    MANAGE_BUDGETS = "manage_budgets"  # carbon budgets and their allocation
    SUBMIT_PROJECT = "submit_project"  # obj: district name (a project's carbon assessment for the review)
    VIEW_REGION = "view_region"  # obj: core.Region (its roll-up, budgets and quarterly figures)
    REPORT_LAND = "report_land"  # obj: district name (land, forest and wetland data for the sinks)
    INGEST_METERS = "ingest_meters"  # online-monitoring readings: import and withdraw batches
    VIEW_PROJECT_ASSESSMENTS = (
        "view_project_assessments"  # projects' carbon assessment (the city's own users)
    )
    VIEW_EVIDENCE = "view_evidence"  # obj: supervision.Evidence
    VIEW_UPLOAD = "view_upload"  # obj: core.UploadJob (its uploader, and the coordinator)
    MANAGE_RELEASES = "manage_releases"  # prepare a release of figures and submit it for a leader's approval
    APPROVE_RELEASE = "approve_release"  # a leader approves (releases) or returns a submitted release
    REPORT_KEY_PROJECT = "report_key_project"  # obj: departments.Department, a key project's lead
    VIEW_KEY_PROJECT = "view_key_project"  # obj: projects.KeyProject (the city's users; its enterprise's)
    REPORT_PROJECT_PROGRESS = "report_project_progress"  # obj: projects.KeyProject (its lead; its enterprise)
    RECORD_AWARD = "record_award"  # fiscal awards paid against a key project's milestones


MESSAGES = {
    Action.VIEW: _("请先登录"),
    Action.VIEW_CITY: _("企业用户只能查看本企业的数据；本市的统计、进展与预算由政府用户查看"),
    Action.VIEW_WORK: _("报送中的记录、审核意见和填报页面仅限本市政府用户"),
    Action.REPORT_ENERGY: _("您没有报送该地区能源统计数据的权限"),
    Action.REPORT_INDICATOR: _("只有该指标的责任部门可以报送数值"),
    Action.EDIT_PROGRESS: _("只有牵头部门可以填写本部门的进展报告"),
    Action.CONTRIBUTE_PROGRESS: _("只有该任务的配合部门可以补充本部门的进展"),
    Action.REVIEW: _("只有协调员可以审核"),
    Action.MANAGE_PERIODS: _("只有协调员可以开启或关闭报告期"),
    Action.MANAGE_FACTORS: _("只有协调员可以管理核算因子"),
    Action.VIEW_AUDIT: _("只有协调员可以查看审计日志"),
    Action.MANAGE_SCENARIOS: _("只有协调员可以新建或修改预测情景"),
    Action.MANAGE_REPORTS: _("只有协调员可以生成和下载季度报告"),
    Action.MANAGE_PLAN: _("只有协调员可以修改方案目标或合并部门"),
    Action.MANAGE_CERTIFICATES: _("只有协调员可以登记或撤销绿证与绿电交易"),
    Action.VIEW_ENTERPRISE: _("企业用户只能查看本企业的数据"),
    Action.REPORT_ENTERPRISE: _("只有本企业的企业用户或协调员可以报送该企业的数据"),
    Action.MANAGE_ENTERPRISES: _("只有协调员可以维护重点企业名录"),
    Action.MANAGE_BUDGETS: _("只有协调员可以设定或分配碳预算"),
    Action.SUBMIT_PROJECT: _("只有协调员或项目所在区镇的填报员可以登记和报送项目碳排放评价"),
    Action.VIEW_REGION: _("上级查看员只能查看本级及下级地区"),
    Action.REPORT_LAND: _("只有协调员、资源规划和农业农村部门或本区镇的填报员可以填报该区镇的国土与森林数据"),
    Action.INGEST_METERS: _("只有协调员可以导入或撤回在线监测数据"),
    Action.VIEW_PROJECT_ASSESSMENTS: _("项目碳排放评价仅限本市政府用户查看"),
    Action.VIEW_EVIDENCE: _("您无权查看该佐证材料"),
    Action.VIEW_UPLOAD: _("只有上传人和协调员可以查看该文件的导入情况"),
    Action.MANAGE_RELEASES: _("只有协调员可以拟定数据发布"),
    Action.APPROVE_RELEASE: _("数据发布须经领导审批：只有领导可以批准或退回"),
    Action.REPORT_KEY_PROJECT: _("只有协调员或项目的牵头部门可以登记重点项目"),
    Action.VIEW_KEY_PROJECT: _("企业用户只能查看本企业实施的重点项目"),
    Action.REPORT_PROJECT_PROGRESS: _("只有协调员、项目的牵头部门或实施企业可以填写重点项目的进展"),
    Action.RECORD_AWARD: _("只有协调员或财政部门可以登记财政奖补的拨付"),
}

#: what ``enterprise_scope`` answers for a user who may read the whole register
ALL_ENTERPRISES = "all"


def roles(user) -> set[str]:
    """The user's roles, read once per request's user object (every door and check asks)."""
    if user is None or not user.is_authenticated:
        return set()
    held = getattr(user, "_carbonpeak_roles", None)
    if held is None:
        held = frozenset(user.groups.values_list("name", flat=True)) | (
            {ADMINISTRATOR} if user.is_superuser else set()
        )
        user._carbonpeak_roles = held
    return set(held)


def department_of(user):
    membership = getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    return membership.department if membership is not None else None


def enterprise_of(user):
    """The enterprise an enterprise user reports for, or None."""
    if user is None or not user.is_authenticated:
        return None
    membership = getattr(user, "enterprise_membership", None)
    return membership.enterprise if membership is not None else None


def region_of(user):
    """The region a parent region's viewer (上级查看员, e.g. 苏州市) reads from, or None."""
    if user is None or not user.is_authenticated:
        return None
    scope = getattr(user, "region_scope", None)
    return scope.region if scope is not None else None


def _within(region, ancestor) -> bool:
    node = region
    while node is not None:
        if node.pk == ancestor.pk:
            return True
        node = node.parent
    return False


def can(user, action: Action, obj=None) -> bool:
    held = roles(user)
    if not held:
        return False
    if (
        action == Action.APPROVE_RELEASE
    ):  # a release is the leader's step: not the coordinator who prepared it
        return LEADER in held
    if held & {COORDINATOR, ADMINISTRATOR}:
        return True
    if action == Action.VIEW:
        return True
    if action == Action.VIEW_UPLOAD:
        return obj is not None and obj.uploaded_by_id == user.pk
    if action == Action.VIEW_CITY:  # an enterprise's reporter reads its own enterprise, not the city's data
        return bool(held & {DEPARTMENT, DISTRICT, LEADER, PARENT})
    if action == Action.VIEW_WORK:  # a parent region reads the city's figures, not its working records
        return PARENT not in held and bool(held & {DEPARTMENT, DISTRICT, LEADER})
    if PARENT in held:  # a parent region's viewer reads the regions under its own, and writes nothing
        if action == Action.VIEW_KEY_PROJECT:  # a project of the city's register, as the register lists it
            return True
        scope = region_of(user)
        return action == Action.VIEW_REGION and scope is not None and obj is not None and _within(obj, scope)
    if action == Action.VIEW_REGION:
        return True  # the city's own users read every region the platform holds
    if action in (Action.VIEW_ENTERPRISE, Action.REPORT_ENTERPRISE) and ENTERPRISE in held:
        own = enterprise_of(user)
        return own is not None and obj is not None and obj.pk == own.pk
    if action in (Action.VIEW_KEY_PROJECT, Action.REPORT_PROJECT_PROGRESS) and ENTERPRISE in held:
        own = enterprise_of(user)  # the enterprise that carries the project out reports its progress
        return own is not None and obj is not None and obj.enterprise_id == own.pk
    if action == Action.VIEW_KEY_PROJECT:
        return bool(held & {DEPARTMENT, DISTRICT, LEADER})
    if action == Action.VIEW_ENTERPRISE:
        return bool(held & {DEPARTMENT, DISTRICT, LEADER})  # government users read the register
    if action == Action.VIEW_PROJECT_ASSESSMENTS:  # the city's government users, not an enterprise's
        return ENTERPRISE not in held and bool(held & {DEPARTMENT, DISTRICT, LEADER})
    if action == Action.VIEW_EVIDENCE:  # leaders, and the departments that lead or support the task
        return (
            LEADER in held
            or can(user, Action.EDIT_PROGRESS, obj.report)
            or can(user, Action.CONTRIBUTE_PROGRESS, obj.report)
        )
    department = department_of(user)
    if department is None:
        return False
    if DEPARTMENT in held:
        if action == Action.REPORT_LAND:  # the departments that own land data report for every district
            return department.name in settings.CARBONPEAK_LAND_DEPARTMENTS
        if action == Action.REPORT_INDICATOR:
            return obj is not None and obj.owner_id == department.pk
        if action == Action.EDIT_PROGRESS:
            return obj is not None and obj.department_id == department.pk
        if action == Action.CONTRIBUTE_PROGRESS:
            return (
                obj is not None
                and obj.task.responsibilities.filter(
                    department=department, role="support", suppressed=False
                ).exists()
            )
        if action == Action.REPORT_ENERGY:
            return department.name == settings.CARBONPEAK_STATISTICS_OFFICE
        if action == Action.REPORT_KEY_PROJECT:
            return obj is not None and obj.pk == department.pk
        if action == Action.REPORT_PROJECT_PROGRESS:
            return obj is not None and obj.lead_id == department.pk
        if action == Action.RECORD_AWARD:
            return department.name == settings.CARBONPEAK_FINANCE_DEPARTMENT
    if DISTRICT in held and action in (Action.REPORT_ENERGY, Action.SUBMIT_PROJECT, Action.REPORT_LAND):
        return obj is not None and str(obj) == department.name
    return False


def own_region(user):
    """The region a district's reporter reports for (its 区镇), or None."""
    from carbonpeak.core.models import Region

    department = department_of(user)
    if department is None or DISTRICT not in roles(user):
        return None
    return Region.objects.filter(name=department.name).first()


def own_land_scope(user) -> str | None:
    """The district whose land data a user reports for when it is one district's reporter; None (every
    district, as the rule allows) for anyone else — so that a file is refused before it is read."""
    department = department_of(user)
    return department.name if department is not None and DISTRICT in roles(user) else None


def enterprise_scope(user):
    """Which enterprises a user reads: ``ALL_ENTERPRISES`` (the city's users), the one it reports for (an
    enterprise user), or None."""
    if can(user, Action.VIEW_ENTERPRISE):
        return ALL_ENTERPRISES
    own = enterprise_of(user)
    return own if own is not None and can(user, Action.VIEW_ENTERPRISE, own) else None


def require(user, action: Action, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(MESSAGES[action])
