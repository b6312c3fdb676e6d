"""Key enterprises: the register (统一社会信用代码, district, industry, flags) and their buildings (roof, PV)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from . import projects


class Enterprise(models.Model):
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=200)
    district = models.CharField("所在区镇", max_length=50, blank=True)
    industry_code = models.CharField("行业代码（GB/T 4754）", max_length=5)
    sector = models.CharField("核算行业", max_length=40, help_text="由行业代码确定，与全市能源核算的行业一致")
    key_energy_user = models.BooleanField("重点用能单位", default=False)
    ets_covered = models.BooleanField("纳入全国碳市场", default=False)
    two_high = models.BooleanField("两高企业", default=False)
    data_centre = models.BooleanField("数据中心", default=False)
    pue = models.FloatField("PUE", null=True, blank=True, help_text="数据中心的电能利用效率；未报为空")
    state_owned = models.BooleanField("国有企业", default=False)
    sample = models.BooleanField("示例数据", default=False, help_text="由演示脚本生成的示例数据")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "重点企业"
        verbose_name_plural = "重点企业"
        ordering = ["district", "name"]
        indexes = [models.Index(fields=["sector"]), models.Index(fields=["district"])]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """A building of an enterprise, with what the plan's PV rules read: roof, new or existing, PV installed."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="buildings", verbose_name="企业"
    )
    name = models.CharField("建筑名称", max_length=100)
    industrial = models.BooleanField("工业建筑", default=True)
    new_build = models.BooleanField("新建", default=False, help_text="新建（否则为既有）建筑")
    roof_area_m2 = models.FloatField("屋顶面积（m²）", null=True, blank=True)
    standard_factory = models.BooleanField("标准厂房及配套用房", default=False)
    state_capital = models.BooleanField("以国有资本为主投资", default=False)
    pv_installed_mw = models.FloatField(
        "光伏装机（MW）", null=True, blank=True, help_text="未报为空，0 为确无光伏"
    )
    storage_mw = models.FloatField("储能（MW）", null=True, blank=True)
    exemption = models.CharField("豁免原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "企业建筑"
        verbose_name_plural = "企业建筑"
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
        verbose_name="用户",
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="members", verbose_name="企业"
    )

    class Meta:
        verbose_name = "企业用户"
        verbose_name_plural = "企业用户"

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
        verbose_name="企业",
        null=True,
        blank=True,
    )
    name = models.CharField("项目名称", max_length=200)
    district = models.CharField("所在区镇", max_length=50, blank=True)
    status = models.CharField("状态", max_length=6, choices=STATUS_CHOICES)
    disposal = models.CharField("分类处置", max_length=6, choices=DISPOSAL_CHOICES, blank=True)
    planned_tce = models.FloatField("设计年综合能源消费量（tce，当量值）", null=True, blank=True)
    review_number = models.CharField("节能审查文号", max_length=100, blank=True)
    review_date = models.DateField("节能审查日期", null=True, blank=True)
    approved_tce = models.FloatField("批复年综合能源消费量（tce，当量值）", null=True, blank=True)
    acceptance_date = models.DateField("验收日期", null=True, blank=True)
    acceptance_tce = models.FloatField("验收实测年综合能源消费量（tce）", null=True, blank=True)
    reported_year = models.PositiveSmallIntegerField("最新报告年份", null=True, blank=True)
    reported_tce = models.FloatField("最新报告年能耗（tce）", null=True, blank=True)
    renewable_commitment = models.BooleanField("可再生能源消费承诺", default=False)
    renewable_share_pct = models.FloatField("承诺可再生能源消费比例（%）", null=True, blank=True)
    commitment_note = models.CharField("承诺说明", max_length=300, blank=True)
    sample = models.BooleanField("示例数据", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "两高项目"
        verbose_name_plural = "两高项目"
        ordering = ["status", "name"]

    def __str__(self) -> str:
        return self.name


class AcceptanceTolerance(models.Model):
    """The 验收 tolerance (actual over approved energy use, %) as the coordinator entered it, with its document:
    no public source gives one. The latest entry applies; earlier ones are kept."""

    value_pct = models.FloatField("容许偏差（%）")
    source = models.CharField("依据文件", max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "验收偏差容许值"
        verbose_name_plural = "验收偏差容许值"
        ordering = ["-entered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.value_pct:g}%（{self.source}）"
