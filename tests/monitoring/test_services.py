"""Indicators linked to targets, observations through review, assessment, warnings — through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from carbonpeak.monitoring import assessment, services
from carbonpeak.monitoring.grading import DataState, Grade
from carbonpeak.monitoring.models import EarlyWarning, Indicator, Observation, TargetIndicator

TODAY = dt.date(2026, 11, 24)


def status_of(plan, indicator, year, today=TODAY):
    return next(
        s
        for s in assessment.assess_plan(plan, today)
        if s.target.indicator == indicator and s.target.year == year
    )


def test_every_target_gets_an_indicator_and_a_rule(imported_plan):
    # the import linked every target (the plan_imported event); proposing again changes nothing
    assert TargetIndicator.objects.filter(target__plan=imported_plan).count() == imported_plan.targets.count()
    assert imported_plan.targets.count() == 37
    assert services.propose_links(imported_plan) == 0
    rules = {
        (link.target.indicator, link.target.year): link.rule
        for link in TargetIndicator.objects.select_related("target")
    }
    assert rules[("单位地区生产总值能耗", 2025)] == "intensity"
    assert rules[("二氧化碳排放量", 2030)] == "peak"
    assert rules[("非化石能源消费比重", 2025)] == "level"
    assert rules[("非化石能源消费比重", 2030)] == "direction"
    assert rules[("新增超低能耗建筑项目", 2025)] == "cumulative"
    both = TargetIndicator.objects.filter(
        target__indicator__in=["单位地区生产总值能耗", "单位地区生产总值能源消耗"]
    )
    assert {link.indicator.code for link in both} == {"energy_intensity"}  # one indicator, two wordings
    bus = Indicator.objects.get(name="新能源和清洁能源公交车辆占比")
    assert bus.kind == "reported" and bus.owner.name == "市交运局"
    assert not TargetIndicator.objects.filter(confirmed=True).exists()  # the coordinator confirms


def test_computed_indicators_come_from_the_accounting(rates_entered):
    s = status_of(rates_entered, "单位地区生产总值能耗", 2025)
    assert s.assessment.period == "2025年"
    assert s.assessment.grade in (Grade.GREEN, Grade.YELLOW, Grade.RED)
    assert "年均应降 3.1%" in s.assessment.reason
    assert s.progress is not None and s.progress.reason.startswith("累计：2025年比2020年")
    assert "进度要求下降 14.5%" in s.progress.reason  # 2025 is the target year
    share = status_of(rates_entered, "非化石能源消费比重", 2025)
    assert share.baseline[0] == 2020 and share.assessment.expected is not None


def test_figures_on_the_equivalent_value_are_missing_without_the_generation_rate(demo_plan):
    """The demo has no sourced 发电 coal rate: intensity and shares are 缺失 with the reason, not 当量值."""
    for indicator in ("单位地区生产总值能耗", "非化石能源消费比重"):
        s = status_of(demo_plan, indicator, 2025)
        assert s.assessment.grade == Grade.UNGRADED and s.data_state == DataState.MISSING
        assert s.assessment.reason.startswith("缺失：2020、2021、2022、2023、2024、2025年无法计算")
        assert "平均发电标准煤耗" in s.assessment.reason
    assert status_of(demo_plan, "单位地区生产总值二氧化碳排放", 2025).assessment.grade != Grade.UNGRADED


def test_data_state_on_time_overdue_missing(rates_entered):
    assert status_of(rates_entered, "新能源和清洁能源公交车辆占比", 2025).data_state == DataState.ON_TIME
    # quarterly energy data for 2026 Q3 was due 45 days after September
    assert status_of(rates_entered, "单位地区生产总值能耗", 2025).data_state == DataState.OVERDUE
    assert (
        status_of(rates_entered, "单位地区生产总值能耗", 2025, dt.date(2026, 2, 1)).data_state
        == DataState.ON_TIME
    )
    assert status_of(rates_entered, "重点行业能源利用效率", 2025).data_state == DataState.MISSING


def test_observation_lifecycle_and_revisions(demo_plan, coordinator):
    bus = Indicator.objects.get(name="新能源和清洁能源公交车辆占比")
    obs = services.report_observation(bus, 2026, 4, 93.0, coordinator)
    with pytest.raises(ValidationError):
        services.approve_observation(obs, user=coordinator)  # a draft is not reviewed
    services.submit_observation(obs, user=coordinator)
    with pytest.raises(ValidationError, match="须填写意见"):
        services.return_observation(obs, user=coordinator, comment="")
    services.return_observation(obs, user=coordinator, comment="请附统计口径")
    services.submit_observation(obs, user=coordinator)
    services.approve_observation(obs, user=coordinator)
    again = services.report_observation(bus, 2026, 4, 94.0, coordinator)
    assert again.revision == 2
    assert assessment.points_for(bus)[-1].value == 93.0  # the correction counts only once approved
    with pytest.raises(ValidationError, match="核算得出"):
        services.report_observation(Indicator.objects.get(code="energy_intensity"), 2026, 4, 0.4, coordinator)


def test_a_quarter_end_to_end_grades_and_warnings_change(demo_plan, coordinator):
    # approving the sample values graded the plan (the observation_approved event): data overdue is warned
    assert {w.kind for w in EarlyWarning.objects.all()} == {EarlyWarning.Kind.OVERDUE}
    services.evaluate(demo_plan, TODAY)
    assert services.evaluate(demo_plan, TODAY) == []  # nothing changed, nothing raised
    target = status_of(demo_plan, "新能源和清洁能源公交车辆占比", 2025)
    bus = target.indicator
    before = target.assessment.grade
    obs = services.report_observation(bus, 2025, 4, 40.0, coordinator, note="更正")  # far behind the path
    services.submit_observation(obs, user=coordinator)
    services.approve_observation(obs, user=coordinator)  # the grades follow the approval, no call needed
    after = status_of(demo_plan, "新能源和清洁能源公交车辆占比", 2025).assessment.grade
    assert after == Grade.RED
    assert before != Grade.RED
    warning = EarlyWarning.objects.filter(target=target.target, kind=EarlyWarning.Kind.GRADE).latest("id")
    assert warning.department.name == "市交运局" and "十分严峻" in warning.message


def test_warning_is_mailed_to_the_department_when_mail_is_configured(demo_plan, coordinator, settings):
    settings.EMAIL_HOST = "mail.example.gov.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from carbonpeak.departments.models import Department

    Department.objects.filter(name="市交运局").update(email="jtj@example.gov.cn")
    bus = status_of(demo_plan, "新能源和清洁能源公交车辆占比", 2025).indicator
    obs = services.report_observation(bus, 2025, 4, 40.0, coordinator, note="更正")
    services.approve_observation(services.submit_observation(obs, user=coordinator), user=coordinator)
    assert mail.outbox and mail.outbox[0].to == ["jtj@example.gov.cn"]
    assert "碳达峰预警" in mail.outbox[0].subject


def test_leader_cannot_report_or_review(demo_plan, coordinator):
    from django.contrib.auth import get_user_model

    leader = get_user_model().objects.get(username="leader")
    bus = Indicator.objects.get(name="新能源和清洁能源公交车辆占比")
    with pytest.raises(PermissionDenied):
        services.report_observation(bus, 2026, 4, 90.0, leader)
    obs = services.report_observation(bus, 2026, 4, 90.0, coordinator)
    services.submit_observation(obs, user=coordinator)
    with pytest.raises(PermissionDenied):
        services.approve_observation(obs, user=leader)
    assert Observation.objects.get(pk=obs.pk).status == "submitted"


def test_a_shared_indicator_takes_its_owner_and_unit_from_the_task_target(imported_plan):
    services.propose_links(imported_plan)
    forest = Indicator.objects.get(name="林木覆盖率")
    assert forest.unit == "%" and forest.owner.name != "市发改委"
    assert forest.targets.count() == 2


def test_a_grade_on_incomplete_data_says_so(demo_plan, coordinator):
    """A corrected 2025Q4 that leaves out a row reported in the quarters before: the year is 数据不全, and the
    grade built on it says which row is missing instead of reading it as zero."""
    from carbonpeak.energy import selectors
    from carbonpeak.energy import services as energy

    current = selectors.current_submission("2025Q4", "太仓市")
    records = selectors.pure_records(current)
    dropped = next(r for r in records if r.sector == "交通运输、仓储和邮政业" and r.fuel == "柴油")
    sub = energy.create_submission(
        "2025Q4",
        "太仓市",
        [r for r in records if r is not dropped],
        selectors.pure_economy(current),
        user=coordinator,
        is_sample=True,
    )
    assert (
        any("交通运输、仓储和邮政业·柴油" in w for w in sub.warnings) is False
    )  # warnings come with uploads
    energy.approve_submission(energy.submit_submission(sub, user=coordinator), user=coordinator)
    s = status_of(demo_plan, "单位地区生产总值二氧化碳排放", 2025)
    assert s.assessment.grade != Grade.UNGRADED
    assert "；2025年第4季度数据不全：交通运输、仓储和邮政业·柴油" in s.assessment.reason


def test_a_total_handed_down_is_linked_and_graded_as_a_cap(rates_entered, coordinator):
    from carbonpeak.energy.selectors import current_run
    from carbonpeak.plans.models import Target
    from carbonpeak.plans.services import set_handed_down_total

    with pytest.raises(ValidationError, match="请填写下达单位和下达文件"):
        set_handed_down_total(
            rates_entered, "能源消费总量", 2025, value=1, issuer="", document="", user=coordinator
        )
    with pytest.raises(ValidationError, match="只能录入"):
        set_handed_down_total(
            rates_entered, "用水总量", 2025, value=1, issuer="苏州市", document="x", user=coordinator
        )
    annual = current_run().results.get(period="2025").data
    used = annual["energy_tce_assessed"] / 1e4  # 万吨标准煤, after the 113号 and 803号 deductions
    target = set_handed_down_total(
        rates_entered,
        "能源消费总量",
        2025,
        value=round(used * 1.05, 1),
        issuer="苏州市",
        document="测试文件",
        user=coordinator,
    )
    link = TargetIndicator.objects.get(target=target)
    assert (link.indicator.code, link.rule, link.value_document) == ("energy_total", "cap", "测试文件")
    s = status_of(rates_entered, "能源消费总量", 2025)
    assert s.assessment.grade == Grade.GREEN and s.assessment.value == pytest.approx(used)
    fossil = set_handed_down_total(
        rates_entered,
        "化石能源消费总量",
        2025,
        value=round(used * 0.5, 1),
        issuer="苏州市",
        document="测试",
        user=coordinator,
    )
    s = status_of(rates_entered, "化石能源消费总量", 2025)
    assert s.assessment.grade == Grade.RED
    assert s.assessment.value == pytest.approx(
        (annual["energy_tce_assessed"] + annual["feedstock_tce"]) / 1e4
    )
    # entered again: replaced, not added
    set_handed_down_total(
        rates_entered, "化石能源消费总量", 2025, value=1e6, issuer="苏州市", document="更正", user=coordinator
    )
    assert Target.objects.filter(plan=rates_entered, indicator="化石能源消费总量").count() == 1
    assert status_of(rates_entered, "化石能源消费总量", 2025).assessment.grade == Grade.GREEN
    assert fossil.pk == Target.objects.get(plan=rates_entered, indicator="化石能源消费总量").pk


def test_a_reimport_keeps_the_totals_handed_down(imported_plan, coordinator, bundled_plan):
    from carbonpeak.plans.services import import_plan, set_handed_down_total

    set_handed_down_total(
        imported_plan, "能源消费总量", 2025, value=500, issuer="苏州市", document="x", user=coordinator
    )
    import_plan(bundled_plan, source_name="taicang.json", region="太仓市")
    assert imported_plan.targets.filter(indicator="能源消费总量").exists()


def test_implausible_values_are_refused_and_jumps_flagged_for_the_reviewer(demo_plan, coordinator):
    from carbonpeak.monitoring import indicators

    today = (2026, 4)
    assert indicators.implausible("%", 120, 2025, 4, today) is not None
    assert indicators.implausible("%", -3.9e136, 2025, 4, today) is not None
    assert indicators.implausible("个", 2.5, 2025, 4, today) is not None
    assert indicators.implausible("万吨", 12.0, 2080, 4, today) is not None  # a period not yet come
    assert indicators.implausible("%", 37.5, 2025, 4, today) is None
    share = next(
        i
        for i in Indicator.objects.filter(kind="reported", unit="%")
        if i.observations.filter(status="approved").exists()
        and i.observations.filter(status="approved").order_by("-year").first().value < 50
    )
    owner = get_user_model().objects.get(membership__department=share.owner)
    with pytest.raises(ValidationError, match="百分比须在 0–100 之间"):
        services.report_observation(share, 2025, 4, 120.0, owner)
    with pytest.raises(ValidationError, match="报告期须在"):
        services.report_observation(share, 2080, 4, 50.0, owner)
    last = share.observations.filter(status="approved").order_by("-year", "-quarter").first()
    obs = services.report_observation(share, last.year, last.quarter, last.value * 1.9 + 1, owner)
    assert obs.warnings and "请核实" in obs.warnings[0]  # not refused: flagged for the reviewer
