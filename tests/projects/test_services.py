"""The key-project register through its services, API and pages (issue 38): a department registers its own
project (and no other department's), the effect comes from physical quantities by the official factors,
progress moves on the shared review lifecycle, and the API gives the documented shape."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carbonpeak.core.models import AuditEvent, ReviewStatus
from carbonpeak.departments.models import Department
from carbonpeak.projects import selectors, services
from carbonpeak.projects.models import FundingSource, KeyProject, ProjectKind, ProjectStatus

pytestmark = pytest.mark.django_db


def _user(name: str):
    return get_user_model().objects.get(username=name)


def _form(lead, **extra) -> services.ProjectForm:
    values = {
        "name": "屋顶光伏",
        "kind": ProjectKind.PV,
        "lead": lead,
        "capacity_kw": "2000",
        "investments": [("2025", "800", "")],
        "funding": [("2025", FundingSource.LOAN, "500", "某银行")],
        "milestones": [("并网", None)],
    }
    values.update(extra)
    return services.ProjectForm(**values)


def test_a_department_registers_its_own_project_and_no_other(demo_plan):
    transport = Department.objects.get(name="市交运局")
    user = _user("市交运局")
    project = services.register_project(user, _form(transport, tasks=list(demo_plan.tasks.all()[:1])))
    assert project.lead == transport and project.tasks.count() == 1
    assert AuditEvent.objects.filter(object_id=str(project.pk), action=AuditEvent.Action.CREATE).exists()
    other = Department.objects.exclude(pk=transport.pk).exclude(name__startswith="各").first()
    with pytest.raises(PermissionDenied):
        services.register_project(user, _form(other))


def test_a_refused_project_names_each_field_and_writes_nothing(demo_plan, coordinator):
    lead = Department.objects.get(name="市交运局")
    bad = _form(
        lead,
        name="",
        capacity_kw="很多",
        kind=ProjectKind.EMC,
        savings=[("原煤", "10", "万千瓦时")],
        investments=[("1999", "x", "")],
    )
    with pytest.raises(ValidationError) as refused:
        services.register_project(coordinator, bad)
    fields = refused.value.message_dict
    assert {"name", "capacity_kw", "esco", "saving-0", "investment-0"} <= set(fields)
    assert "不能以“万千瓦时”计量" in fields["saving-0"][0]
    assert KeyProject.objects.count() == 0


def test_the_effect_waits_for_the_full_load_hours_then_is_computed(demo_plan, coordinator):
    project = services.register_project(coordinator, _form(Department.objects.get(name="市交运局")))
    effect = selectors.expected_effect(project, year=2023)
    assert effect.state == "missing" and effect.kwh is None and effect.tco2["assessed"] is None
    services.set_full_load_hours(coordinator, ProjectKind.PV, "1100", "测试：协调员录入，注明来源")
    effect = selectors.expected_effect(project, year=2023)
    assert effect.kwh == pytest.approx(2_200_000)
    assert effect.tco2["assessed"] == pytest.approx(2_200_000 * 0.5827e-3)
    with pytest.raises(ValidationError):
        services.set_full_load_hours(coordinator, ProjectKind.PV, "9000", "")
    with pytest.raises(PermissionDenied):
        services.set_full_load_hours(_user("市交运局"), ProjectKind.PV, "1000", "x")


def test_progress_is_reviewed_and_feeds_the_money_and_the_achieved_effect(demo_plan, coordinator):
    lead = Department.objects.get(name="市交运局")
    user = _user("市交运局")
    project = services.register_project(user, _form(lead))
    milestone = project.milestones.get()
    progress = services.save_progress(
        user, project, "2025Q2", milestones=[str(milestone.pk)], investment="300", measured_kwh=""
    )
    assert progress.measured_kwh is None  # not reported is not 0
    services.submit_progress(progress, user=user)
    with pytest.raises(PermissionDenied):
        services.approve_progress(progress, user=user)
    services.approve_progress(progress, user=coordinator)
    project = selectors.projects().get(pk=project.pk)
    assert project.milestones.get().reached_in == "2025Q2"
    money = selectors.money(project)
    assert money.planned == 800 and money.actual == 300  # the reviewed figure, not the entered one
    assert selectors.achieved_effect(project, 2025).state == "nothing"  # no kWh measured yet
    with pytest.raises(ValidationError):
        services.save_progress(user, project, "2025", investment="1")  # a year is not a quarter
    with pytest.raises(ValidationError):
        services.save_progress(user, project, "2025Q2", investment="1")  # approved: no longer editable


def test_the_api_lists_projects_in_the_documented_shape(demo_plan, coordinator, client):
    services.register_project(coordinator, _form(Department.objects.get(name="市交运局")))
    client.force_login(coordinator)
    body = client.get("/api/key-projects").json()
    item = body["items"][0]
    assert body["count"] == 1
    assert {
        "name",
        "type",
        "status",
        "tasks",
        "lead",
        "investment_planned",
        "investment_actual",
        "funding",
        "effect",
    } <= set(item)
    assert item["type"] == "pv" and item["lead"] == "市交运局" and item["investment_planned"] == 800
    assert item["investment_actual"] is None  # nothing reported, nothing entered
    assert item["funding"] == [
        {"year": 2025, "source": "loan", "source_label": "绿色贷款", "amount": 500.0, "institution": "某银行"}
    ]
    assert item["effect"]["state"] == "missing" and item["effect"]["tco2"] is None
    assert {"tce", "tco2", "state"} <= set(item["effect"])


def test_the_pages_list_register_and_review(demo_plan, coordinator, client):
    client.force_login(_user("市交运局"))
    lead = Department.objects.get(name="市交运局")
    response = client.post(
        reverse("projects:register"),
        {"name": "", "kind": "pv", "status": "planned", "lead": str(lead.pk), "capacity_kw": "x"},
        follow=True,
    )
    html = response.content.decode()
    assert 'data-testid="error-summary"' in html and "请填写项目名称" in html
    response = client.post(
        reverse("projects:register"),
        {
            "name": "公交充电站配套光伏",
            "kind": "pv",
            "status": "planned",
            "lead": str(lead.pk),
            "capacity_kw": "500",
        },
        follow=True,
    )
    project = KeyProject.objects.get(name="公交充电站配套光伏")
    assert response.redirect_chain[-1][0] == reverse("projects:detail", args=[project.pk])
    client.post(
        reverse("projects:progress", args=[project.pk]),
        {"action": "submit", "period": "2025Q3", "investment": "20", "measured_kwh": "1000"},
    )
    assert project.progress.get().status == ReviewStatus.SUBMITTED
    client.force_login(coordinator)
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="review-progress"' in html
    client.post(
        reverse("projects:progress", args=[project.pk]),
        {"action": "approve", "progress": str(project.progress.get().pk)},
    )
    assert project.progress.get().status == ReviewStatus.APPROVED
    html = client.get(reverse("projects:index")).content.decode()
    assert "公交充电站配套光伏" in html and "缺失" in html


def test_a_forged_key_is_refused_beside_its_field_not_a_server_error(demo_plan, coordinator, client):
    client.force_login(coordinator)
    response = client.post(
        reverse("projects:register"),
        {"name": "x", "kind": "pv", "status": "planned", "lead": "²", "tasks": ["٣", "1"], "district": "²"},
        follow=True,
    )
    assert response.status_code == 200 and "请选择牵头部门" in response.content.decode()
    assert KeyProject.objects.count() == 0


def test_the_lead_department_moves_its_project_on_and_the_log_keeps_what_it_was(
    demo_plan, coordinator, client
):
    """谋划 → 在建 with its dates and money, on the project's page: the form comes filled in, a refused edit
    names its field and changes nothing, the rows of money become the form's, milestones are only added."""
    lead = Department.objects.get(name="市交运局")
    project = services.register_project(coordinator, _form(lead, funding=[], milestones=[("并网", None)]))
    client.force_login(_user("市交运局"))
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="edit-project"' in page and 'value="屋顶光伏"' in page and 'value="2000"' in page
    typed = {
        "rows": "3",
        "name": "屋顶光伏",
        "kind": "pv",
        "status": "building",
        "lead": str(lead.pk),
        "capacity_kw": "2500",
        "start_date": "2025-03-01",
        "completion_date": "2025-01-01",
        "investment_year-0": "2025",
        "planned-0": "900",
        "funding_year-0": "2025",
        "source-0": "loan",
        "amount-0": "600",
        "institution-0": "某银行",
        "milestone-0": "竣工验收",
        "milestone_date-0": "2025-12-31",
    }
    refused = client.post(reverse("projects:edit", args=[project.pk]), typed, follow=True).content.decode()
    assert "建成日期不能早于开工日期" in refused and 'value="2500"' in refused  # as typed, nothing written
    project.refresh_from_db()
    assert project.status == ProjectStatus.PLANNED and project.capacity_kw == 2000
    typed["completion_date"] = "2025-12-31"
    client.post(reverse("projects:edit", args=[project.pk]), typed)
    project.refresh_from_db()
    assert project.status == ProjectStatus.BUILDING and project.capacity_kw == 2500
    assert [(i.year, i.planned, i.actual) for i in project.investments.all()] == [(2025, 900, None)]
    assert [(f.source, f.amount) for f in project.funding.all()] == [("loan", 600)]
    assert sorted(m.name for m in project.milestones.all()) == ["并网", "竣工验收"]
    change = AuditEvent.objects.filter(object_id=str(project.pk), action=AuditEvent.Action.UPDATE).get()
    assert change.before["status"] == "planned" and change.after["status"] == "building"
    other = Department.objects.exclude(pk=lead.pk).exclude(name__startswith="各").first()
    with pytest.raises(PermissionDenied):
        services.update_project(_user("市交运局"), project, _form(other))
