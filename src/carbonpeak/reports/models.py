"""Generated quarterly reports, kept with the data version they were made from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuarterlyReport(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="reports", verbose_name=_("方案")
    )
    period = models.CharField(_("报告期"), max_length=10)
    status = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    message = models.TextField(_("说明"), blank=True)
    accounting_run = models.ForeignKey(
        "energy.AccountingRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("核算记录"),
    )
    projection_run = models.ForeignKey(
        "projection.ProjectionRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quarterly_reports",
        verbose_name=_("达峰预测记录"),
    )
    data_version = models.JSONField(_("数据版本"), default=dict, blank=True)
    is_sample = models.BooleanField(_("含示例数据"), default=False)
    docx_name = models.CharField(_("Word 文件"), max_length=200, blank=True)
    xlsx_name = models.CharField(_("Excel 文件"), max_length=200, blank=True)
    pdf_name = models.CharField(_("PDF 文件"), max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("PDF 摘要"), max_length=64, blank=True)
    public_docx_name = models.CharField(_("公开版 Word 文件"), max_length=200, blank=True)
    public_pdf_name = models.CharField(_("公开版 PDF 文件"), max_length=200, blank=True)
    final = models.BooleanField(_("定稿"), default=False)
    language = models.CharField(
        _("语言"),
        max_length=10,
        default="zh-hans",
        help_text="报告的语言（settings.LANGUAGES 之一）；数字与中文稿相同",
    )
    doc_number = models.CharField(_("发文字号"), max_length=40, blank=True)
    recipients = models.CharField(_("主送机关"), max_length=200, blank=True)
    copy_to = models.CharField(_("抄送机关"), max_length=300, blank=True)
    final_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="finals",
        verbose_name=_("定稿所依据的征求意见稿"),
    )
    docx_sha256 = models.CharField(_("Word 摘要"), max_length=64, blank=True)
    xlsx_sha256 = models.CharField(_("Excel 摘要"), max_length=64, blank=True)
    elapsed_ms = models.PositiveIntegerField(_("用时（毫秒）"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("生成人"),
    )
    created_at = models.DateTimeField(_("请求时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("季度报告")
        verbose_name_plural = _("季度报告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        kind = "定稿" if self.final else "征求意见稿"
        return f"{self.period} 季度报告{kind}（{self.get_status_display()}）"
