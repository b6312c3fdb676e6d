"""Carbon double control: the budget of a region for a year, its allocation to districts and sectors, the use
tracked against it, and projects' carbon assessment in the energy-saving review.

Only ``budgets.services`` writes these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carbonpeak.core.models import ReviewedRecord
from carbonpeak.energy.accounting import FUEL_USE, USES

from .allocation import METHOD_LABELS, Method, WholeMethod


class CarbonBudget(models.Model):
    """A region's CO2 budget for a year on the assessed boundary, with how it was set and its quarters."""

    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="budgets", verbose_name=_("地区")
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    method = models.CharField(_("确定方式"), max_length=12, choices=[(m.value, m.label) for m in WholeMethod])
    tco2 = models.FloatField(_("碳预算（吨二氧化碳）"))
    document = models.CharField(_("依据"), max_length=300, help_text="下达文件文号，或测算所用增速的来源")
    inputs = models.JSONField(_("测算输入"), default=dict, blank=True)
    quarter_shares = models.JSONField(_("季度占比"), default=list)
    quarter_basis = models.CharField(_("季度分解依据"), max_length=100)
    boundary = models.CharField(_("口径"), max_length=200)
    is_sample = models.BooleanField(_("示例数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("碳预算")
        verbose_name_plural = _("碳预算")
        ordering = ["-year", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="budget_region_year_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}年碳预算"


class Allocation(models.Model):
    DISTRICT, SECTOR = "district", "sector"
    DIMENSIONS = [(DISTRICT, "区镇"), (SECTOR, "行业")]

    budget = models.ForeignKey(CarbonBudget, on_delete=models.CASCADE, related_name="allocations")
    dimension = models.CharField(_("分配维度"), max_length=10, choices=DIMENSIONS)
    method = models.CharField(
        _("分配方法"), max_length=12, choices=[(m.value, METHOD_LABELS[m]) for m in Method]
    )
    base_year = models.PositiveSmallIntegerField(_("基年"), null=True, blank=True)
    rule = models.TextField(_("分配规则"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("碳预算分配")
        verbose_name_plural = _("碳预算分配")
        constraints = [
            models.UniqueConstraint(fields=["budget", "dimension"], name="allocation_dimension_unique")
        ]

    def __str__(self) -> str:
        return f"{self.budget} 按{self.get_dimension_display()}（{self.get_method_display()}）"


class AllocationPart(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(_("名称"), max_length=60)
    tco2 = models.BigIntegerField(_("分配量（吨二氧化碳）"))
    base_tco2 = models.FloatField(_("基年排放（吨）"), null=True, blank=True)
    growth_pct = models.FloatField(_("预期增速（%）"), null=True, blank=True)
    weight = models.FloatField(_("权重"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("分配明细")
        verbose_name_plural = _("分配明细")
        ordering = ["allocation", "order"]

    def __str__(self) -> str:
        return f"{self.name} {self.tco2} 吨"


class BudgetTracking(models.Model):
    """Use against budget as last computed (when the accounts or the budget changed): pages read these."""

    CITY, DISTRICT, SECTOR = "city", "district", "sector"

    budget = models.ForeignKey(CarbonBudget, on_delete=models.CASCADE, related_name="tracking")
    dimension = models.CharField(_("维度"), max_length=10)
    name = models.CharField(_("名称"), max_length=60)
    budget_tco2 = models.FloatField(_("预算（吨）"))
    used_tco2 = models.FloatField(_("已用（吨）"), null=True, help_text="未报为空，不是 0")
    expected_tco2 = models.FloatField(_("同期可用（吨）"), null=True)
    period = models.CharField(_("评估期"), max_length=30)
    grade = models.CharField(_("评估等级"), max_length=10)
    reason = models.TextField(_("理由"))
    order = models.PositiveSmallIntegerField(default=0)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("碳预算执行")
        verbose_name_plural = _("碳预算执行")
        ordering = ["budget", "dimension", "order"]

    def __str__(self) -> str:
        return f"{self.budget} {self.name}"

    @property
    def remaining_tco2(self) -> float | None:
        return None if self.used_tco2 is None else self.budget_tco2 - self.used_tco2


class ProjectAssessment(ReviewedRecord):
    """A fixed-asset project's energy and carbon as declared for the energy-saving review, its assessment
    against the budgets, the decision, and later its 验收 (actual against approved)."""

    review_noun = pgettext_lazy("record named in a sentence", "项目评价")

    class Decision(models.TextChoices):
        PENDING = "", _("未决定")
        APPROVED = "approved", _("通过")
        CONDITIONAL = "conditional", _("有条件通过")
        REJECTED = "rejected", _("不予通过")

    name = models.CharField(_("项目名称"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        verbose_name=_("建设单位（重点企业名录）"),
    )
    two_high_project = models.ForeignKey(
        "enterprises.TwoHighProject",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        verbose_name=_("两高项目清单"),
    )
    applicant = models.CharField(_("建设单位"), max_length=200)
    district = models.CharField(_("所在区镇"), max_length=50)
    sector = models.CharField(_("核算行业"), max_length=40)
    operation_year = models.PositiveSmallIntegerField(_("预计投产年份"))
    output = models.CharField(_("设计产能（产品及产量）"), max_length=200, blank=True)
    value_added_10k = models.FloatField(_("达产年工业增加值（万元）"), null=True, blank=True)
    electricity_kwh = models.FloatField(_("年用电量（千瓦时）"), null=True, blank=True)
    assessment = models.JSONField(_("评价结果"), default=dict, blank=True)
    decision = models.CharField(
        _("审查结论"), max_length=12, choices=Decision.choices, blank=True, default=""
    )
    conditions = models.TextField(_("审查意见与条件"), blank=True)
    review_number = models.CharField(_("节能审查意见文号"), max_length=100, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    actual_electricity_kwh = models.FloatField(_("验收实测年用电量（千瓦时）"), null=True, blank=True)
    acceptance = models.JSONField(_("验收比对"), default=dict, blank=True)
    is_sample = models.BooleanField(_("示例数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("项目碳排放评价")
        verbose_name_plural = _("项目碳排放评价")
        ordering = ["-created_at", "-id"]

    def get_absolute_url(self) -> str:
        return reverse("budgets:project", args=[self.pk])

    def __str__(self) -> str:
        return self.name


class ProjectFuel(models.Model):
    DECLARED, ACTUAL = "declared", "actual"

    project = models.ForeignKey(ProjectAssessment, on_delete=models.CASCADE, related_name="fuels")
    stage = models.CharField(_("阶段"), max_length=10, choices=[(DECLARED, "申报"), (ACTUAL, "验收实测")])
    fuel = models.CharField(_("能源品种"), max_length=30)
    unit = models.CharField(_("计量单位"), max_length=20)
    quantity = models.FloatField(_("年用量"))
    use = models.CharField(_("用途"), max_length=4, choices=[(u, u) for u in USES], default=FUEL_USE)

    class Meta:
        verbose_name = _("项目能源品种")
        verbose_name_plural = _("项目能源品种")
        ordering = ["project", "stage", "id"]

    def __str__(self) -> str:
        return f"{self.fuel} {self.quantity:g} {self.unit}"
