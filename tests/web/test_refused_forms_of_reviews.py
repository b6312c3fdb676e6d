"""The remaining forms refuse as the others do: everything typed kept, each problem beside its field with a
link from the summary above, nothing written — registers, targets handed down, periods, climate zone and
baseline, project reviews and acceptance, 一企一策 and its progress, a plan being onboarded, a scenario's
assumptions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def summary_of(html: str) -> str:
    return re.search(r'data-testid="error-summary">(.*?)</div>', html, re.S).group(1)


def refused_page(client, answer) -> str:
    """The page a refusal shows: rendered at once (a 400), or after the redirect to its summary."""
    if answer.status_code == 302:
        assert answer["Location"].endswith("#error-summary")
        return client.get(answer["Location"].split("#")[0]).content.decode()
    assert answer.status_code == 400
    return answer.content.decode()


def test_a_certificate_with_a_quantity_that_is_not_a_number_is_refused_beside_it(
    client, demo_plan, coordinator
):
    from carbonpeak.energy.models import GreenCertificate

    before = GreenCertificate.objects.count()
    client.force_login(coordinator)
    html = refused_page(
        client,
        client.post(
            reverse("energy:certificate_enter"),
            {
                "serial": "GEC-TEST-1",
                "used_on": "2025-03-15",
                "kind": "绿电交易",
                "direction": "购入",
                "kwh": "一百万",
                "buyer": "某公司",
                "source": "交易平台记录",
            },
        ),
    )
    assert 'href="#c_kwh"' in summary_of(html)
    assert re.search(r'id="c_kwh"[^>]*is-invalid[^>]*value="一百万"', html)
    assert 'value="GEC-TEST-1"' in html and 'value="交易平台记录"' in html
    assert GreenCertificate.objects.count() == before


def test_the_assessed_boundary_is_not_changed_without_its_basis(client, demo_plan, coordinator):
    from carbonpeak.energy import selectors

    was = selectors.official_factors().assessed_boundary
    client.force_login(coordinator)
    html = refused_page(
        client, client.post(reverse("energy:boundary_set"), {"boundary": "territorial", "source": " "})
    )
    assert 'href="#id_boundary_source"' in summary_of(html) and "请填写依据" in html
    assert 'value="territorial" selected' in html  # the choice typed is kept, not the one saved
    assert selectors.official_factors().assessed_boundary == was


def test_a_total_handed_down_with_a_year_in_words_comes_back_as_typed(client, demo_plan, coordinator):
    from carbonpeak.plans.models import Target

    before = Target.objects.count()
    client.force_login(coordinator)
    html = refused_page(
        client,
        client.post(
            reverse("plans:handed_down_total", args=[demo_plan.pk]),
            {
                "indicator": "能源消费总量",
                "year": "二〇二六",
                "value": "1000",
                "issuer": "苏州市",
                "document": "",
            },
        ),
    )
    summary = summary_of(html)
    assert 'href="#t_year"' in summary and 'href="#t_document"' in summary
    assert re.search(r'id="t_year"[^>]*is-invalid[^>]*value="二〇二六"', html) and 'value="苏州市"' in html
    assert Target.objects.count() == before


def test_a_period_with_a_date_that_is_not_one_is_not_opened(client, demo_plan, coordinator):
    from carbonpeak.supervision.models import ReportingPeriod

    before = ReportingPeriod.objects.count()
    client.force_login(coordinator)
    html = refused_page(
        client, client.post(reverse("supervision:open"), {"key": "2026Q1", "due_date": "下月十日"})
    )
    assert 'href="#period-due"' in summary_of(html)
    assert 'value="2026Q1"' in html and re.search(r'id="period-due"[^>]*is-invalid', html)
    assert ReportingPeriod.objects.count() == before


def test_a_climate_zone_without_its_basis_and_a_baseline_without_a_year_are_refused(
    client, demo_plan, coordinator
):
    from carbonpeak.sinks.models import SinkBaseline

    client.force_login(coordinator)
    html = refused_page(client, client.post(reverse("sinks:climate_zone"), {"zone": "亚热带", "source": ""}))
    assert 'href="#zone-source"' in summary_of(html) and "请填写依据" in html
    assert re.search(r'id="zone-source"[^>]*required', html)
    html = refused_page(client, client.post(reverse("sinks:freeze"), {"year": "去年"}))
    assert 'href="#freeze-year"' in summary_of(html) and "请选择本底年份" in html
    assert not SinkBaseline.objects.exists()


def test_a_conditional_approval_without_its_conditions_is_refused_beside_them(client, demo_plan, coordinator):
    from carbonpeak.budgets import assessment
    from carbonpeak.budgets.models import ProjectAssessment

    project = assessment.register_project(
        coordinator,
        name="测试项目",
        applicant="某公司",
        district="沙溪镇",
        sector="其他工业",
        operation_year=2027,
        fuels=[],
        electricity_kwh=8_000_000,
        value_added_10k=None,
        output="",
    )
    assessment.submit_project(project, user=coordinator)
    client.force_login(coordinator)
    url = reverse("budgets:project", args=[project.pk])
    html = refused_page(
        client,
        client.post(
            url,
            {
                "action": "decide",
                "decision": "conditional",
                "conditions": " ",
                "review_number": "太发改审〔2026〕1号",
            },
        ),
    )
    assert 'href="#decide-conditions"' in summary_of(html)
    assert 'value="conditional" selected' in html and 'value="太发改审〔2026〕1号"' in html
    html = refused_page(client, client.post(url, {"action": "return", "comment": ""}))
    assert 'href="#return-comment"' in summary_of(html) and "请填写退回意见" in html
    project.refresh_from_db()
    assert project.status == "submitted" and not project.decision
    assert ProjectAssessment.objects.count() == 1


@pytest.fixture
def enterprises(imported_plan):
    from carbonpeak.demo import ensure_demo_enterprises, ensure_demo_users

    ensure_demo_users()
    coordinator = get_user_model().objects.get(username="coordinator")
    ensure_demo_enterprises(coordinator, reports=False)
    return coordinator, imported_plan


def test_a_reduction_plan_with_a_date_that_is_not_one_comes_back_beside_its_line(client, enterprises):
    from carbonpeak.enterprises.models import Enterprise, EnterprisePlan

    coordinator, _ = enterprises
    enterprise = Enterprise.objects.filter(reduction_plan__isnull=True).first()
    before = EnterprisePlan.objects.count()
    client.force_login(coordinator)
    html = refused_page(
        client,
        client.post(
            reverse("enterprises:create_reduction_plan", args=[enterprise.pk]),
            {
                "title": "节能改造方案",
                "measure-0": "余热回收",
                "due-0": "2026-06-30",
                "measure-1": "电机替换",
                "due-1": "年底",
            },
        ),
    )
    assert 'href="#rp-due-1"' in summary_of(html)
    assert re.search(r'id="rp-due-1"[^>]*', html) and 'is-invalid" type="date" id="rp-due-1"' in html
    assert 'value="节能改造方案"' in html and 'value="余热回收"' in html and 'value="2026-06-30"' in html
    assert EnterprisePlan.objects.count() == before


def test_progress_with_a_pue_that_is_not_a_number_keeps_the_narrative(client, enterprises):
    from carbonpeak.enterprises import sample
    from carbonpeak.enterprises.models import Enterprise, PlanProgress
    from carbonpeak.supervision import services as supervision

    coordinator, plan = enterprises
    period = supervision.open_period(plan, "2026Q3", dt.date(2026, 10, 20), coordinator)
    centre = Enterprise.objects.get(credit_code=sample.credit_code(10)).reduction_plan
    item = PlanProgress.objects.get(plan=centre, period=period)
    client.force_login(coordinator)
    html = refused_page(
        client,
        client.post(
            reverse("enterprises:progress", args=[item.pk]),
            {"action": "save", "narrative": "蒸发冷却改造施工中（测试）", "pue": "一点三"},
        ),
    )
    assert 'href="#pue"' in summary_of(html)
    assert re.search(r'id="pue"[^>]*value="一点三"', html) and "蒸发冷却改造施工中（测试）</textarea>" in html
    item.refresh_from_db()
    assert item.narrative == "" and item.pue is None


def test_a_scenario_edit_refused_keeps_every_assumption_typed(client, demo_plan, coordinator):
    from carbonpeak.projection import services
    from carbonpeak.projection.models import ScenarioVersion

    custom = services.create_scenario(coordinator, "测试情景", "规划情景")
    services.run_projection("测试情景", plan=demo_plan, draws=500)
    client.force_login(coordinator)
    answer = client.post(
        reverse("projection:edit", args=["测试情景"]),
        {
            "key": ["pv.target_mw", "pv.hours"],
            "pv.target_mw__distribution": "fixed",
            "pv.target_mw__mode": "1500",
            "pv.hours__distribution": "uniform",
            "pv.hours__low": "nan",
            "pv.hours__high": "1200",
            "comment": "测试修改",
        },
    )
    html = refused_page(client, answer)
    assert 'href="#pv.hours__low"' in summary_of(html) and "不是数字" in html
    assert re.search(r'id="pv.hours__low"[^>]*value="nan"', html)
    assert re.search(r'id="pv.target_mw__mode"[^>]*value="1500"', html) and 'value="测试修改"' in html
    assert ScenarioVersion.objects.filter(scenario=custom).count() == 1
