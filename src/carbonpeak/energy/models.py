"""Energy statistics as submitted and approved, factor sets, and the accounting results computed from them.

Only ``energy.services`` writes these tables. An approved submission is never changed: a correction is a
new revision of the same period and region, and the latest approved revision is the one that counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carbonpeak.core.fields import SentencesField
from carbonpeak.core.models import ReviewedRecord
from carbonpeak.energy import accounting as pure_accounting
from carbonpeak.energy import certificates as pure_certificates
from carbonpeak.energy import factors as pure_factors

FACTOR_FIELDS = ("kind", "key", "year", "value", "unit", "source", "status", "reference_item", "note")


class FactorSet(models.Model):
    name = models.CharField(_("名称"), max_length=60)
    version = models.CharField(_("版本"), max_length=30)
    title = models.CharField(_("说明"), max_length=200, blank=True)
    is_default = models.BooleanField(_("默认"), default=False, help_text="审核通过后自动核算使用的因子集")
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("派生自"),
        related_name="derived",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("因子集")
        verbose_name_plural = _("因子集")
        unique_together = [("name", "version")]
        ordering = ["name", "-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def to_pure(self) -> pure_factors.FactorSet:
        rows = tuple(
            pure_factors.Factor(**{k: getattr(f, k) for k in FACTOR_FIELDS}) for f in self.factors.all()
        )
        return pure_factors.FactorSet(self.name, self.version, rows, self.title)


class Factor(models.Model):
    factor_set = models.ForeignKey(
        FactorSet, on_delete=models.CASCADE, related_name="factors", verbose_name=_("因子集")
    )
    kind = models.CharField(_("类别"), max_length=30, choices=list(pure_factors.KINDS.items()))
    key = models.CharField(_("能源品种/地区"), max_length=60)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    value = models.FloatField(_("数值"), null=True, blank=True, help_text="留空表示参考资料未给出确定值")
    unit = models.CharField(_("单位"), max_length=30)
    source = models.TextField(_("来源"))
    status = models.CharField(_("来源等级"), max_length=40)
    reference_item = models.CharField(_("参考表条目"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("因子")
        verbose_name_plural = _("因子")
        ordering = ["kind", "key", "year"]

    def __str__(self) -> str:
        year = f" {self.year}" if self.year else ""
        return f"{self.get_kind_display()} {self.key}{year} = {self.value} {self.unit}"


class EnergySubmission(ReviewedRecord):
    """One period and region as reported: energy records and economic figures, with their review state."""

    review_noun = pgettext_lazy("record named in a sentence", "数据")

    period = models.CharField(_("报告期"), max_length=16)
    region = models.CharField(_("地区"), max_length=60)
    revision = models.PositiveIntegerField(_("修订版本"), default=1)
    is_sample = models.BooleanField(_("示例数据"), default=False)
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    source_sha256 = models.CharField(_("文件摘要"), max_length=64, blank=True)
    warnings = models.JSONField(_("校验提示"), default=list, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("填报人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("能源统计报送")
        verbose_name_plural = _("能源统计报送")
        unique_together = [("period", "region", "revision")]
        ordering = ["-period", "region", "-revision"]

    def get_absolute_url(self) -> str:
        return reverse("energy:submission", args=[self.pk])

    def __str__(self) -> str:
        return f"{self.region} {self.period} 第{self.revision}版（{self.get_status_display()}）"

    @property
    def period_label(self) -> str:
        from carbonpeak.energy.catalog import parse_period

        return parse_period(self.period).label


class EnergyRecord(models.Model):
    submission = models.ForeignKey(
        EnergySubmission, on_delete=models.CASCADE, related_name="records", verbose_name=_("报送")
    )
    sector = models.CharField(_("行业/平衡项"), max_length=40)
    fuel = models.CharField(_("能源品种/发电类型"), max_length=30)
    quantity = models.DecimalField(_("数量"), max_digits=24, decimal_places=6)
    unit = models.CharField(_("计量单位"), max_length=20)
    use = models.CharField(
        _("用途"),
        max_length=4,
        choices=[(u, u) for u in pure_accounting.USES],
        default=pure_accounting.FUEL_USE,
        db_default=pure_accounting.FUEL_USE,
        help_text="原料用能：计入能源消费总量，考核时扣除，不计燃烧排放（发改环资〔2022〕803号）",
    )
    reported_tce = models.DecimalField(
        _("报送标准量（吨标准煤）"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    sheet = models.CharField(_("工作表"), max_length=60, blank=True)
    row = models.PositiveIntegerField(_("行号"), null=True, blank=True)

    class Meta:
        verbose_name = _("能源消费记录")
        verbose_name_plural = _("能源消费记录")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.sector} {self.fuel} {self.quantity} {self.unit}"


class EconomicRecord(models.Model):
    """GDP and population for the submission's period; a quarter's GDP is year-to-date."""

    submission = models.OneToOneField(
        EnergySubmission, on_delete=models.CASCADE, related_name="economy", verbose_name=_("报送")
    )
    gdp_current = models.DecimalField(
        _("地区生产总值（现价，亿元）"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    real_growth_pct = models.DecimalField(
        _("实际增速（%）"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    gdp_constant = models.DecimalField(
        _("基期可比价地区生产总值（亿元）"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    population = models.DecimalField(
        _("常住人口（万人）"), max_digits=10, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("经济与人口")
        verbose_name_plural = _("经济与人口")

    def __str__(self) -> str:
        return f"{self.submission.region} {self.submission.period} 经济与人口"


class AccountingRun(models.Model):
    """One accounting of all current approved data with one factor set; earlier runs are kept."""

    factor_set = models.ForeignKey(
        FactorSet, on_delete=models.PROTECT, related_name="runs", verbose_name=_("因子集")
    )
    factor_set_label = models.CharField(_("因子集版本"), max_length=100)
    grid_region = models.CharField(_("电网因子地区"), max_length=30)
    reason = models.CharField(_("原因"), max_length=200)
    submissions = models.JSONField(_("所用报送"), default=list)
    includes_sample = models.BooleanField(_("含示例数据"), default=False)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("核算时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("核算记录")
        verbose_name_plural = _("核算记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.factor_set_label}：{self.reason}"


class AccountingResult(models.Model):
    run = models.ForeignKey(
        AccountingRun, on_delete=models.CASCADE, related_name="results", verbose_name=_("核算")
    )
    region = models.CharField(_("地区"), max_length=60)
    period = models.CharField(_("报告期"), max_length=16)
    year = models.PositiveSmallIntegerField(_("年份"))
    first_quarter = models.PositiveSmallIntegerField(_("起始季度"))
    last_quarter = models.PositiveSmallIntegerField(_("截止季度"))
    energy_tce = models.FloatField(_("能源消费量（当量值，吨标准煤）"))
    energy_tce_equivalent = models.FloatField(_("能源消费量（等价值，吨标准煤）"), null=True)
    co2_t = models.FloatField(_("二氧化碳排放（吨）"))
    data = SentencesField(_("明细"))  # notes and gaps read back as Messages

    class Meta:
        verbose_name = _("核算结果")
        verbose_name_plural = _("核算结果")
        ordering = ["region", "year", "last_quarter", "-first_quarter"]
        unique_together = [("run", "region", "period")]

    def __str__(self) -> str:
        return f"{self.region} {self.period}（{self.run.factor_set_label}）"


class GreenCertificate(models.Model):
    """A line of the register of 绿证 and 绿电交易 that count for the city: one certificate or trade number,
    unique, so the same certificate is never counted twice (发改能源〔2023〕1044号: 1 张 = 1,000 kWh)."""

    serial = models.CharField(_("证书编号或交易编号"), max_length=100, unique=True)
    region = models.CharField(_("地区"), max_length=60)
    used_on = models.DateField(_("核销（使用）日期"), help_text="计入该日期所在的季度")
    kind = models.CharField(_("类型"), max_length=8, choices=[(k, k) for k in pure_certificates.KINDS])
    direction = models.CharField(
        _("方向"), max_length=4, choices=[(d, d) for d in pure_certificates.DIRECTIONS]
    )
    certificates = models.PositiveIntegerField(_("绿证数量（张）"), null=True, blank=True)
    kwh = models.DecimalField(_("电量（千瓦时）"), max_digits=20, decimal_places=3)
    buyer = models.CharField(_("购买方"), max_length=100, blank=True)
    seller = models.CharField(_("出售方"), max_length=100, blank=True)
    seller_province = models.CharField(_("出售方所在省份"), max_length=100, blank=True)
    source = models.CharField(_("凭证"), max_length=100, help_text="交易平台、合同或文件")
    is_sample = models.BooleanField(_("示例数据"), default=False)
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("绿证与绿电交易登记")
        verbose_name_plural = _("绿证与绿电交易登记")
        ordering = ["-used_on", "serial"]

    def __str__(self) -> str:
        return f"{self.serial}（{self.kind}，{self.direction}，{self.kwh} 千瓦时）"

    def to_pure(self) -> pure_certificates.CertificateEntry:
        return pure_certificates.CertificateEntry(
            serial=self.serial,
            region=self.region,
            used_on=self.used_on,
            kind=self.kind,
            direction=self.direction,
            kwh=float(self.kwh),
            certificates=self.certificates,
            buyer=self.buyer,
            seller=self.seller,
            seller_province=self.seller_province,
            source=self.source,
        )
