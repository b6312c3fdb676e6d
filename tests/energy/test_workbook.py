"""The quarterly Excel form and the long CSV: round trip, every validation error, warnings."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from carbonpeak.energy import workbook
from carbonpeak.energy.factors import load_factor_set


@pytest.fixture(scope="module")
def factors():
    return load_factor_set("national")


def filled_template(factors, changes: dict | None = None) -> bytes:
    """The downloaded template with a few cells filled, as a statistics office would."""
    wb = load_workbook(io.BytesIO(workbook.template_bytes("2025Q3", "太仓市", factors=factors)))
    ws = wb[workbook.FUELS_SHEET]
    ws["D4"] = 12.5  # 农林牧渔业 原煤 12.5 万吨
    ws["D11"] = 0.8  # 农林牧渔业 柴油 0.8 万吨
    ws["E11"] = 11657  # standard quantity, 0.8 万吨 × 1.4571 = 11,656.8
    wb[workbook.POWER_USE_SHEET]["B4"] = 1200  # 农林牧渔业 1,200 万千瓦时
    wb[workbook.POWER_BALANCE_SHEET]["C7"] = 300  # 光伏发电 300 万千瓦时
    wb[workbook.POWER_BALANCE_SHEET]["C13"] = 900  # 电力调入 · 省内电网 900 万千瓦时
    wb[workbook.POWER_BALANCE_SHEET]["C16"] = 0  # 电力调出 · 省内电网: none, said with a 0
    wb[workbook.ECONOMY_SHEET]["B4"] = 1300.5
    wb[workbook.ECONOMY_SHEET]["B5"] = 5.1
    wb[workbook.ECONOMY_SHEET]["B7"] = 85.2
    for (sheet, cell), value in (changes or {}).items():
        wb[sheet][cell] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_template_round_trip(factors):
    form = workbook.read_upload(filled_template(factors), "form.xlsx", factors=factors)
    assert form.ok, form.errors
    got = {(r.record.sector, r.record.fuel, r.record.quantity, r.record.unit) for r in form.records}
    assert got == {
        ("农林牧渔业", "原煤", 12.5, "万吨"),
        ("农林牧渔业", "柴油", 0.8, "万吨"),
        ("农林牧渔业", "电力", 1200, "万千瓦时"),
        ("本地发电", "光伏发电", 300, "万千瓦时"),
        ("电力调入", "省内电网", 900, "万千瓦时"),
        ("电力调出", "省内电网", 0, "万千瓦时"),
    }
    assert {r.record.period for r in form.records} == {"2025Q3"}
    assert form.economy[0].gdp_current == 1300.5 and form.economy[0].population == 85.2
    assert form.warnings == []


def test_template_lists_fuels_as_rows_with_physical_and_standard_columns(factors):
    wb = load_workbook(io.BytesIO(workbook.template_bytes(factors=factors)))
    ws = wb[workbook.FUELS_SHEET]
    assert [c.value for c in ws[workbook.HEADER_ROW]][:5] == [
        "行业",
        "能源品种",
        "计量单位",
        "实物量",
        "标准量（吨标准煤）",
    ]
    assert ws["F4"].value == "0.7143 吨标准煤/吨"


def test_standard_quantity_disagreeing_by_more_than_two_percent_is_a_warning(factors):
    form = workbook.read_upload(
        filled_template(factors, {(workbook.FUELS_SHEET, "E11"): 12500}), "f.xlsx", factors=factors
    )
    assert form.ok
    assert len(form.warnings) == 1 and "第11行" in form.warnings[0] and "+7.2%" in form.warnings[0]


BAD_CELLS = [
    ((workbook.FUELS_SHEET, "D4"), "abc", "工作表“分品种能源消费” 第4行 D列（实物量）：“abc”不是数字"),
    ((workbook.FUELS_SHEET, "D4"), -3, "第4行 D列（实物量）：数量不能为负"),
    ((workbook.FUELS_SHEET, "C4"), "斤", "第4行 C列（计量单位）：未知计量单位“斤”"),
    ((workbook.FUELS_SHEET, "C4"), "万立方米", "第4行 C列（计量单位）：“万立方米”不适用于原煤"),
    ((workbook.FUELS_SHEET, "B4"), "褐煤块", "第4行 B列（能源品种）：未知能源品种“褐煤块”"),
    ((workbook.FUELS_SHEET, "A4"), "航天业", "第4行 A列（行业）：未知行业“航天业”"),
    ((workbook.FUELS_SHEET, "E4"), "十吨", "第4行 E列（标准量）：“十吨”不是数字"),
    ((workbook.POWER_USE_SHEET, "B4"), "x", "工作表“分行业用电量” 第4行 B列（用电量）"),
    ((workbook.POWER_USE_SHEET, "C4"), "万吨", "第4行 C列（计量单位）：“万吨”不是电量单位"),
    ((workbook.POWER_BALANCE_SHEET, "B7"), "潮汐", "工作表“电力平衡” 第7行 B列（类型）：未知发电类型“潮汐”"),
    ((workbook.ECONOMY_SHEET, "B4"), "很多", "工作表“经济与人口” 第4行 B列（数值）"),
    ((workbook.COVER, "B3"), "明年", "工作表“填报说明” 第3行 B列（报告期）"),
    ((workbook.COVER, "B4"), None, "工作表“填报说明” 第4行 B列（地区）：地区为空"),
]


@pytest.mark.parametrize(
    ("cell", "value", "message"), BAD_CELLS, ids=[m.split("：")[0] for *_, m in BAD_CELLS]
)
def test_one_bad_cell_rejects_the_form_and_names_the_cell(factors, cell, value, message):
    form = workbook.read_upload(filled_template(factors, {cell: value}), "f.xlsx", factors=factors)
    assert not form.ok
    assert any(message in str(e) for e in form.errors), [str(e) for e in form.errors]


def test_a_file_that_is_not_a_workbook(factors):
    form = workbook.read_upload(b"PK\x03\x04garbage", "f.xlsx", factors=factors)
    assert "不是有效的 Excel" in str(form.errors[0])
    form = workbook.read_upload(b"period,region\n", "f.xlsx", factors=factors)
    assert "内容不是 Excel" in str(form.errors[0])


def test_a_workbook_without_the_templates_sheets(factors):
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    form = workbook.read_upload(buf.getvalue(), "f.xlsx", factors=factors)
    assert "缺少工作表" in str(form.errors[0])


CSV_OK = (
    "period,region,sector,fuel,quantity,unit\n2025Q3,太仓市,其他工业,原煤,1,万吨\n2025Q3,太仓市,本地发电,光伏,2,万千瓦时\n"
    "2025Q3,太仓市,电力调入,电力,0,万千瓦时\n2025Q3,太仓市,电力调出,电力,2,万千瓦时\n"
)


def test_long_csv(factors):
    form = workbook.read_upload(CSV_OK.encode(), "q.csv", factors=factors)
    assert form.ok
    assert [r.record.fuel for r in form.records] == ["原煤", "光伏发电", "电力", "电力"]


def test_long_csv_with_chinese_headers_in_gb18030(factors):
    text = CSV_OK.replace(
        "period,region,sector,fuel,quantity,unit", "报告期,地区,行业,能源品种,数量,计量单位"
    )
    form = workbook.read_upload(text.encode("gb18030"), "q.csv", factors=factors)
    assert form.ok and len(form.records) == 4


CSV_BAD = [
    ("2025Q3,太仓市,其他工业,原煤,x,万吨", "文件“q.csv” 第3行 E列（quantity）：“x”不是数字"),
    ("2025Q3,太仓市,其他工业,原煤,,万吨", "第3行 E列（quantity）：数量为空"),
    ("2025Q3,太仓市,其他工业,原煤,-1,万吨", "第3行 E列（quantity）：数量不能为负"),
    ("2025Q3,太仓市,其他工业,原煤,1,斤", "第3行 F列（unit）：未知计量单位"),
    ("2025Q3,太仓市,其他工业,原煤,1,千瓦时", "第3行 F列（unit）：“千瓦时”不适用于原煤"),
    ("2025Q3,太仓市,其他工业,煤饼,1,吨", "第3行 D列（fuel）：未知能源品种"),
    ("2025Q3,太仓市,工业,原煤,1,吨", "第3行 C列（sector）：行业“工业”须细分"),
    ("2025Q9,太仓市,其他工业,原煤,1,吨", "第3行 A列（period）：无法识别的报告期"),
    ("2025Q3,,其他工业,原煤,1,吨", "第3行 B列（region）：地区为空"),
    ("2025Q3,太仓市,电力调入,柴油,1,吨", "第3行 D列（fuel）：电力调入的能源品种须为“电力”"),
]


@pytest.mark.parametrize(("line", "message"), CSV_BAD, ids=[m.split("：")[0] for _, m in CSV_BAD])
def test_one_bad_csv_cell_names_row_and_column(factors, line, message):
    form = workbook.read_upload(
        (CSV_OK.splitlines()[0] + "\n" + CSV_OK.splitlines()[1] + "\n" + line + "\n").encode(), "q.csv"
    )
    assert not form.ok
    assert any(message in str(e) for e in form.errors), [str(e) for e in form.errors]


def test_csv_missing_columns_and_empty_files():
    assert "缺少列" in str(workbook.read_upload(b"period,region\n1,2\n", "q.csv").errors[0])
    assert "文件为空" in str(workbook.read_upload(b"", "q.csv").errors[0])
    assert "没有数据行" in str(workbook.read_upload(CSV_OK.splitlines()[0].encode(), "q.csv").errors[0])


def test_quarter_on_quarter_warning():
    from carbonpeak.energy.accounting import EnergyRecord as R

    previous = [
        R("2025Q2", "太仓市", "其他工业", "原煤", 10, "万吨"),
        R("2025Q2", "太仓市", "居民生活", "电力", 5, "亿千瓦时"),
    ]
    current = [
        R("2025Q3", "太仓市", "其他工业", "原煤", 160000, "吨"),
        R("2025Q3", "太仓市", "居民生活", "电力", 5.5, "亿千瓦时"),
    ]
    warnings = workbook.quarter_on_quarter_warnings(current, previous, threshold=0.5)
    assert warnings == ["其他工业 原煤：比上季度变化 +60.0%（超过 ±50%），请核实"]
    assert workbook.previous_quarter("2025Q1") == "2024Q4"
    assert workbook.previous_quarter("2025Q3") == "2025Q2"


def test_a_form_whose_electricity_balance_lacks_a_line_is_refused(factors):
    """调入 left blank is 未报, not 0: the file is refused and says what to add."""
    form = workbook.read_upload(
        filled_template(factors, {(workbook.POWER_BALANCE_SHEET, "C13"): None}), "f.xlsx", factors=factors
    )
    assert [str(e) for e in form.errors] == [
        "工作表“电力平衡”：2025Q3 太仓市：电力调入未报（电力调出已报）；调入、调出均须填报，没有则填 0"
    ]


def test_feedstock_in_the_form_and_the_csv(factors):
    """The form's 其中：用作原料 column and the CSV's optional use column both give 原料 records."""
    form = workbook.read_upload(
        filled_template(factors, {(workbook.FUELS_SHEET, "G4"): 2.5}), "f.xlsx", factors=factors
    )
    assert form.ok, form.errors
    coal = [(r.record.quantity, r.record.use) for r in form.records if r.record.fuel == "原煤"]
    assert coal == [(10.0, "燃料"), (2.5, "原料")]  # 12.5 万吨, of which 2.5 as raw material
    too_much = workbook.read_upload(
        filled_template(factors, {(workbook.FUELS_SHEET, "G4"): 20}), "f.xlsx", factors=factors
    )
    assert "不超过实物量" in str(too_much.errors[0])
    text = CSV_OK.replace("unit\n", "unit,use\n").replace(
        "2025Q3,太仓市,其他工业,原煤,1,万吨\n", "2025Q3,太仓市,其他工业,原煤,1,万吨,原料\n"
    )
    form = workbook.read_upload(text.encode(), "q.csv", factors=factors)
    assert form.ok and [r.record.use for r in form.records] == ["原料", "燃料", "燃料", "燃料"]
    bad = workbook.read_upload(text.replace(",原料\n", ",燃烧\n").encode(), "q.csv", factors=factors)
    assert "用途“燃烧”须为“燃料”或“原料”" in str(bad.errors[0])
