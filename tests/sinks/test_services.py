"""Sinks through the services, the API and the page: the demo's sample land data, a climate zone chosen with
its reason, a parameter entered with its source turning 缺失 into a figure, and refusals that write nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carbonpeak.core.regions import ensure_regions
from carbonpeak.sinks import services
from carbonpeak.sinks.models import LandRecord, SinkResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(coordinator):
    from carbonpeak.demo import ensure_demo_sinks

    ensure_regions()
    assert ensure_demo_sinks(coordinator) > 0
    return coordinator


def test_the_demo_computes_forests_and_names_what_is_missing(sample, client):
    client.force_login(sample)
    rows = client.get("/api/sinks?year=2025&limit=500").json()["items"]
    poplar = [r for r in rows if r["group"] == "杨树" and r["method"] == "stock_difference"]
    assert len(poplar) == 7 and all(r["sink_tco2"] > 0 for r in poplar)
    assert all(r["interval"]["p5"] < r["sink_tco2"] < r["interval"]["p95"] for r in poplar)
    assert {r["climate_zone"] for r in rows} == {"温带"} and all(r["is_sample"] for r in rows)
    trees = next(r for r in rows if r["land_type"] == "urban_trees")
    assert trees["sink_tco2"] is None and any("CRW" in m for m in trees["missing"])
    conifer = next(r for r in rows if r["group"] == "水杉")
    assert conifer["sink_tco2"] is None and conifer["missing"]
    html = client.get("/sinks/?year=2025").content.decode()
    assert "不扣减碳汇" in html and "示例数据" in html and "待录入的参数" in html


def test_an_entered_parameter_turns_missing_into_a_figure(sample):
    before = SinkResult.objects.filter(factor_set=services.default_set(), land_type="urban_trees", year=2025)
    assert all(r.sink_tco2 is None for r in before)
    services.enter_parameter(
        sample, parameter="urban_crw", value="1.5", low="1.0", high="2.0", source="测试输入（非参考值）"
    )
    after = SinkResult.objects.filter(factor_set=services.default_set(), land_type="urban_trees", year=2025)
    crown = LandRecord.objects.get(district="城厢镇", year=2025, land_type="urban_trees").crown_area_ha
    row = after.get(district="城厢镇")
    assert row.sink_tco2 == pytest.approx(crown * 1.5 * 44 / 12)
    assert row.p5 < row.sink_tco2 < row.p95
    assert services.default_set().climate_zone == "温带"  # the new version keeps the zone chosen


def test_bad_land_data_is_refused_whole_and_writes_nothing(sample, django_user_model):
    count = LandRecord.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.save_land_record(
            sample,
            district="火星",
            year="20x",
            land_type="forest",
            source="",
            area_ha="-1",
            growing_stock_m3="=1+1",
        )
    text = "；".join(refused.value.messages)
    assert (
        "火星" in text
        and "年份" in text
        and "来源" in text
        and "面积须为非负" in text
        and "蓄积须为数字" in text
    )
    assert LandRecord.objects.count() == count
    town = django_user_model.objects.get(username="chengxiang")
    with pytest.raises(PermissionDenied):
        services.save_land_record(
            town, district="港区", year=2025, land_type="wetland", source="x", area_ha=1
        )
    services.save_land_record(
        town, district="城厢镇", year=2025, land_type="wetland", group="池塘", source="镇调查", area_ha=5
    )
    with pytest.raises(ValidationError, match="依据"):
        services.choose_climate_zone(sample, "温带", "")


def test_the_dashboard_shows_the_sinks_beside_the_energy_co2_never_netted(sample, client, imported_plan):
    from carbonpeak.sinks import selectors

    client.force_login(sample)
    html = client.get("/monitoring/").content.decode()
    summary = selectors.city_summary()
    assert summary["year"] == 2025 and summary["computed"] > 0 and summary["missing"] > 0
    assert "不抵扣能源活动排放" in html and 'data-testid="sinks-beside"' in html


def test_reads_create_nothing(client, coordinator):
    from carbonpeak.sinks.models import SinkFactorSet

    client.force_login(coordinator)
    assert client.get("/api/sinks").json()["items"] == []
    assert client.get("/sinks/").status_code == 200
    assert not SinkFactorSet.objects.exists()


def _workbook(rows: list[list]) -> bytes:
    import io

    from openpyxl import load_workbook

    from carbonpeak.sinks import workbook

    wb = load_workbook(io.BytesIO(workbook.template_bytes([])))
    ws = wb[workbook.SHEET]
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_uploaded_workbook_is_refused_whole_naming_row_and_column(sample, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(sample)
    count = LandRecord.objects.count()
    blank = [None] * 7
    good = ["港区", 2026, "湿地", "河流湿地", "", 2100, 1400, *blank[:5], 5, "湿地调查（测试输入）"]
    bad = ["港区", "二〇二六", "草地", "", "", "-3", *blank, ""]
    formula = ["港区", 2026, "耕地", "秸秆还田", "", "=1+1", *blank, "x"]
    upload = SimpleUploadedFile("l.xlsx", _workbook([good, bad, formula]))
    response = client.post("/sinks/land/upload/", {"file": upload}, follow=True)  # read by the job
    html = response.content.decode()
    assert 'data-status="refused"' in html
    assert "第4行 B列（年份）" in html and "C列（地类）" in html and "F列（面积（公顷））" in html
    assert "数据来源为空" in html and "第5行 F列：是公式" in html
    assert LandRecord.objects.count() == count
    ok = client.post(
        "/sinks/land/upload/", {"file": SimpleUploadedFile("l.xlsx", _workbook([good]))}, follow=True
    )
    assert 'data-status="done"' in ok.content.decode() and "已接收" in ok.content.decode()
    assert LandRecord.objects.get(district="港区", year=2026, land_type="wetland").protected_area_ha == 1400


def test_a_district_reporter_uploading_another_district_is_refused(sample, client, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(django_user_model.objects.get(username="chengxiang"))
    row = ["港区", 2026, "湿地", "河流湿地", "", 10, None, None, None, None, None, None, None, "x"]
    response = client.post(
        "/sinks/land/upload/", {"file": SimpleUploadedFile("l.xlsx", _workbook([row]))}, follow=True
    )
    assert 'data-status="refused"' in response.content.decode() and "无权填报的区镇：港区" in (
        response.content.decode()
    )
    assert not LandRecord.objects.filter(year=2026).exists()
    client.force_login(department_user(django_user_model, "市交运局"))  # refused before the file is kept
    response = client.post("/sinks/land/upload/", {"file": SimpleUploadedFile("l.xlsx", _workbook([row]))})
    assert response.status_code == 403 and not LandRecord.objects.filter(year=2026).exists()


def test_baseline_frozen_and_compared_and_the_export(sample, client):
    import io

    from openpyxl import load_workbook

    client.force_login(sample)
    baseline = services.freeze_baseline(sample, 2024)
    with pytest.raises(ValidationError, match="已冻结"):
        services.freeze_baseline(sample, 2024)
    services.enter_parameter(sample, parameter="urban_crw", value="1.5", source="测试输入（非参考值）")
    baseline.refresh_from_db()  # the snapshot does not move with the live results
    frozen_trees = [r for r in baseline.data["results"] if r["land_type"] == "urban_trees"]
    assert all(r["sink_tco2"] is None for r in frozen_trees)
    html = client.get("/sinks/?year=2025").content.decode()
    assert "与2024年本底比较" in html and 'id="sinks-chart-data"' in html
    book = load_workbook(io.BytesIO(client.get("/sinks/2025/export.xlsx").content))
    rows = [[c.value for c in r] for r in book["碳汇"].iter_rows(min_row=5)]
    assert any(r[5] == "缺失" for r in rows) and any(isinstance(r[5], float) for r in rows)
    assert book["参数"].max_row > 4


def test_the_wetland_protection_rate_from_the_land_data_beside_the_reported_one(sample):
    from carbonpeak.sinks import sample as land_sample
    from carbonpeak.sinks import selectors

    rows = selectors.land_indicators()
    wetland = next(r for r in rows if r["indicator"] == "湿地保护率" and r["year"] == 2025)
    areas = [r for r in land_sample.records() if r["land_type"] == "wetland" and r["year"] == 2025]
    by_hand = sum(r["protected_area_ha"] for r in areas) / sum(r["area_ha"] for r in areas) * 100
    assert wetland["computed"] == pytest.approx(by_hand) and wetland["reported"] is None  # 未报, not 0
    cover = next(r for r in rows if r["indicator"] == "林木覆盖率")
    assert cover["computed"] is None and "国土面积" in cover["basis"]


def test_the_wetland_target_is_graded_on_the_land_data_with_the_reported_value_beside(
    sample, client, demo_plan
):
    from carbonpeak.monitoring.models import Indicator
    from carbonpeak.monitoring.selectors import plan_statuses

    indicator = Indicator.objects.get(name="全市湿地保护率")
    assert indicator.land_field == "wetland_protection"
    status = next(s for s in plan_statuses(demo_plan) if s.indicator and s.indicator.pk == indicator.pk)
    latest = status.points[-1]
    assert (latest.year, latest.quarter) == (2025, 4)
    assert latest.value == pytest.approx(
        64.5, abs=0.01
    )  # the sample wetlands are protected at the plan's rate
    reported = indicator.observations.filter(year=2025, status="approved").order_by("-revision").first()
    assert reported is not None and reported.value != latest.value  # the department's own value, kept beside
    client.force_login(sample)
    html = client.get(f"/monitoring/targets/{status.target.pk}/").content.decode()
    assert 'data-testid="land-computed"' in html


def test_a_user_who_reports_no_land_is_refused_before_the_file_is_read(
    sample, monkeypatch, django_user_model
):
    """Permission first: a leader's (or an enterprise's) file is never parsed; an allowed upload counts
    against the upload quota like every other."""
    from carbonpeak.core.models import ComputeRequest
    from carbonpeak.sinks import workbook

    def must_not_read(data):
        raise AssertionError("the file was read before the permission was checked")

    monkeypatch.setattr(workbook, "read_land", must_not_read)
    leader = django_user_model.objects.get(username="leader")
    with pytest.raises(PermissionDenied):
        services.upload_land(leader, b"anything")
    assert not ComputeRequest.objects.filter(user=leader).exists()
    monkeypatch.undo()
    row = ["港区", 2026, "湿地", "河流湿地", "", 10, None, None, None, None, None, None, None, "x"]
    services.upload_land(sample, _workbook([row]))
    assert ComputeRequest.objects.filter(user=sample, kind="upload").count() == 1


def department_user(django_user_model, name: str):
    from django.contrib.auth.models import Group

    from carbonpeak.accounts.models import Membership
    from carbonpeak.accounts.permissions import DEPARTMENT
    from carbonpeak.departments.models import Department

    user = django_user_model.objects.create_user(f"u-{name}")
    user.groups.add(Group.objects.get_or_create(name=DEPARTMENT)[0])
    Membership.objects.create(user=user, department=Department.objects.get_or_create(name=name)[0])
    return user


def test_land_data_is_written_by_the_departments_that_own_it_and_each_district(sample, django_user_model):
    """资源规划 and 农业农村 report for every district, a district for itself; another department (here the
    transport bureau) cannot overwrite a district's land data."""
    transport = department_user(django_user_model, "市交运局")
    planning = department_user(django_user_model, "市资源规划局")
    before = LandRecord.objects.filter(district="港区", year=2025).count()
    with pytest.raises(PermissionDenied, match="资源规划和农业农村"):
        services.save_land_record(
            transport, district="港区", year=2025, land_type="wetland", group="池塘", source="x", area_ha=1
        )
    assert LandRecord.objects.filter(district="港区", year=2025).count() == before
    services.save_land_record(
        planning, district="港区", year=2025, land_type="wetland", group="池塘", source="调查", area_ha=1
    )
