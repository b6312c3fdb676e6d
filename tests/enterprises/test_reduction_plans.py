"""一企一策: a plan with dated measures, reported every quarter of the progress cycle like a task, reviewed and
audited; a data centre's PUE against the plan's 1.3."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carbonpeak.demo import ensure_demo_enterprises, ensure_demo_users
from carbonpeak.enterprises import sample, services, thresholds
from carbonpeak.enterprises.models import Enterprise, PlanProgress
from carbonpeak.supervision import services as supervision

pytestmark = pytest.mark.django_db


def test_the_pue_limit_is_the_plans():
    limit = thresholds.load()["data_centre_pue_max"]
    assert limit.value == 1.3 and "太政发〔2025〕15号" in limit.source
    assert thresholds.pue_status(1.29, 1.3) == "达标"
    assert thresholds.pue_status(1.3, 1.3) == "未达标"
    assert thresholds.pue_status(None, 1.3) == "缺失"


@pytest.fixture
def setup(imported_plan):
    ensure_demo_users()
    users = get_user_model().objects
    coordinator = users.get(username="coordinator")
    ensure_demo_enterprises(coordinator, reports=False)
    return coordinator, users.get(username="jiulong"), imported_plan


def test_a_plan_is_reported_every_quarter_like_a_task(setup, client):
    coordinator, company, plan = setup
    paper = Enterprise.objects.get(credit_code=sample.credit_code(5))
    reduction = paper.reduction_plan
    assert reduction.milestones.count() == 2
    with pytest.raises(ValidationError, match="已有一企一策"):
        services.create_reduction_plan(
            coordinator, paper, title="再来一个", goal="", milestones=[("x", "2026-01-01")]
        )
    period = supervision.open_period(plan, "2026Q3", dt.date(2026, 10, 20), coordinator)
    progress = PlanProgress.objects.get(plan=reduction, period=period)
    assert PlanProgress.objects.filter(period=period).count() == 2  # both sample plans
    first = reduction.milestones.first()
    with pytest.raises(ValidationError, match="进展情况"):
        services.submit_progress(progress, user=company)
    services.save_progress(
        company, progress, narrative="燃气锅炉已完成安装调试（测试）", milestones_done=[first.pk]
    )
    services.submit_progress(progress, user=company)
    services.approve_progress(progress, user=coordinator)
    first.refresh_from_db()
    assert first.done_on == period.due_date
    # a data centre must give its PUE, tracked against 1.3
    centre = Enterprise.objects.get(credit_code=sample.credit_code(10)).reduction_plan
    item = PlanProgress.objects.get(plan=centre, period=period)
    services.save_progress(coordinator, item, narrative="蒸发冷却改造施工中（测试）", milestones_done=[])
    with pytest.raises(ValidationError, match="PUE"):
        services.submit_progress(item, user=coordinator)
    services.save_progress(
        coordinator, item, narrative="蒸发冷却改造施工中（测试）", milestones_done=[], pue="1.36"
    )
    client.force_login(coordinator)
    html = client.get(reverse("enterprises:detail", args=[centre.enterprise.pk])).content.decode()
    assert 'data-testid="plan-progress"' in html and "未达标" in html
    # another enterprise's user may not report on it
    with pytest.raises(PermissionDenied):
        services.save_progress(company, item, narrative="x", milestones_done=[])
    client.force_login(company)
    assert client.get(reverse("enterprises:progress", args=[item.pk])).status_code == 403
    page = client.get(reverse("enterprises:progress", args=[progress.pk])).content.decode()
    assert 'data-testid="progress-status"' in page and "已审核" in page


def test_progress_is_frozen_once_its_period_is_closed(setup):
    """一企一策 progress follows the one review lifecycle: once the quarter is closed, nothing in it changes."""
    coordinator, company, plan = setup
    paper = Enterprise.objects.get(credit_code=sample.credit_code(5))
    period = supervision.open_period(plan, "2026Q3", dt.date(2026, 10, 20), coordinator)
    progress = PlanProgress.objects.get(plan=paper.reduction_plan, period=period)
    supervision.close_period(period, coordinator)
    with pytest.raises(ValidationError, match="已关闭"):
        services.save_progress(company, progress, narrative="关闭后补写（测试）", milestones_done=[])
    with pytest.raises(ValidationError, match="已关闭"):
        services.submit_progress(progress, user=company)
    progress.refresh_from_db()
    assert progress.narrative == "" and progress.status == "draft"
