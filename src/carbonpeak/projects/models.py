"""The key-project register (重点项目库): the projects that reduce emissions, the plan's tasks they serve,
the money behind them, their physical size, and their quarterly progress on the shared review lifecycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carbonpeak.core.models import ReviewedRecord


class ProjectKind(models.TextChoices):
    PV = "pv", _("光伏")
    STORAGE = "storage", _("储能")
    RETROFIT = "retrofit", _("节能改造")
    GREEN_BUILDING = "green_building", _("绿色建筑")
    TRANSPORT = "transport", _("交通电动化")
    HEATING = "heating", _("供热")
    SINK = "sink", _("碳汇")
    RECYCLING = "recycling", _("循环利用")
    EMC = "emc", _("合同能源管理")
    OTHER = "other", _("其他")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("key project status", "谋划")
    BUILDING = "building", pgettext_lazy("key project status", "在建")
    OPERATING = "operating", pgettext_lazy("key project status", "投运")
    SUSPENDED = "suspended", pgettext_lazy("key project status", "暂停")


class FundingSource(models.TextChoices):
    SUPERIOR = "superior", _("上级补助")
    AWARD = "award", _("市财政奖励")
    INTEREST = "interest", _("市财政贴息")
    SUBSIDY = "subsidy", _("市财政补贴")
    RISK = "risk", _("市财政风险补偿")
    OWN = "own", _("企业自筹")
    LOAN = "loan", _("绿色贷款")
    BOND = "bond", _("绿色债券")
    INSURANCE = "insurance", _("绿色保险")
    FUND = "fund", _("绿色基金")
    OTHER = "other", _("其他")


class KeyProject(models.Model):
    """A project in the register: which of the plan's tasks it serves, who leads it, where, its dates and
    status, and its physical size (capacity; what it saves a year) from which its effect is computed."""

    name = models.CharField(_("项目名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=ProjectKind.choices)
    tasks = models.ManyToManyField(
        "plans.Task", related_name="key_projects", verbose_name=_("方案任务"), blank=True
    )
    lead = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        related_name="key_projects",
        verbose_name=_("牵头部门"),
    )
    district = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("所在区镇")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_projects",
        verbose_name=_("实施企业"),
    )
    esco = models.CharField(_("节能服务公司"), max_length=200, blank=True)  # 合同能源管理: the ESCO named
    start_date = models.DateField(_("开工日期"), null=True, blank=True)
    completion_date = models.DateField(_("建成日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    capacity_kw = models.FloatField(_("装机容量（千瓦）"), null=True, blank=True)  # None: not stated, not 0
    description = models.TextField(_("建设内容"), blank=True)
    sample = models.BooleanField(_("示例数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class ProjectSaving(models.Model):
    """A quantity the project saves a year when it runs as designed (a fuel, or electricity), physical."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="savings", verbose_name=_("项目")
    )
    fuel = models.CharField(_("能源品种"), max_length=30)
    quantity = models.FloatField(_("年节约量"), null=True, blank=True)
    unit = models.CharField(_("计量单位"), max_length=20)

    class Meta:
        verbose_name = _("设计节能量")
        verbose_name_plural = _("设计节能量")

    def __str__(self) -> str:
        return f"{self.project} {self.fuel}"


class Milestone(models.Model):
    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("项目")
    )
    name = models.CharField(_("节点"), max_length=200)
    due_date = models.DateField(_("计划日期"), null=True, blank=True)
    reached_in = models.CharField(
        _("完成于报告期"), max_length=8, blank=True
    )  # set when a progress report is approved

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ("due_date", "id")

    def __str__(self) -> str:
        return self.name


class Investment(models.Model):
    """Planned and actual investment in a year, in 万元 (None: not given, not 0)."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="investments", verbose_name=_("项目")
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    planned = models.FloatField(_("计划投资（万元）"), null=True, blank=True)
    actual = models.FloatField(_("完成投资（万元）"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度投资")
        verbose_name_plural = _("年度投资")
        constraints = [models.UniqueConstraint(fields=("project", "year"), name="one_investment_row_a_year")]
        ordering = ("year",)

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class Funding(models.Model):
    """Money for a project from one source in a year, with the institution (a bank, a fund) where there is one."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="funding", verbose_name=_("项目")
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    source = models.CharField(_("资金来源"), max_length=12, choices=FundingSource.choices)
    amount = models.FloatField(_("金额（万元）"), null=True, blank=True)
    institution = models.CharField(_("机构"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("资金来源")
        verbose_name_plural = _("资金来源")
        ordering = ("year", "id")

    def __str__(self) -> str:
        return f"{self.project} {self.year} {self.get_source_display()}"


class FullLoadHoursInput(models.Model):
    """A project type's equivalent full-load hours a year — not in the reference, so a coordinator's input
    with its source; the demo's own is marked 示例输入."""

    kind = models.CharField(_("类型"), max_length=20, choices=ProjectKind.choices, unique=True)
    hours = models.FloatField(_("年等效满负荷小时数"))
    source = models.CharField(_("来源"), max_length=300)
    sample = models.BooleanField(_("示例输入"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("年等效满负荷小时数")
        verbose_name_plural = _("年等效满负荷小时数")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.hours:g}"


class ProjectProgress(ReviewedRecord):
    """A quarter's progress of a project, reported by its lead department and reviewed by the coordinator:
    milestones reached, investment made, and what the project measured (kWh generated or saved)."""

    review_noun = pgettext_lazy("record named in a sentence", "项目进展")

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="progress", verbose_name=_("项目")
    )
    period = models.CharField(_("报告期"), max_length=8)  # 2025Q3
    milestones = models.ManyToManyField(
        Milestone, blank=True, related_name="+", verbose_name=_("本期完成的节点")
    )
    investment = models.FloatField(_("本期完成投资（万元）"), null=True, blank=True)
    measured_kwh = models.FloatField(_("本期实测发电量或节电量（千瓦时）"), null=True, blank=True)
    narrative = models.TextField(_("进展情况"), blank=True)
    sample = models.BooleanField(_("示例数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        constraints = [models.UniqueConstraint(fields=("project", "period"), name="one_progress_a_quarter")]
        ordering = ("-period", "id")

    def __str__(self) -> str:
        return f"{self.project} {self.period}"


class ProgressSaving(models.Model):
    """What a project measurably saved in a quarter, physical (a fuel, or electricity): the achieved effect is
    computed from it by the official factors, never typed as tce."""

    progress = models.ForeignKey(
        ProjectProgress, on_delete=models.CASCADE, related_name="savings", verbose_name=_("项目进展")
    )
    fuel = models.CharField(_("能源品种"), max_length=30)
    quantity = models.FloatField(_("本期实测节约量"))
    unit = models.CharField(_("计量单位"), max_length=20)

    class Meta:
        verbose_name = _("实测节能量")
        verbose_name_plural = _("实测节能量")

    def __str__(self) -> str:
        return f"{self.progress} {self.fuel}"


class AwardPayment(models.Model):
    """A fiscal award, interest subsidy, cost subsidy or risk compensation paid to a project against a milestone
    it reached (方案 四（二）), as the 财政局 records it with the document that paid it."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="awards", verbose_name=_("项目")
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="awards", verbose_name=_("对应节点")
    )
    source = models.CharField(_("方式"), max_length=12, choices=FundingSource.choices)
    amount = models.FloatField(_("拨付金额（万元）"))
    paid_on = models.DateField(_("拨付日期"))
    document = models.CharField(_("拨付文件（文号）"), max_length=200)
    sample = models.BooleanField(_("示例数据"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("财政奖补拨付")
        verbose_name_plural = _("财政奖补拨付")
        ordering = ("paid_on", "id")

    def __str__(self) -> str:
        return f"{self.project} {self.get_source_display()} {self.paid_on}"
