"""Carbon double control through the pages and the API: the budget table, project assessments, the upward
workbook, a district reporter held to its own district, and a parent region's read-only viewer."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from carbonpeak.accounts.models import RegionScope
from carbonpeak.budgets import services
from carbonpeak.budgets.models import Allocation
from carbonpeak.core.models import Region
from carbonpeak.energy.models import EnergySubmission

from .test_services import _budget_2024, _project, districts_loaded  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(districts_loaded):  # noqa: F811
    made = _budget_2024(districts_loaded)
    services.allocate(districts_loaded, made, Allocation.DISTRICT, "historical")
    services.allocate(districts_loaded, made, Allocation.SECTOR, "historical")
    return made


def test_budget_api_interface(client, budget, coordinator):
    client.force_login(coordinator)
    got = client.get("/api/budgets/2024").json()
    assert got["city"]["budget_tco2"] == budget.tco2 and got["city"]["region"] == "太仓市"
    row = got["districts"][0]
    assert {"district", "budget_tco2", "used_tco2", "remaining_tco2", "expected_tco2", "grade"} <= row.keys()
    assert row["remaining_tco2"] == pytest.approx(row["budget_tco2"] - row["used_tco2"])
    assert sum(d["budget_tco2"] for d in got["districts"]) == round(budget.tco2)
    assert {"sector", "budget_tco2", "used_tco2"} <= got["sectors"][0].keys()
    assert got["districts_allocation"]["sums_to_whole"] is True
    assert client.get("/api/budgets/2019").status_code == 404


def test_project_assessments_api_and_pages(client, budget, coordinator):
    client.force_login(coordinator)
    made = client.post(
        "/api/project-assessments",
        {
            "name": "接口项目",
            "applicant": "某公司",
            "district": "港区",
            "sector": "其他工业",
            "operation_year": 2026,
            "fuels": [{"fuel": "天然气", "unit": "万立方米", "quantity": 100}],
            "electricity_kwh": 1e7,
            "value_added_10k": 20000,
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    row = made.json()
    assert {"project", "tce_equivalent", "co2_t", "budget_share", "decision"} <= row.keys()
    assert row["project"] == "接口项目" and row["decision"] is None and row["co2_t"] > 0
    district = client.get("/api/budgets/2024").json()["districts"][0]
    assert row["budget_share"] == pytest.approx(row["co2_t"] / district["remaining_tco2"])
    listed = client.get("/api/project-assessments").json()["items"]
    assert [r["project"] for r in listed] == ["接口项目"]
    pid = row["id"]
    assert client.post(f"/api/project-assessments/{pid}/submit").status_code == 200
    decided = client.post(
        f"/api/project-assessments/{pid}/decide", {"decision": "approved"}, content_type="application/json"
    ).json()
    assert decided["decision"] == "approved" and decided["reviewer"] == "coordinator"
    html = client.get(reverse("budgets:project", args=[pid])).content.decode()
    assert "接口项目" in html and "审查层级" in html and "缺失" in html  # 等价值 without the coal rate
    assert "接口项目" in client.get(reverse("budgets:projects")).content.decode()


def test_budget_page_and_upward_workbook(client, budget, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("budgets:year", args=[2024])).content.decode()
    assert "按区镇" in html and "港区" in html and "市级统筹（未分解）" in html and "本平台规则" in html
    response = client.get(reverse("budgets:export", args=[2024]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert {"季度数据", "碳预算", "碳预算（区镇）", "碳预算（行业）", "区镇汇总"} <= set(wb.sheetnames)
    quarterly = [[c.value for c in r] for r in wb["季度数据"].iter_rows(min_row=5)]
    assert quarterly[3][0] == "2024年1–12月" and quarterly[3][2] == "缺失"  # 等价值 without the coal rate
    districts = [[c.value for c in r] for r in wb["碳预算（区镇）"].iter_rows(min_row=5)]
    assert sum(r[1] for r in districts) == round(budget.tco2)


def test_setting_a_budget_on_the_page_refuses_bad_input_whole(client, budget, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("budgets:set"),
        {"region": "太仓市", "year": "2024", "method": "handed_down", "tco2": "=1+1", "document": "x"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "下达的碳预算须为数字" in html
    assert 'value="=1+1"' in html and 'value="x"' in html  # what was typed comes back, nothing lost
    budget.refresh_from_db()
    assert budget.method == "intensity"


def test_a_manual_allocation_is_deleted_on_the_page_before_the_whole_changes(client, budget, coordinator):
    client.force_login(coordinator)
    names = [p.name for p in budget.allocations.get(dimension="district").parts.order_by("order")]
    whole = round(budget.tco2)
    form = {"region": "太仓市", "dimension": "district", "method": "manual"}
    form |= {f"part-{i}": str(whole if i == 0 else 0) for i in range(len(names))}
    client.post(reverse("budgets:allocate", args=[2024]), form)
    assert budget.allocations.get(dimension="district").method == "manual"
    change = {
        "region": "太仓市",
        "year": "2024",
        "method": "handed_down",
        "tco2": "1000000",
        "document": "文件",
    }
    refused = client.post(reverse("budgets:set"), change, follow=True).content.decode()
    assert "手工分配" in refused
    client.post(reverse("budgets:delete_allocation", args=[2024, "district"]), {"region": "太仓市"})
    client.post(reverse("budgets:set"), change)
    budget.refresh_from_db()
    assert budget.tco2 == 1_000_000 and not budget.allocations.filter(dimension="district").exists()


def _district_csv(region: str) -> bytes:
    return f"period,region,sector,fuel,quantity,unit\n2026Q1,{region},其他工业,原煤,1,万吨\n".encode()


def test_a_district_reporter_is_denied_another_district_on_page_and_api(client, budget, django_user_model):
    town = django_user_model.objects.get(username="chengxiang")
    client.force_login(town)
    before = EnergySubmission.objects.count()
    # the file is read by the background job (here at once): its refusal names the district
    page = client.post(
        reverse("energy:upload"), {"file": SimpleUploadedFile("q.csv", _district_csv("港区"))}, follow=True
    )
    assert (
        'data-status="refused"' in page.content.decode() and "无权报送的地区：港区" in page.content.decode()
    )
    api = client.post("/api/energy/submissions", {"file": SimpleUploadedFile("q.csv", _district_csv("港区"))})
    assert (
        api.status_code == 202 and api.json()["status"] == "refused" and "港区" in api.json()["messages"][0]
    )
    assert EnergySubmission.objects.count() == before  # nothing written
    own = client.post(
        "/api/energy/submissions", {"file": SimpleUploadedFile("q.csv", _district_csv("城厢镇"))}
    )
    assert own.status_code == 202 and own.json()["status"] == "done" and "城厢镇" in own.json()["messages"][0]
    # and a project only in its own district, page and API
    form = {"name": "镇级项目", "applicant": "某公司", "district": "港区", "sector": "其他工业"}
    assert client.post(reverse("budgets:projects"), form | {"operation_year": "2026"}).status_code == 403
    api = client.post(
        "/api/project-assessments", form | {"operation_year": 2026}, content_type="application/json"
    )
    assert api.status_code == 403


def test_a_parent_regions_viewer_reads_its_children_and_writes_nothing(client, budget, django_user_model):
    suzhou = django_user_model.objects.get(username="suzhou")
    client.force_login(suzhou)
    assert client.get("/").url == reverse("budgets:my_region")
    html = client.get(reverse("budgets:region", args=["太仓市"])).content.decode()
    assert "港区" in html and "未分解" in html
    assert client.get("/api/regions/太仓市/rollup?year=2024").status_code == 200
    assert client.get("/api/budgets/2024").status_code == 200
    assert client.get(reverse("budgets:year", args=[2024])).status_code == 200
    assert (
        client.post(
            "/api/budgets",
            {"year": 2025, "method": "handed_down", "tco2": 1, "document": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert client.get(reverse("budgets:projects")).status_code == 403
    assert client.get(reverse("enterprises:register")).status_code == 403
    # a viewer of one town does not read its parent
    RegionScope.objects.filter(user=suzhou).update(region=Region.objects.get(name="港区"))
    assert client.get(reverse("budgets:region", args=["太仓市"])).status_code == 403
    assert client.get("/api/budgets/2024").status_code == 403


def test_a_town_works_to_the_citys_plan_and_a_project_links_to_the_register(
    client, budget, coordinator, imported_plan
):
    from carbonpeak.demo import ensure_demo_enterprises
    from carbonpeak.enterprises import sample
    from carbonpeak.enterprises.models import TwoHighProject

    client.force_login(coordinator)
    html = client.get(reverse("budgets:region", args=["港区"])).content.decode()
    assert "本级无方案，沿用太仓市方案" in html
    ensure_demo_enterprises(coordinator, reports=False)
    listed = TwoHighProject.objects.filter(enterprise__credit_code=sample.credit_code(6)).first()
    fields = {"name": "扩能", "applicant": "", "district": "璜泾镇", "sector": "化学纤维制造业"}
    made = client.post(
        "/api/project-assessments",
        fields
        | {"operation_year": 2026, "credit_code": sample.credit_code(6), "two_high_project": listed.pk},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["applicant"] == listed.enterprise.name
    unknown = client.post(
        "/api/project-assessments",
        fields | {"operation_year": 2026, "credit_code": "91320585XXXXXXXXXX"},
        content_type="application/json",
    )
    assert unknown.status_code == 404
