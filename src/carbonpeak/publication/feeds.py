"""The Atom feed of releases (Django's syndication framework): one entry per release, corrections included."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carbonpeak.publication import selectors
from carbonpeak.publication.models import Release


class ReleasesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("碳达峰工作数据发布")
    subtitle = gettext_lazy("本市碳达峰实施方案的季度数据发布与更正")

    def link(self) -> str:
        return reverse("publication:index")

    def items(self):
        return selectors.released()[:50]

    def item_title(self, item: Release) -> str:
        title = selectors.title(item)
        return _("%(title)s（示例数据）") % {"title": title} if item.is_sample else title

    def item_description(self, item: Release) -> str:
        text = item.note
        if item.corrects_id:
            text = _("更正说明：%(note)s") % {"note": item.correction_note} + f"\n{text}"
        return text

    def item_link(self, item: Release) -> str:
        return reverse("publication:release", args=[item.pk])

    def item_pubdate(self, item: Release):
        return item.reviewed_at

    def item_updateddate(self, item: Release):
        return item.reviewed_at
