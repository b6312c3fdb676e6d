"""Who belongs to which department or district, and their API tokens (the audit log is in ``core``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carbonpeak.departments.models import Department


class Membership(models.Model):
    """A user's department (市级部门) or district (区镇): what they may report is decided from it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("用户")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="members", verbose_name=_("所属部门/区镇")
    )

    class Meta:
        verbose_name = _("部门成员")
        verbose_name_plural = _("部门成员")

    def __str__(self) -> str:
        return f"{self.user} · {self.department}"


class RegionScope(models.Model):
    """A parent region's viewer (上级查看员): the region whose subtree they read (苏州市 reads 太仓市 and its towns)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="region_scope",
        verbose_name=_("用户"),
    )
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="viewers", verbose_name=_("所属地区")
    )

    class Meta:
        verbose_name = _("上级查看范围")
        verbose_name_plural = _("上级查看范围")

    def __str__(self) -> str:
        return f"{self.user} · {self.region}"


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"


class Preference(models.Model):
    """What a user chose for themselves: the language of the interface, kept for every device they log in
    from (an anonymous visitor's choice is a cookie; otherwise the browser's Accept-Language decides)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference", verbose_name=_("用户")
    )
    language = models.CharField(_("界面语言"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("用户偏好")
        verbose_name_plural = _("用户偏好")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_language_display()}"
