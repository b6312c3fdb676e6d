"""What the platform keeps of online-monitoring data in its own database: the batches taken into the
columnar store (the readings themselves stay there, outside Django), and what was computed from them —
monthly totals per enterprise and energy type, and the data-quality verdicts per enterprise and month."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import quality


class ReadingBatch(models.Model):
    """One file of readings accepted into the store (its files are named by ``batch``)."""

    batch = models.CharField(_("批次号"), max_length=32, unique=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件校验值"), max_length=64, db_index=True)
    rows = models.PositiveBigIntegerField(_("读数条数"))
    months = models.JSONField(_("涉及月份"), default=list)
    regions = models.JSONField(_("涉及地区（行政区划码）"), default=list)
    enterprises = models.PositiveIntegerField(_("涉及企业数"))
    first_ts = models.CharField(_("最早时标"), max_length=30)
    last_ts = models.CharField(_("最晚时标"), max_length=30)
    sample = models.BooleanField(_("示例数据"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("导入人"),
    )
    uploaded_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("撤回人"),
    )

    class Meta:
        verbose_name = _("在线监测数据批次")
        verbose_name_plural = _("在线监测数据批次")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.batch}）"


class MonthlyTotal(models.Model):
    """An enterprise's measured consumption of one energy type in one month (the store's aggregation)."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meter_totals",
        verbose_name=_("企业（名录中）"),
    )
    region = models.CharField(_("行政区划码"), max_length=6)
    month = models.CharField(_("月份"), max_length=7)
    energy_type = models.CharField(_("能源品种"), max_length=30)
    unit = models.CharField(_("计量单位"), max_length=10)
    total = models.FloatField(_("实测用量"))
    readings = models.PositiveBigIntegerField(_("读数条数"))
    meters = models.PositiveIntegerField(_("计量器具数"))
    engine = models.CharField(
        _("计算引擎"),
        max_length=10,
        default="duckdb",
        choices=[("duckdb", "本机 DuckDB"), ("spark", "Spark 集群")],
        help_text="本机汇总列式存储，或由 Spark 集群汇总后导入",
    )
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("在线监测月度用量")
        verbose_name_plural = _("在线监测月度用量")
        ordering = ["credit_code", "month", "energy_type"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code", "month", "energy_type"], name="meter_total_once")
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.credit_code} {self.month} {self.energy_type} {self.total:g} {self.unit}"


class QualityCheck(models.Model):
    """One data-quality rule's verdict for an enterprise in a month."""

    class Rule(models.TextChoices):
        COMPLETENESS = quality.COMPLETENESS, quality.RULE_LABEL[quality.COMPLETENESS]
        DAILY_MONTHLY = quality.DAILY_MONTHLY, quality.RULE_LABEL[quality.DAILY_MONTHLY]
        TIMESTAMP = quality.TIMESTAMP, quality.RULE_LABEL[quality.TIMESTAMP]
        REPAIR = quality.REPAIR, quality.RULE_LABEL[quality.REPAIR]

    class Status(models.TextChoices):
        PASS = quality.PASS, quality.STATUS_LABEL[quality.PASS]
        FAIL = quality.FAIL, quality.STATUS_LABEL[quality.FAIL]
        NOT_JUDGED = quality.NOT_JUDGED, quality.STATUS_LABEL[quality.NOT_JUDGED]

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meter_checks",
        verbose_name=_("企业（名录中）"),
    )
    region = models.CharField(_("行政区划码"), max_length=6)
    month = models.CharField(_("月份"), max_length=7)
    rule = models.CharField(_("规则"), max_length=16, choices=Rule.choices)
    status = models.CharField(_("结果"), max_length=4, choices=Status.choices)
    figure = models.FloatField(_("数值"), null=True, blank=True)
    detail = models.TextField(_("说明"))
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("在线监测数据质量")
        verbose_name_plural = _("在线监测数据质量")
        ordering = ["-month", "credit_code", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code", "month", "rule"], name="meter_check_once")
        ]
        indexes = [models.Index(fields=["month", "status"])]

    def __str__(self) -> str:
        return f"{self.credit_code} {self.month} {self.get_rule_display()}：{self.get_status_display()}"


class TotalsImport(models.Model):
    """Monthly totals computed on a Spark cluster and loaded back (``carbonpeak meters load-totals``)."""

    source = models.CharField(_("结果文件夹"), max_length=300)
    rows = models.PositiveIntegerField(_("月度用量行数"))
    months = models.JSONField(_("涉及月份"), default=list)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("导入人"),
    )
    loaded_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("集群汇总结果导入")
        verbose_name_plural = _("集群汇总结果导入")
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source}（{self.rows} 行）"
