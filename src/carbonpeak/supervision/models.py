"""The quarterly progress cycle: periods, one report per task and lead department, contributions, evidence.

Only ``supervision.services`` writes these tables. Closing a period freezes a snapshot that later edits
cannot change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carbonpeak.core.models import ReviewedRecord
from carbonpeak.departments.models import Department
from carbonpeak.plans.models import Plan, Task


class ReportingPeriod(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods", verbose_name=_("方案"))
    key = models.CharField(_("报告期"), max_length=10)
    year = models.PositiveSmallIntegerField(_("年份"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    due_date = models.DateField(_("报送截止日期"))
    is_open = models.BooleanField(_("开放中"), default=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("开启人"),
    )
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("关闭人"),
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    snapshot = models.JSONField(_("关闭时快照"), null=True, blank=True)

    class Meta:
        verbose_name = _("报告期")
        verbose_name_plural = _("报告期")
        ordering = ["-year", "-quarter"]
        unique_together = [("plan", "key")]

    def __str__(self) -> str:
        return _("%(year)s年第%(quarter)s季度") % {"year": self.year, "quarter": self.quarter}


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    BEHIND = "behind", _("滞后")


class ProgressReport(ReviewedRecord):
    review_noun = pgettext_lazy("record named in a sentence", "报告")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="reports", verbose_name=_("报告期")
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="progress_reports", verbose_name=_("任务")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("牵头部门")
    )
    progress = models.CharField(
        _("进展状态"), max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    narrative = models.TextField(_("进展情况"), blank=True)
    edited = models.BooleanField(_("已填写"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("填写人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["period", "task__order", "department__name"]
        unique_together = [("period", "task", "department")]

    def get_absolute_url(self) -> str:
        return reverse("supervision:report", args=[self.pk])

    def __str__(self) -> str:
        return f"{self.period} {self.task.label} {self.department}"


class Contribution(models.Model):
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("进展报告")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("配合部门")
    )
    text = models.TextField(_("配合工作情况"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("填写人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("配合部门补充")
        verbose_name_plural = _("配合部门补充")
        unique_together = [("report", "department")]

    def __str__(self) -> str:
        return f"{self.department}：{self.text[:30]}"


class Evidence(models.Model):
    """An attachment, stored under the data directory by its digest and served only through a permission check."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("进展报告")
    )
    original_name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("摘要"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name


class Reminder(models.Model):
    """One reminder per period, department and kind, so that a daily run does not repeat itself."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("报告期")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("部门")
    )
    kind = models.CharField(
        _("类型"), max_length=10, choices=[("before", "截止前提醒"), ("after", "逾期催报")]
    )
    message = models.TextField(_("内容"))
    emailed = models.BooleanField(_("已发邮件"), default=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        unique_together = [("period", "department", "kind")]

    def __str__(self) -> str:
        return self.message
