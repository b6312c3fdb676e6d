"""The plan registry: plans, their sections, actions, tasks, responsibilities and targets.

Rows created by the importer remember the values they were imported with
(``imported``), so that a re-import can tell a coordinator's correction (current
value differs from the imported one) from an untouched value, and keep the former.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from carbonpeak.departments.models import Department


class PlanRole(models.TextChoices):
    """Why a city keeps a plan: the one it runs, a sector plan beside it, or a higher level's for reference."""

    OWN = "own", _("本市综合方案")
    SECTOR = "sector", _("本市专项方案")
    REFERENCE = "reference", _("上级方案（参照）")


class Plan(models.Model):
    region = models.CharField(_("地区"), max_length=50)
    title = models.CharField(_("标题"), max_length=200)
    role = models.CharField(_("方案类别"), max_length=10, choices=PlanRole.choices, default=PlanRole.OWN)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    issue_date = models.DateField(_("印发日期"), null=True, blank=True)
    imported = models.JSONField(default=dict, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("方案")
        verbose_name_plural = _("方案")
        constraints = [models.UniqueConstraint(fields=["region", "title"], name="plan_region_title_unique")]
        ordering = ["region", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def current_version(self) -> PlanVersion | None:
        return self.versions.order_by("-number").first()


class PlanVersion(models.Model):
    """One imported document text; a re-import of the same text adds no version."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("方案"))
    number = models.PositiveIntegerField(_("版本"))
    source_name = models.CharField(_("来源文件"), max_length=255)
    source_sha256 = models.CharField(_("文本摘要"), max_length=64)
    structure = models.JSONField(_("解析结构"), default=dict)
    changes = models.JSONField(_("与上一版的变化"), default=list)
    imported_by = models.CharField(_("导入人"), max_length=150, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("方案版本")
        verbose_name_plural = _("方案版本")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan.title} 第{self.number}版"


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("方案"))
    key = models.CharField(_("编号键"), max_length=40)
    number = models.CharField(_("编号"), max_length=10)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"), blank=True)
    kind = models.CharField(_("类型"), max_length=10, default="text")
    order = models.PositiveIntegerField(_("顺序"), default=0)
    imported = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("章节")
        verbose_name_plural = _("章节")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="section_key_unique")]

    def __str__(self) -> str:
        return f"{self.number}、{self.title}"


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("方案"))
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="actions", verbose_name=_("章节")
    )
    key = models.CharField(_("编号键"), max_length=40)
    number = models.CharField(_("编号"), max_length=10)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("说明"), blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    imported = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("重点行动")
        verbose_name_plural = _("重点行动")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="action_key_unique")]

    def __str__(self) -> str:
        return f"{self.number}{self.title}"


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("方案"))
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("章节")
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        related_name="tasks",
        null=True,
        blank=True,
        verbose_name=_("重点行动"),
    )
    key = models.CharField(_("编号键"), max_length=40)
    number = models.CharField(_("编号"), max_length=10)
    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("全文"), blank=True)
    clause = models.CharField(_("分工条款"), max_length=500, blank=True)
    due_date = models.DateField(_("完成时限"), null=True, blank=True)
    deadline = models.CharField(_("完成时限（原文）"), max_length=60, blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    imported = models.JSONField(default=dict, editable=False)
    departments = models.ManyToManyField(Department, through="Responsibility", related_name="tasks")

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="task_key_unique")]

    def __str__(self) -> str:
        return f"{self.label} {self.title}"

    @property
    def label(self) -> str:
        """How the task is cited: （一）1 under an action, 四（二） for a section item."""
        if self.action_id:
            return f"{self.action.number}{self.number}"
        return f"{self.section.number}{self.number}"


class Role(models.TextChoices):
    LEAD = "lead", _("牵头")
    SUPPORT = "support", _("配合")
    IMPLEMENT = "implement", _("落实")


class Responsibility(models.Model):
    class Source(models.TextChoices):
        IMPORT = "import", _("导入")
        MANUAL = "manual", _("手工")

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("任务")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("部门")
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    suppressed = models.BooleanField(
        _("不适用"), default=False, help_text="协调员判定此分工不适用；重新导入时保持此判定，不会重新出现"
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        ordering = ["task", "role", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "department", "role"], name="responsibility_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.get_role_display()} {self.task.label}"


class Comparator(models.TextChoices):
    GE = ">=", _("不低于")
    GT = ">", _("超过")
    LE = "<=", _("不高于")
    LT = "<", _("低于")
    EQ = "=", _("达到")
    PEAK = "peak", _("达峰")
    INCREASE = "increase", _("提升")
    DECREASE = "decrease", _("下降")
    EXTERNAL = "external", _("完成上级下达指标")


class TargetKind(models.TextChoices):
    DATED = "dated", _("定量目标")
    DIRECTION = "direction", _("方向性目标")
    PEAK = "peak", _("达峰目标")
    EXTERNAL = "external", _("上级下达指标")
    RULE = "rule", _("常设规则")


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("方案"))
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("章节"),
        null=True,
        blank=True,
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="targets", verbose_name=_("任务"), null=True, blank=True
    )
    key = models.CharField(_("标识"), max_length=300)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    indicator = models.CharField(_("指标"), max_length=200)
    comparator = models.CharField(_("比较"), max_length=10, choices=Comparator.choices)
    value = models.FloatField(_("目标值"), null=True, blank=True)
    value_max = models.FloatField(_("目标值上限"), null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    commitment = models.CharField(_("表述"), max_length=20, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=TargetKind.choices)
    base_year = models.PositiveSmallIntegerField(_("基准年"), null=True, blank=True)
    issuer = models.CharField(_("下达单位"), max_length=50, blank=True)
    base_value = models.FloatField(_("基期值"), null=True, blank=True)
    attribute = models.CharField(
        _("属性"), max_length=10, blank=True, choices=[("约束性", "约束性"), ("预期性", "预期性")]
    )
    sentence = models.TextField(_("原文"), blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    imported = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="target_key_unique")]

    def __str__(self) -> str:
        return f"{self.year or ''} {self.indicator} {self.describe()}".strip()

    def describe(self) -> str:
        """The target in words, as a coordinator reads it (不低于 13 %), in the reader's language."""
        if self.comparator == Comparator.PEAK:
            return gettext("%(year)s年前达峰") % {"year": self.year} if self.year else gettext("达峰")
        if self.comparator == Comparator.EXTERNAL:
            if self.issuer:
                return gettext("完成%(issuer)s下达的指标") % {"issuer": self.issuer}
            return gettext("完成上级下达的指标")
        if self.value is None:
            return str(self.get_comparator_display())
        value = f"{self.value:g}"
        if self.value_max is not None:
            value += f"–{self.value_max:g}"
        unit = f" {self.unit}" if self.unit else ""
        words = {
            ">=": pgettext("target", "不低于"),
            ">": pgettext("target", "超过"),
            "<=": pgettext("target", "不高于"),
            "<": pgettext("target", "低于"),
            "=": pgettext("target", "达到"),
            "increase": pgettext("target", "提高"),
            "decrease": pgettext("target", "下降"),
        }[self.comparator]
        if self.base_year:
            return gettext("比%(year)s年%(words)s %(value)s") % {
                "year": self.base_year,
                "words": words,
                "value": value + unit,
            }
        return f"{words} {value}{unit}"


class PlanDraft(models.Model):
    """An uploaded plan being checked before it enters the registry: the text read from the file, the
    structure parsed from it and the coordinator's corrections, until it is confirmed or discarded."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待确认")
        CONFIRMED = "confirmed", _("已确认导入")
        DISCARDED = "discarded", _("已放弃")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    source_name = models.CharField(_("来源文件"), max_length=255)
    source_sha256 = models.CharField(_("文件摘要"), max_length=64)
    text = models.TextField(_("读出的正文"))
    structure = models.JSONField(_("解析结构"), default=dict)
    region = models.CharField(_("地区"), max_length=50)
    role = models.CharField(_("方案类别"), max_length=10, choices=PlanRole.choices, default=PlanRole.OWN)
    corrections = models.JSONField(_("更正"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name=_("导入后的方案"),
    )

    class Meta:
        verbose_name = _("待确认的方案")
        verbose_name_plural = _("待确认的方案")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.structure.get('title') or self.source_name}（{self.get_status_display()}）"
