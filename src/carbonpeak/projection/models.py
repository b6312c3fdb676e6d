"""Coordinator-made scenarios (versioned) and the projections kept with the data version they used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carbonpeak.core.fields import SentencesField


class Scenario(models.Model):
    """A scenario a coordinator made from a built-in one; its assumptions live in its versions."""

    name = models.CharField(_("情景名称"), max_length=60, unique=True)
    based_on = models.CharField(_("基于内置情景"), max_length=20)
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("自定义情景")
        verbose_name_plural = _("自定义情景")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> ScenarioVersion | None:
        return self.versions.order_by("-number").first()


class ScenarioVersion(models.Model):
    """One saved set of assumption overrides; earlier versions are kept with who changed what."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="versions", verbose_name=_("情景")
    )
    number = models.PositiveIntegerField(_("版本"))
    overrides = models.JSONField(_("修改的假设"), default=dict)
    changes = models.JSONField(_("与上一版的变化"), default=list)
    comment = models.CharField(_("修改说明"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("修改人"),
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("情景版本")
        verbose_name_plural = _("情景版本")
        ordering = ["scenario", "-number"]
        constraints = [models.UniqueConstraint(fields=["scenario", "number"], name="scenario_version_unique")]

    def __str__(self) -> str:
        return f"{self.scenario.name} 第{self.number}版"


class ProjectionRun(models.Model):
    """A projection as computed: the scenario (and version), the accounting run it started from, the draws."""

    scenario_name = models.CharField(_("情景"), max_length=60)
    scenario_version = models.ForeignKey(
        ScenarioVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runs",
        verbose_name=_("情景版本"),
    )
    accounting_run = models.ForeignKey(
        "energy.AccountingRun",
        on_delete=models.PROTECT,
        related_name="projections",
        verbose_name=_("核算记录"),
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="projections", verbose_name=_("方案")
    )
    draws = models.PositiveIntegerField(_("抽样次数"))
    seed = models.PositiveIntegerField(_("随机种子"))
    end_year = models.PositiveSmallIntegerField(_("预测终止年份"))
    boundary = models.CharField(
        _("主口径"), max_length=12, blank=True, default="", help_text="留空：核算因子集设定的考核口径"
    )
    event_state = models.CharField(
        _("事件状态"), max_length=200, blank=True, default="", help_text="计算时协调员设定的机组事件状态"
    )
    pipeline_state = models.CharField(
        _("项目库状态"), max_length=16, blank=True, default="", help_text="计算时计入的重点项目（项目库情景）"
    )
    result = SentencesField(_("结果"), default=dict)  # its sentences said in each reader's language
    elapsed_ms = models.PositiveIntegerField(_("计算耗时（毫秒）"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("计算时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预测记录")
        verbose_name_plural = _("预测记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scenario_name}（{self.draws}次抽样，核算记录{self.accounting_run_id}）"


class UnitEvent(models.Model):
    """A dated event the projection applies to every scenario — a coal unit entering service, or an existing
    unit leaving it — with the status the coordinator sets from what is known: 确认, 未确认 (both branches
    shown) or 不投运 / 不退役, and its source."""

    class Kind(models.TextChoices):
        ENTERS = "投运", pgettext_lazy("unit event kind", "投运")
        RETIRES = "退役", pgettext_lazy("unit event kind", "退役")

    class Status(models.TextChoices):
        CONFIRMED = "确认投运", _("确认投运")
        UNCONFIRMED = "未确认", _("未确认")
        CANCELLED = "不投运", _("不投运")
        RETIREMENT_CONFIRMED = "确认退役", _("确认退役")
        RETIREMENT_CANCELLED = "不退役", _("不退役")

    #: the statuses each kind of event can have, in the order a form offers them
    STATUSES = {
        Kind.ENTERS: (Status.CONFIRMED, Status.UNCONFIRMED, Status.CANCELLED),
        Kind.RETIRES: (Status.RETIREMENT_CONFIRMED, Status.UNCONFIRMED, Status.RETIREMENT_CANCELLED),
    }

    key = models.CharField(_("事件"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=4, choices=Kind.choices, default=Kind.ENTERS)
    name = models.CharField(_("机组"), max_length=80, blank=True, default="", help_text="退役机组的名称")
    capacity_mw = models.DecimalField(
        _("退役装机（兆瓦）"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices)
    source = models.CharField(_("依据"), max_length=500)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("设定时间"), auto_now=True)

    class Meta:
        verbose_name = _("机组事件")
        verbose_name_plural = _("机组事件")

    def __str__(self) -> str:
        return f"{self.name or self.key}：{self.year}年{self.status}"

    @property
    def happens(self) -> bool | None:
        """True when confirmed, False when called off, None while unconfirmed."""
        if self.status == self.Status.UNCONFIRMED:
            return None
        return self.status in (self.Status.CONFIRMED, self.Status.RETIREMENT_CONFIRMED)
