"""The enterprise that carries a key project out reports its progress, and the 财政局 records the fiscal awards
paid against the milestones the approved progress reached (issue 38)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from carbonpeak.core.models import AuditEvent, ReviewStatus
from carbonpeak.departments.models import Department
from carbonpeak.enterprises.models import Enterprise
from carbonpeak.projects import selectors, services
from carbonpeak.projects.models import FundingSource, ProjectKind, ProjectStatus

pytestmark = pytest.mark.django_db


def _user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def project(demo_plan, coordinator):
    """A retrofit carried out by the demo's enterprise (the one ``jiulong`` reports for)."""
    from carbonpeak.demo import ensure_demo_enterprises

    ensure_demo_enterprises(coordinator, reports=False)
    return services.register_project(
        coordinator,
        services.ProjectForm(
            name="锅炉节能改造",
            kind=ProjectKind.RETROFIT,
            lead=Department.objects.get(name="市工信局"),
            enterprise=_user("jiulong").enterprise_membership.enterprise,
            status=ProjectStatus.BUILDING,
            savings=[("原煤", "3000", "吨")],
            funding=[("2025", FundingSource.AWARD, "100", "太仓市财政局")],
            milestones=[("设备安装", dt.date(2025, 9, 30)), ("投运", dt.date(2026, 6, 30))],
        ),
    )


def test_the_enterprise_reports_its_projects_progress_and_no_other(project, demo_plan, coordinator, client):
    from carbonpeak.supervision.services import open_period

    open_period(demo_plan, "2025Q3", dt.date(2025, 10, 15), coordinator)  # the progress cycle's quarter
    reporter = _user("jiulong")
    client.force_login(reporter)
    door = client.get("/").content.decode()
    assert "重点项目季度进展" in door and "锅炉节能改造" in door and "截止 2025-10-15" in door
    page = client.get(reverse("projects:detail", args=[project.pk]))
    assert page.status_code == 200 and 'data-testid="progress-form"' in page.content.decode()
    assert 'value="2025Q3"' in page.content.decode()  # the open period is the one owed
    assert f'href="{reverse("projects:index")}"' not in page.content.decode()  # no door it cannot open
    installed = project.milestones.get(name="设备安装")
    typed = {"period": "2025Q3", "investment": "400", "milestones": [installed.pk], "action": "submit"}
    measured = {"measured_fuel-0": "原煤", "measured_quantity-0": "", "measured_unit-0": "吨"}
    refused = client.post(reverse("projects:progress", args=[project.pk]), {**typed, **measured}, follow=True)
    assert "请填写原煤的本期实测节约量，或删去这一行" in refused.content.decode()
    assert not project.progress.exists()
    measured["measured_quantity-0"] = "700"
    response = client.post(reverse("projects:progress", args=[project.pk]), {**typed, **measured})
    assert response.status_code == 302
    progress = project.progress.get()
    assert progress.status == ReviewStatus.SUBMITTED and progress.measured_kwh is None  # 未报, not 0
    services.approve_progress(progress, user=coordinator)
    installed.refresh_from_db()
    assert installed.reached_in == "2025Q3"
    achieved = selectors.achieved_effect(selectors.projects().get(pk=project.pk), 2025)
    assert achieved.tce == pytest.approx(700 * 0.7143)  # by the engine from what was measured, not typed

    other = Enterprise.objects.exclude(pk=project.enterprise_id).first()
    foreign = services.register_project(
        coordinator,
        services.ProjectForm(name="别家的项目", kind=ProjectKind.PV, lead=project.lead, enterprise=other),
    )
    assert client.get(reverse("projects:detail", args=[foreign.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.save_progress(reporter, foreign, "2025Q3")
    assert client.get(reverse("projects:index")).status_code == 403  # the city's register is not its page
    client.force_login(_user("suzhou"))  # the parent region reads the city's register and its projects
    assert client.get(reverse("projects:detail", args=[foreign.pk])).status_code == 200


def test_an_award_is_paid_against_a_reached_milestone_by_the_finance_bureau(project, coordinator, client):
    finance = _user("finance")
    installed = project.milestones.get(name="设备安装")
    award = {
        "milestone": installed.pk,
        "source": FundingSource.AWARD,
        "amount": "50",
        "paid_on": dt.date(2025, 11, 3),
        "document": "太财建〔2025〕12号",
    }
    with pytest.raises(ValidationError) as refused:
        services.record_award(finance, project, **award)
    assert "本平台规则" in refused.value.message_dict["milestone"][0]  # paid by milestone: reached first
    progress = services.save_progress(_user("jiulong"), project, "2025Q3", milestones=[installed.pk])
    services.submit_progress(progress, user=_user("jiulong"))
    services.approve_progress(progress, user=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.record_award(
            finance, project, **{**award, "source": FundingSource.LOAN, "amount": "0", "document": " "}
        )
    assert set(refused.value.message_dict) == {"source", "amount", "document"}
    with pytest.raises(PermissionDenied):
        services.record_award(_user("市工信局"), project, **award)

    client.force_login(finance)
    door = client.get("/", follow=True).content.decode()
    assert "重点项目按节点拨付的财政奖补" in door and "锅炉节能改造 · 设备安装" in door  # reached, not paid
    paid = services.record_award(finance, project, **award)
    assert AuditEvent.objects.filter(object_id=str(paid.pk), action=AuditEvent.Action.CREATE).exists()
    assert "锅炉节能改造 · 设备安装" not in client.get("/", follow=True).content.decode()
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "太财建〔2025〕12号" in page and 'data-testid="award-form"' in page
    response = client.post(
        reverse("projects:award", args=[project.pk]), {**award, "paid_on": "2025-13-01"}, follow=True
    )
    assert "日期“2025-13-01”无效" in response.content.decode() and project.awards.count() == 1

    client.force_login(coordinator)
    book = load_workbook(io.BytesIO(client.get(reverse("projects:money")).content))
    paid_rows = list(book["财政奖补拨付"].iter_rows(min_row=2, values_only=True))
    assert paid_rows == [
        (
            "锅炉节能改造",
            "市工信局",
            "设备安装",
            "2025Q3",
            "市财政奖励",
            50,
            "2025-11-03",
            "太财建〔2025〕12号",
        )
    ]
    listed = client.get("/api/key-projects").json()["items"]
    (awards,) = [p["awards"] for p in listed if p["name"] == "锅炉节能改造"]
    assert awards == [
        {
            "milestone": "设备安装",
            "reached_in": "2025Q3",
            "source": "award",
            "source_label": "市财政奖励",
            "amount": 50.0,
            "paid_on": "2025-11-03",
            "document": "太财建〔2025〕12号",
        }
    ]
