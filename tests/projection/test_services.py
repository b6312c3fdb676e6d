"""Projections from the platform's data: stored with their data version, the dashboard's peak grades,
coordinator scenarios with versions and audit, the CLI."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from carbonpeak.cli import main
from carbonpeak.core.models import AuditEvent
from carbonpeak.energy import selectors as energy_selectors
from carbonpeak.energy import services as energy
from carbonpeak.monitoring import assessment
from carbonpeak.monitoring import services as monitoring
from carbonpeak.monitoring.grading import Grade, Rule
from carbonpeak.projection import model, services
from carbonpeak.projection.models import ProjectionRun, ScenarioVersion

pytestmark = pytest.mark.django_db
DRAWS = 2000


def test_a_projection_is_kept_with_the_accounting_run_and_rerun_on_new_data(demo_plan, coordinator):
    first = services.run_projection("规划情景", plan=demo_plan, draws=DRAWS)
    assert first.accounting_run == energy_selectors.current_run()
    assert services.run_projection("规划情景", plan=demo_plan, draws=DRAWS) == first  # same inputs, reused
    assert first.result["sample"] is True and first.result["factor_set"] == "national@2026.1"
    # an approval (here: a recomputation) makes a new accounting run: the next request projects again
    new_run = energy.recompute(energy.official_factor_set(), user=coordinator, reason="测试：新数据")
    second = services.run_projection("规划情景", plan=demo_plan, draws=DRAWS)
    assert second.pk != first.pk and second.accounting_run == new_run
    assert ProjectionRun.objects.filter(pk=first.pk).exists()  # the old one stays


def test_the_dashboards_peak_targets_take_their_grade_from_the_planned_scenario(demo_plan):
    statuses = assessment.assess_plan(demo_plan)
    peaks = [s for s in statuses if s.link and s.link.rule == Rule.PEAK]
    assert {s.indicator.code for s in peaks} == {"co2_total", "refined_oil"}
    result = services.run_projection("规划情景", plan=demo_plan).result
    for s in peaks:
        p = (
            result["p_peak_by_2030"]
            if s.indicator.code == "co2_total"
            else result["refined_oil"]["p_peak_by_target"]
        )
        assert s.assessment.value == p
        expected = Grade.GREEN if p >= 0.8 else Grade.YELLOW if p >= 0.5 else Grade.RED
        assert s.assessment.grade == expected
        assert "规划情景" in s.assessment.reason


def test_without_energy_data_the_peak_target_stays_ungraded(imported_plan):
    monitoring.propose_links(imported_plan)
    statuses = assessment.assess_plan(imported_plan)
    peak = next(s for s in statuses if s.link and s.link.rule == Rule.PEAK)
    assert peak.assessment.grade == Grade.UNGRADED
    with pytest.raises(services.NoData, match="尚无核算结果"):
        services.run_projection("规划情景", plan=imported_plan)


def test_a_coordinator_scenario_is_versioned_and_audited(demo_plan, coordinator):
    custom = services.create_scenario(coordinator, "加快光伏", "规划情景", "光伏装机2030年达到1500兆瓦")
    assert custom.current.number == 1
    before = services.run_projection("加快光伏", plan=demo_plan, draws=DRAWS).result
    version = services.save_assumptions(
        coordinator,
        custom,
        {
            "pv.target_mw": {"distribution": "fixed", "mode": "1500"},
            "pv.target_year": {"distribution": "fixed", "mode": "2030", "source": "协调员设想"},
            "gdp.growth": {"distribution": "history"},  # unchanged: not a change
        },
        "光伏加快",
    )
    assert version.number == 2
    assert {c["key"] for c in version.changes} == {"pv.target_mw", "pv.target_year"}
    assert version.overrides["pv.target_mw"]["source"].startswith(
        "coordinator修改"
    )  # value changed, source not
    assert version.overrides["pv.target_year"]["source"] == "协调员设想"
    after = services.run_projection("加快光伏", plan=demo_plan, draws=DRAWS).result
    pv = next(a for a in after["assumptions"] if a["key"] == "pv.target_mw")
    assert pv["mode"] == 1500
    assert after["trajectory"]["2030"]["p50"] < before["trajectory"]["2030"]["p50"]
    events = AuditEvent.objects.filter(object_type="projection.Scenario", object_id=str(custom.pk))
    assert [e.action for e in events.order_by("at", "id")] == ["create", "update"]
    assert "pv.target_mw" in events.get(action="update").after


def test_bad_edits_write_nothing_and_say_which_assumption(demo_plan, coordinator):
    custom = services.create_scenario(coordinator, "测试情景", "规划情景")
    with pytest.raises(model.ProjectionError, match="光伏年利用小时数.*下限"):
        services.save_assumptions(
            coordinator,
            custom,
            {
                "pv.target_mw": {"distribution": "fixed", "mode": "900"},
                "pv.hours": {"distribution": "uniform", "low": "1300", "high": "1000"},
            },
        )
    with pytest.raises(model.ProjectionError, match="不是数字"):
        services.save_assumptions(
            coordinator, custom, {"pv.hours": {"distribution": "uniform", "low": "一千", "high": "1"}}
        )
    with pytest.raises(model.ProjectionError, match="没有修改"):
        services.save_assumptions(coordinator, custom, {})
    assert ScenarioVersion.objects.filter(scenario=custom).count() == 1
    with pytest.raises(model.ProjectionError, match="已存在"):
        services.create_scenario(coordinator, "测试情景", "规划情景")
    with pytest.raises(model.ProjectionError, match="已存在"):
        services.create_scenario(coordinator, "规划情景", "规划情景")
    with pytest.raises(model.ProjectionError, match="不能含"):
        services.create_scenario(coordinator, "光伏/工业", "规划情景")


def test_only_coordinators_manage_scenarios(demo_plan, coordinator):
    department = get_user_model().objects.get(username="市发改委")
    with pytest.raises(PermissionDenied, match="只有协调员"):
        services.create_scenario(department, "部门情景", "规划情景")
    custom = services.create_scenario(coordinator, "协调员情景", "规划情景")
    with pytest.raises(PermissionDenied):
        services.save_assumptions(
            department, custom, {"pv.target_mw": {"distribution": "fixed", "mode": "900"}}
        )


def test_cli_prints_the_documented_json(demo_plan, capsys):
    assert main(["project", "--scenario", "规划情景", "--draws", str(DRAWS), "--seed", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {
        "scenario",
        "draws",
        "p_peak_by_2030",
        "peak_year",
        "peak_value_t",
        "trajectory",
        "levers",
    } <= set(out)
    assert out["scenario"] == "规划情景" and out["draws"] == DRAWS
    assert set(out["trajectory"]["2030"]) == {"p10", "p50", "p90"}
    assert "重点行业能效提升" in out["levers"]
    # the same seed gives the same numbers from the command line too
    assert main(["project", "--scenario", "规划情景", "--draws", str(DRAWS), "--seed", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == out
    assert main(["project", "--scenario", "强化情景", "--draws", "500"]) == 0
    text = capsys.readouterr().out
    assert "2030年前达峰的概率" in text and "示例数据" in text
    assert "本地燃烧口径：2030年前达峰的概率" in text and "平台期" in text
    # the keys: boundary, rule, plateau, validation and the history on the same boundary
    assert out["boundary"] == "assessed" and out["peak_rule"]["tolerance"] == 0.01
    assert 0 <= out["p_plateau"] <= 1 and set(out["validation"]) >= {
        "holdout_years",
        "coverage_80",
        "median_abs_error",
    }
    assert set(out["history"]) == {"2020", "2021", "2022", "2023", "2024", "2025"}
    assert main(["project", "--draws", str(DRAWS), "--seed", "1", "--json", "--boundary", "territorial"]) == 0
    territorial = json.loads(capsys.readouterr().out)
    assert territorial["boundary"] == "territorial"
    assert territorial["p_peak_by_2030"] == out["boundaries"]["territorial"]["p_peak_by_2030"]
    assert territorial["history"] == out["boundaries"]["territorial"]["history"]


def test_cli_before_the_database_exists_says_what_to_run(tmp_path):
    """Run as a new user would before `make demo`: a fresh data directory, no database yet."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["CARBONPEAK_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from carbonpeak.cli import main; raise SystemExit(main(['project', '--json']))",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "请先运行 make demo" in done.stderr


def test_cli_refuses_unknown_scenarios_and_missing_data(imported_plan, capsys):
    assert main(["project", "--scenario", "规划情景"]) == 2
    assert "尚无核算结果" in capsys.readouterr().err
    assert main(["project", "--scenario", "乐观情景"]) == 2


def test_what_moved_p_splits_new_data_from_changed_assumptions(rates_entered, coordinator):
    """A new accounting run with the same CO2 (a 发电 coal rate entered changes no CO2) moves nothing; a
    changed assumption on the same accounts moves P by exactly the assumptions' share, and the sentence
    says so."""
    runs = ProjectionRun.objects.filter(
        scenario_name="规划情景", draws=services.default_draws(), seed=1, boundary=""
    )
    latest = runs.order_by("-created_at", "-id").first()
    change = latest.result["change"]
    assert change["previous_run"] != latest.pk and change["new_data"] == 0.0 and change["assumptions"] == 0.0
    assert change["factors"] == 0.0 and "Shapley" in change["method"]  # a new factor set, the same CO2
    assert "与上次基本相同" in change["sentence"]

    custom = services.create_scenario(coordinator, "强化工业节能", "规划情景")
    first = services.run_projection("强化工业节能", plan=rates_entered, draws=DRAWS).result
    assert "change" not in first
    services.save_assumptions(
        coordinator,
        custom,
        {"industry.extra_efficiency": {"distribution": "uniform", "low": "3", "high": "5"}},
    )
    after = services.run_projection("强化工业节能", plan=rates_entered, draws=DRAWS).result
    moved = after["change"]
    assert moved["p_before"] == first["p_peak_by_2030"] and moved["p_now"] == after["p_peak_by_2030"]
    assert moved["new_data"] == 0.0 and moved["factors"] == 0.0  # the same accounts: nothing is theirs
    parts = moved["new_data"] + moved["factors"] + moved["assumptions"]
    assert parts == pytest.approx(moved["delta"], abs=1e-4)  # the shares add up to the change
    assert moved["assumptions"] == pytest.approx(after["p_peak_by_2030"] - first["p_peak_by_2030"], abs=1e-4)
    assert moved["delta"] > 0 and "主要因为情景假设调整" in moved["sentence"]
    assert (
        moved["top_lever"]
        == max(
            (e for e in after["lever_details"] if e["active"]), key=lambda e: abs(e["delta_p_peak_by_2030"])
        )["label"]
    )


def test_the_page_says_what_moved_and_shows_the_boundaries(client, rates_entered, coordinator):
    client.force_login(coordinator)
    page = client.get("/projection/规划情景/").content.decode()
    assert 'data-testid="what-moved"' in page and "与上次预测相比" in page
    assert (
        'data-testid="boundaries"' in page and "本地燃烧口径" in page and 'data-testid="validation"' in page
    )


def test_shapley_of_three_splits_an_interaction_and_adds_up():
    from carbonpeak.projection.model import shapley_of_three

    def p(data: bool, factors: bool, assumptions: bool) -> float:
        return 0.1 + 0.2 * data + 0.05 * assumptions + (0.3 if data and factors else 0.0)

    shares = shapley_of_three(p)
    assert shares == pytest.approx({"data": 0.35, "factors": 0.15, "assumptions": 0.05})
    assert sum(shares.values()) == pytest.approx(p(True, True, True) - p(False, False, False))


def test_the_coordinator_sets_what_is_known_of_the_new_unit_and_every_scenario_follows(
    client, demo_plan, coordinator
):
    """未确认 (nothing set): two branches; 确认投运 with its source: one path with the unit, the status and the
    source in the JSON, the scenario projected again on the new state; a refusal names its field."""
    from carbonpeak.projection.models import UnitEvent

    first = services.run_projection("规划情景", plan=demo_plan, draws=DRAWS).result
    (event,) = first["events"]
    assert event["status"] == "未确认" and len(event["branches"]) == 2
    client.force_login(coordinator)
    refused = client.post(
        "/projection/unit-events/",
        {"key": "power.new_coal", "year": "明年", "status": "确认投运", "source": ""},
    )
    assert refused["Location"].endswith("#error-summary") and not UnitEvent.objects.exists()
    services.set_unit_event(
        coordinator, "power.new_coal", year="2026", status="确认投运", source="华能太仓三期投产公告（测试）"
    )
    confirmed = services.run_projection("规划情景", plan=demo_plan, draws=DRAWS).result
    (event,) = confirmed["events"]
    assert event["status"] == "确认投运" and "branches" not in event and event["probability"] == 1.0
    assert "华能太仓三期投产公告（测试）" in event["status_source"]
    assert confirmed["p_peak_by_2030"] == pytest.approx(event_branch(first, "投运"), abs=0.02)
    services.set_unit_event(
        coordinator, "power.new_coal", year="2026", status="不投运", source="项目取消（测试）"
    )
    cancelled = services.run_projection("规划情景", plan=demo_plan, draws=DRAWS).result
    assert cancelled["events"][0]["status"] == "不投运"
    assert cancelled["p_peak_by_2030"] == pytest.approx(event_branch(first, "不投运"), abs=0.02)


def event_branch(result: dict, label: str) -> float:
    return next(b["p_peak_by_2030"] for b in result["events"][0]["branches"] if b["label"] == label)


def test_the_unit_event_form_sets_the_status(client, demo_plan, coordinator):
    from carbonpeak.projection.models import UnitEvent

    client.force_login(coordinator)
    form = {"event": "power.new_coal", "year": "2026", "status": "不投运", "source": "项目取消公告（测试）"}
    answer = client.post("/projection/unit-events/", {**form, "scenario": "规划情景"})
    assert answer.status_code == 302 and not answer["Location"].endswith("#error-summary")
    assert UnitEvent.objects.get().status == "不投运"


def test_the_coordinator_enters_a_retiring_unit_and_every_scenario_follows(client, demo_plan, coordinator):
    """An existing unit entered as retiring: refused with nothing written when its capacity exceeds the
    existing units' or a field is missing; entered 未确认, the projection lists it as an event with two
    branches and shows the cases; confirmed, it lowers the territorial path; removed, the event is gone."""
    from django.core.exceptions import ValidationError

    from carbonpeak.projection.models import UnitEvent

    client.force_login(coordinator)
    refused = client.post(
        "/projection/unit-events/retire/",
        {
            "name": "太仓港电厂1号机组",
            "capacity_mw": "6000",
            "year": "2028",
            "status": "未确认",
            "source": "",
        },
    )
    assert refused["Location"].endswith("#error-summary") and not UnitEvent.objects.exists()
    page = client.get(refused["Location"].split("#")[0]).content.decode()
    assert "退役装机 6,000.00 兆瓦超过现有燃煤机组装机 5,050.00 兆瓦" in page and "请填写依据" in page
    assert 'value="太仓港电厂1号机组"' in page and 'value="6000"' in page  # nothing typed is lost

    before = services.run_projection("规划情景", plan=demo_plan, draws=DRAWS).result
    form = {"name": "太仓港电厂1号机组", "capacity_mw": "650", "year": "2028", "status": "未确认"}
    answer = client.post("/projection/unit-events/retire/", {**form, "source": "关停计划（测试）"})
    assert answer.status_code == 302 and not answer["Location"].endswith("#error-summary")
    event = UnitEvent.objects.get(kind="退役")
    assert AuditEvent.objects.filter(object_id=str(event.pk), action="create").exists()
    unsure = services.run_projection("规划情景", plan=demo_plan, draws=DRAWS).result
    retiring = next(e for e in unsure["events"] if e["kind"] == "退役")
    assert retiring["status"] == "未确认" and retiring["year"] == 2028
    assert [b["label"] for b in retiring["branches"]] == ["退役", "不退役"]
    assert len(unsure["cases"]) == 4  # with the new unit, also unconfirmed
    assert sum(c["share"] for c in unsure["cases"]) == pytest.approx(1)

    services.set_unit_event(coordinator, event.key, year="2028", status="确认退役", source="关停公告（测试）")
    confirmed = services.run_projection("规划情景", plan=demo_plan, draws=DRAWS).result
    assert next(e for e in confirmed["events"] if e["kind"] == "退役")["status"] == "确认退役"
    territorial = confirmed["boundaries"]["territorial"]["trajectory"]["2030"]["p50"]
    assert territorial < before["boundaries"]["territorial"]["trajectory"]["2030"]["p50"]
    with pytest.raises(ValidationError):
        services.set_unit_event(coordinator, event.key, year="2028", status="确认投运", source="x")

    client.post("/projection/unit-events/retire/remove/", {"event": event.key})
    assert not UnitEvent.objects.filter(kind="退役").exists()
    after = services.run_projection("规划情景", plan=demo_plan, draws=DRAWS).result
    assert [e["kind"] for e in after["events"]] == ["投运"]


def test_what_changed_between_two_accounts_is_data_factors_or_both():
    """The same statistics and factors in a new run (a 绿证 entry recomputed them) is a change of data; a new
    grid region or factor set is a change of factors; the same run, nothing."""
    from carbonpeak.energy.models import AccountingRun

    def run(pk: int, subs: list[int], factor_set: int = 1, region: str = "江苏") -> AccountingRun:
        return AccountingRun(pk=pk, submissions=subs, factor_set_id=factor_set, grid_region=region)

    old = run(1, [1, 2])
    assert services.unchanged_parts(old, old) == (True, True)
    assert services.unchanged_parts(old, run(2, [2, 1])) == (False, True)  # the register changed
    assert services.unchanged_parts(old, run(2, [1, 2], region="华东")) == (True, False)
    assert services.unchanged_parts(old, run(2, [1, 2], factor_set=3)) == (True, False)
    assert services.unchanged_parts(old, run(2, [1, 2, 3], factor_set=3)) == (False, False)


def test_the_command_speaks_english_when_asked(demo_plan, capsys, monkeypatch):
    """`carbonpeak --language en project`: every line in English but the scenario's name (a name stays as
    written); the JSON's sentences and names too, with the same figures as in Chinese; an unknown language
    is refused in both."""
    import re

    assert main(["project", "--draws", "500", "--json"]) == 0
    chinese = json.loads(capsys.readouterr().out)
    assert main(["--language", "en", "project", "--draws", "500", "--json"]) == 0
    english = json.loads(capsys.readouterr().out)
    assert english["p_peak_by_2030"] == chinese["p_peak_by_2030"]
    assert english["boundary_label"] == "net imported electricity boundary"
    assert english["peak_rule"]["text"].startswith("the peak year is the first year")
    assert main(["--language=en", "project", "--draws", "500"]) == 0
    text = capsys.readouterr().out.replace("规划情景", "")
    assert "Probability of peaking by 2030" in text and "[Sample data]" in text
    assert re.findall(r"[\u3400-\u9fff]+", text) == []
    monkeypatch.setenv("CARBONPEAK_LANGUAGE", "en")
    assert main(["project", "--scenario", "乐观情景"]) == 2
    assert "Unknown scenario “乐观情景”" in capsys.readouterr().err
    assert main(["--language", "de", "project"]) == 2
    assert "Unknown language “de”" in capsys.readouterr().err
