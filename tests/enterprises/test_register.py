"""The register through the service, the pages and the API: import (refused whole with sheet, row and column,
or merged and audited), what an enterprise user may see, the PV page, the export."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from carbonpeak.accounts.permissions import ENTERPRISE
from carbonpeak.core.models import AuditEvent
from carbonpeak.demo import ensure_demo_enterprises, ensure_demo_users
from carbonpeak.enterprises import sample, services, workbook
from carbonpeak.enterprises.models import Building, Enterprise, EnterpriseMembership

pytestmark = pytest.mark.django_db
A = sample.credit_code(101)
B = sample.credit_code(102)


def _register(rows: list[list], buildings: list[list] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = workbook.REGISTER_SHEET
    ws.append(["说明"])
    ws.append(list(workbook.REGISTER_COLUMNS))
    for row in rows:
        ws.append(row)
    bs = wb.create_sheet(workbook.BUILDINGS_SHEET)
    bs.append(["说明"])
    bs.append(list(workbook.BUILDING_COLUMNS))
    for row in buildings or []:
        bs.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [A, "甲造纸厂", "港区", "C2221", "是", "否", "是", "否", None, "否"]


@pytest.fixture
def coordinator():
    ensure_demo_users()
    return get_user_model().objects.get(username="coordinator")


def test_bad_rows_are_refused_naming_sheet_row_and_column_and_nothing_is_written(coordinator):
    data = _register(
        [
            GOOD,
            [
                A[:-1] + ("0" if A[-1] != "0" else "1"),
                "乙",
                "港区",
                "C2221",
                "是",
                "否",
                "否",
                "否",
                None,
                "否",
            ],
            [B, "丙", "港区", "C4411", "是", "否", "否", "否", None, "否"],
            [sample.credit_code(103), "丁", "港区", "C2221", "", "否", "否", "否", 1.3, "否"],
            [A, "甲造纸厂（重复）", "港区", "C2221", "是", "否", "否", "否", None, "否"],
        ],
        [[sample.credit_code(999), "1号厂房", "是", "既有", 5000, "否", "否", "-1", None, ""]],
    )
    with pytest.raises(services.RegisterRejected) as refused:
        services.import_register(coordinator, data)
    text = "\n".join(refused.value.messages)
    assert "工作表“企业名录” 第4行 A列（统一社会信用代码）：统一社会信用代码" in text and "校验码不符" in text
    assert "第5行 D列（行业代码）" in text and "属于门类 D" in text
    assert "第6行 E列（重点用能单位）：应填“是”或“否”（不能空着）" in text
    assert "第6行 I列（PUE）：不是数据中心却填了 PUE" in text
    assert "第7行 A列（统一社会信用代码）：与第3行重复" in text
    assert "工作表“建筑与光伏” 第3行 H列（光伏装机）：须为不小于0的数字" in text
    assert "不在名录中" in text
    assert (
        Enterprise.objects.count() == 0 and Building.objects.count() == 0 and not AuditEvent.objects.exists()
    )


def test_a_formula_is_refused_by_name(coordinator):
    wb = load_workbook(io.BytesIO(_register([GOOD])))
    wb[workbook.REGISTER_SHEET]["B3"] = '=HYPERLINK("http://x","甲")'
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(services.RegisterRejected, match="第3行 B列.*是公式"):
        services.import_register(coordinator, out.getvalue())


def test_import_merges_by_credit_code_keeps_unreported_apart_from_zero_and_audits(coordinator):
    first = services.import_register(
        coordinator,
        _register(
            [GOOD],
            [
                [A, "1号厂房", "是", "既有", 5000, "否", "否", None, None, ""],
                [A, "2号厂房", "是", "新建", "", "否", "否", 0, None, ""],
            ],
        ),
    )
    assert (first.created, first.buildings_created) == (1, 2)
    paper = Enterprise.objects.get(credit_code=A)
    assert paper.sector == "造纸和纸制品业" and paper.two_high and not paper.ets_covered
    one, two = paper.buildings.order_by("name")
    assert one.pv_installed_mw is None and two.pv_installed_mw == 0.0 and two.roof_area_m2 is None
    again = services.import_register(coordinator, _register([GOOD[:5] + ["是"] + GOOD[6:]]))
    assert (again.updated, again.unchanged) == (1, 0)
    paper.refresh_from_db()
    assert paper.ets_covered
    changes = AuditEvent.objects.filter(object_type="enterprises.Enterprise", action="update").get()
    assert changes.before["ets_covered"] is False and changes.after["ets_covered"] is True


def test_only_a_coordinator_imports(coordinator):
    department = get_user_model().objects.create_user("某部门")
    with pytest.raises(PermissionDenied):
        services.import_register(department, _register([GOOD]))


def test_the_page_hands_the_register_to_the_background_job(client, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    bad = GOOD[:1] + [""] + GOOD[2:]  # no name
    refused = client.post(
        reverse("enterprises:import"), {"file": SimpleUploadedFile("r.xlsx", _register([bad]))}, follow=True
    )
    assert 'data-status="refused"' in refused.content.decode() and not Enterprise.objects.exists()
    done = client.post(
        reverse("enterprises:import"), {"file": SimpleUploadedFile("r.xlsx", _register([GOOD]))}, follow=True
    )
    assert 'data-status="done"' in done.content.decode() and "名录已导入" in done.content.decode()
    assert Enterprise.objects.filter(credit_code=A).exists()
    department = get_user_model().objects.create_user("某部门")
    client.force_login(department)
    again = client.post(reverse("enterprises:import"), {"file": SimpleUploadedFile("r.xlsx", b"PK")})
    assert again.status_code == 403  # refused at the door, nothing kept


@pytest.fixture
def demo(coordinator):
    ensure_demo_enterprises(coordinator)
    return Enterprise.objects.get(credit_code=sample.credit_code(5)), Enterprise.objects.get(
        credit_code=sample.credit_code(1)
    )


def test_an_enterprise_user_sees_and_exports_its_own_enterprise_only(demo, client):
    own, other = demo
    client.force_login(get_user_model().objects.get(username="jiulong"))
    assert client.get(reverse("enterprises:register")).url == reverse("enterprises:detail", args=[own.pk])
    assert client.get(reverse("enterprises:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("enterprises:detail", args=[other.pk])).status_code == 403
    listed = client.get("/api/enterprises").json()
    assert [e["credit_code"] for e in listed["items"]] == [own.credit_code]
    refused = client.get(f"/api/enterprises/{other.pk}")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    rows = client.get("/api/pv-compliance").json()["items"]
    assert rows and {r["credit_code"] for r in rows} == {own.credit_code}
    exported = load_workbook(io.BytesIO(client.get(reverse("enterprises:export")).content))
    codes = [r[0] for r in exported[workbook.REGISTER_SHEET].iter_rows(min_row=3, values_only=True)]
    assert codes == [own.credit_code]


def test_an_enterprise_user_without_an_enterprise_sees_nothing(demo, client):
    user = get_user_model().objects.create_user("无企业", password="x-1234567")
    user.groups.set([Group.objects.get(name=ENTERPRISE)])
    client.force_login(user)
    assert client.get("/api/enterprises").json()["items"] == []
    assert client.get(reverse("enterprises:register")).status_code == 403


def test_register_pages_and_api_for_the_coordinator(demo, client, coordinator):
    own, _ = demo
    client.force_login(coordinator)
    html = client.get(reverse("enterprises:register") + "?two_high=1").content.decode()
    assert 'data-testid="sample-banner"' in html and own.name in html and "太仓示例数据中心" not in html
    listed = client.get("/api/enterprises?limit=500").json()
    assert listed["count"] == len(sample.ENTERPRISES)
    first = listed["items"][0]
    assert {"credit_code", "name", "district", "sector", "key_energy_user", "ets_covered", "two_high"} <= set(
        first
    )
    detail = client.get(f"/api/enterprises/{own.pk}").json()
    assert detail["buildings"] and {"rule", "status", "installed_mw"} <= set(detail["pv"][0])
    page = client.get(reverse("enterprises:pv")).content.decode()
    assert 'data-testid="pv-summary"' in page and "缺失" in page
    rows = client.get("/api/pv-compliance?limit=500").json()["items"]
    assert {r["status"] for r in rows} <= {"合规", "待安装", "豁免", "缺失"}
    # an existing building's rule reads the enterprise's approved annual report (the sample has them)
    existing = [r for r in rows if r["rule"] == "existing_large_user"]
    assert existing and not any("无法判断" in r["why"] for r in existing)
    assert EnterpriseMembership.objects.get(user__username="jiulong").enterprise == own
