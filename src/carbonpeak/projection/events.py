"""What the projection app does on events (registered at start-up by ``ProjectionConfig``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from carbonpeak.core import events


def _project_all(run_id: int | None) -> dict:
    from carbonpeak.energy.models import AccountingRun
    from carbonpeak.plans.selectors import current_plan
    from carbonpeak.projection import services

    plan = current_plan()
    run = AccountingRun.objects.filter(pk=run_id).first() if run_id is not None else None
    return {"projections": services.run_all(plan, run=run) if plan is not None else 0}


@events.handles("accounts_recomputed", _("各情景达峰预测"), order=20)
def project_on_new_accounts(run_id: int) -> dict:
    """Every scenario projected on the accounts just made (the grades read the 规划情景 probability) — unless
    newer accounts replaced them before this job ran: their own job projects on them, and projecting on
    accounts nobody reads any more would only delay it (several approvals in a row queue one job each)."""
    from carbonpeak.energy import selectors as energy

    current = energy.current_run()
    if current is not None and current.pk != run_id:
        return {"projections": 0, "superseded_by": current.pk}
    return _project_all(run_id)


@events.handles("scenario_changed", _("各情景达峰预测"), order=20)
def project_changed_scenario(scenario: str = "") -> dict:
    return _project_all(None)


@events.handles("projection_requested", _("按请求计算达峰预测"))
def compute_requested(
    name: str, draws: int, seed: int, end_year: int, user_id: int | None = None, boundary: str = ""
) -> dict:
    """A projection someone asked for with other inputs than the defaults (the API, a longer horizon)."""
    from django.contrib.auth import get_user_model

    from carbonpeak.plans.selectors import current_plan
    from carbonpeak.projection import services

    plan = current_plan()
    if plan is None:
        return {"projection": None}
    user = get_user_model().objects.filter(pk=user_id).first() if user_id is not None else None
    run = services.run_projection(
        name, plan=plan, draws=draws, seed=seed, end_year=end_year, user=user, boundary=boundary
    )
    return {"projection": run.pk}


@events.handles("key_projects_changed", _("项目库情景达峰预测"), order=20)
def project_the_pipeline() -> dict:
    """The 项目库情景 projected again once the projects in hand changed (a progress approved, a project
    registered): its measures are sized by them."""
    from carbonpeak.plans.selectors import current_plan
    from carbonpeak.projection import scenarios, services

    plan = current_plan()
    if plan is None:
        return {"projection": None}
    try:
        run = services.run_projection(scenarios.PIPELINE, plan=plan)
    except services.NoData:
        return {"projection": None}
    return {"projection": run.pk}
