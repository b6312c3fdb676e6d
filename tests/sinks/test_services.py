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
