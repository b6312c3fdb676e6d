"""Every entry point of a domain event triggers the same chain (each app's events.py, assembled at start-up),
one background job per event, and jobs a stopped worker left behind are retried or failed with a message."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse
from django_tasks.signals import task_finished

from carbonpeak.energy import selectors as energy_selectors
from carbonpeak.energy import services as energy
from carbonpeak.energy.models import AccountingRun, EnergySubmission
from carbonpeak.monitoring import services as monitoring
from carbonpeak.monitoring.grading import Grade
from carbonpeak.monitoring.models import Assessment, Indicator
from carbonpeak.projection.models import ProjectionRun
from carbonpeak.projection.scenarios import BUILT_IN, PIPELINE
from carbonpeak.reports import services as reports
from carbonpeak.reports.models import QuarterlyReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs():
    """The background jobs that ran during the test: (event, what its handlers returned), in the order they
    finished (a job that emits a further event finishes after that event's job)."""
    ran: list[tuple[str, object]] = []

    def on_finished(sender, task_result, **kwargs):
        ran.append((task_result.args[0], task_result.return_value))

    task_finished.connect(on_finished, weak=False)
    yield ran
    task_finished.disconnect(on_finished)


def _new_revision(coordinator) -> EnergySubmission:
    """A corrected 2025Q4 (every quantity +1 %), submitted and waiting for review."""
    current = energy_selectors.current_submission("2025Q4", "太仓市")
    records = [
        dataclasses.replace(r, quantity=r.quantity * 1.01) for r in energy_selectors.pure_records(current)
    ]
    sub = energy.create_submission(
        "2025Q4", "太仓市", records, energy_selectors.pure_economy(current), user=coordinator, is_sample=True
    )
    return energy.submit_submission(sub, user=coordinator)


def _approve_energy_by_service(client, sub, coordinator):
    energy.approve_submission(sub, user=coordinator)


def _approve_energy_by_page(client, sub, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("energy:submission_action", args=[sub.pk, "approve"]))
    assert response.status_code == 302


@pytest.mark.parametrize("entry", [_approve_energy_by_service, _approve_energy_by_page])
def test_approving_energy_data_recomputes_projects_and_grades(demo_plan, coordinator, client, jobs, entry):
    sub = _new_revision(coordinator)
    runs_before = AccountingRun.objects.count()
    entry(client, sub, coordinator)
    assert [event for event, _ in jobs] == ["accounts_recomputed", "energy_changed"]
    followed, recomputed = jobs[0][1], jobs[1][1]
    run = AccountingRun.objects.latest("id")
    assert AccountingRun.objects.count() == runs_before + 1
    assert recomputed["按正式因子集重新核算"]["accounting_run"] == run.pk
    assert sub.pk in run.submissions
    # every built-in scenario projected on the new accounts, then the plan graded on them
    assert list(followed) == [
        "碳预算使用跟踪",
        "各情景达峰预测",
        "评估目标并发出预警",
        "已审核企业年报按正式因子集另行重算",
    ]
    projected = set(BUILT_IN) - {PIPELINE}  # the 项目库情景 waits for a project in the register
    assert followed["各情景达峰预测"]["projections"] == len(projected)
    assert (
        set(ProjectionRun.objects.filter(accounting_run=run).values_list("scenario_name", flat=True))
        == projected
    )
    assert "warnings" in followed["评估目标并发出预警"]


def _approve_value_by_service(client, obs, coordinator):
    monitoring.approve_observation(obs, user=coordinator)


def _approve_value_by_page(client, obs, coordinator):
    client.force_login(coordinator)
    target = obs.indicator.targets.first().target
    response = client.post(reverse("monitoring:review", args=[target.pk, obs.pk, "approve"]))
    assert response.status_code == 302


def _approve_value_by_api(client, obs, coordinator):
    client.force_login(coordinator)
    response = client.post(
        f"/api/observations/{obs.pk}/approve", {"comment": ""}, content_type="application/json"
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("entry", [_approve_value_by_service, _approve_value_by_page, _approve_value_by_api])
def test_approving_an_indicator_value_grades_the_plan(demo_plan, coordinator, client, jobs, entry):
    bus = Indicator.objects.get(name="新能源和清洁能源公交车辆占比")
    obs = monitoring.report_observation(bus, 2025, 4, 40.0, coordinator, note="更正")
    obs = monitoring.submit_observation(obs, user=coordinator)
    entry(client, obs, coordinator)
    assert [event for event, _ in jobs] == ["observation_approved"]
    target = bus.targets.get(target__year=2025).target
    assert Assessment.objects.filter(target=target).first().grade == Grade.RED  # the stored grade moved


def test_recomputing_with_a_factor_set_reruns_projections_and_grades(demo_plan, coordinator, client, jobs):
    client.force_login(coordinator)
    fs = energy.official_factor_set()
    client.post(reverse("energy:recompute", args=[fs.pk]), {"reason": "复核"})
    assert [event for event, _ in jobs] == ["accounts_recomputed"]
    run = AccountingRun.objects.latest("id")
    assert ProjectionRun.objects.filter(accounting_run=run).count() == len(BUILT_IN) - 1  # not 项目库情景


@pytest.mark.parametrize("through", ["service", "page"])
def test_a_requested_report_is_built_by_a_background_job(demo_plan, coordinator, client, jobs, through):
    if through == "service":
        job = reports.request_report(demo_plan, "2025Q3", coordinator)
    else:
        client.force_login(coordinator)
        client.post(reverse("reports:generate"), {"period": "2025Q3"})
        job = QuarterlyReport.objects.get()
    assert [event for event, _ in jobs] == ["report_requested"]
    job.refresh_from_db()
    assert job.status == QuarterlyReport.State.DONE and job.docx_name


def test_jobs_left_running_by_a_stopped_worker_are_retried_or_failed(demo_plan, coordinator, settings):
    from django_tasks_db.models import DBTaskResult

    from carbonpeak.core import events
    from carbonpeak.core import jobs as job_state

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    report = reports.request_report(demo_plan, "2025Q3", coordinator)
    events.emit("observation_approved", observation_id=None)
    assert [j.label for j in job_state.recent()] == ["排队中", "排队中"] and job_state.pending() == 2
    DBTaskResult.objects.update(status="RUNNING")  # the worker took both, then stopped
    assert job_state.recover_interrupted() == (1, 1)
    report.refresh_from_db()
    assert report.status == QuarterlyReport.State.FAILED and "请重新生成" in report.message
    assert DBTaskResult.objects.filter(status="FAILED").count() == 2
    retried = DBTaskResult.objects.get(status="READY")
    assert retried.args_kwargs["args"] == ["observation_approved", {"observation_id": None}]


def test_a_job_is_recovered_only_when_its_worker_stopped_beating(demo_plan, coordinator, settings):
    """Two workers: one beats, one was killed (no beat for a minute). Only the killed worker's job is taken
    over, by exactly one of the workers that notice (the second look finds nothing to do)."""
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from carbonpeak.core import events
    from carbonpeak.core import jobs as job_state
    from carbonpeak.core.models import WorkerHeartbeat

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    events.emit("observation_approved", observation_id=1)
    events.emit("observation_approved", observation_id=2)
    first, second = DBTaskResult.objects.order_by("enqueued_at")
    live, killed = job_state.new_worker_id(), job_state.new_worker_id()
    assert live != killed and len(live) <= 64
    first.claim(live)
    second.claim(killed)
    job_state.beat(live)
    job_state.beat(killed)
    WorkerHeartbeat.objects.filter(worker_id=killed).update(beat_at=timezone.now() - dt.timedelta(seconds=61))
    assert job_state.live_workers() == {live}
    assert job_state.recover_interrupted() == (1, 0)
    assert job_state.recover_interrupted() == (0, 0)  # already taken over: never twice
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "RUNNING" and second.status == "FAILED"
    again = DBTaskResult.objects.get(status="READY")
    assert again.args_kwargs["args"] == ["observation_approved", {"observation_id": 2}]
    job_state.stopped(live)  # a worker that ends cleanly leaves no beat behind
    assert not WorkerHeartbeat.objects.filter(worker_id=live).exists()


def test_a_batch_of_jobs_beats_while_it_runs(db, settings, monkeypatch):
    """The demo's set-up runs the queued jobs in a batch: its worker beats while they run (so that another
    worker starting meanwhile does not take them for abandoned) and leaves no beat behind."""
    from carbonpeak.core import jobs
    from carbonpeak.core.models import WorkerHeartbeat

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    seen = {}

    def batch(name, **options):
        seen.update(name=name, worker=options["worker_id"], alive=options["worker_id"] in jobs.live_workers())

    monkeypatch.setattr("django.core.management.call_command", batch)
    jobs.run_pending()
    assert seen["name"] == "db_worker" and seen["alive"]
    assert not WorkerHeartbeat.objects.filter(worker_id=seen["worker"]).exists()


def test_pages_say_what_the_background_jobs_are_doing(demo_plan, coordinator, client, settings, monkeypatch):
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    # the worker drops connections it finds inside a transaction; the test's own is one (PostgreSQL)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    sub = _new_revision(coordinator)
    _approve_energy_by_page(client, sub, coordinator)
    page = client.get(reverse("monitoring:dashboard")).content.decode()
    assert 'data-testid="jobs-banner"' in page and "后台任务 1 个排队或运行中" in page
    listing = client.get(reverse("web:jobs")).content.decode()
    assert "能源数据变化（报送审核通过、绿证登记、采用因子集）：按正式因子集重新核算" in listing
    assert "排队中" in listing
    assert 'http-equiv="refresh"' in listing

    call_command("db_worker", batch=True, interval=0)
    listing = client.get(reverse("web:jobs")).content.decode()
    assert "已完成" in listing and "排队中" not in listing and 'http-equiv="refresh"' not in listing
    assert 'data-testid="jobs-banner"' not in client.get(reverse("monitoring:dashboard")).content.decode()


def test_the_chain_is_declared_by_the_apps_and_printed_in_order():
    from carbonpeak.core import events

    chain = events.chain()
    assert chain["正式核算更新"] == [
        "碳预算使用跟踪",
        "各情景达峰预测",
        "评估目标并发出预警",
        "已审核企业年报按正式因子集另行重算",
    ]
    assert chain["方案导入或更新"] == ["将方案目标对应到监测指标"]
    assert all(event in events.EVENTS.values() for event in chain)


def test_a_rolled_back_write_leaves_no_job(demo_plan, coordinator, settings):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from carbonpeak.core import events

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit("observation_approved", observation_id=None)
        raise RuntimeError("the write failed")
    assert not DBTaskResult.objects.exists()
