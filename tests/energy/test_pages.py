"""Energy pages through the test client: the accounts with their factor set, uploads, review, factor sets."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from carbonpeak.core.models import ReviewStatus
from carbonpeak.energy import selectors, services, workbook
from carbonpeak.energy.models import AccountingRun, EnergySubmission, FactorSet

pytestmark = pytest.mark.django_db
CSV = "period,region,sector,fuel,quantity,unit\n2023Q1,太仓市,其他工业,原煤,1,万吨\n"


@pytest.fixture
def logged_in(client, coordinator):
    services.ensure_bundled_factor_sets()
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize(
    "name", ["energy:overview", "energy:submissions", "energy:factor_sets", "energy:template"]
)
def test_pages_need_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_empty_overview_says_what_to_do(logged_in):
    html = logged_in.get(reverse("energy:overview")).content.decode()
    assert "尚无已审核的能源统计数据" in html


def test_overview_shows_sample_data_with_its_factor_set(logged_in, coordinator):
    services.load_sample_data(coordinator)
    html = logged_in.get(reverse("energy:overview")).content.decode()
    assert "示例数据" in html
    assert "国家方法默认因子集 2026.1 版" in html and "national@" not in html
    assert "2025年1–9月" in html and "2024年全年" in html and "2020年第1季度" in html
    assert html.count("因子集 <a") >= 6  # beside every table and chart
    assert "vendor/echarts/echarts.min.js" in html and "energy-chart-data" in html
    # the accounts keep their periods' names in Chinese; an English reader reads them in English
    english = logged_in.get(reverse("energy:overview"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2024, whole year" in english and "年全年" not in english and "季度" not in english


def test_template_download_is_the_form(logged_in):
    response = logged_in.get(reverse("energy:template") + "?period=2025Q3&region=太仓市")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [
        workbook.COVER,
        workbook.FUELS_SHEET,
        workbook.POWER_USE_SHEET,
        workbook.POWER_BALANCE_SHEET,
        workbook.ECONOMY_SHEET,
    ]
    assert wb[workbook.COVER]["B3"].value == "2025Q3"


def test_bad_upload_is_rejected_with_the_cell_and_nothing_written(logged_in):
    bad = SimpleUploadedFile("q.csv", (CSV + "2023Q1,太仓市,其他工业,原煤,x,万吨\n").encode())
    response = logged_in.post(reverse("energy:upload"), {"file": bad}, follow=True)
    html = response.content.decode()
    assert 'data-status="refused"' in html
    assert "第3行 E列（quantity）：“x”不是数字" in html and "整个文件均未写入" in html
    assert EnergySubmission.objects.count() == 0


def test_upload_submit_return_resubmit_approve_through_the_pages(logged_in):
    response = logged_in.post(
        reverse("energy:upload"), {"file": SimpleUploadedFile("q.csv", CSV.encode())}, follow=True
    )
    sub = EnergySubmission.objects.get()
    assert "草稿" in response.content.decode()

    def act(action, **data):
        return logged_in.post(reverse("energy:submission_action", args=[sub.pk, action]), data, follow=True)

    act("submit")
    html = act("return").content.decode()
    assert "请填写退回意见" in html and 'href="#return-comment"' in html  # no comment, no return
    act("return", comment="请补充用电量")
    sub.refresh_from_db()
    assert sub.status == ReviewStatus.RETURNED
    act("submit")
    act("approve")
    sub.refresh_from_db()
    assert sub.status == ReviewStatus.APPROVED
    assert AccountingRun.objects.count() == 1
    html = logged_in.get(reverse("energy:submission", args=[sub.pk])).content.decode()
    assert "已审核的数据不再修改" in html and "请补充用电量" in html


def test_leader_sees_but_cannot_act(client, coordinator):
    from django.contrib.auth import get_user_model

    services.ensure_bundled_factor_sets()
    leader = get_user_model().objects.get(username="leader")
    client.force_login(leader)
    html = client.get(reverse("energy:submissions")).content.decode()
    assert "上传报表" not in html
    response = client.post(reverse("energy:upload"), {"file": SimpleUploadedFile("q.csv", CSV.encode())})
    assert response.status_code == 403
    fs = services.official_factor_set()
    assert client.post(reverse("energy:recompute", args=[fs.pk])).status_code == 403
    assert EnergySubmission.objects.count() == 0


def test_factor_set_pages_and_csv_import(logged_in):
    fs = services.official_factor_set()
    html = logged_in.get(reverse("energy:factor_set", args=[fs.pk])).content.decode()
    assert "0.5827" in html and "多个独立二手来源一致" in html and "未给出" in html
    assert "secondary-consistent" not in html  # the reference's rating in words
    csv = "kind,key,year,value,unit,source,status\ngrid_co2,江苏,2024,0.55,kgCO2/kWh,MEE 公告（测试）,secondary\n"
    response = logged_in.post(
        reverse("energy:factor_set_import"),
        {
            "name": "national",
            "version": "2027.1",
            "based_on": fs.pk,
            "file": SimpleUploadedFile("f.csv", csv.encode()),
        },
        follow=True,
    )
    assert "已新增因子集 国家方法默认因子集 2027.1 版" in response.content.decode()
    bad = "kind,key,year,value,unit,source,status\ngrid_co2,江苏,,0.55,kgCO2/kWh,x,y\n"
    response = logged_in.post(
        reverse("energy:factor_set_import"),
        {"name": "national", "version": "2027.2", "file": SimpleUploadedFile("f.csv", bad.encode())},
        follow=True,
    )
    assert "第2行 year 列" in response.content.decode()


def test_admin_factor_sets_editable_until_used_submissions_read_only(client, coordinator):
    from django.contrib.auth import get_user_model

    services.load_sample_data(coordinator)
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    fs = services.official_factor_set()
    for url in (
        "/admin/energy/factorset/",
        "/admin/energy/energysubmission/",
        "/admin/energy/accountingrun/",
    ):
        assert client.get(url).status_code == 200, url
    html = client.get(f"/admin/energy/factorset/{fs.pk}/change/").content.decode()
    assert 'name="factors-0-value"' not in html  # used by a run: its factors are read-only
    assert client.get("/admin/energy/energysubmission/add/").status_code == 403
    response = client.post(
        "/admin/energy/factorset/add/",
        {
            "name": "national",
            "version": "2027.1",
            "title": "新电网因子",
            "based_on": fs.pk,
            "factors-TOTAL_FORMS": "1",
            "factors-INITIAL_FORMS": "0",
            "factors-0-kind": "grid_co2",
            "factors-0-key": "江苏",
            "factors-0-year": "2024",
            "factors-0-value": "0.55",
            "factors-0-unit": "kgCO2/kWh",
            "factors-0-source": "MEE 公告（测试）",
            "factors-0-status": "secondary",
        },
    )
    assert response.status_code == 302
    new = FactorSet.objects.get(version="2027.1")
    assert new.factors.count() == fs.factors.count() + 1
    assert new.to_pure().grid("江苏", 2024).value == pytest.approx(0.00055)


def test_a_coordinator_enters_the_years_rate_and_the_equivalent_value_appears(client, coordinator):
    """The 缺失 loop closes on the page: one yearly factor with its source → a new default version, recomputed."""
    from carbonpeak.energy import services as energy_services
    from carbonpeak.energy.models import AccountingRun
    from carbonpeak.energy.models import FactorSet as StoredSet

    energy_services.ensure_bundled_factor_sets()
    energy_services.load_sample_data(coordinator)
    client.force_login(coordinator)
    assert "缺失" in client.get(reverse("energy:overview")).content.decode()
    refused = client.post(
        reverse("energy:factor_enter"),
        {
            "kind": "generation_coal_rate",
            "key": "江苏",
            "year": "2025",
            "value": "290",
            "unit": "gce/kWh",
            "source": "",
        },
        follow=True,
    )
    assert (
        "请填写来源" in refused.content.decode() and StoredSet.objects.count() == 1
    )  # checked by the server
    runs = AccountingRun.objects.count()
    for year in (2024, 2025):
        client.post(
            reverse("energy:factor_enter"),
            {
                "kind": "generation_coal_rate",
                "key": "江苏",
                "year": year,
                "value": "290",
                "unit": "gce/kWh",
                "source": "测试：协调员录入",
            },
        )
    default = StoredSet.objects.get(is_default=True)
    assert default.label == "national@2026.1-录入2" and default.based_on.label == "national@2026.1-录入1"
    assert AccountingRun.objects.count() == runs + 2
    latest = selectors.current_run().results.get(period="2025", region="太仓市")
    assert (
        latest.energy_tce_equivalent is not None and latest.data["coal_rate"]["source"] == "测试：协调员录入"
    )
    # still 缺失 until the grid share is entered too: the non-fossil share needs the imports' non-fossil part
    assert (
        latest.data["non_fossil_share"] is None
        and latest.data["energy_intensity_tce_per_10k_yuan"] is not None
    )
    assert selectors.current_run().results.get(period="2023", region="太仓市").energy_tce_equivalent is None


def test_only_a_coordinator_enters_factors(client, db):
    from django.contrib.auth import get_user_model

    from carbonpeak.demo import ensure_demo_users

    ensure_demo_users()
    client.force_login(get_user_model().objects.get(username="leader"))
    page = client.post(
        reverse("energy:factor_enter"),
        {
            "kind": "generation_coal_rate",
            "key": "江苏",
            "year": "2025",
            "value": "290",
            "unit": "gce/kWh",
            "source": "x",
        },
        follow=True,
    )
    assert "只有协调员可以管理核算因子" in page.content.decode()


def test_a_long_submission_is_shown_a_page_at_a_time(logged_in):
    lines = "".join(f"2023Q1,太仓市,其他工业,原煤,{i + 1},吨\n" for i in range(450))
    csv = "period,region,sector,fuel,quantity,unit\n" + lines
    logged_in.post(reverse("energy:upload"), {"file": SimpleUploadedFile("long.csv", csv.encode())})
    submission = EnergySubmission.objects.get()
    assert submission.records.count() == 450
    first = logged_in.get(reverse("energy:submission", args=[submission.pk])).content.decode()
    assert first.count("<td>其他工业</td>") == 200
    assert "共 450 行，第 1 / 3 页" in first and "?page=2" in first
    last = logged_in.get(reverse("energy:submission", args=[submission.pk]) + "?page=3").content.decode()
    assert "第 3 / 3 页" in last and last.count("<td>其他工业</td>") == 50
