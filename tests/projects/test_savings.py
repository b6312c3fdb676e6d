"""A key project's effect, by the pure calculation (issue 38): physical quantities in, the city's factors
applied as the accounts apply them, and a missing input said as 缺失 — never counted as zero."""

from __future__ import annotations

import pytest

from carbonpeak.energy.factors import load_factor_set
from carbonpeak.projects import savings
from carbonpeak.projects.savings import FullLoadHours, Quantity

FACTORS = load_factor_set("national")


def test_a_fuel_saved_is_converted_with_the_sets_coefficients():
    """100 t of 原煤 a year: 71.43 tce (0.7143 kgce/kg, GB/T 2589 as the reference quotes it) and its CO2 on
    every boundary (the coal is burnt here)."""
    effect = savings.annual_effect(
        quantities=[Quantity("原煤", 100, "吨")], factors=FACTORS, grid_region="江苏", year=2023
    )
    assert effect.state == savings.COMPUTED and effect.kwh is None
    assert effect.tce == pytest.approx(71.43, rel=1e-4)
    coal = FACTORS.co2_per_unit(savings.catalog.resolve_fuel("原煤"))
    assert effect.tco2 == pytest.approx(dict.fromkeys(savings.BOUNDARIES, 100 * coal))


def test_electricity_is_counted_at_the_grid_factor_and_its_tce_waits_for_the_coal_rate():
    """1 million kWh saved in 2023: 582.7 tCO2 at Jiangsu's 2023 factor (0.5827 kgCO2/kWh, MEE/NBS) on the
    net-import and consumption boundaries, none on local combustion; its 等价值 tce needs the year's 发电 coal
    rate, which no sourced value gives: 缺失 until a coordinator enters it."""
    effect = savings.annual_effect(
        quantities=[Quantity("电力", 100, "万千瓦时")], factors=FACTORS, grid_region="江苏", year=2023
    )
    assert effect.kwh == pytest.approx(1e6)
    assert effect.tco2["assessed"] == pytest.approx(582.7) == pytest.approx(effect.tco2["consumption"])
    assert effect.tco2["territorial"] == 0
    assert effect.tce is None and effect.state == savings.MISSING
    assert any("平均发电标准煤耗" in m for m in effect.missing)


def test_generation_from_capacity_needs_the_types_full_load_hours():
    kwh, why = savings.generation_kwh(2000, None)
    assert kwh is None and "满负荷小时数未录入" in why
    effect = savings.annual_effect(
        quantities=[], factors=FACTORS, grid_region="江苏", year=2023, generated_kwh=kwh, missing=[why]
    )
    assert effect.state == savings.MISSING and effect.tco2 == dict.fromkeys(savings.BOUNDARIES)
    kwh, why = savings.generation_kwh(2000, FullLoadHours(1000, "测试输入"))
    assert kwh == 2_000_000 and why is None


def test_a_quantity_not_given_is_missing_not_zero_and_a_wrong_unit_is_said():
    effect = savings.annual_effect(
        quantities=[Quantity("天然气", None, "万立方米"), Quantity("原煤", 5, "万千瓦时")],
        factors=FACTORS,
        grid_region="江苏",
        year=2023,
    )
    assert effect.state == savings.MISSING and effect.tce is None
    assert any("天然气的节约量未填写" in m for m in effect.missing)
    assert any("不能以“万千瓦时”计量" in m for m in effect.missing)
    nothing = savings.annual_effect(quantities=[], factors=FACTORS, grid_region="江苏", year=2023)
    assert nothing.state == savings.NOTHING and nothing.tce is None
