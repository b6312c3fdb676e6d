"""Indicators, the targets they measure, reported observations, stored assessments and warnings.

Only ``monitoring.services`` writes these tables. Computed indicators are read from the latest accounting
run, never copied: their history is the accounting's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carbonpeak.core.models import ReviewedRecord
from carbonpeak.departments.models import Department
from carbonpeak.monitoring.grading import RULE_LABELS, DataState, Grade
from carbonpeak.plans.models import Target


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COMPUTED = "computed", _("核算得出")
        REPORTED = "reported", _("部门报送")

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", _("按季度")
        ANNUAL = "annual", _("按年度")

    code = models.CharField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    higher_is_better = models.BooleanField(_("越高越好"), default=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.REPORTED)
    computed_field = models.CharField(_("核算字段"), max_length=60, blank=True)
    land_field = models.CharField(
        _("国土数据计算字段"),
        max_length=40,
        blank=True,
        help_text="由碳汇模块的国土数据计算（如湿地保护率）；有计算值的年份以计算值评估，部门报送值并列对照",
    )
    owner = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        verbose_name=_("责任部门"),
    )
    frequency = models.CharField(
        _("报送频率"), max_length=10, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    due_days = models.PositiveSmallIntegerField(_("报送期限（期末后天数）"), default=30)
    baseline_year = models.PositiveSmallIntegerField(_("基期年份"), null=True, blank=True)
    baseline_value = models.FloatField(_("基期值"), null=True, blank=True)
    baseline_source = models.CharField(_("基期值来源"), max_length=200, blank=True)
    baseline_is_sample = models.BooleanField(_("基期值为示例数据"), default=False)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class TargetIndicator(models.Model):
    """The link between a plan target and the indicator that measures it, with the rule that grades it."""

    target = models.OneToOneField(
        Target, on_delete=models.CASCADE, related_name="monitoring", verbose_name=_("目标")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("指标")
    )
    rule = models.CharField(
        _("评估规则"), max_length=12, choices=[(r.value, label) for r, label in RULE_LABELS.items()]
    )
    confirmed = models.BooleanField(_("已确认"), default=False, help_text="导入时自动建议；协调员核对后确认")
    value_document = models.CharField(
        _("目标值依据"), max_length=200, blank=True, help_text="上级下达指标：下达文件，如 苏府〔2024〕34号"
    )

    class Meta:
        verbose_name = _("目标—指标对应")
        verbose_name_plural = _("目标—指标对应")

    def __str__(self) -> str:
        return f"{self.target} → {self.indicator}"


class Observation(ReviewedRecord):
    """A reported value; an approved value is never changed, a correction is a new revision."""

    review_noun = pgettext_lazy("record named in a sentence", "数值")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", verbose_name=_("指标")
    )
    region = models.CharField(_("地区"), max_length=60, default="太仓市")
    year = models.PositiveSmallIntegerField(_("年份"))
    quarter = models.PositiveSmallIntegerField(_("截至季度"), default=4, help_text="4 表示全年")
    value = models.FloatField(_("数值"))
    revision = models.PositiveIntegerField(_("修订版本"), default=1)
    is_sample = models.BooleanField(_("示例数据"), default=False)
    note = models.CharField(_("说明/来源"), max_length=300, blank=True)
    warnings = models.JSONField(
        _("校验提示"), default=list, blank=True, help_text="给审核人的提示，如与上期相比变化过大"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("填报人"),
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("指标观测值")
        verbose_name_plural = _("指标观测值")
        ordering = ["indicator", "region", "year", "quarter", "revision"]
        unique_together = [("indicator", "region", "year", "quarter", "revision")]

    def get_absolute_url(self) -> str:
        """Where the value is read and reviewed: the page of a target it measures."""
        link = self.indicator.targets.order_by("target__order").first()
        return reverse("monitoring:target", args=[link.target_id]) if link else reverse("plans:targets")

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_label} {self.value}"

    @property
    def period_label(self) -> str:
        return f"{self.year}年" if self.quarter == 4 else f"{self.year}年1–{self.quarter * 3}月"


class Assessment(models.Model):
    """A grade as stored by an evaluation; the latest per target is what warnings compare against."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("目标")
    )
    grade = models.CharField(_("评估等级"), max_length=10, choices=[(g.value, g.label) for g in Grade])
    data_state = models.CharField(
        _("数据状态"), max_length=10, choices=[(d.value, d.label) for d in DataState]
    )
    period = models.CharField(_("评估期"), max_length=30, blank=True)
    value = models.FloatField(_("实际值"), null=True)
    expected = models.FloatField(_("进度要求值"), null=True)
    reason = models.TextField(_("理由"))
    created_at = models.DateTimeField(_("评估时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评估记录")
        verbose_name_plural = _("评估记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.target} {self.get_grade_display()}"


class EarlyWarning(models.Model):
    """A 预警: a target's grade changed, or its data are overdue, or a carbon budget's use changed grade, or
    an enterprise's online-monitoring data failed a data-quality rule (shown on the dashboard, e-mailed). A
    budget's or a meter's warning has no plan target: ``subject`` and ``link`` say what it is about."""

    class Kind(models.TextChoices):
        GRADE = "grade", _("评估等级变化")
        OVERDUE = "overdue", _("数据逾期")
        BUDGET = "budget", _("碳预算执行")
        METER = "meter", _("在线监测数据质量")

    target = models.ForeignKey(
        Target,
        on_delete=models.CASCADE,
        related_name="warnings",
        verbose_name=_("目标"),
        null=True,
        blank=True,
    )
    subject = models.CharField(
        _("对象"), max_length=100, blank=True, help_text="无方案目标的预警（如碳预算）所指对象"
    )
    link = models.CharField(_("链接"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="warnings",
        verbose_name=_("责任部门"),
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    previous_grade = models.CharField(_("原等级"), max_length=10, blank=True)
    grade = models.CharField(_("现等级"), max_length=10, blank=True)
    message = models.TextField(_("内容"))
    emailed = models.BooleanField(_("已发邮件"), default=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message

    @property
    def subject_name(self) -> str:
        return self.target.indicator if self.target_id else self.subject

    @property
    def href(self) -> str:
        from django.urls import reverse

        return reverse("monitoring:target", args=[self.target_id]) if self.target_id else self.link
