"""One way to show a number: thousands separators, a fixed number of decimals for each unit (a display rule,
本平台规则), never scientific notation, — for a figure that is absent."""

from __future__ import annotations

import pytest

from carbonpeak.web.templatetags.cp_format import UNIT_DECIMALS, amount, num, wan


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1042351.5, "吨标准煤", "1,042,351.5"),
        (1042351.5, "吨二氧化碳", "1,042,351.5"),
        (0.37105, "吨标准煤/万元", "0.371"),
        (79.9, "%", "79.90"),
        (1500, "兆瓦", "1,500.00"),
        (1500, "MW", "1,500.00"),
        (12345678, "千瓦时", "12,345,678"),
        (2.5e-7, "吨", "0.00"),
        (3e12, "吨二氧化碳", "3,000,000,000,000.0"),
        (None, "吨标准煤", "—"),
        ("", "%", "—"),
    ],
)
def test_a_figure_has_its_units_decimals_and_separators(value, unit, shown):
    assert amount(value, unit) == shown


def test_no_display_rule_ever_prints_scientific_notation():
    for unit in [*UNIT_DECIMALS, "未知单位"]:
        for value in (1e-9, 2.5e-7, 1e15, -3.2e12):
            assert "e" not in amount(value, unit).lower(), (unit, value)
    assert "e" not in num(1.04235e06) and num(1.04235e06) == "1,042,350"
    assert wan(17_978_200) == "1,797.82" and wan(20) == "<0.01" and wan(None) == "—"


def test_zero_is_a_figure_not_a_missing_one():
    assert amount(0, "吨标准煤") == "0.0" and num(0) == "0"


def test_a_factor_set_reads_as_its_name_and_version_not_its_key():
    from carbonpeak.web.templatetags.cp_format import factor_set

    assert factor_set("national@2026.1") == "国家方法默认因子集 2026.1 版"
    assert factor_set("national@2026.1-录入2") == "国家方法默认因子集 2026.1 版（录入 2）"
    assert factor_set("江苏试算@2027.1") == "江苏试算 2027.1 版"  # a set the coordinator named
    assert factor_set("") == "" and factor_set(None) == ""


def test_a_sources_standing_reads_in_words():
    from carbonpeak.web.templatetags.cp_format import standing

    assert standing("single-secondary") == "单一二手来源，正式文本未核实（暂定）"
    assert standing("secondary-consistent") == "多个独立二手来源一致"
    assert standing("secondary+derived") == "二手来源，本平台据此推算"
    assert standing("示例输入") == "示例输入" and standing("") == ""
