"""The register of 绿证 and 绿电交易: reading the template, and how entries count for the city (hand-computed)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from carbonpeak.energy import catalog
from carbonpeak.energy import certificates as register
from carbonpeak.energy.accounting import EconomicFigure, EnergyRecord, IntensityTarget, account
from carbonpeak.energy.factors import load_factor_set
from tests.energy.test_accounting import CITY, with_rates

R = EnergyRecord
RATE = 290e-6  # tce per kWh: a test input for the 发电 coal rate, not a sourced value
TARGET = IntensityTarget(reduction=0.145, base_year=2020, target_year=2025, source="测试输入")


@pytest.fixture(scope="module")
def factors():
    national = load_factor_set("national")
    return with_rates(
        national,
        ("generation_coal_rate", "江苏", 2020, 290),
        ("generation_coal_rate", "江苏", 2023, 290),
        ("grid_non_fossil_share", "江苏", 2020, 20),
        ("grid_non_fossil_share", "江苏", 2023, 30),
    )


def year(y: str, coal_t: float = 100_000, pv_kwh: float = 1e8) -> list[EnergyRecord]:
    return [
        R(y, CITY, "其他工业", "原煤", coal_t, "吨"),
        R(y, CITY, "其他工业", "电力", 3, "亿千瓦时"),
        R(y, CITY, "本地发电", "光伏发电", pv_kwh / 1e8, "亿千瓦时"),
        R(y, CITY, "电力调入", "省内电网", 2, "亿千瓦时"),
        R(y, CITY, "电力调出", "省内电网", 0, "亿千瓦时"),
    ]


ECONOMY = [EconomicFigure("2020", CITY, gdp_constant=100), EconomicFigure("2023", CITY, gdp_constant=120)]


def entry(serial, kind, kwh, *, direction=register.BOUGHT, on=dt.date(2023, 6, 30), province="四川"):
    return register.CertificateEntry(
        serial=serial,
        region=CITY,
        used_on=on,
        kind=kind,
        direction=direction,
        kwh=kwh,
        seller_province=province,
    )


def accounts(factors, entries, target=TARGET):
    records = year("2020") + year("2023")
    return account(records, factors, ECONOMY, certificates=entries, intensity_target=target)


def test_a_certificate_counts_into_non_fossil_consumption_at_the_generation_rate(factors):
    """单独绿证 1,000 张 = 1,000,000 kWh (1044号) add to non-fossil consumption; below the cap all is deducted."""
    without = accounts(factors, []).get(CITY, "2023")
    with_one = accounts(factors, [entry("GEC-1", register.UNBUNDLED, 1000 * 1000)]).get(CITY, "2023")
    assert with_one.non_fossil_tce - without.non_fossil_tce == pytest.approx(1e6 * RATE)
    assert with_one.non_fossil_share - without.non_fossil_share == pytest.approx(
        1e6 * RATE / without.energy_tce_equivalent
    )
    assert with_one.certificate_deducted_tce == pytest.approx(1e6 * RATE)
    assert without.energy_tce_assessed - with_one.energy_tce_assessed == pytest.approx(1e6 * RATE)
    assert with_one.to_dict()["certificates"]["counted_kwh"] == 1e6


def test_the_deduction_is_capped_at_half_the_saving_the_target_requires(factors):
    """113号 二(三): cap = 50 % × base-year assessed intensity × GDP × the fall due by the year.
    By hand: 2020 assessed = coal + (2 + 1) 亿kWh × rate − (1 亿 PV + 20 % × 2 亿) × rate, GDP 100 亿元;
    due by 2023 = 1 − (1 − 14.5 %)^(3/5)."""
    coal = 100_000 * load_factor_set("national").coal_coefficient(catalog.FUEL_BY_NAME["原煤"])
    base_assessed = coal + 3e8 * RATE - (1e8 + 0.2 * 2e8) * RATE
    due = 1 - (1 - 0.145) ** (3 / 5)
    cap = 0.5 * (base_assessed / 100) * 120 * due
    huge = 10 * cap / RATE  # kWh of certificates worth ten times the cap
    acc = accounts(factors, [entry("GEC-BIG", register.UNBUNDLED, huge)]).get(CITY, "2023")
    assert acc.certificate_cap_tce == pytest.approx(cap)
    assert acc.certificate_deducted_tce == pytest.approx(cap)
    before = acc.energy_tce_equivalent - (acc.non_fossil_tce - huge * RATE) - acc.feedstock_tce
    assert acc.energy_tce_assessed == pytest.approx(before - cap)
    assert any("超过抵扣上限" in n for n in acc.notes)
    # the share counts every certificate: the cap limits the deduction only
    assert acc.non_fossil_tce == pytest.approx((1e8 + 0.3 * 2e8 + huge) * RATE)


def test_without_the_target_the_cap_and_the_deducted_total_are_missing(factors):
    acc = accounts(factors, [entry("GEC-1", register.UNBUNDLED, 1e6)], target=None).get(CITY, "2023")
    assert acc.energy_tce_assessed is None and acc.energy_intensity_assessed is None
    assert any("绿证抵扣上限" in m and "能耗强度下降目标未录入" in m for m in acc.missing)
    assert acc.non_fossil_share is not None  # the share does not need the cap


def test_a_green_power_trade_is_counted_once_by_its_physical_electricity(factors):
    """绿电交易 certificates travel with the electricity already in 调入·绿电交易: not added again."""
    records = year("2020") + [r for r in year("2023") if r.sector != "电力调入"]
    records += [
        R("2023", CITY, "电力调入", "省内电网", 1, "亿千瓦时"),
        R("2023", CITY, "电力调入", "绿电交易", 1, "亿千瓦时"),
    ]
    plain = account(records, factors, ECONOMY, intensity_target=TARGET).get(CITY, "2023")
    traded = account(
        records,
        factors,
        ECONOMY,
        certificates=[entry("TRADE-1", register.GREEN_TRADE, 1e8)],
        intensity_target=TARGET,
    ).get(CITY, "2023")
    assert traded.non_fossil_tce == pytest.approx(plain.non_fossil_tce)
    assert traded.energy_tce_assessed == pytest.approx(plain.energy_tce_assessed)
    more = account(
        records,
        factors,
        ECONOMY,
        certificates=[entry("TRADE-2", register.GREEN_TRADE, 3e8)],
        intensity_target=TARGET,
    ).get(CITY, "2023")
    assert more.non_fossil_tce == pytest.approx(plain.non_fossil_tce)
    assert any("多于电力平衡中的调入·绿电交易" in n for n in more.notes)


def test_local_generation_whose_certificates_were_sold_out_no_longer_counts(factors):
    sold = entry("GEC-SOLD", register.UNBUNDLED, 0.4e8, direction=register.SOLD, province="")
    acc = accounts(factors, [sold]).get(CITY, "2023")
    plain = accounts(factors, []).get(CITY, "2023")
    assert plain.non_fossil_tce - acc.non_fossil_tce == pytest.approx(0.4e8 * RATE)
    assert acc.certificate_tce == 0


def test_certificates_count_in_the_quarter_they_were_used_and_year_to_date(factors):
    records = []
    for q in (1, 2, 3, 4):
        for y in ("2020", "2023"):
            records += [
                R(f"{y}Q{q}", CITY, "其他工业", "原煤", 25_000, "吨"),
                R(f"{y}Q{q}", CITY, "电力调入", "省内电网", 0.5, "亿千瓦时"),
                R(f"{y}Q{q}", CITY, "电力调出", "省内电网", 0, "亿千瓦时"),
            ]
    economy = [
        EconomicFigure(f"{y}Q{q}", CITY, gdp_constant=25 * q) for y in ("2020", "2023") for q in (1, 2, 3, 4)
    ]
    got = account(
        records,
        factors,
        economy,
        certificates=[entry("GEC-Q3", register.UNBUNDLED, 1e6, on=dt.date(2023, 8, 1))],
        intensity_target=TARGET,
    )
    assert got.get(CITY, "2023Q1-Q2").certificates is None
    assert got.get(CITY, "2023Q1-Q3").certificate_tce == pytest.approx(1e6 * RATE)
    assert got.get(CITY, "2023").certificate_tce == pytest.approx(1e6 * RATE)
    q3 = got.get(CITY, "2023Q3")
    assert q3.certificate_tce == pytest.approx(1e6 * RATE) and q3.energy_tce_assessed is None


# ------------------------------------------------------------------ the template


def _template_with(rows: list[list]) -> bytes:
    wb = load_workbook(io.BytesIO(register.template_bytes(CITY)))
    ws = wb[register.SHEET]
    for i, row in enumerate(rows, start=register.HEADER_ROW + 1):
        for j, value in enumerate(row, start=1):
            ws.cell(i, j, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_template_reads_back_with_dates_and_either_quantity():
    data = _template_with(
        [
            [
                "GEC-001",
                dt.date(2025, 3, 15),
                "单独绿证",
                "购入",
                200,
                None,
                "某公司",
                "某风电场",
                "内蒙古",
                "绿证交易平台",
            ],
            [
                "GEC-002",
                "2025年5月1日",
                "省内",
                "购入",
                None,
                150000,
                "某公司",
                "盐城某光伏",
                "",
                "绿证交易平台",
            ],
        ]
    )
    parsed = register.read_register(data, "登记.xlsx", region=CITY, home_province="江苏")
    assert parsed.ok, parsed.errors
    (_, first), (_, second) = parsed.entries
    assert first.kwh == 200_000 and first.certificates == 200 and first.quarter == 1
    assert second.kwh == 150_000 and second.seller_province == "江苏" and second.quarter == 2


def test_a_bad_row_refuses_the_file_naming_row_and_column():
    data = _template_with(
        [
            ["GEC-001", "2025-13-01", "单独绿证", "购入", 200, 100, "", "", "江苏", "平台"],
            ["GEC-001", "2025-03-01", "绿证", "买入", None, None, "", "", "", ""],
        ]
    )
    parsed = register.read_register(data, "登记.xlsx", region=CITY, home_province="江苏")
    text = "\n".join(str(e) for e in parsed.errors)
    assert not parsed.entries
    assert "第4行 B列（核销（使用）日期）：“2025-13-01”不是有效日期" in text
    assert "第4行 F列（电量（千瓦时））：电量 100 千瓦时与绿证 200 张不符" in text
    assert "出售方在江苏，应登记为“省内”" in text
    assert "第5行 C列（类型）" in text and "第5行 D列（方向）" in text
    assert "第5行 J列（凭证（交易平台、合同或文件））：不能为空" in text


def test_the_same_number_twice_in_one_file_is_refused():
    rows = [["GEC-9", "2025-03-01", "单独绿证", "购入", 1, None, "", "", "四川", "平台"]] * 2
    parsed = register.read_register(_template_with(rows), "x.xlsx", region=CITY, home_province="江苏")
    assert any("与第4行重复" in str(e) for e in parsed.errors)


def test_a_csv_with_the_same_columns_is_read():
    csv_text = (
        "证书编号或交易编号,核销（使用）日期,类型,方向,绿证数量（张）,电量（千瓦时）,出售方所在省份,凭证\n"
    )
    csv_text += "T-1,2025-02-01,绿电交易,购入,,5000000,甘肃,江苏电力交易中心\n"
    parsed = register.read_register(csv_text.encode(), "x.csv", region=CITY, home_province="江苏")
    assert parsed.ok and parsed.entries[0][1].kwh == 5e6


def test_required_reduction_is_compound_and_stops_at_the_target_year():
    assert register.required_reduction(0.145, 2020, 2025, 2020) == 0
    assert register.required_reduction(0.145, 2020, 2025, 2025) == pytest.approx(0.145)
    assert register.required_reduction(0.145, 2020, 2025, 2027) == pytest.approx(0.145)
    assert register.required_reduction(0.145, 2020, 2025, 2023) == pytest.approx(1 - 0.855**0.6)
