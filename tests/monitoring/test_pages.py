"""The dashboard, the target page and the API say the same thing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from carbonpeak.monitoring.grading import Grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_home_is_the_dashboard(logged_in, demo_plan):
    response = logged_in.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("monitoring:dashboard")


def test_dashboard_shows_every_target_with_grade_and_data_state(logged_in, demo_plan):
    html = logged_in.get(reverse("monitoring:dashboard")).content.decode()
    rows = re.findall(r'<tr data-grade="(\w+)">', html)
    assert len(rows) == demo_plan.targets.count()
    assert "示例数据" in html and "共 37 个目标" in html
    for label in ("基本顺利", "比较严峻", "十分严峻", "未评估", "按时", "逾期"):
        assert label in html
    # the CO2 headlines name their boundary (the factor set's setting), the others their basis
    assert html.count("考核口径：净调入口径（本地燃烧＋外购热力＋净调入电力×电网因子）") == 2
    assert "单位地区生产总值能耗（等价值）" in html


def test_api_returns_the_same_grades_as_the_page(logged_in, demo_plan):
    api = logged_in.get("/api/targets").json()
    assert len(api) == 37
    assert {"grade", "value", "expected", "data_state", "reason"} <= set(api[0])
    html = logged_in.get(reverse("monitoring:dashboard")).content.decode()
    page = re.findall(r'<tr data-grade="(\w+)">', html)
    assert [t["grade"] for t in api] == page
    for item in api[:10]:
        detail = logged_in.get(reverse("monitoring:target", args=[item["id"]])).content.decode()
        assert Grade(item["grade"]).label in detail and item["reason"] in detail


def test_api_needs_login(client, demo_plan):
    assert client.get("/api/targets").status_code == 401


def test_target_page_explains_the_grade(logged_in, rates_entered):
    target = rates_entered.targets.get(indicator="单位地区生产总值能耗", year=2025)
    html = logged_in.get(reverse("monitoring:target", args=[target.pk])).content.decode()
    assert "评估理由" in html and "年均应降" in html and "target-chart-data" in html
    assert "国家方法默认因子集 test-rates 版" in html


def test_report_and_approve_through_the_target_page(logged_in, demo_plan):
    target = demo_plan.targets.get(indicator="新能源和清洁能源公交车辆占比", year=2025)
    response = logged_in.post(
        reverse("monitoring:report", args=[target.pk]),
        {"year": "2025", "quarter": "4", "value": "abc"},
        follow=True,
    )
    html = response.content.decode()  # refused beside the field, with what was typed
    assert 'data-testid="error-summary"' in html and 'href="#value"' in html and 'value="abc"' in html
    logged_in.post(
        reverse("monitoring:report", args=[target.pk]), {"year": "2025", "quarter": "4", "value": "30"}
    )
    obs = target.monitoring.indicator.observations.get(status="submitted")
    response = logged_in.post(reverse("monitoring:review", args=[target.pk, obs.pk, "approve"]), follow=True)
    html = response.content.decode()
    assert "已审核通过" in html and "十分严峻" in html
    assert logged_in.get(reverse("monitoring:warnings")).status_code == 200


def test_api_errors_are_json_with_a_message(logged_in, demo_plan):
    response = logged_in.get("/api/indicators/999999/observations")
    assert response.status_code == 404 and response.json() == {
        "code": "not_found",
        "message": "指标 999999 不存在",
    }
    indicators = logged_in.get("/api/indicators").json()
    bus = next(i for i in indicators if i["name"] == "新能源和清洁能源公交车辆占比")
    points = logged_in.get(f"/api/indicators/{bus['id']}/observations").json()
    assert points[0] == {"year": 2020, "quarter": 4, "value": 58.0}  # the public 2020 figure


def test_warnings_are_listed_on_the_owner_departments_page(logged_in, demo_plan):
    from carbonpeak.departments.models import Department
    from carbonpeak.monitoring.services import evaluate

    evaluate(demo_plan)
    fgw = Department.objects.get(name="市发改委")
    html = logged_in.get(reverse("plans:department", args=[fgw.pk])).content.decode()
    assert 'data-testid="department-warnings"' in html and "逾期" in html
