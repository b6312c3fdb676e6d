"""Each role's front door (``/``): what it owes, one row per thing with its state (a row never says 草稿 when
nothing was written), returned and late first; the coordinator's queue of what waits for review."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from carbonpeak.energy.models import EnergySubmission
from carbonpeak.supervision import services as supervision
from carbonpeak.supervision.models import ProgressReport

pytestmark = pytest.mark.django_db


def user(name: str):
    return get_user_model().objects.get(username=name)


def rows(html: str) -> list[tuple[str, str]]:
    """(state, text) of each owed row, in the order shown."""
    found = re.findall(r'data-testid="todo-row" data-state="(\w+)">(.*?)</li>', html, re.S)
    return [(state, re.sub(r"<[^>]+>|\s+", " ", text).strip()) for state, text in found]


@pytest.fixture
def period(demo_plan, coordinator):
    today = timezone.localdate()
    found = supervision.open_latest_quarter(demo_plan, coordinator, today)
    if found is None:
        from carbonpeak.supervision.models import ReportingPeriod

        found = ReportingPeriod.objects.filter(is_open=True).first()
    return found


def test_a_department_sees_the_reports_it_leads_and_apart_those_it_supports(client, period, coordinator):
    department = user("市交运局")
    client.force_login(department)
    html = client.get("/").content.decode()
    assert "待办" in html and "牵头任务的进展报告" in html and "配合任务的补充情况" in html
    led = ProgressReport.objects.filter(period=period, department__name="市交运局")
    assert led.exists()
    shown = rows(html)
    assert shown and all(state != "draft" for state, _ in shown)  # nothing written yet: 未填写, never 草稿
    first = led.first()
    supervision.save_report(first, department, progress="in_progress", narrative="已完成公交车辆更新")
    supervision.submit_report(first, user=department)
    supervision.return_report(first, user=coordinator, comment="请补充新能源车辆数量")
    shown = rows(client.get("/").content.decode())
    assert (
        shown[0][0] == "returned" and "请补充新能源车辆数量" in shown[0][1]
    )  # returned first, with the comment


def test_the_statistics_office_owes_the_last_quarters_energy_statistics(client, demo_plan):
    client.force_login(user("stats"))
    html = client.get("/").content.decode()
    assert "能源统计报表" in html
    assert not any(text.startswith("市统计局") for _, text in rows(html))  # a department is not a region
    city = [(state, text) for state, text in rows(html) if text.startswith("太仓市")]
    assert len(city) == 1 and "季度" in city[0][1]
    # the demo's statistics stop before the last quarter: owed, and said so — never 草稿
    assert city[0][0] == "not_reported" and "尚未上传报表" in city[0][1]


def test_the_coordinator_sees_what_waits_for_review_oldest_first(client, demo_plan, coordinator):
    from carbonpeak.energy import services as energy

    stats = user("stats")
    csv = "period,region,sector,fuel,quantity,unit\n2023Q1,太仓市,其他工业,原煤,1,万吨\n"
    submission = energy.upload(csv.encode(), "q.csv", stats).submissions[0]
    energy.submit_submission(submission, user=stats)
    client.force_login(coordinator)
    assert client.get("/")["Location"] == "/monitoring/"  # the dashboard, headed by the queue
    assert 'hx-get="/review-queue/"' in client.get("/monitoring/").content.decode()  # loaded after it
    html = client.get("/review-queue/").content.decode()
    assert 'data-testid="review-queue"' in html and "待审核" in html
    waiting = EnergySubmission.objects.filter(status="submitted").count()
    assert re.search(rf"能源统计报送</td><td class=\"text-end\">{waiting}</td>", html) or waiting == 0
    assert f'href="/energy/submissions/{submission.pk}/"' in html


@pytest.mark.parametrize(
    ("username", "lands_on"), [("leader", "/monitoring/"), ("suzhou", "/budgets/regions/")]
)
def test_roles_without_anything_owed_start_where_their_work_is(client, demo_plan, username, lands_on):
    client.force_login(user(username))
    assert client.get("/")["Location"] == lands_on


def test_the_front_door_reads_in_a_constant_number_of_queries(client, period, django_assert_max_num_queries):
    client.force_login(user("市交运局"))
    client.get("/")
    with django_assert_max_num_queries(30):
        assert client.get("/").status_code == 200


def test_an_enterprise_reporter_sees_what_its_enterprise_owes_and_starts_its_report(client, demo_plan):
    from carbonpeak.accounts import permissions
    from carbonpeak.demo import ensure_demo_enterprises

    ensure_demo_enterprises(user("coordinator"), reports=False)
    reporter = user("jiulong")
    own = permissions.enterprise_of(reporter)
    client.force_login(reporter)
    html = client.get("/").content.decode()
    shown = dict((text.split(" ", 1)[0], state) for state, text in rows(html))
    year = timezone.localdate().year
    assert (
        shown[f"{year}年监测计划"] == "not_started"
        and shown[f"{year - 1}年度能源与碳排放报告"] == "not_started"
    )
    assert "点击开始填写" in html
    start = f"/enterprises/{own.pk}/reports/{year - 1}/"
    assert f'href="{start}"' in html and client.get(start).status_code == 200


def test_a_district_sees_its_quarter_and_its_own_region(client, demo_plan):
    client.force_login(user("chengxiang"))
    html = client.get("/").content.decode()
    assert "待办" in html and any(text.startswith("城厢镇") for _, text in rows(html))
    assert 'data-testid="own-region"' in html and "/budgets/regions/%E5%9F%8E%E5%8E%A2%E9%95%87/" in html
    assert client.get("/budgets/regions/")["Location"] == "/budgets/regions/%E5%9F%8E%E5%8E%A2%E9%95%87/"


def test_a_district_reads_its_own_figures_and_the_tasks_it_implements(client, demo_plan):
    from carbonpeak.energy.services import load_sample_districts

    load_sample_districts(user("coordinator"))
    client.force_login(user("chengxiang"))
    html = client.get("/").content.decode()
    figures = html[html.index('data-testid="own-figures"') :]
    figures = figures[: figures.index("</dl>")]
    assert "万吨标准煤" in figures and "二氧化碳排放" in figures  # its accounts, not a link to them
    tasks = html[html.index('data-testid="district-tasks"') :]
    assert re.search(r"区镇负责落实的任务 <span[^>]*>(\d+) 项", tasks)
    count = int(re.search(r"区镇负责落实的任务 <span[^>]*>(\d+) 项", tasks).group(1))
    assert count > 0 and tasks.count("<li>") >= count  # the plan's 各区镇 tasks, listed


def test_a_parent_region_reads_its_child_regions_side_by_side(client, demo_budgets):
    client.force_login(user("suzhou"))
    html = client.get("/budgets/regions/苏州市/?year=2025").content.decode()
    row = re.search(r'data-testid="child-region">(.*?)</tr>', html, re.S).group(1)
    assert "太仓市" in row and "%" in row  # the budget used, in per cent
    assert "基本顺利" in row or "比较严峻" in row or "十分严峻" in row  # its plan's targets graded
    assert "太仓市碳达峰实施方案" in row
    towns = client.get("/budgets/regions/太仓市/?year=2025").content.decode()
    assert towns.count('data-testid="child-region"') == 7 and "上级分解" in towns  # the allocation's shares


def test_the_demo_fixes_its_today_and_says_so_on_every_page(client, demo_plan, settings):
    import datetime as dt

    from carbonpeak.core import clock
    from carbonpeak.demo import demo_today

    settings.CARBONPEAK_TODAY = demo_today()
    assert clock.today() == dt.date(2026, 1, 20)  # twenty days after the sample data's last quarter
    client.force_login(user("市交运局"))
    html = client.get("/").content.decode()
    assert 'data-testid="demo-banner"' in html and "示例输入" in html and "2026年1月20日" in html
    settings.CARBONPEAK_TODAY = None
    assert 'data-testid="demo-banner"' not in client.get("/").content.decode()  # a real installation


def test_a_districts_front_door_reads_in_a_fixed_number_of_queries(
    client, demo_plan, django_assert_max_num_queries
):
    from carbonpeak.energy.services import load_sample_districts

    load_sample_districts(user("coordinator"))
    client.force_login(user("chengxiang"))
    client.get("/")
    with django_assert_max_num_queries(40):
        assert client.get("/").status_code == 200
