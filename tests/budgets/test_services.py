"""Budgets through the services on the sample accounts: the city's budget from the intensity target, the
allocation to the seven units and to sectors summing to the whole, tracking and its warnings."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carbonpeak.budgets import assessment, selectors, services
from carbonpeak.budgets.models import Allocation, BudgetTracking
from carbonpeak.core.regions import ensure_regions


@pytest.fixture
def districts_loaded(db, coordinator):
    from carbonpeak.energy.services import ensure_bundled_factor_sets, load_sample_data, load_sample_districts

    ensure_regions()
    ensure_bundled_factor_sets()
    load_sample_data(coordinator)
    load_sample_districts(coordinator)
    return coordinator


def _budget_2024(user):
    return services.set_budget(
        user,
        region="太仓市",
        year=2024,
        method="intensity",
        reduction_pct=3.9,
        baseline_year=2023,
        target_year=2024,
        growth_pct=7.0,
        document="测试输入",
    )


def test_budget_from_the_accounts_and_its_allocations(districts_loaded):
    user = districts_loaded
    run = selectors.current_run()
    base = selectors.annual(run, "太仓市", 2023)
    budget = _budget_2024(user)
    intensity = base.data["carbon_intensity_t_per_10k_yuan"] * (1 - 0.039)
    gdp = base.data["gdp_constant_100m_yuan"] * 1.07
    assert budget.tco2 == pytest.approx(round(intensity * gdp * 1e4), abs=1)
    assert budget.quarter_basis == "按基年各季度排放占比" and sum(budget.quarter_shares) == pytest.approx(1)
    assert "口径" in budget.boundary

    for method in ("historical", "intensity"):
        growth = {name: 5.0 for name in selectors.district_names(budget.region)} | {
            selectors.UNALLOCATED: 5.0
        }
        allocation = services.allocate(user, budget, Allocation.DISTRICT, method, growth=growth)
        parts = list(allocation.parts.all())
        assert sum(p.tco2 for p in parts) == round(budget.tco2)
        assert [p.name for p in parts][:7] == selectors.district_names(budget.region)
        assert parts[-1].name == selectors.UNALLOCATED and parts[-1].tco2 > 0  # 未分解 shown, never hidden
    sectors = services.allocate(user, budget, Allocation.SECTOR, "historical")
    assert sum(p.tco2 for p in sectors.parts.all()) == round(budget.tco2)

    table = selectors.budget_table(budget)
    assert len(table["districts"]) == 8 and table["sectors"]
    used = [d["used_tco2"] for d in table["districts"]]
    assert all(u is not None for u in used)
    # the parts' use sums to the city's use (the 未分解 part included), on the same boundary
    assert sum(used) == pytest.approx(table["city"]["used_tco2"], rel=1e-9)
    assert sum(s["used_tco2"] for s in table["sectors"]) == pytest.approx(
        table["city"]["used_tco2"], rel=1e-9
    )


def test_manual_allocation_must_sum_to_the_whole(districts_loaded):
    user = districts_loaded
    budget = _budget_2024(user)
    names = [*selectors.district_names(budget.region), selectors.UNALLOCATED]
    each = round(budget.tco2) // len(names)
    manual = dict.fromkeys(names, each)
    manual[names[0]] += round(budget.tco2) - each * len(names)
    services.allocate(user, budget, Allocation.DISTRICT, "manual", manual=manual)
    manual[names[1]] += 10
    with pytest.raises(ValidationError, match="相差 10 吨"):
        services.allocate(user, budget, Allocation.DISTRICT, "manual", manual=manual)
    kept = budget.allocations.get(dimension=Allocation.DISTRICT)
    assert sum(p.tco2 for p in kept.parts.all()) == round(budget.tco2)  # the refused one wrote nothing
    with pytest.raises(ValidationError, match="手工分配"):
        services.set_budget(user, region="太仓市", year=2024, method="handed_down", tco2=1e6, document="文件")


def test_only_a_coordinator_sets_budgets(districts_loaded, django_user_model):
    from carbonpeak.demo import ensure_demo_users

    ensure_demo_users()
    town = django_user_model.objects.get(username="chengxiang")
    with pytest.raises(PermissionDenied):
        services.set_budget(town, region="太仓市", year=2024, method="handed_down", tco2=1e6, document="x")


def test_a_change_of_grade_warns(districts_loaded):
    from carbonpeak.monitoring.models import EarlyWarning

    user = districts_loaded
    budget = services.set_budget(
        user, region="太仓市", year=2024, method="handed_down", tco2=1e10, document="测试输入"
    )
    assert budget.tracking.get(dimension=BudgetTracking.CITY).grade == "green"
    services.set_budget(user, region="太仓市", year=2024, method="handed_down", tco2=1.0, document="测试输入")
    assert budget.tracking.get(dimension=BudgetTracking.CITY).grade == "red"
    warning = EarlyWarning.objects.get(kind="budget")
    assert (
        warning.target is None and "2024年碳预算" in warning.message and warning.href.startswith("/budgets/")
    )


def _project(user, district="港区", **extra):
    fields = {
        "name": "测试项目",
        "applicant": "测试建设单位",
        "district": district,
        "sector": "化学纤维制造业",
        "operation_year": 2026,
        "fuels": [{"fuel": "天然气", "unit": "万立方米", "quantity": 500}],
        "electricity_kwh": 8e7,
        "value_added_10k": 50_000.0,
    }
    return assessment.register_project(user, **(fields | extra))


def test_a_projects_assessment_and_its_share_of_the_remaining_budget(districts_loaded):
    from carbonpeak.energy.selectors import official_factors
    from carbonpeak.enterprises import mrv

    user = districts_loaded
    budget = _budget_2024(user)
    services.allocate(user, budget, Allocation.DISTRICT, "historical")
    project = _project(user)
    got = project.assessment
    # the same engine as the enterprise reports: fuels plus electricity bought, on the assessed boundary
    fig = mrv.figures(
        mrv.ReportInput("x", "化学纤维制造业", 2025, (mrv.FuelLine("天然气", "万立方米", 500.0),), 8e7, 0.0),
        official_factors(),
    )
    assert got["factor_year"] == 2025
    assert got["co2_t"] == pytest.approx(fig.co2_t) and got["tce_calorific"] == pytest.approx(fig.energy_tce)
    assert got["tce_equivalent"] is None and got["missing"]  # no 发电 coal rate entered: 缺失, not a default
    assert got["tce_per_10k_yuan"] == pytest.approx(fig.energy_tce / 50_000)
    rows = {t.name: t for t in budget.tracking.all()}
    district = rows["港区"]
    remaining = district.budget_tco2 - district.used_tco2
    if remaining > 0:
        assert got["district_budget_share"] == pytest.approx(fig.co2_t / remaining)
    else:
        assert got["district_budget_share"] is None and "已用完" in got["district_budget_words"]
    city = rows["太仓市"]
    assert got["city_remaining_tco2"] == pytest.approx(city.budget_tco2 - city.used_tco2)
    assert got["review"]["level"] in ("省级节能审查", "地方节能审查")

    assessment.submit_project(project, user=user)
    with pytest.raises(ValidationError, match="条件"):
        assessment.decide_project(project, user=user, decision="conditional")
    assessment.decide_project(
        project,
        user=user,
        decision="conditional",
        conditions="配套建设光伏",
        review_number="太发改〔2026〕1号",
    )
    project.refresh_from_db()
    assert (project.status, project.decision, project.reviewed_by) == ("approved", "conditional", user)

    assessment.accept_project(
        user,
        project,
        accepted_on=__import__("datetime").date(2026, 10, 1),
        fuels=[{"fuel": "天然气", "unit": "万立方米", "quantity": 550}],
        electricity_kwh=8e7,
    )
    assert project.acceptance["status"] == "缺失"  # no tolerance entered: the deviation shown, not judged
    assert project.acceptance["deviation_pct"] > 0


def test_a_district_reporter_registers_only_in_its_own_district(districts_loaded, django_user_model):
    town = django_user_model.objects.get(username="chengxiang")
    assert _project(town, district="城厢镇").district == "城厢镇"
    with pytest.raises(PermissionDenied):
        _project(town, district="港区")


def test_a_project_the_engine_cannot_account_writes_nothing(districts_loaded):
    from carbonpeak.budgets.models import ProjectAssessment

    with pytest.raises(ValidationError, match="未知能源品种"):
        _project(districts_loaded, fuels=[{"fuel": "暗物质", "unit": "吨", "quantity": 1}])
    with pytest.raises(ValidationError, match="区镇"):
        _project(districts_loaded, district="火星")
    assert not ProjectAssessment.objects.exists()


def test_a_new_whole_reallocates_computed_methods_with_their_inputs(districts_loaded):
    user = districts_loaded
    budget = _budget_2024(user)
    names = [*selectors.district_names(budget.region), selectors.UNALLOCATED]
    growth = {name: 4.0 + i for i, name in enumerate(names)}
    services.allocate(user, budget, Allocation.DISTRICT, "intensity", growth=growth)
    budget = services.set_budget(
        user, region="太仓市", year=2024, method="handed_down", tco2=1.5e7, document="测试输入"
    )
    parts = list(budget.allocations.get(dimension=Allocation.DISTRICT).parts.all())
    assert sum(p.tco2 for p in parts) == 15_000_000
    assert {p.name: p.growth_pct for p in parts} == growth  # the same method with the same inputs


def test_an_implausible_budget_is_refused_naming_the_rule(districts_loaded):
    from carbonpeak.budgets.models import CarbonBudget

    with pytest.raises(ValidationError, match="本平台规则：不超过 200 亿吨"):
        services.set_budget(
            districts_loaded,
            region="太仓市",
            year=2024,
            method="handed_down",
            tco2=1e308,
            document="测试输入",
        )
    assert not CarbonBudget.objects.exists()
