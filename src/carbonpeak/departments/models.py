"""The departments and districts (部门与区镇) the plan assigns work to, and the other names documents use for them.

Their own app, below both the plan registry and the user accounts: a task names a department, a user belongs
to one, and neither app has to import the other for it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    CITY = "市级部门", _("市级部门")
    DISTRICT = "区镇", _("区镇")
    ENTERPRISE = "企业", _("企业")
    OTHER = "其他", _("其他")


class Department(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(
        _("类型"), max_length=10, choices=DepartmentKind.choices, default=DepartmentKind.OTHER
    )
    email = models.EmailField(_("预警通知邮箱"), blank=True)

    class Meta:
        verbose_name = _("部门/单位")
        verbose_name_plural = _("部门/单位")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class DepartmentAlias(models.Model):
    """Another name under which a document may mention the department (太仓生态环境局 / 市生态环境局)."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("部门")
    )
    name = models.CharField(_("别名"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("部门别名")
        verbose_name_plural = _("部门别名")

    def __str__(self) -> str:
        return f"{self.name} → {self.department.name}"
