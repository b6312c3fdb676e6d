"""The 两高 project list: 验收 against the approval within a tolerance the coordinator enters (缺失 until then),
warnings when reported use runs past the approval, the API and the page, and who sees which projects."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carbonpeak.demo import ensure_demo_enterprises, ensure_demo_users
from carbonpeak.enterprises import projects, sample, services
from carbonpeak.enterprises.models import Enterprise, TwoHighProject


def test_acceptance_at_the_tolerance_and_without_one():
    assert projects.acceptance(10_000, 10_500, 5.0).status == projects.WITHIN
    assert projects.acceptance(10_000, 10_501, 5.0).status == projects.BEYOND
    missing = projects.acceptance(10_000, 10_800, None)
    assert missing.status == projects.MISSING and missing.deviation_pct == pytest.approx(8.0)
    assert "未录入" in missing.why
    assert projects.acceptance(None, 10_000, 5.0).status == projects.MISSING
    assert projects.acceptance(10_000, None, 5.0).status == projects.NOT_YET


def test_overrun_warns_only_on_two_reported_figures():
    assert "超过节能审查批复 10000 tce（超出 12.0%）" in projects.overrun(10_000, 11_200, 2025)
    assert projects.overrun(10_000, 10_000, 2025) == ""
    assert projects.overrun(None, 11_200, 2025) == projects.overrun(10_000, None, None) == ""


@pytest.fixture
def demo(db):
    ensure_demo_users()
    coordinator = get_user_model().objects.get(username="coordinator")
    ensure_demo_enterprises(coordinator, reports=False)
    return coordinator


def test_the_tolerance_is_entered_with_its_document_and_then_applies(demo, client):
    client.force_login(demo)
    rows = client.get("/api/projects").json()["items"]
    assert len(rows) == 5
    assert {"name", "status", "disposal", "approved_tce"} <= set(rows[0])
    accepted = [r for r in rows if r["acceptance_tce"] is not None]
    assert accepted and all(r["acceptance_status"] == "缺失" for r in accepted)
    with pytest.raises(ValidationError, match="依据文件"):
        services.set_acceptance_tolerance(demo, 5, " ")
    department = get_user_model().objects.create_user("某部门")
    with pytest.raises(PermissionDenied):
        services.set_acceptance_tolerance(department, 5, "某文件")
    response = client.post(
        reverse("enterprises:acceptance_tolerance"),
        {"value_pct": "5", "source": "某市发改委通知（测试输入）"},
    )
    assert response.status_code == 302
    rows = client.get("/api/projects").json()["items"]
    assert all(r["acceptance_status"] in ("符合", "超出") for r in rows if r["acceptance_tce"] is not None)
    warned = [r for r in rows if r["warning"]]
    assert [r["name"] for r in warned] == ["聚酯熔体直纺节能改造项目（示例）"]
    html = client.get(reverse("enterprises:projects")).content.decode()
    assert 'data-testid="project-warnings"' in html and "某市发改委通知（测试输入）" in html


def test_an_enterprise_user_sees_its_own_projects_only(demo, client):
    client.force_login(get_user_model().objects.get(username="jiulong"))
    rows = client.get("/api/projects").json()["items"]
    own = Enterprise.objects.get(credit_code=sample.credit_code(5))
    assert {r["credit_code"] for r in rows} == {own.credit_code}
    assert TwoHighProject.objects.exclude(enterprise=own).exists()
    html = client.get(reverse("enterprises:projects")).content.decode()
    assert "差别化涤纶长丝" not in html


def test_enterprise_pages_answer_in_a_constant_number_of_queries(demo, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from carbonpeak.enterprises.creditcode import check_character

    paper = Enterprise.objects.get(credit_code=sample.credit_code(5))
    pages = [
        "/enterprises/",
        "/enterprises/pv/",
        "/enterprises/projects/",
        f"/enterprises/{paper.pk}/",
        "/api/enterprises",
        "/api/pv-compliance",
        "/api/projects",
        f"/api/enterprises/{paper.pk}",
    ]
    client.force_login(demo)

    def counts() -> dict[str, int]:
        out = {}
        for path in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200, path
            out[path] = len(captured)
        return out

    before = counts()
    for copy in range(1, 10):  # nine copies of every enterprise, its buildings and projects
        for enterprise in list(Enterprise.objects.filter(credit_code__startswith="91320585DEM")):
            buildings, owned = list(enterprise.buildings.all()), list(enterprise.projects.all())
            first17 = f"91320585COPY{copy}{enterprise.credit_code[13:17]}".replace("O", "0")
            enterprise.pk, enterprise.credit_code = None, first17 + check_character(first17)
            enterprise.save()
            for b in buildings:
                b.pk, b.enterprise = None, enterprise
                b.save()
            for p in owned:
                p.pk, p.enterprise = None, enterprise
                p.save()
    assert Enterprise.objects.count() == 10 * len(sample.ENTERPRISES)
    after = counts()
    grown = {path: (before[path], after[path]) for path in pages if after[path] != before[path]}
    assert not grown, f"queries that grow with the register (×10): {grown}"


def test_the_pv_target_shows_the_registers_pv_beside_the_reported_figure(demo, client, imported_plan):
    from carbonpeak.enterprises.selectors import register_installed_pv
    from carbonpeak.plans.models import Target

    target = Target.objects.get(plan=imported_plan, indicator="光伏装机并网容量")
    client.force_login(demo)
    html = client.get(reverse("monitoring:target", args=[target.pk])).content.decode()
    total, unreported = register_installed_pv()
    assert 'data-testid="register-pv"' in html and f"{total:.2f} MW" in html and f"{unreported} 栋" in html
    other = Target.objects.filter(plan=imported_plan).exclude(indicator__contains="光伏").first()
    assert (
        'data-testid="register-pv"'
        not in client.get(reverse("monitoring:target", args=[other.pk])).content.decode()
    )
