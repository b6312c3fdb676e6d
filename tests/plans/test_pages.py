"""The plan pages, through the test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carbonpeak.departments.models import Department
from carbonpeak.plans.models import Action, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize("name", ["plans:plan", "plans:matrix", "plans:targets", "plans:departments"])
def test_pages_need_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_home_leads_to_the_plan(logged_in, imported_plan):
    response = logged_in.get("/", follow=True)
    assert response.status_code == 200
    assert "太仓市碳达峰实施方案" in response.content.decode()


def test_plan_page_shows_actions_tasks_departments_targets(logged_in, imported_plan):
    html = logged_in.get(reverse("plans:plan")).content.decode()
    for action in Action.objects.filter(plan=imported_plan):
        assert action.title in html
    assert "坚决遏制高耗能、高排放、低水平项目盲目发展" in html
    assert "光伏装机并网容量" in html and "超过 500 兆瓦" in html
    assert "探索建立碳排放统计监测体系" in html


def test_matrix_counts_and_links(logged_in, imported_plan):
    response = logged_in.get(reverse("plans:matrix"))
    rows = {r["department"].name: r for r in response.context["rows"]}
    fgw = rows["市发改委"]
    assert fgw["lead"] == 17
    first_action = fgw["cells"][0]
    assert (first_action["lead"], first_action["support"]) == (4, 1)
    assert len(response.context["columns"]) == 12  # ten actions, 政策保障, 组织实施
    html = response.content.decode()
    dept = Department.objects.get(name="市发改委")
    assert f"/plans/departments/{dept.pk}/?plan={imported_plan.pk}&amp;group=a" in html


def test_department_page_lists_led_and_supported_tasks(logged_in, imported_plan):
    dept = Department.objects.get(name="市交运局")
    response = logged_in.get(reverse("plans:department", args=[dept.pk]), {"plan": imported_plan.pk})
    assert [t.key for t in response.context["lead_tasks"]] == ["三.（五）.1", "三.（五）.2", "三.（五）.3"]
    assert "三.（三）.2" in [t.key for t in response.context["support_tasks"]]
    html = response.content.decode()
    assert "新能源和清洁能源公交车辆占比" in html


def test_department_page_filtered_to_one_action(logged_in, imported_plan):
    dept = Department.objects.get(name="市发改委")
    action = Action.objects.get(plan=imported_plan, number="（二）")
    response = logged_in.get(
        reverse("plans:department", args=[dept.pk]), {"plan": imported_plan.pk, "group": f"a{action.pk}"}
    )
    assert [t.key for t in response.context["lead_tasks"]] == ["三.（二）.1", "三.（二）.3"]
    assert [t.key for t in response.context["support_tasks"]] == ["三.（二）.2"]


def test_target_filters(logged_in, imported_plan):
    url = reverse("plans:targets")
    all_targets = logged_in.get(url).context["targets"]
    assert len(all_targets) == Target.objects.count()
    by_year = logged_in.get(url, {"year": "2030"}).context["targets"]
    assert by_year and all(t.year == 2030 for t in by_year)
    rules = logged_in.get(url, {"year": "none"}).context["targets"]
    assert rules and all(t.year is None for t in rules)
    action = Action.objects.get(plan=imported_plan, number="（五）")
    transport = logged_in.get(url, {"action": action.pk}).context["targets"]
    assert {t.task.action_id for t in transport} == {action.pk} and len(transport) == 5
    dept = Department.objects.get(name="市农业农村局")
    agri = logged_in.get(url, {"department": dept.pk, "kind": "dated"}).context["targets"]
    assert "全市秸秆综合利用率" in [t.indicator for t in agri]
    peaks = logged_in.get(url, {"kind": "peak"}).context["targets"]
    assert {t.year for t in peaks} == {2025, 2030}


def test_target_filter_via_htmx_returns_the_table_only(logged_in, imported_plan):
    response = logged_in.get(reverse("plans:targets"), {"year": "2025"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and "<html" not in html


def test_bad_filter_values_are_400s_naming_the_parameter(logged_in, imported_plan):
    response = logged_in.get(reverse("plans:targets"), {"year": "abc", "action": "x", "kind": "nope"})
    assert response.status_code == 400 and "年份参数“abc”无效" in response.content.decode()
    assert logged_in.get(reverse("plans:targets"), {"kind": "nope"}).status_code == 200  # a choice: ignored


def test_no_plan_yet_is_a_404(logged_in):
    assert logged_in.get(reverse("plans:plan")).status_code == 404


def test_login_page_in_chinese_with_error_message(client, db):
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert "用户名或密码不正确" in response.content.decode()
