"""The sink engine by hand: stock difference and gain–loss on the reference's temperate-hardwood parameters,
a missing parameter giving 缺失 (never a default), and the band reproducible with its seed."""

from __future__ import annotations

import dataclasses

import pytest

from carbonpeak.sinks import engine
from carbonpeak.sinks.engine import CO2_PER_C, LandRecord, SinkFactor, SinkFactorSet


def _set(zone: str = "温带", extra: tuple[SinkFactor, ...] = ()) -> SinkFactorSet:
    return SinkFactorSet("sinks", "test", zone, "测试选择", engine.bundled_factors() + extra)


def _poplar(year: int, stock: float, **kw) -> LandRecord:
    return LandRecord("港区", year, "forest", "杨树", "阔叶", area_ha=100.0, growing_stock_m3=stock, **kw)


def _by(results, method):
    return [r for r in results if r.method == method]


def test_stock_difference_by_hand():
    got = engine.compute([_poplar(2024, 8000.0), _poplar(2025, 8400.0)], _set())
    first, second = _by(got, engine.STOCK_DIFFERENCE)
    # 80 m³/hm² → BCEF_S 1.4; AGB 11,200 t = 112 t/hm² → R 0.23; CF (温带阔叶) 0.48
    assert first.stock_tc == pytest.approx(8000 * 1.4 * 1.23 * 0.48)
    assert first.sink_tco2 is None and "下一期" in first.notes[0]
    assert second.stock_tc == pytest.approx(8400 * 1.4 * 1.23 * 0.48)
    assert second.sink_tco2 == pytest.approx((8400 - 8000) * 1.4 * 1.23 * 0.48 * 44 / 12)
    assert second.climate_zone == "温带" and not second.missing
    used = {p["parameter"]: p["value"] for p in second.parameters}
    assert used == {"bcef_s": 1.4, "root_shoot": 0.23, "cf": 0.48}
    assert all(p["source"] for p in second.parameters)


def test_gain_loss_by_hand():
    got = engine.compute([_poplar(2025, 8400.0, increment_m3=500.0, harvest_m3=100.0)], _set())
    (gain_loss,) = _by(got, engine.GAIN_LOSS)
    # 84 m³/hm²: BCEF_I 0.9, BCEF_R 1.55; AGB 117.6 t/hm² → R 0.23
    assert gain_loss.sink_tco2 == pytest.approx((500 * 0.9 - 100 * 1.55) * 1.23 * 0.48 * CO2_PER_C)


def test_a_missing_parameter_gives_missing_not_a_default():
    got = engine.compute([_poplar(2024, 8000.0), _poplar(2025, 8400.0)], _set("亚热带湿润"))
    second = _by(got, engine.STOCK_DIFFERENCE)[1]
    assert second.sink_tco2 is None and second.band is None
    assert any("生物量扩展因子 BEF" in m and "未找到" in m for m in second.missing)
    trees = engine.compute([LandRecord("城厢镇", 2025, "urban_trees", crown_area_ha=10.0)], _set())[0]
    assert trees.sink_tco2 is None and "CRW" in trees.missing[0]
    wetland = engine.compute([LandRecord("浏河镇", 2025, "wetland", "湖泊湿地", area_ha=50.0)], _set())[0]
    assert wetland.sink_tco2 is None and "湿地碳埋藏速率" in wetland.missing[0]


def test_an_entered_parameter_and_its_band_reproducible_with_a_seed():
    crw = SinkFactor(
        "urban_crw", "全部", "全部", None, None, 1.0, 0.8, 1.2, "t C/(hm2·a)", "测试输入", "test"
    )
    trees = [LandRecord("城厢镇", 2025, "urban_trees", crown_area_ha=10.0, relative_error_pct=10.0)]
    (got,) = engine.compute(trees, _set(extra=(crw,)), seed=7)
    assert got.sink_tco2 == pytest.approx(10.0 * 1.0 * CO2_PER_C)
    p5, p50, p95 = got.band
    assert p5 < got.sink_tco2 < p95 and p95 - p5 > 0.2 * got.sink_tco2
    (again,) = engine.compute(trees, _set(extra=(crw,)), seed=7)
    (other,) = engine.compute(trees, _set(extra=(crw,)), seed=8)
    assert again.band == got.band and other.band != got.band
    no_range = dataclasses.replace(crw, low=None, high=None)
    (narrow,) = engine.compute(
        [dataclasses.replace(trees[0], relative_error_pct=None)], _set(extra=(no_range,))
    )
    assert narrow.band == (narrow.sink_tco2,) * 3 and narrow.ranges_missing


def test_the_band_of_a_stock_difference_reflects_the_cf_range_and_survey_error():
    records = [_poplar(2024, 8000.0, relative_error_pct=5.0), _poplar(2025, 8400.0, relative_error_pct=5.0)]
    second = _by(engine.compute(records, _set(), seed=1), engine.STOCK_DIFFERENCE)[1]
    p5, p50, p95 = second.band
    assert p5 < second.sink_tco2 < p95
    # the same survey error in both years: the band is about ±5 % of the sink, not of the stock
    assert (p95 - p5) / second.sink_tco2 < 0.25
    assert "根茎比 R（温带、阔叶）" in second.ranges_missing


def test_crossing_a_growing_stock_class_is_not_taken_for_a_loss():
    # 97 → 101 m³/hm²: BCEF_S would fall from 1.4 to 1.05; both years take the earlier year's classes
    got = engine.compute([_poplar(2024, 9700.0), _poplar(2025, 10100.0)], _set())
    second = _by(got, engine.STOCK_DIFFERENCE)[1]
    assert second.sink_tco2 == pytest.approx((10100 - 9700) * 1.4 * 1.23 * 0.48 * CO2_PER_C)
    assert "本平台规则" in second.notes[0]


def test_wetland_cropland_and_biochar_by_hand_once_their_rates_are_entered():
    def entered(parameter: str, value: float) -> SinkFactor:
        return SinkFactor(parameter, "全部", "全部", None, None, value, None, None, "t C", "测试输入", "test")

    rates = (entered("wetland_burial", 0.8), entered("straw_return_soc", 0.3), entered("biochar_carbon", 0.6))
    records = [
        LandRecord("浏河镇", 2025, "wetland", "河流湿地", area_ha=100.0),
        LandRecord("双凤镇", 2025, "cropland", "秸秆还田", area_ha=200.0),
        LandRecord("双凤镇", 2025, "cropland", "生物质炭", biochar_t=50.0),
    ]
    got = {(r.district, r.group): r for r in engine.compute(records, _set(extra=rates))}
    assert got[("浏河镇", "河流湿地")].sink_tco2 == pytest.approx(100 * 0.8 * CO2_PER_C)
    assert got[("双凤镇", "秸秆还田")].sink_tco2 == pytest.approx(200 * 0.3 * CO2_PER_C)
    assert got[("双凤镇", "生物质炭")].sink_tco2 == pytest.approx(50 * 0.6 * CO2_PER_C)
    assert all(r.method == engine.AREA_RATE and not r.missing for r in got.values())


def test_no_climate_zone_chosen_leaves_forests_missing():
    (got,) = engine.compute([_poplar(2025, 8400.0)], _set(zone=""))
    assert got.sink_tco2 is None and "气候带未选择" in got.missing[0]


def test_a_stand_crossing_a_class_boundary_has_stocks_whose_change_is_its_sink():
    """95 → 105 m³/hm² crosses BCEF_S 1.4 → 1.05: valued at its own class the stock would fall while the
    trees grew; the stock shown is chained on the sink's rule, so its change is the sink."""
    got = engine.compute([_poplar(2024, 9500.0), _poplar(2025, 10500.0)], _set())
    first, second = _by(got, engine.STOCK_DIFFERENCE)
    assert second.sink_tco2 == pytest.approx((10500 - 9500) * 1.4 * 1.23 * 0.48 * CO2_PER_C)
    assert (second.stock_tc - first.stock_tc) * CO2_PER_C == pytest.approx(second.sink_tco2)
    assert any("按本年分级单独计算" in n and "本平台规则" in n for n in second.notes)


def test_the_sample_forests_stocks_change_by_their_sinks_in_every_district():
    from carbonpeak.sinks import sample

    records = [LandRecord(**{k: v for k, v in r.items() if k in LAND_FIELDS}) for r in sample.records()]
    results = _by(engine.compute(records, _set()), engine.STOCK_DIFFERENCE)
    by_stand: dict = {}
    for r in sorted(results, key=lambda r: r.year):
        by_stand.setdefault((r.district, r.group), []).append(r)
    checked = 0
    for stand in by_stand.values():
        for before, after in zip(stand, stand[1:], strict=False):
            if after.sink_tco2 is not None:
                change = (after.stock_tc - before.stock_tc) / (after.year - before.year) * CO2_PER_C
                assert change == pytest.approx(after.sink_tco2, rel=1e-9), (after.district, after.group)
                checked += 1
    assert checked >= 7  # every district's stands, year on year


def test_an_unreported_harvest_makes_gain_loss_missing_not_a_harvest_of_zero():
    got = engine.compute([_poplar(2025, 8400.0, increment_m3=500.0)], _set())
    (gain_loss,) = _by(got, engine.GAIN_LOSS)
    assert gain_loss.sink_tco2 is None and any("年采伐消耗未报" in m for m in gain_loss.missing)
    none_cut = engine.compute([_poplar(2025, 8400.0, increment_m3=500.0, harvest_m3=0.0)], _set())
    assert _by(none_cut, engine.GAIN_LOSS)[0].sink_tco2 == pytest.approx(500 * 0.9 * 1.23 * 0.48 * CO2_PER_C)


LAND_FIELDS = {f.name for f in dataclasses.fields(LandRecord)}
