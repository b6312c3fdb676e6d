"""What the reports app does on events (registered at start-up by ``ReportsConfig``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from carbonpeak.core import events


def _fail(report_id: int) -> None:
    """A report's build cannot be resumed: it ends as failed, with what to do."""
    from carbonpeak.core.jobs import INTERRUPTED
    from carbonpeak.reports import services

    services.fail_interrupted([report_id], f"生成中断（{INTERRUPTED}），请重新生成")


@events.handles("report_requested", _("生成季度报告"), on_interrupted=_fail)
def build_report(report_id: int) -> str:
    from carbonpeak.reports import services

    return services.build_by_id(report_id)
