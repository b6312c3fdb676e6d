"""What the key-enterprises app does on events (registered at start-up by ``EnterprisesConfig``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from carbonpeak.core import events


@events.handles("period_opened", _("为各重点企业的一企一策建立本期进展"), background=False)
def open_plan_progress(period_id: int) -> None:
    """A quarter opened: the key enterprises' 一企一策 progress is due in it too, like a task's."""
    from carbonpeak.enterprises import services
    from carbonpeak.supervision.models import ReportingPeriod

    services.open_progress(ReportingPeriod.objects.get(pk=period_id))


@events.handles("accounts_recomputed", _("已审核企业年报按正式因子集另行重算"), order=40)
def follow_official_factors(run_id: int) -> int:
    """New official accounts (a new factor set adopted, or factors entered): approved enterprise reports on
    an older set get a computation on the official one beside their approved figures."""
    from carbonpeak.enterprises import services

    return services.follow_official_factors()
