"""The accounting engine against hand-computed cases from the reference table, and its algebra."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.energy import catalog
from carbonpeak.energy.accounting import AccountingError, EconomicFigure, EnergyRecord, account
from carbonpeak.energy.factors import load_factor_set

R = EnergyRecord
CITY = "太仓市"


@pytest.fixture(scope="module")
def factors():
    return load_factor_set("national")


def one(records, factors, period="2023", **kw):
    return account(records, factors, **kw).get(CITY, period)


def test_ten_thousand_tonnes_of_raw_coal(factors):
    # 1 万吨 原煤: 0.7143 kgce/kg → 7,143 tce; 20,908 kJ/kg × 26.37 tC/TJ × 0.94 × 44/12 → 1.9003 t/t → 19,003 t
    acc = one([R("2023", CITY, "其他工业", "原煤", 1, "万吨")], factors)
    assert round(acc.energy_tce) == 7143
    assert round(acc.co2_t) == 19003
    assert acc.by_fuel["原煤"].quantity == pytest.approx(10_000)
    assert acc.by_sector["其他工业"].co2_t == pytest.approx(acc.co2_t)


def test_net_imported_electricity_uses_the_years_grid_factor(factors):
    # 1 亿千瓦时 调入 in 2023, 江苏 0.5827 kgCO2/kWh → 58,270 t; 当量值 0.1229 kgce/kWh → 12,290 tce
    acc = one([R("2023", CITY, "电力调入", "电力", 1, "亿千瓦时")], factors)
    assert acc.co2_t == pytest.approx(58_270)
    assert acc.energy_tce == pytest.approx(12_290)
    assert acc.electricity.grid_factor.year == 2023
    assert acc.electricity.method.startswith("调入")


def test_grid_factor_of_the_chosen_region(factors):
    acc = one(
        [R("2022", CITY, "电力调入", "电力", 1, "亿千瓦时")], factors, period="2022", grid_region="华东"
    )
    assert acc.co2_t == pytest.approx(56_170)


def test_a_year_without_a_published_factor_uses_the_latest_earlier_one_and_says_so(factors):
    acc = one([R("2025", CITY, "电力调入", "电力", 1, "亿千瓦时")], factors, period="2025")
    assert acc.electricity.grid_factor.year == 2023
    assert "2025年无江苏电网因子，采用2023年值（本平台规则：沿用最近一年的公布值）" in acc.notes


def test_net_export_is_negative_and_local_non_fossil_generation_is_zero_emission(factors):
    records = [
        R("2023", CITY, "电力、热力生产和供应业", "原煤", 100, "万吨"),
        R("2023", CITY, "本地发电", "燃煤发电", 30, "亿千瓦时"),
        R("2023", CITY, "本地发电", "光伏发电", 1, "亿千瓦时"),
        R("2023", CITY, "其他工业", "电力", 20, "亿千瓦时"),
        R("2023", CITY, "居民生活", "电力", 5, "亿千瓦时"),
    ]
    acc = one(records, factors)
    # consumption 25 − generation 31 = −6 亿 kWh: an exporter subtracts its exported electricity
    assert acc.electricity.method == "全社会用电量−本地发电量"
    assert acc.electricity.net_imported_kwh == pytest.approx(-6e8)
    assert acc.electricity.co2_t == pytest.approx(-6e8 * 0.0005827)
    coal = 100e4 * 1.9003  # t × t/t, rounded factor
    assert acc.co2_t == pytest.approx(coal - 6e8 * 0.0005827, rel=1e-4)
    assert acc.by_fuel["本地非化石电力"].co2_t == 0
    assert acc.by_fuel["本地非化石电力"].tce == pytest.approx(1e8 * 0.0001229)
    # sector electricity is shown for information, consumption × factor
    assert acc.by_sector["城乡居民生活"].electricity_co2_t == pytest.approx(5e8 * 0.0005827)
    # the total is the sectors' direct emissions plus net imported electricity
    assert sum(s.co2_t for s in acc.by_sector.values()) + acc.electricity.co2_t == pytest.approx(acc.co2_t)


def test_reported_imports_and_exports_take_precedence_over_the_derived_balance(factors):
    records = [
        R("2023", CITY, "其他工业", "电力", 20, "亿千瓦时"),
        R("2023", CITY, "电力调入", "电力", 3, "亿千瓦时"),
        R("2023", CITY, "电力调出", "电力", 1, "亿千瓦时"),
    ]
    acc = one(records, factors)
    assert acc.electricity.net_imported_kwh == pytest.approx(2e8)
    assert acc.electricity.method == "调入−调出（报送值）"


def test_purchased_heat(factors):
    # 100 百万千焦 = 100 GJ × 0.11 tCO2/GJ = 11 t; 1,000,000 GJ → 110,000 t and × 0.03412 tce/GJ = 34,120 tce
    acc = one([R("2023", CITY, "造纸", "热力", 100, "百万千焦")], factors)
    assert acc.co2_t == pytest.approx(11)
    acc = one([R("2023", CITY, "造纸", "热力", 1_000_000, "吉焦")], factors)
    assert acc.co2_t == pytest.approx(110_000)
    assert acc.energy_tce == pytest.approx(34_120)
    assert acc.by_fuel["热力"].to_dict("热力")["quantity"] == pytest.approx(1_000_000)


def test_standard_quantity_in_tce_is_turned_back_into_physical_for_co2(factors):
    acc = one([R("2023", CITY, "交通运输", "柴油", 1.4571, "万吨标准煤")], factors)
    assert acc.by_fuel["柴油"].quantity == pytest.approx(10_000)
    assert acc.energy_tce == pytest.approx(14_571)
    assert acc.co2_t == pytest.approx(10_000 * 20.2 * 0.98 * 42652e-6 * 44 / 12)


@pytest.mark.parametrize(
    ("fuel", "quantity", "unit", "base"),
    [
        ("原煤", 1, "吨", 1),
        ("原煤", 1, "万吨", 1e4),
        ("原煤", 1000, "千克", 1),
        ("原煤", 1000, "公斤", 1),
        ("天然气", 1, "立方米", 1),
        ("天然气", 1, "万立方米", 1e4),
        ("天然气", 1, "亿立方米", 1e8),
        ("电力", 1, "千瓦时", 1),
        ("电力", 1, "度", 1),
        ("电力", 1, "万千瓦时", 1e4),
        ("电力", 1, "亿千瓦时", 1e8),
        ("电力", 1, "兆瓦时", 1e3),
        ("热力", 1, "吉焦", 1 / 0.0036),
        ("热力", 1, "百万千焦", 1 / 0.0036),
        ("热力", 1000, "兆焦", 1 / 0.0036),
    ],
)
def test_every_reported_unit_converts_to_the_base_unit(fuel, quantity, unit, base):
    scale = catalog.parse_unit(unit)
    assert quantity * scale.to_base == pytest.approx(base)


@pytest.mark.parametrize(("unit", "tce"), [("吨标准煤", 1), ("万吨标准煤", 1e4), ("千克标准煤", 1e-3)])
def test_standard_coal_units(factors, unit, tce):
    acc = one([R("2023", CITY, "其他工业", "原煤", 1, unit)], factors)
    assert acc.energy_tce == pytest.approx(tce)


@pytest.mark.parametrize(
    ("record", "named"),
    [
        (R("2023", CITY, "其他工业", "褐煤块", 1, "吨"), "褐煤块"),
        (R("2023", CITY, "其他工业", "原煤", 1, "斤"), "斤"),
        (R("2023", CITY, "航天业", "原煤", 1, "吨"), "航天业"),
        (R("2023", CITY, "工业", "原煤", 1, "吨"), "工业"),
        (R("2023", CITY, "其他工业", "原煤", 1, "立方米"), "立方米"),
        (R("2023", CITY, "本地发电", "潮汐发电", 1, "万千瓦时"), "潮汐发电"),
        (R("2023", CITY, "电力调入", "柴油", 1, "吨"), "柴油"),
        (R("2023年夏", CITY, "其他工业", "原煤", 1, "吨"), "2023年夏"),
        (R("2023", CITY, "其他工业", "原煤", -1, "吨"), "为负"),
        (R("2023", CITY, "其他工业", "焦炉煤气", 1, "万立方米"), "焦炉煤气"),
        (R("2023", CITY, "其他工业", "洗精煤", 1, "万吨"), "单位热值含碳量"),
    ],
)
def test_unknown_names_and_missing_factors_are_errors_that_name_them(factors, record, named):
    with pytest.raises(AccountingError) as err:
        account([record], factors)
    assert named in str(err.value)


def test_missing_factor_message_carries_the_reference_range(factors):
    with pytest.raises(AccountingError, match="0.5714–0.6143"):
        account([R("2023", CITY, "其他工业", "焦炉煤气", 1, "万立方米")], factors)


def test_short_sector_names_are_accepted(factors):
    acc = one(
        [R("2023", CITY, "交通运输", "柴油", 1, "吨"), R("2023", CITY, "居民生活", "液化石油气", 1, "吨")],
        factors,
    )
    assert set(acc.by_sector) == {"交通运输、仓储和邮政业", "城乡居民生活"}


def test_quarters_are_summed_year_to_date(factors):
    records = [R(f"2023Q{q}", CITY, "其他工业", "原煤", q, "万吨") for q in (1, 2, 3, 4)]
    accounts = account(records, factors)
    keys = [a.period.key for a in accounts.ordered()]
    assert keys == ["2023Q1", "2023Q2", "2023Q1-Q2", "2023Q3", "2023Q1-Q3", "2023Q4", "2023"]
    assert accounts.get(CITY, "2023Q1-Q3").energy_tce == pytest.approx(6 * 7143)
    assert accounts.get(CITY, "2023").energy_tce == pytest.approx(10 * 7143)
    assert accounts.get(CITY, "2023Q1-Q3").period.label == "2023年1–9月"


def test_a_missing_quarter_stops_the_year_to_date(factors):
    records = [R(f"2023Q{q}", CITY, "其他工业", "原煤", 1, "万吨") for q in (1, 3)]
    keys = {a.period.key for a in account(records, factors).ordered()}
    assert keys == {"2023Q1", "2023Q3"}


def test_intensities_at_comparable_prices_and_their_changes(factors):
    records = [R(str(y), CITY, "其他工业", "原煤", 10, "万吨") for y in (2020, 2021, 2022)]
    economy = [
        EconomicFigure("2020", CITY, gdp_current=1000, population=80),
        EconomicFigure("2021", CITY, gdp_current=1150, real_growth_pct=10),
        EconomicFigure("2022", CITY, gdp_current=1250, real_growth_pct=5, population=82),
    ]
    accounts = account(records, factors, economy)
    y20, y21, y22 = (accounts.get(CITY, str(y)) for y in (2020, 2021, 2022))
    assert y21.gdp_constant == pytest.approx(1100)  # 1000 × 1.10, not the current-price 1150
    assert y22.gdp_constant == pytest.approx(1155)
    assert y20.energy_intensity == pytest.approx(71_430 / 1000e4)  # tce per 万元
    assert y21.energy_intensity_change == pytest.approx(1 / 1.1 - 1)
    assert y22.energy_intensity_change == pytest.approx(1 / 1.05 - 1)
    assert y22.energy_intensity_change_base == pytest.approx(1 / 1.155 - 1)
    assert y22.carbon_intensity_change_base == pytest.approx(1 / 1.155 - 1)
    assert y20.energy_per_capita == pytest.approx(71_430 / 800_000)
    assert y21.population is None and y21.energy_per_capita is None  # missing is missing, never zero


def test_quarterly_gdp_is_year_to_date(factors):
    records = [R(f"{y}Q{q}", CITY, "其他工业", "原煤", 1, "万吨") for y in (2020, 2021) for q in (1, 2)]
    economy = [
        EconomicFigure("2020Q2", CITY, gdp_current=500),
        EconomicFigure("2021Q2", CITY, gdp_current=560, real_growth_pct=8),
    ]
    accounts = account(records, factors, economy)
    h1 = accounts.get(CITY, "2021Q1-Q2")
    assert h1.gdp_constant == pytest.approx(540)
    assert h1.energy_intensity_change == pytest.approx(1 / 1.08 - 1)
    assert accounts.get(CITY, "2021Q2").energy_intensity is None  # single quarters carry no intensity


def with_rates(factors, *rows):
    """The national set plus test inputs: (kind, key, year, value) in g/kWh, or a share in %."""
    from carbonpeak.energy.factors import Factor, FactorSet

    def unit(kind):
        return "%" if kind == "grid_non_fossil_share" else "gce/kWh"

    extra = tuple(
        Factor(kind, key, year, value, unit(kind), "测试输入", "test") for kind, key, year, value in rows
    )
    return FactorSet("custom", "1", (*factors.factors, *extra))


JIANGSU_SHARE_2023 = ("grid_non_fossil_share", "江苏", 2023, 30)  # a test input, not a sourced share


POWER_2023 = [
    R("2023", CITY, "其他工业", "原煤", 1000, "吨"),  # 714.3 tce at 0.7143
    R("2023", CITY, "其他工业", "电力", 2, "亿千瓦时"),
    R("2023", CITY, "电力调入", "电力", 1, "亿千瓦时"),
    R("2023", CITY, "电力调出", "电力", 0, "亿千瓦时"),
    R("2023", CITY, "本地发电", "光伏发电", 1, "亿千瓦时"),
]


def test_equivalent_value_uses_the_years_generation_coal_rate(factors):
    """等价值 = fuels + (net import + local non-fossil) × the year's average 发电 coal rate (NBS balance)."""
    custom = with_rates(factors, ("generation_coal_rate", "江苏", 2023, 290), JIANGSU_SHARE_2023)
    acc = one(POWER_2023, custom, economy=[EconomicFigure("2023", CITY, gdp_constant=10)])
    coal_tce = 1000 * 0.7143
    assert acc.energy_tce_equivalent == pytest.approx(coal_tce + 2e8 * 290e-6)
    assert acc.energy_tce == pytest.approx(coal_tce + 2e8 * 0.0001229)  # 当量值 beside it
    assert acc.coal_rate["value_g_per_kwh"] == 290 and acc.coal_rate["region"] == "江苏"
    # non-fossil consumed: 1 亿 kWh local PV + 30 % of the 1 亿 kWh imported from the provincial grid
    assert acc.electricity.imported_non_fossil_kwh == pytest.approx(0.3e8)
    assert acc.non_fossil_share == pytest.approx(1.3e8 * 290e-6 / (coal_tce + 2e8 * 290e-6))
    assert acc.non_fossil_share_calorific == pytest.approx(1.3e8 * 0.0001229 / (coal_tce + 2e8 * 0.0001229))
    assert acc.energy_intensity == pytest.approx(acc.energy_tce_equivalent / 1e5)
    assert acc.energy_intensity_calorific == pytest.approx(acc.energy_tce / 1e5)
    assert acc.complete and acc.missing == []


def test_without_a_generation_rate_the_equivalent_value_is_missing_never_calorific(factors):
    """Only a 供电 rate for the year: it is not the balance's rate, so 等价值 and all built on it are 缺失."""
    custom = with_rates(factors, ("supply_coal_rate", "全国", 2023, 300), JIANGSU_SHARE_2023)
    acc = one(POWER_2023, custom, economy=[EconomicFigure("2023", CITY, gdp_constant=10, population=50)])
    assert acc.energy_tce_equivalent is None and acc.by_fuel["电力"].tce_equivalent is None
    assert acc.energy_intensity is None and acc.energy_per_capita is None
    assert acc.non_fossil_share is None and acc.coal_share is None
    assert acc.energy_intensity_calorific == pytest.approx(acc.energy_tce / 1e5)
    assert acc.non_fossil_share_calorific is not None
    assert (
        not acc.complete
        and "2023年平均发电标准煤耗" in acc.missing[0]
        and "“平均发电标准煤耗”" in acc.missing[0]
        and "generation_coal_rate" not in acc.missing[0]
    )
    data = acc.to_dict()
    assert data["energy_tce_equivalent"] is None and data["complete"] is False
    assert (
        data["energy_intensity_tce_per_10k_yuan"] is None
        and data["energy_intensity_calorific_tce_per_10k_yuan"]
    )


def test_a_national_rate_serves_when_the_region_has_none_and_says_so(factors):
    custom = with_rates(factors, ("generation_coal_rate", "全国", 2023, 295))
    acc = one(POWER_2023, custom)
    assert acc.coal_rate["region"] == "全国" and "采用全国值" in " ".join(acc.notes)
    assert acc.energy_tce_equivalent == pytest.approx(1000 * 0.7143 + 2e8 * 295e-6)


def test_intensity_changes_never_mix_bases(factors):
    """2022 without a rate, 2023 with: the 等价值 change is missing, the 当量值 change is given, labelled."""
    records = POWER_2023 + [R("2022", CITY, r.sector, r.fuel, r.quantity, r.unit) for r in POWER_2023]
    custom = with_rates(factors, ("generation_coal_rate", "江苏", 2023, 290))
    economy = [EconomicFigure("2022", CITY, gdp_constant=10), EconomicFigure("2023", CITY, gdp_constant=11)]
    acc = account(records, custom, economy).get(CITY, "2023")
    assert acc.energy_intensity is not None and acc.energy_intensity_change is None
    assert acc.energy_intensity_change_calorific == pytest.approx(10 / 11 - 1)
    assert acc.carbon_intensity_change is not None


def test_arrow_table_input_matches_record_input(factors):
    records = [
        R("2023Q1", CITY, "其他工业", "原煤", 3, "万吨"),
        R("2023Q1", CITY, "交通运输", "柴油", 2, "吨"),
        R("2023Q1", CITY, "其他工业", "电力", 7, "万千瓦时"),
    ]
    table = pa.table(
        {
            k: [getattr(r, k) for r in records]
            for k in ("period", "region", "sector", "fuel", "quantity", "unit")
        }
    )
    assert account(table, factors).to_dict() == account(records, factors).to_dict()


# ------------------------------------------------------------------ properties

FUELS = ["原煤", "焦炭", "汽油", "柴油", "天然气", "液化石油气", "电力", "热力"]
UNITS = {
    "原煤": "吨",
    "焦炭": "万吨",
    "汽油": "吨",
    "柴油": "万吨",
    "天然气": "万立方米",
    "液化石油气": "吨",
    "电力": "万千瓦时",
    "热力": "吉焦",
}
SECTORS = ["其他工业", "造纸", "交通运输", "居民生活", "建筑业"]

record_strategy = st.builds(
    lambda q, s, f, v: R(f"2023Q{q}", CITY, s, f, v, UNITS[f]),
    st.integers(1, 2),
    st.sampled_from(SECTORS),
    st.sampled_from(FUELS),
    st.floats(0, 1e6, allow_nan=False),
)


def _totals(records, factors):
    accounts = account(records, factors, cumulate=False)
    out = {}
    for acc in accounts.ordered():
        out[acc.period.key] = (acc.energy_tce, acc.co2_t)
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(record_strategy, min_size=1, max_size=12), st.lists(record_strategy, min_size=1, max_size=12))
def test_accounting_is_additive_over_records(a, b):
    factors = load_factor_set("national")
    both = _totals(a + b, factors)
    left, right = _totals(a, factors), _totals(b, factors)
    for key, (tce, co2) in both.items():
        lt, lc = left.get(key, (0, 0))
        rt, rc = right.get(key, (0, 0))
        assert tce == pytest.approx(lt + rt, rel=1e-9, abs=1e-6)
        assert co2 == pytest.approx(lc + rc, rel=1e-9, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.lists(record_strategy, min_size=1, max_size=12), st.floats(0.01, 1000))
def test_accounting_scales_with_quantities(records, k):
    factors = load_factor_set("national")
    scaled = [R(r.period, r.region, r.sector, r.fuel, r.quantity * k, r.unit) for r in records]
    base, big = _totals(records, factors), _totals(scaled, factors)
    for key, (tce, co2) in base.items():
        assert big[key][0] == pytest.approx(tce * k, rel=1e-9, abs=1e-6)
        assert big[key][1] == pytest.approx(co2 * k, rel=1e-9, abs=1e-6)


# ------------------------------------------------------------------ missing is never zero


def test_export_without_import_is_incomplete_and_names_the_line(factors):
    records = [
        R("2023", CITY, "其他工业", "电力", 2, "亿千瓦时"),
        R("2023", CITY, "电力调出", "电力", 1, "亿千瓦时"),
    ]
    acc = one(records, factors)
    assert not acc.complete
    assert "数据不全：电力调入未报（电力调出已报）；调入、调出均须填报，没有则填 0" in acc.missing
    assert acc.electricity.method == "调入−调出（调入未报，数据不全）"
    both = one([*records, R("2023", CITY, "电力调入", "电力", 0, "亿千瓦时")], factors)
    assert not any("调入" in m for m in both.missing)  # an explicit 0 is a value


def test_a_power_sector_burning_fuel_needs_local_generation(factors):
    records = [
        R("2023", CITY, "电力、热力生产和供应业", "原煤", 100, "万吨"),
        R("2023", CITY, "其他工业", "电力", 2, "亿千瓦时"),
        R("2023", CITY, "电力调入", "电力", 0, "亿千瓦时"),
        R("2023", CITY, "电力调出", "电力", 1, "亿千瓦时"),
    ]
    acc = one(records, factors)
    assert "数据不全：电力、热力生产和供应业有燃料消费，但未报本地发电量（按电源分列）" in acc.missing
    fixed = one([*records, R("2023", CITY, "本地发电", "燃煤发电", 3, "亿千瓦时")], factors)
    assert not any("本地发电" in m for m in fixed.missing)


def test_a_row_reported_in_the_last_four_quarters_and_absent_now_is_incomplete(factors):
    base = [
        R(q, CITY, "交通运输", "柴油", 100, "吨") for q in ("2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1")
    ]
    records = [*base, R("2024Q2", CITY, "其他工业", "天然气", 5, "万立方米")]  # only in Q2
    accounts = account(records, factors)
    q1 = accounts.get(CITY, "2025Q1")
    assert q1.missing == ["数据不全：其他工业·天然气 前四个季度中报送过，本季度未报（确为零请填 0）"]
    assert accounts.get(CITY, "2024Q3").missing  # Q2 is one of Q3's four earlier quarters
    assert not accounts.get(CITY, "2024Q2").missing
    full_year = accounts.get(CITY, "2024")
    assert any(m.startswith("2024年第3季度数据不全：其他工业·天然气") for m in full_year.missing)
    assert full_year.to_dict()["complete"] is False


# ------------------------------------------------------------------ boundaries


def test_three_boundaries_by_hand(factors):
    """A city with a coal plant exporting power: territorial counts the plant, assessed credits the export,
    consumption counts what the city's users consumed at the grid factor and leaves the plant out."""
    coal_t = factors.co2_per_unit(catalog.FUEL_BY_NAME["原煤"])  # tCO2 per tonne
    grid = 0.5827e-3  # 江苏 2023, tCO2/kWh
    records = [
        R("2023", CITY, "其他工业", "原煤", 1, "万吨"),
        R("2023", CITY, "电力、热力生产和供应业", "原煤", 10, "万吨"),
        R("2023", CITY, "其他工业", "电力", 2, "亿千瓦时"),
        R("2023", CITY, "电力调入", "电力", 0, "亿千瓦时"),
        R("2023", CITY, "电力调出", "电力", 1, "亿千瓦时"),
        R("2023", CITY, "本地发电", "燃煤发电", 3, "亿千瓦时"),
    ]
    acc = one(records, factors)
    b = acc.to_dict()["co2_t_by_boundary"]
    assert b["territorial"] == pytest.approx(11e4 * coal_t, abs=1)
    assert (
        b["assessed"] == pytest.approx(11e4 * coal_t - 1e8 * grid, abs=1) == pytest.approx(acc.co2_t, abs=1)
    )
    assert b["consumption"] == pytest.approx(1e4 * coal_t + 2e8 * grid, abs=1)
    assert acc.to_dict()["co2_boundary"] == "assessed"


def test_carbon_intensity_change_with_the_grid_factor_held_at_the_base_vintage(factors):
    """Same activity in 2021 and 2022, same GDP: the whole change in carbon intensity is the new grid factor."""
    records = []
    for year in ("2020", "2021", "2022"):
        records += [
            R(year, CITY, "其他工业", "电力", 1, "亿千瓦时"),
            R(year, CITY, "电力调入", "电力", 1, "亿千瓦时"),
            R(year, CITY, "电力调出", "电力", 0, "亿千瓦时"),
        ]
    economy = [EconomicFigure(y, CITY, gdp_constant=100) for y in ("2020", "2021", "2022")]
    acc = account(records, factors, economy).get(CITY, "2022")
    assert acc.carbon_intensity_change == pytest.approx(0.5978 / 0.6451 - 1, abs=1e-6)  # vintage 2022 vs 2021
    assert acc.carbon_intensity_change_fixed_grid == pytest.approx(0, abs=1e-9)
    assert acc.carbon_intensity_change_base_fixed_grid == pytest.approx(0, abs=1e-9)


# ------------------------------------------------------------------ deductions (113号, 803号)


def test_feedstock_and_non_fossil_are_deducted_for_the_assessment(factors):
    """原料用能 stays in the gross total, leaves the assessed total and burns no CO2; local non-fossil
    electricity leaves the assessed total at the 发电 rate; GDP is unchanged."""
    custom = with_rates(factors, ("generation_coal_rate", "江苏", 2023, 290), JIANGSU_SHARE_2023)
    coal_tce = factors.coal_coefficient(catalog.FUEL_BY_NAME["原煤"])  # tce per tonne
    gas_tce = factors.coal_coefficient(catalog.FUEL_BY_NAME["天然气"])  # tce per m³
    records = [
        R("2023", CITY, "其他工业", "原煤", 1000, "吨"),
        R("2023", CITY, "化学纤维制造业", "天然气", 100, "万立方米", "原料"),
        R("2023", CITY, "化学纤维制造业", "天然气", 50, "万立方米"),
        R("2023", CITY, "其他工业", "电力", 1, "亿千瓦时"),
        R("2023", CITY, "本地发电", "光伏发电", 0.5, "亿千瓦时"),
        R("2023", CITY, "电力调入", "电力", 0.5, "亿千瓦时"),
        R("2023", CITY, "电力调出", "电力", 0, "亿千瓦时"),
    ]
    acc = one(records, custom, economy=[EconomicFigure("2023", CITY, gdp_constant=10)])
    feedstock = 100e4 * gas_tce
    gross = 1000 * coal_tce + 150e4 * gas_tce + 1e8 * 290e-6
    assert acc.feedstock_tce == pytest.approx(feedstock)
    assert acc.energy_tce_equivalent == pytest.approx(gross)
    non_fossil = (0.5e8 + 0.3 * 0.5e8) * 290e-6  # local PV and 30 % of the grid import
    assert acc.non_fossil_tce == pytest.approx(non_fossil)
    assert acc.energy_tce_assessed == pytest.approx(gross - non_fossil - feedstock)
    assert acc.energy_intensity_assessed == pytest.approx(acc.energy_tce_assessed / 1e5)
    gas_co2 = factors.co2_per_unit(catalog.FUEL_BY_NAME["天然气"])
    assert acc.by_sector["化学纤维制造业"].co2_t == pytest.approx(
        50e4 * gas_co2
    )  # the 原料 part burns nothing


def test_deductions_apply_in_base_and_current_year(factors):
    """803号: 原料用能 out of both years' totals; the change is computed on the deducted totals."""
    custom = with_rates(
        factors, ("generation_coal_rate", "江苏", 2020, 300), ("generation_coal_rate", "江苏", 2023, 290)
    )
    records = []
    for year, feed in (("2020", 100), ("2023", 300)):
        records += [
            R(year, CITY, "其他工业", "原煤", 1000, "吨"),
            R(year, CITY, "化学纤维制造业", "原煤", feed, "吨", "原料"),
            R(year, CITY, "电力调入", "电力", 0, "亿千瓦时"),
            R(year, CITY, "电力调出", "电力", 0, "亿千瓦时"),
        ]
    economy = [EconomicFigure("2020", CITY, gdp_constant=10), EconomicFigure("2023", CITY, gdp_constant=12)]
    acc = account(records, custom, economy).get(CITY, "2023")
    coal = factors.coal_coefficient(catalog.FUEL_BY_NAME["原煤"])
    assert acc.energy_intensity_assessed_change_base == pytest.approx(
        (1000 * coal / 12) / (1000 * coal / 10) - 1
    )
    assert acc.energy_intensity_change_base == pytest.approx((1300 * coal / 12) / (1100 * coal / 10) - 1)


def test_a_use_other_than_fuel_or_feedstock_is_an_error(factors):
    with pytest.raises(AccountingError, match="用途“燃烧”须为“燃料”或“原料”"):
        one([R("2023", CITY, "其他工业", "原煤", 1, "吨", "燃烧")], factors)
    with pytest.raises(AccountingError, match="电力、热力不能作为原料用能"):
        one([R("2023", CITY, "其他工业", "电力", 1, "千瓦时", "原料")], factors)


# ------------------------------------------------------------------ grid structure


def test_imports_by_grid_structure_count_their_non_fossil_part(factors):
    """绿电交易 counts whole (113号 二(三)); 省内电网 at its entered share; green power sold out leaves the city."""
    custom = with_rates(factors, ("generation_coal_rate", "江苏", 2023, 290), JIANGSU_SHARE_2023)
    records = [
        R("2023", CITY, "其他工业", "电力", 4, "亿千瓦时"),
        R("2023", CITY, "本地发电", "光伏发电", 1, "亿千瓦时"),
        R("2023", CITY, "电力调入", "省内电网", 2, "亿千瓦时"),
        R("2023", CITY, "电力调入", "绿电交易", 1, "亿千瓦时"),
        R("2023", CITY, "电力调出", "绿电交易", 0.5, "亿千瓦时"),
        R("2023", CITY, "电力调出", "省内电网", 0, "亿千瓦时"),
    ]
    acc = one(records, custom)
    bal = acc.electricity
    assert bal.imported_by == {"省内电网": pytest.approx(2e8), "绿电交易": pytest.approx(1e8)}
    assert bal.imported_non_fossil_kwh == pytest.approx(0.6e8 + 1e8)
    assert bal.exported_green_kwh == pytest.approx(0.5e8)
    consumed = 1e8 + 1.6e8 - 0.5e8
    assert acc.non_fossil_share == pytest.approx(consumed * 290e-6 / acc.energy_tce_equivalent)
    assert bal.net_imported_kwh == pytest.approx(2.5e8)


def test_a_missing_grid_share_makes_the_non_fossil_share_missing_not_local_only(factors):
    custom = with_rates(factors, ("generation_coal_rate", "江苏", 2023, 290))
    acc = one(POWER_2023, custom)
    assert acc.non_fossil_share is None and acc.energy_tce_assessed is None
    assert any(
        "2023年江苏电网非化石电量占比" in m
        and "“电网非化石电量占比”" in m
        and "grid_non_fossil_share" not in m
        for m in acc.missing
    )
    assert acc.coal_share is not None  # the rest of the shares stand
    green_only = [r for r in POWER_2023 if r.sector != "电力调入"] + [
        R("2023", CITY, "电力调入", "绿电", 1, "亿千瓦时")
    ]
    assert one(green_only, custom).non_fossil_share is not None  # a green-power trade needs no share


def test_the_factor_set_names_the_assessed_boundary_and_every_headline_follows(factors):
    """A setting row (kind assessed_boundary) chooses the boundary of co2_t, the carbon intensity and its
    fixed-grid change; the three boundaries are all still given, and a later row replaces an earlier one."""
    from carbonpeak.energy.factors import Factor, overlay

    records = [
        R("2023", CITY, "电力、热力生产和供应业", "原煤", 1000, "吨"),
        R("2023", CITY, "本地发电", "燃煤发电", 0.03, "亿千瓦时"),
        R("2023", CITY, "其他工业", "电力", 0.01, "亿千瓦时"),
        R("2023", CITY, "电力调入", "电力", 0, "亿千瓦时"),
        R("2023", CITY, "电力调出", "电力", 0.02, "亿千瓦时"),
    ]
    economy = [EconomicFigure("2023", CITY, gdp_constant=1)]
    default = one(records, factors, economy=economy)
    assert default.co2_boundary == "assessed" and default.co2_t == default.co2_by_boundary["assessed"]

    def setting(key):
        return Factor("assessed_boundary", key, None, None, "", "测试：上级文件", "录入")

    consumption = overlay(factors, (setting("territorial"), setting("consumption")), "custom", "1")
    assert consumption.assessed_boundary == "consumption"
    acc = one(records, consumption, economy=economy)
    assert acc.co2_boundary == "consumption"
    assert acc.co2_t == pytest.approx(default.co2_by_boundary["consumption"])
    assert acc.co2_by_boundary == pytest.approx(default.co2_by_boundary)
    assert acc.carbon_intensity == pytest.approx(acc.co2_t / 1e4)
    from carbonpeak.core.text import decode

    # kept with its wording (said in each reader's language), read back as the platform's sentence
    assert decode(acc.to_dict()["co2_boundary_label"]).startswith("考核口径：消费口径")


def test_a_boundary_setting_must_name_a_known_boundary():
    from carbonpeak.energy.factors import FactorError, read_factor_rows

    with pytest.raises(FactorError, match="口径须为 territorial / assessed / consumption"):
        read_factor_rows(
            "kind,key,year,value,unit,source,status\nassessed_boundary,全口径,,,,文件,录入\n", "x"
        )
