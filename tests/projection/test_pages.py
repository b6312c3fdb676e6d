"""The scenario pages through the test client: who sees what, and forms that keep nothing on bad input."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from carbonpeak.projection.models import ProjectionRun, Scenario, ScenarioVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_overview_compares_the_built_in_scenarios(logged_in, demo_plan):
    html = logged_in.get(reverse("projection:overview")).content.decode()
    assert re.findall(r'data-scenario="([^"]+)"', html) == ["基准情景", "规划情景", "强化情景"]
    assert "示例数据" in html and "2030年前达峰的概率" in html
    assert 'id="chart-compare"' in html and "vendor/echarts/echarts.min.js" in html
    assert 'data-testid="new-scenario"' in html


def test_scenario_page_shows_probability_sentence_charts_and_sources(logged_in, demo_plan):
    html = logged_in.get(reverse("projection:detail", args=["规划情景"])).content.decode()
    probability = re.search(r'data-testid="probability">([^<]+)<', html).group(1)
    assert probability.endswith("%")
    assert "次模拟中有" in html and "国家方法默认因子集 2026.1 版" in html
    for chart in ("chart-fan", "chart-histogram", "chart-tornado", "chart-sectors"):
        assert f'id="{chart}"' in html
    assert "光伏装机并网容量超500兆瓦" in html  # the lever's source, from the plan
    assert "另存为新情景" in html  # built-ins are copied, not edited
    # the longer horizon is not made by the jobs: the page asks for it and never computes on a GET
    runs = ProjectionRun.objects.count()
    pending = logged_in.get(reverse("projection:detail", args=["规划情景"]) + "?end=2040").content.decode()
    assert 'data-testid="pending"' in pending and "至2040年的预测尚未计算" in pending
    assert ProjectionRun.objects.count() == runs
    asked = logged_in.post(reverse("projection:compute", args=["规划情景"]), {"end": "2040"})
    assert asked.status_code == 302 and asked["Location"].endswith("?end=2040")
    longer = logged_in.get(asked["Location"]).content.decode()
    assert "2040年" in longer and "至2040年" in longer and 'data-testid="probability"' in longer


def test_a_department_reads_but_cannot_manage_scenarios(client, demo_plan, coordinator):
    department = get_user_model().objects.get(username="市住建局")
    client.force_login(department)
    html = client.get(reverse("projection:detail", args=["规划情景"])).content.decode()
    assert "另存为新情景" not in html
    response = client.post(
        reverse("projection:create"), {"name": "部门情景", "based_on": "规划情景"}, follow=True
    )
    assert "只有协调员" in response.content.decode()
    assert not Scenario.objects.exists()


def test_create_then_edit_a_scenario_through_the_forms(logged_in, demo_plan):
    response = logged_in.post(
        reverse("projection:create"),
        {"name": "强化工业", "based_on": "规划情景", "description": "工业能效再提升"},
        follow=True,
    )
    html = response.content.decode()
    assert (
        unquote(response.redirect_chain[-1][0])
        == unquote(reverse("projection:detail", args=["强化工业"])) + "#edit"
    )
    assert "保存并重新计算" in html and "第1版" in html
    # the edit form posts every assumption; only the one changed becomes a change
    form = dict(re.findall(r'name="([\w.]+__\w+)" value="([^"]*)"', html))
    keys = re.findall(r'name="key" value="([^"]+)"', html)
    data = {"key": keys, "comment": "工业能效每年再降3%"}
    for key in keys:
        selected = re.search(
            rf'name="{re.escape(key)}__distribution".*?<option value="(\w+)"[^>]*selected', html, re.S
        )
        data[f"{key}__distribution"] = selected.group(1)
        for part in ("low", "mode", "high", "source"):
            data[f"{key}__{part}"] = form.get(f"{key}__{part}", "")
    data["industry.extra_efficiency__low"] = "2.5"
    data["industry.extra_efficiency__high"] = "3.5"
    response = logged_in.post(reverse("projection:edit", args=["强化工业"]), data, follow=True)
    html = response.content.decode()
    assert "已保存第2版（修改：工业（造纸、化纤、有色、其他工业）能耗强度额外年降幅）" in html
    version = Scenario.objects.get(name="强化工业").current
    assert version.number == 2 and version.overrides["industry.extra_efficiency"]["low"] == 2.5
    # a bad value: an error that names it, nothing saved
    data["pv.hours__low"] = "一千"
    response = logged_in.post(reverse("projection:edit", args=["强化工业"]), data, follow=True)
    assert "未保存：假设“光伏年利用小时数”的下限“一千”不是数字" in response.content.decode()
    assert ScenarioVersion.objects.filter(scenario__name="强化工业").count() == 2
    overview = logged_in.get(reverse("projection:overview")).content.decode()
    assert re.findall(r'data-scenario="([^"]+)"', overview)[-1] == "强化工业"


def test_unknown_scenario_is_404_and_no_data_is_said(logged_in, imported_plan):
    assert logged_in.get(reverse("projection:detail", args=["乐观情景"])).status_code == 404
    html = logged_in.get(reverse("projection:overview")).content.decode()
    assert "暂时无法预测：尚无核算结果" in html


def test_dashboard_links_the_peak_target_to_the_projection(logged_in, demo_plan):
    html = logged_in.get(reverse("monitoring:dashboard")).content.decode()
    assert "规划情景下2030年前达峰的概率" in html
    assert reverse("projection:detail", args=["规划情景"]) in html or quote("规划情景") in html
