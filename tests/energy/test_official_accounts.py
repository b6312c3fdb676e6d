"""Which accounts are "the" accounts: the newest run of the factor set the coordinator adopted. A what-if
recomputation with another set is kept and shown beside them, and changes nothing that grades, projects,
budgets or reports until the coordinator adopts that set."""

from __future__ import annotations

import re

import pytest

from carbonpeak.budgets import services as budgets
from carbonpeak.budgets.models import BudgetTracking
from carbonpeak.core.audit import AuditEvent
from carbonpeak.core.regions import ensure_regions
from carbonpeak.energy import selectors, services
from carbonpeak.energy.models import AccountingRun
from carbonpeak.monitoring.models import Assessment, EarlyWarning
from carbonpeak.projection import selectors as projection
from carbonpeak.projection.models import ProjectionRun

pytestmark = pytest.mark.django_db

# a grid factor far from the reference's, so that a leak into the official figures cannot go unnoticed
WHAT_IF = "kind,key,year,value,unit,source,status\n" + "".join(
    f"grid_co2,江苏,{year},0.9,kgCO2/kWh,测试输入（试算，非参考值）,test\n" for year in range(2020, 2026)
)


def _without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _state(client, plan) -> dict:
    """Everything a coordinator reads off the accounts: targets, the dashboard's figures, budget use, the
    stored projection, the energy summary."""
    planned = projection.stored_projection(projection.PLANNED, plan)
    return {
        "targets": client.get("/api/targets").json(),
        "summary": client.get("/api/energy/summary").json(),
        "tracking": sorted(BudgetTracking.objects.values_list("dimension", "name", "used_tco2", "grade")),
        "projection": planned and (planned.pk, planned.result["p_peak_by_2030"]),
        "assessments": Assessment.objects.count(),
        "warnings": EarlyWarning.objects.count(),
    }


def test_a_what_if_recomputation_changes_nothing_official(client, demo_plan, coordinator):
    ensure_regions()
    budgets.set_budget(
        coordinator, region="太仓市", year=2025, method="handed_down", tco2=2.3e7, document="测试输入"
    )
    client.force_login(coordinator)
    official = selectors.current_run()
    before = _state(client, demo_plan)
    dashboard = _without_token(client.get("/monitoring/").content.decode())

    what_if_set = services.import_factor_csv(
        WHAT_IF, name="national", version="what-if", user=coordinator, based_on=official.factor_set
    )
    run = services.recompute_with(what_if_set, coordinator, "试算：假设电网因子 0.9")

    assert run.error == "" and AccountingRun.objects.latest("created_at").pk == run.pk  # the newest run …
    assert selectors.current_run() == official  # … is not the accounts
    assert selectors.is_what_if(run) and not selectors.is_what_if(official)
    assert _state(client, demo_plan) == before
    assert _without_token(client.get("/monitoring/").content.decode()) == dashboard
    what_if_page = client.get(f"/energy/runs/{run.pk}/").content.decode()
    assert "试算" in what_if_page
    assert AuditEvent.objects.filter(object_id=str(run.pk), after__official=False).exists()


def test_adopting_a_set_makes_its_accounts_official_and_everything_follows(client, demo_plan, coordinator):
    client.force_login(coordinator)
    official = selectors.current_run()
    before = _state(client, demo_plan)
    new_set = services.import_factor_csv(
        WHAT_IF, name="national", version="adopted", user=coordinator, based_on=official.factor_set
    )
    run = services.adopt_factor_set(new_set, user=coordinator, reason="测试：采用新电网因子")

    assert selectors.official_factor_set() == new_set and selectors.current_run() == run
    after = _state(client, demo_plan)
    assert after["summary"] != before["summary"]
    assert after["projection"][0] != before["projection"][0]  # the projection follows the new accounts
    assert ProjectionRun.objects.filter(accounting_run=run).exists()
    assert AuditEvent.objects.filter(after__official_set=new_set.label).exists()
