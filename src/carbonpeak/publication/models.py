"""Releases: the figures a quarter's coordinator chose for the public, frozen, approved by a leader.

A release moves on the shared review lifecycle (draft → submitted by the coordinator → approved by a leader,
which is the release itself). Its ``snapshot`` is what the public pages, the feed and the open data show —
nothing else of the platform reaches them. A correction is a new release that names the one it corrects;
the earlier one stays in the archive, marked as corrected.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carbonpeak.core.models import ReviewedRecord, ReviewStatus


class Release(ReviewedRecord):
    review_noun = pgettext_lazy("record named in a sentence", "发布申请")

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="releases", verbose_name=_("方案")
    )
    period = models.CharField(_("报告期"), max_length=10)
    title = models.CharField(_("标题"), max_length=200)
    note = models.TextField(_("发布说明"))
    correction_note = models.TextField(_("更正说明"), blank=True)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("更正的发布"),
    )
    report = models.ForeignKey(
        "reports.QuarterlyReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="releases",
        verbose_name=_("随附季度报告"),
    )
    snapshot = models.JSONField(_("发布内容"), default=dict)
    is_sample = models.BooleanField(_("含示例数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("申请人"),
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("数据发布")
        verbose_name_plural = _("数据发布")
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def released(self) -> bool:
        return self.status == ReviewStatus.APPROVED

    @property
    def released_at(self):
        return self.reviewed_at if self.released else None
