"""Reads of the stored projections that the dashboard's grading, the pages, the API and the CLI share.

Pages and grading never compute a projection: the background jobs make them after new accounts
(``services.run_all``), and these functions only read what was stored for the current accounts.
"""

from __future__ import annotations

from django.conf import settings

from carbonpeak.energy import selectors as energy
from carbonpeak.plans.models import Plan
from carbonpeak.projection import model, scenarios
from carbonpeak.projection.models import ProjectionRun, Scenario

DEFAULT_SEED = 1
PLANNED = scenarios.PLANNED


def default_draws() -> int:
    """The draws of the projections the background jobs keep (the site's ``CARBONPEAK_PROJECTION_DRAWS``,
    10,000 unless set): what pages, grades and the report read."""
    return settings.CARBONPEAK_PROJECTION_DRAWS


def scenario_names() -> list[str]:
    """The scenarios projected and shown: the built-in ones — the 项目库情景 once the key-project register
    holds a project (本平台规则: without one it would size its measures by nothing) — then the coordinator's."""
    from carbonpeak.projects.models import KeyProject

    built_in = [n for n in scenarios.BUILT_IN if n != scenarios.PIPELINE or KeyProject.objects.exists()]
    return [*built_in, *Scenario.objects.order_by("name").values_list("name", flat=True)]


def event_state() -> str:
    """The unit events as set now, in one line: a projection is computed again when they change."""
    from carbonpeak.projection.models import UnitEvent

    return "；".join(f"{e.key}={e.status}@{e.year}" for e in UnitEvent.objects.order_by("key"))


def stored_projection(
    name: str,
    plan: Plan,
    *,
    draws: int | None = None,
    seed: int = DEFAULT_SEED,
    end_year: int = model.END_YEAR,
    boundary: str = "",
) -> ProjectionRun | None:
    """The projection already computed for ``name`` on the latest accounting run (reads only); ``draws`` as
    the site keeps them unless given; ``boundary`` the headline boundary asked for (blank: the one the
    accounting names as assessed)."""
    acc_run = energy.current_run()
    if acc_run is None or name not in scenario_names():
        return None
    version = None
    if name not in scenarios.BUILT_IN:
        custom = Scenario.objects.filter(name=name).first()
        version = custom.current if custom else None
    return ProjectionRun.objects.filter(
        scenario_name=name,
        scenario_version=version,
        accounting_run=acc_run,
        plan=plan,
        draws=default_draws() if draws is None else draws,
        seed=seed,
        end_year=end_year,
        boundary=boundary,
        event_state=event_state(),
    ).first()


def peak_probabilities(plan: Plan) -> dict | None:
    """What the dashboard's peak targets are graded on: P(CO2 peak ≤ 2030) and P(refined oil peak ≤ its
    target year) under 规划情景, keyed by the target they answer; None until the background job has made
    the projection for the latest accounts (grading never computes one)."""
    run = stored_projection(PLANNED, plan)
    if run is None:
        return None
    return {
        "co2": run.result["p_peak_by_2030"],
        "refined_oil": run.result["refined_oil"]["p_peak_by_target"],
        "run": run.pk,
    }
