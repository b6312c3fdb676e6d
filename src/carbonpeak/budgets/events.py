"""What carbon double control does on events (registered at start-up by ``BudgetsConfig``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from carbonpeak.core import events


@events.handles("accounts_recomputed", _("碳预算使用跟踪"), order=10)
def track_budgets(run_id: int) -> dict:
    """The budgets' use follows the new accounts (plan or not)."""
    from carbonpeak.budgets import services
    from carbonpeak.energy.models import AccountingRun

    return {"budget_warnings": services.refresh_all(AccountingRun.objects.filter(pk=run_id).first())}
