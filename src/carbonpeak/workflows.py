"""What follows a domain event, in one place: pages, API and CLI call the services, the services call these.

An approved energy submission changes the accounts, which change the computed indicators, the projections
and so the grades; an approved indicator value changes the grades. Each event enqueues one background job
(django-tasks) that does the whole chain in order. The job is enqueued inside the service's transaction:
with the database backend its row commits with the approval (a rolled-back approval leaves no job), and the
worker (``carbonpeak worker``) runs it; in tests the immediate backend runs it at once.
"""

from __future__ import annotations

import logging

from django_tasks import task

log = logging.getLogger(__name__)

REFRESH_QUEUE = "default"


# ------------------------------------------------------------------ the chains (run by the worker)


@task()
def refresh_after_energy(reason: str, user_id: int | None = None) -> dict:
    """New approved energy data: account it with the official factor set, then budgets, projections and
    grades on the run just made."""
    from carbonpeak.energy import services as energy

    run = energy.recompute(energy.official_factor_set(), user=_user(user_id), reason=reason)
    out = {"accounting_run": run.pk, "error": run.error}
    if not run.error:
        out.update(_projections_and_grades(run))
    return out


@task()
def refresh_projections_and_grades(run_id: int | None = None) -> dict:
    """New official accounts made by hand, or a scenario changed: budgets, projections and grades on the
    given run (or the current accounts)."""
    from carbonpeak.energy.models import AccountingRun

    run = AccountingRun.objects.filter(pk=run_id).first() if run_id is not None else None
    return _projections_and_grades(run)


@task()
def refresh_grades() -> dict:
    """A reported indicator value approved: grade the plan again (warnings on changes)."""
    from carbonpeak.monitoring import services as monitoring
    from carbonpeak.plans.selectors import current_plan

    plan = current_plan()
    return {"warnings": len(monitoring.evaluate(plan)) if plan else 0}


@task()
def compute_projection(name: str, draws: int, seed: int, end_year: int, user_id: int | None = None) -> dict:
    """A projection someone asked for with other inputs than the defaults (the API, a longer horizon)."""
    from carbonpeak.plans.selectors import current_plan
    from carbonpeak.projection import services as projection

    plan = current_plan()
    if plan is None:
        return {"projection": None}
    run = projection.run_projection(
        name, plan=plan, draws=draws, seed=seed, end_year=end_year, user=_user(user_id)
    )
    return {"projection": run.pk}


@task()
def build_quarterly_report(job_id: int) -> str:
    from carbonpeak.reports import services as jobs

    return jobs.build_by_id(job_id)


def regrade_if_new_day() -> bool:
    """The daily re-grade (the worker's schedule calls this): a grade depends on the day too (data fall
    overdue), so once a day the job grades the plan and keeps the grades for the pages, which never do.
    Returns whether a job was enqueued (none when today's grades are stored or a re-grade is queued)."""
    from django.utils import timezone

    from carbonpeak.core import jobs, versions
    from carbonpeak.monitoring.selectors import statuses_key
    from carbonpeak.plans.selectors import current_plan

    plan = current_plan()
    if plan is None or versions.is_stored(statuses_key(plan, timezone.localdate())):
        return False
    if jobs.queued(refresh_grades.name) or jobs.queued(refresh_projections_and_grades.name):
        return False
    refresh_grades.enqueue()
    return True


def _projections_and_grades(run=None) -> dict:
    from carbonpeak.budgets import services as budgets
    from carbonpeak.energy import selectors as energy
    from carbonpeak.monitoring import services as monitoring
    from carbonpeak.plans.selectors import current_plan
    from carbonpeak.projection import services as projection

    run = run or energy.current_run()
    budget_warnings = budgets.refresh_all(run)  # the budgets' use follows the accounts, plan or not
    plan = current_plan()
    if plan is None:
        return {"projections": 0, "warnings": 0, "budget_warnings": budget_warnings}
    made = projection.run_all(plan, run=run)
    return {
        "projections": made,
        "warnings": len(monitoring.evaluate(plan, run=run)),
        "budget_warnings": budget_warnings,
    }


def _user(user_id: int | None):
    if user_id is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()


def _user_id(user) -> int | None:
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


# ------------------------------------------------------------------ the events (called by services)


def energy_approved(submission, user) -> None:
    refresh_after_energy.enqueue(
        f"审核通过 {submission.region} {submission.period} 第{submission.revision}版", _user_id(user)
    )


def sample_energy_loaded(user) -> None:
    refresh_after_energy.enqueue("载入示例数据", _user_id(user))


def land_data_changed() -> None:
    """The sinks were recomputed: an indicator computed from the land data (湿地保护率) may change grade."""
    refresh_grades.enqueue()


def certificates_changed(reason: str, user) -> None:
    """The register of 绿证 changed: the non-fossil share and the deduction change with it."""
    refresh_after_energy.enqueue(reason, _user_id(user))


def target_value_set(target, user) -> None:
    """A target value handed down was entered: the grades depend on it, and the accounts too when it is the
    energy-intensity target that caps the certificate deduction (and certificates are registered)."""
    from carbonpeak.energy.models import GreenCertificate
    from carbonpeak.plans.selectors import ENERGY_INTENSITY

    if target.indicator in ENERGY_INTENSITY and GreenCertificate.objects.exists():
        refresh_after_energy.enqueue(
            f"录入上级下达目标值：{target.indicator} {target.year}年", _user_id(user)
        )
    else:
        refresh_grades.enqueue()


def handed_down_total_set(target, document: str, user) -> None:
    """A total handed down: linked to its computed indicator at once (with the document), then graded."""
    from carbonpeak.monitoring import services as monitoring

    monitoring.propose_links(target.plan)
    monitoring.set_value_document(target.plan, target.indicator, target.year, document)
    refresh_grades.enqueue()


def accounts_recomputed(run) -> None:
    """The official accounts were recomputed by hand (a what-if run is followed by nothing)."""
    if not run.error:
        refresh_projections_and_grades.enqueue(run.pk)


def scenario_changed(scenario) -> None:
    refresh_projections_and_grades.enqueue()


def observation_approved(observation, user) -> None:
    refresh_grades.enqueue()


def projection_requested(name: str, *, draws: int, seed: int, end_year: int, user) -> None:
    compute_projection.enqueue(name, draws, seed, end_year, _user_id(user))


def quarterly_report_requested(job) -> None:
    build_quarterly_report.enqueue(job.pk)


def period_opened(period) -> None:
    """A quarter opened: the key enterprises' 一企一策 progress is due in it too, like a task's."""
    from carbonpeak.enterprises import services as enterprises

    enterprises.open_progress(period)
