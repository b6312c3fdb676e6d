"""The key projects feed the projection (issue 38): the 项目库情景 sizes photovoltaics and industrial efficiency
by the projects in hand (bottom-up) and says so in its measures; a project counts once the coordinator has
approved a quarter of its progress, and then the measure grows."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from carbonpeak.departments.models import Department
from carbonpeak.projection import scenarios
from carbonpeak.projection import services as projection
from carbonpeak.projects import selectors, services
from carbonpeak.projects.models import ProjectKind, ProjectStatus

pytestmark = pytest.mark.django_db
DRAWS = 400


def _pv(coordinator, name: str, mw: float):
    lead = Department.objects.get(name="市发改委")
    return services.register_project(
        coordinator,
        services.ProjectForm(
            name=name,
            kind=ProjectKind.PV,
            lead=lead,
            status=ProjectStatus.OPERATING,
            completion_date=dt.date(2025, 12, 1),
            capacity_kw=mw * 1000,
        ),
    )


def _approve(coordinator, project, period="2026Q1"):
    progress = services.save_progress(coordinator, project, period, measured_kwh="100000")
    services.submit_progress(progress, user=coordinator)
    services.approve_progress(progress, user=coordinator)


def _measure(run, key: str) -> dict:
    return next(m for m in run.result["measures"] if m["key"] == key)


def test_an_approved_project_sizes_the_pipeline_scenarios_measure(demo_plan, coordinator):
    project = _pv(coordinator, "光伏甲", 300)
    before = projection.run_projection(scenarios.PIPELINE, plan=demo_plan, draws=DRAWS, seed=1)
    pv = _measure(before, "pv")
    assert pv["source"] == "projects" and pv["projects"] == {"mw": 0.0, "projects": 0}  # not in hand yet
    assert _measure(before, "fleets")["source"] == "assumption"
    planned = projection.run_projection(scenarios.PLANNED, plan=demo_plan, draws=DRAWS, seed=1)
    assert all(m["source"] == "assumption" for m in planned.result["measures"])

    _approve(coordinator, project)
    assert selectors.in_hand(selectors.projects().get(pk=project.pk))
    after = projection.run_projection(scenarios.PIPELINE, plan=demo_plan, draws=DRAWS, seed=1)
    assert after.pk != before.pk  # not the stored run: the projects in hand changed
    assert _measure(after, "pv")["projects"] == {"mw": 300.0, "projects": 1}
    reduction = {e["key"]: e["reduction_2030_t"] for e in after.result["lever_details"]}
    earlier = {e["key"]: e["reduction_2030_t"] for e in before.result["lever_details"]}
    assert reduction["pv"] > earlier["pv"]  # the measure grew with the project
    assert after.result["p_peak_by_2030"] >= before.result["p_peak_by_2030"]


def test_the_command_lists_the_measures_with_their_source(demo_plan, coordinator, capsys):
    from carbonpeak.cli import main

    assert main(["project", "--scenario", scenarios.PIPELINE, "--draws", str(DRAWS), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    sources = {m["key"]: m["source"] for m in out["measures"]}
    assert (
        sources["pv"] == "projects"
        and sources["industry"] == "projects"
        and sources["fleets"] == "assumption"
    )


def test_coverage_of_the_reduction_the_plan_needs(demo_plan, coordinator):
    """The projects in hand against the reduction the plan needs (基准情景 less 规划情景, medians): a project
    whose effect is missing is counted as missing, not as 0; with the full-load hours entered it covers its
    yearly tCO2 from its first whole year."""
    project = _pv(coordinator, "光伏乙", 50)
    _approve(coordinator, project)
    found = selectors.coverage()
    assert found.missing == 1 and found.covered == {2025: 0.0, 2030: 0.0}
    services.set_full_load_hours(coordinator, ProjectKind.PV, "1000", "测试：协调员录入，注明来源")
    found = selectors.coverage()
    assert found.missing == 0 and found.covered[2025] == 0.0  # completed in December 2025: counts from 2026
    assert found.covered[2030] == pytest.approx(
        50_000 * 1000 * 0.5827e-3, rel=0.2
    )  # the grid factor of its year
    assert found.needed[2030] is not None  # the demo's accounts are projected in both scenarios
    assert found.share(2030) == pytest.approx(found.covered[2030] / found.needed[2030])


def test_the_scenario_is_shown_once_the_register_holds_a_project(demo_plan, coordinator):
    from carbonpeak.projection.selectors import scenario_names

    assert scenarios.PIPELINE not in scenario_names()
    _pv(coordinator, "光伏丙", 10)
    assert scenarios.PIPELINE in scenario_names()
