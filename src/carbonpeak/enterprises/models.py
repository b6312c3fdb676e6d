"""Key enterprises: the register (统一社会信用代码, district, industry, flags) and their buildings (roof, PV)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carbonpeak.core.models import ReviewedRecord

from . import projects


class Enterprise(models.Model):
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200)
    district = models.CharField(_("所在区镇"), max_length=50, blank=True)
    industry_code = models.CharField(_("行业代码（GB/T 4754）"), max_length=5)
    sector = models.CharField(
        _("核算行业"), max_length=40, help_text="由行业代码确定，与全市能源核算的行业一致"
    )
    key_energy_user = models.BooleanField(_("重点用能单位"), default=False)
    ets_covered = models.BooleanField(_("纳入全国碳市场"), default=False)
    two_high = models.BooleanField(_("两高企业"), default=False)
    data_centre = models.BooleanField(_("数据中心"), default=False)
    pue = models.FloatField("PUE", null=True, blank=True, help_text="数据中心的电能利用效率；未报为空")
    state_owned = models.BooleanField(_("国有企业"), default=False)
    foreign_origin = models.CharField(
        _("外资来源"),
        max_length=50,
        blank=True,
        help_text="外商投资企业的投资来源国家或地区（如“德国”），内资企业为空；对德合作行动据此查看德资企业",
    )
    sample = models.BooleanField(_("示例数据"), default=False, help_text="由演示脚本生成的示例数据")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("重点企业")
        verbose_name_plural = _("重点企业")
        ordering = ["district", "name"]
        indexes = [models.Index(fields=["sector"]), models.Index(fields=["district"])]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """A building of an enterprise, with what the plan's PV rules read: roof, new or existing, PV installed."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("企业")
    )
    name = models.CharField(_("建筑名称"), max_length=100)
    industrial = models.BooleanField(_("工业建筑"), default=True)
    new_build = models.BooleanField(_("新建"), default=False, help_text="新建（否则为既有）建筑")
    roof_area_m2 = models.FloatField(_("屋顶面积（m²）"), null=True, blank=True)
    standard_factory = models.BooleanField(_("标准厂房及配套用房"), default=False)
    state_capital = models.BooleanField(_("以国有资本为主投资"), default=False)
    pv_installed_mw = models.FloatField(
        _("光伏装机（MW）"), null=True, blank=True, help_text="未报为空，0 为确无光伏"
    )
    storage_mw = models.FloatField(_("储能（MW）"), null=True, blank=True)
    exemption = models.CharField(_("豁免原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("企业建筑")
        verbose_name_plural = _("企业建筑")
        ordering = ["enterprise", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="building_name_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.name}"


class EnterpriseMembership(models.Model):
    """The enterprise an enterprise user reports for: they see and report for it only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enterprise_membership",
        verbose_name=_("用户"),
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="members", verbose_name=_("企业")
    )

    class Meta:
        verbose_name = _("企业用户")
        verbose_name_plural = _("企业用户")

    def __str__(self) -> str:
        return f"{self.user} · {self.enterprise}"


class TwoHighProject(models.Model):
    """A project on the 两高 list (清单管理, 分类处置, 动态监控): its energy-saving review and 验收."""

    STATUS_CHOICES = [(s, s) for s in projects.STATUSES]
    DISPOSAL_CHOICES = [(s, s) for s in projects.DISPOSALS]

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("企业"),
        null=True,
        blank=True,
    )
    name = models.CharField(_("项目名称"), max_length=200)
    district = models.CharField(_("所在区镇"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=6, choices=STATUS_CHOICES)
    disposal = models.CharField(_("分类处置"), max_length=6, choices=DISPOSAL_CHOICES, blank=True)
    planned_tce = models.FloatField(_("设计年综合能源消费量（tce，当量值）"), null=True, blank=True)
    review_number = models.CharField(_("节能审查文号"), max_length=100, blank=True)
    review_date = models.DateField(_("节能审查日期"), null=True, blank=True)
    approved_tce = models.FloatField(_("批复年综合能源消费量（tce，当量值）"), null=True, blank=True)
    acceptance_date = models.DateField(_("验收日期"), null=True, blank=True)
    acceptance_tce = models.FloatField(_("验收实测年综合能源消费量（tce）"), null=True, blank=True)
    reported_year = models.PositiveSmallIntegerField(_("最新报告年份"), null=True, blank=True)
    reported_tce = models.FloatField(_("最新报告年能耗（tce）"), null=True, blank=True)
    renewable_commitment = models.BooleanField(_("可再生能源消费承诺"), default=False)
    renewable_share_pct = models.FloatField(_("承诺可再生能源消费比例（%）"), null=True, blank=True)
    commitment_note = models.CharField(_("承诺说明"), max_length=300, blank=True)
    sample = models.BooleanField(_("示例数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("两高项目")
        verbose_name_plural = _("两高项目")
        ordering = ["status", "name"]

    def __str__(self) -> str:
        return self.name


class AcceptanceTolerance(models.Model):
    """The 验收 tolerance (actual over approved energy use, %) as the coordinator entered it, with its document:
    no public source gives one. The latest entry applies; earlier ones are kept."""

    value_pct = models.FloatField(_("容许偏差（%）"))
    source = models.CharField(_("依据文件"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("验收偏差容许值")
        verbose_name_plural = _("验收偏差容许值")
        ordering = ["-entered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.value_pct:g}%（{self.source}）"


class MonitoringPlan(ReviewedRecord):
    """An enterprise's monitoring plan for a year (监测计划): how it measures what it reports."""

    review_noun = pgettext_lazy("record named in a sentence", "监测计划")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="monitoring_plans", verbose_name=_("企业")
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    content = models.TextField(_("监测计划内容"), help_text="排放源、计量器具、数据来源与监测频次")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("监测计划")
        verbose_name_plural = _("监测计划")
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="monitoring_plan_year_unique")
        ]

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.enterprise_id])

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年监测计划"


class EnterpriseReport(ReviewedRecord):
    """An enterprise's annual energy and carbon report (MRV): fuels, electricity, output; verified by a third
    party before approval. A correction after approval is a new revision; the approved one stays."""

    review_noun = pgettext_lazy("record named in a sentence", "企业年度报告")
    RESULT_CHOICES = [("通过", "通过"), ("不通过", "不通过")]

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="reports", verbose_name=_("企业")
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    revision = models.PositiveSmallIntegerField(_("版本"), default=1)
    output_value = models.FloatField(_("工业总产值（万元）"), null=True, blank=True)
    value_added = models.FloatField(_("增加值（万元）"), null=True, blank=True)
    electricity_bought_kwh = models.FloatField(_("外购电量（千瓦时）"), null=True, blank=True)
    electricity_sold_kwh = models.FloatField(_("外供电量（千瓦时）"), null=True, blank=True)
    electricity_generated_kwh = models.FloatField(_("自发电量（千瓦时）"), null=True, blank=True)
    generation_source = models.CharField(_("发电类型"), max_length=20, blank=True)
    #: an enterprise in the national carbon market says whether it met the year's compliance (履约); blank:
    #: not reported (not "not complied")
    ets_compliance = models.CharField(
        _("全国碳市场履约"),
        max_length=12,
        blank=True,
        choices=[("complied", _("已按期履约")), ("not_complied", _("未按期履约"))],
    )
    verifier = models.CharField(_("核查机构"), max_length=200, blank=True)
    verification_result = models.CharField(_("核查结论"), max_length=4, choices=RESULT_CHOICES, blank=True)
    verification_reference = models.CharField(_("核查报告编号"), max_length=100, blank=True)
    verified_at = models.DateTimeField(_("核查录入时间"), null=True, blank=True)
    verification_file_name = models.CharField(_("核查报告文件"), max_length=200, blank=True)
    verification_file_sha256 = models.CharField(_("核查报告文件摘要"), max_length=64, blank=True)
    # computed at approval by the city's engine and factor set (mrv.figures)
    energy_tce = models.FloatField(_("综合能源消费量（tce，当量值）"), null=True, blank=True)
    energy_tce_equivalent = models.FloatField(_("综合能源消费量（tce，等价值）"), null=True, blank=True)
    terminal_tce = models.FloatField(
        _("终端能源消费量（tce，当量值）"),
        null=True,
        blank=True,
        help_text="燃料（含原料）加用电量，与全市分行业核算口径一致",
    )
    electricity_kwh = models.FloatField(_("用电量（千瓦时）"), null=True, blank=True)
    co2_direct_t = models.FloatField(_("直接排放（tCO2，化石燃料燃烧）"), null=True, blank=True)
    co2_t = models.FloatField(_("含净外购电力的排放（tCO2）"), null=True, blank=True)
    factor_set = models.CharField(_("因子集"), max_length=60, blank=True)
    computed_missing = models.JSONField(_("缺失项"), default=list, blank=True)
    #: the approved figures again on the official factor set when it is not the one they were approved on —
    #: a computation beside them, never over them (``services.follow_official_factors``)
    official_basis = models.JSONField(_("按现行正式因子集的重算"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业年度报告")
        verbose_name_plural = _("企业年度报告")
        ordering = ["enterprise", "-year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "revision"], name="enterprise_report_unique"
            )
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def get_absolute_url(self) -> str:
        return reverse("enterprises:report", args=[self.enterprise_id, self.year])

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年报告（第{self.revision}版）"


class ReportFuel(models.Model):
    report = models.ForeignKey(
        EnterpriseReport, on_delete=models.CASCADE, related_name="fuels", verbose_name=_("报告")
    )
    fuel = models.CharField(_("能源品种"), max_length=30)
    unit = models.CharField(_("计量单位"), max_length=20)
    quantity = models.FloatField(_("实物量"))
    reported_tce = models.FloatField(_("折标准煤（tce，企业填报）"), null=True, blank=True)
    use = models.CharField(
        _("用途"), max_length=4, default="燃料", choices=[("燃料", "燃料"), ("原料", "原料")]
    )

    class Meta:
        verbose_name = _("报告能源品种")
        verbose_name_plural = _("报告能源品种")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return f"{self.fuel} {self.quantity:g} {self.unit}"


class EnterprisePlan(models.Model):
    """一企一策 (九3): a key enterprise's own carbon-reduction plan, with measures due by dates, reported on
    every quarter of the progress cycle."""

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.CASCADE, related_name="reduction_plan", verbose_name=_("企业")
    )
    title = models.CharField(_("方案名称"), max_length=200)
    goal = models.TextField(_("减排目标与路径"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("制定人")
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("一企一策")
        verbose_name_plural = _("一企一策")

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    plan = models.ForeignKey(
        EnterprisePlan, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("方案")
    )
    measure = models.CharField(_("措施"), max_length=300)
    due_date = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("措施节点")
        verbose_name_plural = _("措施节点")
        ordering = ["plan", "due_date", "id"]

    def __str__(self) -> str:
        return f"{self.measure}（{self.due_date:%Y-%m-%d}）"


class PlanProgress(ReviewedRecord):
    """A quarter's progress on an enterprise's plan, reported by the enterprise and reviewed like a task's."""

    review_noun = pgettext_lazy("record named in a sentence", "一企一策进展")

    plan = models.ForeignKey(
        EnterprisePlan, on_delete=models.CASCADE, related_name="progress", verbose_name=_("方案")
    )
    period = models.ForeignKey(
        "supervision.ReportingPeriod",
        on_delete=models.CASCADE,
        related_name="enterprise_progress",
        verbose_name=_("报告期"),
    )
    narrative = models.TextField(_("进展情况"), blank=True)
    milestones_done = models.JSONField(_("本期完成的措施"), default=list, blank=True)
    pue = models.FloatField(_("数据中心PUE（本期实测）"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("一企一策进展")
        verbose_name_plural = _("一企一策进展")
        ordering = ["plan", "period"]
        constraints = [models.UniqueConstraint(fields=["plan", "period"], name="plan_progress_unique")]

    def get_absolute_url(self) -> str:
        return reverse("enterprises:progress", args=[self.pk])

    def __str__(self) -> str:
        return f"{self.plan} · {self.period}"
