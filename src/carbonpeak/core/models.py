"""The shared record shapes: the review lifecycle every reported record follows, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("已退回")


class ReviewedRecord(models.Model):
    """A record a reporter submits and a coordinator approves or returns: draft → submitted →
    approved / returned (→ submitted again). The moves are made by ``core.review`` only, so every reviewed
    record (energy submissions, indicator values, progress reports, …) moves the same way and is audited."""

    #: how messages name the record (“只能审核已报送的报告”)
    review_noun = pgettext_lazy("record named in a sentence", "记录")

    status = models.CharField(
        _("状态"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Append-only: who did what to which record, when, with the values before and after."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit action", "创建")
        UPDATE = "update", pgettext_lazy("audit action", "修改")
        DELETE = "delete", pgettext_lazy("audit action", "删除")
        SUBMIT = "submit", pgettext_lazy("audit action", "报送")
        APPROVE = "approve", pgettext_lazy("audit action", "审核通过")
        RETURN = "return", pgettext_lazy("audit action", "退回")
        OPEN = "open", pgettext_lazy("audit action", "开启")
        CLOSE = "close", pgettext_lazy("audit action", "关闭")
        RECOMPUTE = "recompute", pgettext_lazy("audit action", "重算")
        MERGE = "merge", pgettext_lazy("audit action", "合并")
        SUPERSEDE = "supersede", pgettext_lazy("audit action", "被新版本取代")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    object_repr = models.CharField(_("对象"), max_length=300, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        db_table = "accounts_auditevent"  # the table it was created in, kept when the model moved here
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("审计日志不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计日志不可删除")


class ComputeRequest(models.Model):
    """One piece of costly work a user asked for (a projection computed, a report generated, a file read):
    what the per-user limits of ``core.quotas`` count, in the database so that every worker sees them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=20)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("计算请求")
        verbose_name_plural = _("计算请求")
        indexes = [models.Index(fields=["user", "kind", "at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """A running background worker, on any machine: its beat, renewed every few seconds, is how the other
    workers tell a job it was running when it stopped (killed, its machine gone) from one it is still running
    (``core.jobs``)."""

    worker_id = models.CharField(_("任务进程"), max_length=64, primary_key=True)
    host = models.CharField(_("主机"), max_length=255)
    pid = models.PositiveIntegerField(_("进程号"))
    started_at = models.DateTimeField(_("启动时间"), auto_now_add=True)
    beat_at = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = _("后台任务进程")
        verbose_name_plural = _("后台任务进程")

    def __str__(self) -> str:
        return f"{self.worker_id}（{self.host}:{self.pid}）"


class DataVersion(models.Model):
    """One row whose token changes, in the same transaction, with every write to data that computed figures
    depend on: what is cached is keyed by it, so a cached figure can never outlive its data
    (``core.versions``)."""

    token = models.CharField(_("版本"), max_length=32)
    changed_at = models.DateTimeField(_("变更时间"), auto_now=True)

    class Meta:
        verbose_name = _("数据版本")
        verbose_name_plural = _("数据版本")

    def __str__(self) -> str:
        return self.token


class ComputedFigure(models.Model):
    """A figure computed from the data of one data version (the plan's grades), kept so that pages read it
    instead of computing it: written by the background job that follows a change, or by the first reader
    (``core.versions.stored``)."""

    key = models.CharField(_("名称"), max_length=200, unique=True)
    token = models.CharField(_("数据版本"), max_length=32)
    payload = models.JSONField(_("内容"))  # data only (never a pickle): a row cannot make the server run code
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("已计算结果")
        verbose_name_plural = _("已计算结果")

    def __str__(self) -> str:
        return f"{self.key} @ {self.token}"


class Region(models.Model):
    """A region in the tree the platform serves (省 → 地级市 → 县级市 → 区镇): energy records and accounts are
    by region name, and a region's children roll up to it (``core.regions``)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    level = models.CharField(_("层级"), max_length=10)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class UploadJob(models.Model):
    """A file taken by a page or the API and processed by the background worker (``core.uploads``): the
    request answers at once, the page shows its progress, then what was imported or why nothing was."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已导入")
        REFUSED = "refused", _("未导入")
        FAILED = "failed", _("处理失败")

    kind = models.CharField(_("类型"), max_length=30)
    file_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    stored_as = models.CharField(_("暂存文件"), max_length=60, blank=True)
    options = models.JSONField(_("导入选项"), default=dict, blank=True)  # e.g. a form's note
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上传人"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    stage = models.CharField(_("当前步骤"), max_length=100, blank=True)
    messages = models.JSONField(_("说明"), default=list, blank=True)
    result_url = models.CharField(_("结果链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("文件导入任务")
        verbose_name_plural = _("文件导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REFUSED, self.Status.FAILED)
