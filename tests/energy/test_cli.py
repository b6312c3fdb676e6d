"""`carbonpeak account` reproduces the hand-computed cases."""

from __future__ import annotations

import json

import pytest

from carbonpeak.cli import main


def run(capsys, *args):
    code = main(["account", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_for_one_wan_tonne_of_coal_and_one_yi_kwh_imported(tmp_path, capsys):
    f = tmp_path / "q.csv"
    f.write_text(
        "period,region,sector,fuel,quantity,unit\n"
        "2023,太仓市,其他工业,原煤,1,万吨\n"
        "2023,太仓市,电力调入,电力,1,亿千瓦时\n"
        "2023,太仓市,电力调出,电力,0,亿千瓦时\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, str(f), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["factor_set"] == "national@2026.1"
    p = data["periods"]["2023"]
    assert round(p["by_fuel"]["原煤"]["tce"]) == 7143 and round(p["by_fuel"]["原煤"]["co2_t"]) == 19003
    assert p["by_fuel"]["电力"]["co2_t"] == pytest.approx(58270)
    assert p["energy_tce"] == pytest.approx(7143 + 12290)
    assert p["energy_tce_equivalent"] is None
    assert set(p["by_sector"]) == {"其他工业"}
    assert p["co2_t"] == pytest.approx(19003 + 58270, abs=1)


def test_summary_table_and_factor_csv(tmp_path, capsys):
    f = tmp_path / "q.csv"
    f.write_text(
        "period,region,sector,fuel,quantity,unit\n2023,太仓市,电力调入,电力,1,亿千瓦时\n2023,太仓市,电力调出,电力,0,亿千瓦时\n",
        encoding="utf-8",
    )
    factors = tmp_path / "mine.csv"
    factors.write_text(
        "kind,key,year,value,unit,source,status\n"
        "coal_coefficient,电力,,0.1229,kgce/kWh,GB/T 2589,secondary\n"
        "grid_co2,江苏,2023,0.5,kgCO2/kWh,test,test\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, str(f), "--factors", str(factors))
    assert code == 0
    assert "因子集：mine@file" in out and "50,000.0" in out


def test_errors_name_the_cell_and_exit_2(tmp_path, capsys):
    f = tmp_path / "q.csv"
    f.write_text(
        "period,region,sector,fuel,quantity,unit\n2023,太仓市,其他工业,原煤,abc,万吨\n", encoding="utf-8"
    )
    code, _, err = run(capsys, str(f))
    assert code == 2 and "第2行 E列（quantity）" in err
    code, _, err = run(capsys, str(tmp_path / "missing.csv"))
    assert code == 2 and "无法读取" in err


def test_a_factor_set_stored_in_the_platform_by_name_and_version(tmp_path, capsys, coordinator):
    from carbonpeak.energy import services

    base = services.ensure_bundled_factor_sets()
    services.import_factor_csv(
        "kind,key,year,value,unit,source,status\ngrid_co2,江苏,2023,0.5,kgCO2/kWh,test source,test\n",
        name="national",
        version="2027.1",
        user=coordinator,
        based_on=base,
    )
    f = tmp_path / "q.csv"
    f.write_text(
        "period,region,sector,fuel,quantity,unit\n2023,太仓市,电力调入,电力,1,亿千瓦时\n2023,太仓市,电力调出,电力,0,亿千瓦时\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, str(f), "--factors", "national@2027.1", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["factor_set"] == "national@2027.1" and data["periods"]["2023"]["co2_t"] == pytest.approx(
        50000
    )


def test_equivalent_value_is_null_until_a_factor_csv_gives_the_years_generation_rate(tmp_path, capsys):
    """The --factors CSV adds to the default set: one row, the year's 发电 coal rate, fills the 等价值."""
    f = tmp_path / "q.csv"
    f.write_text(
        "period,region,sector,fuel,quantity,unit\n"
        "2023,太仓市,其他工业,原煤,1,万吨\n"
        "2023,太仓市,电力调入,电力,1,亿千瓦时\n"
        "2023,太仓市,电力调出,电力,0,亿千瓦时\n",
        encoding="utf-8",
    )
    _, out, _ = run(capsys, str(f), "--json")
    p = json.loads(out)["periods"]["2023"]
    assert p["energy_tce_equivalent"] is None and p["complete"] is False
    assert any("发电标准煤耗" in m for m in p["missing"])
    rate = tmp_path / "rate-2023.csv"
    rate.write_text(
        "kind,key,year,value,unit,source,status\n"
        "generation_coal_rate,江苏,2023,290,gce/kWh,测试：协调员录入的数值,test\n"
        "grid_non_fossil_share,江苏,2023,30,%,测试：协调员录入的数值,test\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, str(f), "--factors", str(rate), "--json")
    data = json.loads(out)
    p = data["periods"]["2023"]
    assert code == 0 and data["factor_set"] == "rate-2023@file"
    assert p["energy_tce_equivalent"] == pytest.approx(7143 + 1e8 * 290e-6, abs=0.5)
    assert p["coal_rate"]["source"] == "测试：协调员录入的数值" and p["complete"] is True
    assert p["co2_t"] == pytest.approx(19003 + 58270, abs=1)  # the rest of the default set still applies


def test_a_file_whose_balance_lacks_a_line_is_refused(tmp_path, capsys):
    f = tmp_path / "q.csv"
    f.write_text(
        "period,region,sector,fuel,quantity,unit\n2023,太仓市,电力、热力生产和供应业,原煤,50,万吨\n"
        "2023,太仓市,电力调入,电力,0,亿千瓦时\n2023,太仓市,电力调出,电力,5,亿千瓦时\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, str(f))
    assert code == 2 and "有燃料消费，但未报本地发电量" in err


def test_certificates_count_from_a_register_file_and_the_target_caps_them(tmp_path, capsys):
    """--certificates adds the register (1 张 = 1,000 kWh): the share rises by exactly its 等价值; without
    --intensity-target the deducted total is null with the reason, with it the cap applies."""
    f = tmp_path / "q.csv"
    f.write_text(
        "period,region,sector,fuel,quantity,unit\n"
        + "".join(
            f"{y},太仓市,其他工业,原煤,1,万吨\n{y},太仓市,电力调入,电力,1,亿千瓦时\n{y},太仓市,电力调出,电力,0,亿千瓦时\n"
            for y in (2020, 2023)
        ),
        encoding="utf-8",
    )
    rate = tmp_path / "rates.csv"
    rate.write_text(
        "kind,key,year,value,unit,source,status\n"
        + "".join(
            f"generation_coal_rate,江苏,{y},290,gce/kWh,测试,test\ngrid_non_fossil_share,江苏,{y},30,%,测试,test\n"
            for y in (2020, 2023)
        ),
        encoding="utf-8",
    )
    register = tmp_path / "register.csv"
    register.write_text(
        "证书编号或交易编号,核销（使用）日期,类型,方向,绿证数量（张）,出售方所在省份,凭证\n"
        "GEC-1,2023-05-01,单独绿证,购入,1000,四川,测试\n",
        encoding="utf-8",
    )
    _, out, _ = run(capsys, str(f), "--factors", str(rate), "--json")
    plain = json.loads(out)["periods"]["2023"]
    code, out, _ = run(capsys, str(f), "--factors", str(rate), "--certificates", str(register), "--json")
    p = json.loads(out)["periods"]["2023"]
    assert code == 0
    assert p["non_fossil_tce"] - plain["non_fossil_tce"] == pytest.approx(1e6 * 290e-6, abs=1e-3)
    assert p["energy_tce_assessed"] is None and any("绿证抵扣上限" in m for m in p["missing"])
    code, _, err = run(capsys, str(f), "--certificates", str(register), "--intensity-target", "abc")
    assert code == 2 and "百分数:年份" in err
