"""Carbon sinks: land and forest data by district and year, versioned sink factor sets (with the climate zone
chosen), and the results computed from them. Only ``sinks.services`` writes these tables."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import engine

LAND_TYPE_CHOICES = list(engine.LAND_TYPES.items())


class SinkFactorSet(models.Model):
    name = models.CharField(_("名称"), max_length=60)
    version = models.CharField(_("版本"), max_length=30)
    climate_zone = models.CharField(
        _("气候带"), max_length=20, blank=True, help_text="空：未选择（森林结果缺失）"
    )
    climate_zone_source = models.CharField(_("气候带依据"), max_length=300, blank=True)
    is_default = models.BooleanField(_("默认"), default=False)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("碳汇参数集")
        verbose_name_plural = _("碳汇参数集")
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="sink_set_version_unique")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """As a reader sees it: the reference's parameters, or the coordinator's version of a given time."""
        if self.based_on_id is None:
            return "参考资料碳汇参数（平台内置）"
        from django.utils import timezone

        made = timezone.localtime(self.created_at) if self.created_at else None
        return f"碳汇参数 {made:%Y-%m-%d %H:%M} 版" if made else "碳汇参数（协调员修订版）"

    def to_pure(self) -> engine.SinkFactorSet:
        rows = tuple(
            engine.SinkFactor(
                f.parameter,
                f.zone,
                f.group,
                f.class_low,
                f.class_high,
                f.value,
                f.low,
                f.high,
                f.unit,
                f.source,
                f.status,
            )
            for f in self.factors.order_by("id")
        )
        return engine.SinkFactorSet(
            self.name, self.version, self.climate_zone, self.climate_zone_source, rows
        )


class SinkFactorRow(models.Model):
    factor_set = models.ForeignKey(SinkFactorSet, on_delete=models.CASCADE, related_name="factors")
    parameter = models.CharField(_("参数"), max_length=30)
    zone = models.CharField(_("气候带"), max_length=20)
    group = models.CharField(_("树种组/类型"), max_length=30)
    class_low = models.FloatField(_("分级下限"), null=True, blank=True)
    class_high = models.FloatField(_("分级上限"), null=True, blank=True)
    value = models.FloatField(_("数值"), null=True, blank=True, help_text="空：参考资料未找到，须录入")
    low = models.FloatField(_("范围下限"), null=True, blank=True)
    high = models.FloatField(_("范围上限"), null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=30)
    source = models.TextField(_("来源"))
    status = models.CharField(_("来源等级"), max_length=30)

    class Meta:
        verbose_name = _("碳汇参数")
        verbose_name_plural = _("碳汇参数")
        ordering = ["factor_set", "id"]

    def __str__(self) -> str:
        return f"{self.parameter} {self.zone} {self.group} = {self.value}"


class LandRecord(models.Model):
    """A district's land of one type (and species group / wetland type / practice) in one year, as entered."""

    district = models.CharField(_("区镇"), max_length=50)
    year = models.PositiveSmallIntegerField(_("年份"))
    land_type = models.CharField(_("地类"), max_length=20, choices=LAND_TYPE_CHOICES)
    group = models.CharField(_("优势树种组 / 湿地类型 / 措施"), max_length=30, blank=True)
    leaf_type = models.CharField(
        _("针阔"), max_length=4, blank=True, choices=[("阔叶", "阔叶"), ("针叶", "针叶")]
    )
    area_ha = models.FloatField(_("面积（公顷）"), null=True, blank=True)
    protected_area_ha = models.FloatField(_("受保护面积（公顷）"), null=True, blank=True)
    growing_stock_m3 = models.FloatField(_("蓄积（立方米）"), null=True, blank=True)
    increment_m3 = models.FloatField(_("年净生长量（立方米）"), null=True, blank=True)
    harvest_m3 = models.FloatField(_("年采伐消耗（立方米）"), null=True, blank=True)
    crown_area_ha = models.FloatField(_("树冠覆盖面积（公顷）"), null=True, blank=True)
    biochar_t = models.FloatField(_("生物质炭施用量（吨）"), null=True, blank=True)
    relative_error_pct = models.FloatField(_("活动数据相对误差（%，90%置信）"), null=True, blank=True)
    source = models.CharField(_("数据来源"), max_length=300)
    is_sample = models.BooleanField(_("示例数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("国土与森林数据")
        verbose_name_plural = _("国土与森林数据")
        ordering = ["district", "land_type", "group", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "land_type", "group"], name="land_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.year} {self.get_land_type_display()} {self.group}"

    def to_pure(self) -> engine.LandRecord:
        return engine.LandRecord(
            self.district,
            self.year,
            self.land_type,
            self.group,
            self.leaf_type,
            self.area_ha,
            self.growing_stock_m3,
            self.increment_m3,
            self.harvest_m3,
            self.crown_area_ha,
            self.biochar_t,
            self.relative_error_pct,
        )


class SinkResult(models.Model):
    """A computed sink as stored after the data or the factor set changed: pages and the API read these."""

    factor_set = models.ForeignKey(SinkFactorSet, on_delete=models.CASCADE, related_name="results")
    district = models.CharField(_("区镇"), max_length=50)
    land_type = models.CharField(_("地类"), max_length=20, choices=LAND_TYPE_CHOICES)
    group = models.CharField(_("树种组/类型"), max_length=30, blank=True)
    year = models.PositiveSmallIntegerField(_("年份"))
    method = models.CharField(_("方法"), max_length=20)
    stock_tc = models.FloatField(_("碳储量（吨碳）"), null=True)
    sink_tco2 = models.FloatField(_("年碳汇（吨二氧化碳）"), null=True, help_text="空为缺失，不是 0")
    p5 = models.FloatField(null=True)
    p50 = models.FloatField(null=True)
    p95 = models.FloatField(null=True)
    climate_zone = models.CharField(_("气候带"), max_length=20, blank=True)
    data = models.JSONField(_("明细"), default=dict)
    includes_sample = models.BooleanField(_("含示例数据"), default=False)
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("碳汇结果")
        verbose_name_plural = _("碳汇结果")
        ordering = ["year", "district", "land_type", "group", "method"]
        indexes = [models.Index(fields=["factor_set", "year"])]

    def __str__(self) -> str:
        return f"{self.district} {self.year} {self.get_land_type_display()} {self.group}"


class SinkBaseline(models.Model):
    """The 本底调查: one year's land data, parameters and results frozen as they stood, so later years are
    compared with what was known then (the live results move when a parameter is entered)."""

    year = models.PositiveSmallIntegerField(_("本底年份"), unique=True)
    factor_set_label = models.CharField(_("参数集"), max_length=100)
    climate_zone = models.CharField(_("气候带"), max_length=20, blank=True)
    data = models.JSONField(_("快照"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_at = models.DateTimeField(_("冻结时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("碳汇本底")
        verbose_name_plural = _("碳汇本底")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年碳汇本底（{self.factor_set_label}）"
