"""The bundled factor set: every number traced to the reference table, its source kept beside it."""

from __future__ import annotations

import csv
import re

import pytest

from carbonpeak.energy import catalog
from carbonpeak.energy.factors import (
    BOUNDARIES,
    DATA_DIR,
    SETTING_KINDS,
    FactorError,
    load_factor_set,
    read_factor_rows,
)


@pytest.fixture(scope="module")
def factors():
    return load_factor_set("national")


def test_every_factor_has_a_source_and_a_status(factors):
    for f in factors.factors:
        assert f.source and f.status, f


def test_every_source_leads_with_its_publisher_and_document(factors):
    """As the reference says: a source names who published which document, then how it was read — never a
    web site, a newspaper's repost or a code file first."""
    for f in factors.factors:
        assert not re.match(r"[a-z0-9.-]+\.(?:com|cn|cc|org|ai)\b|msthinker|book118|daydaynews", f.source), f
        assert "code file" not in f.source and "derived:" not in f.source, f


REFERENCE_COPIES = {
    "reference-factors.csv": "factors.csv",
    "reference-factors-addendum.csv": "factors-addendum.csv",
}


@pytest.mark.parametrize(("copy", "original"), REFERENCE_COPIES.items())
def test_the_project_copies_of_the_reference_tables_are_verbatim(shared_dir, copy, original):
    assert (DATA_DIR / copy).read_bytes() == (shared_dir / "reference" / original).read_bytes()


def test_every_value_appears_in_the_reference_row_it_names(factors):
    """Against the project's own copies, so the check holds in a clone without ../shared."""
    reference = {}
    for copy in REFERENCE_COPIES:
        with open(DATA_DIR / copy, encoding="utf-8") as fh:
            reference |= {f"{r['group']}/{r['item']}": r for r in csv.DictReader(fh)}
    for f in factors.factors:
        if f.kind in SETTING_KINDS:  # a choice, not a number: the platform's own until told otherwise
            assert f.status == "本平台规则" and f.key in BOUNDARIES, f
            continue
        row = reference[f.reference_item]
        assert f.status == row["status"], f
        if f.value is None:
            continue
        numbers = [
            float(n)
            for n in re.findall(r"\d+(?:\.\d+)?", row["value"] + " " + row["unit"] + " " + row["item"])
        ]
        assert any(abs(n - f.value) < 1e-9 for n in numbers), (f, row["value"])


def test_no_generation_coal_rate_is_bundled_without_a_source(factors):
    """The reference found no 发电 coal rate (only 供电 ones): the 等价值 waits for a coordinator's input."""
    assert not [f for f in factors.factors if f.kind == "generation_coal_rate"]
    assert {f.year for f in factors.factors if f.kind == "supply_coal_rate"} == {2021, 2022}


@pytest.mark.parametrize(
    ("fuel", "reference_t_per_unit"),
    [
        ("原煤", 1.9003),
        ("焦炭", 2.8604),
        ("原油", 3.0202),
        ("燃料油", 3.1705),
        ("汽油", 2.9251),
        ("煤油", 3.0179),
        ("柴油", 3.0959),
        ("液化石油气", 3.1013),
        ("炼厂干气", 3.0119),
    ],
)
def test_derived_co2_per_tonne_matches_the_reference(factors, fuel, reference_t_per_unit):
    assert factors.co2_per_unit(catalog.FUEL_BY_NAME[fuel]) == pytest.approx(reference_t_per_unit, abs=5e-5)


def test_natural_gas_per_cubic_metre(factors):
    assert factors.co2_per_unit(catalog.FUEL_BY_NAME["天然气"]) * 1000 == pytest.approx(2.1622, abs=5e-5)


def test_electricity_calorific_value_is_the_standard_coal_definition(factors):
    standard = next(f for f in factors.factors if f.kind == "standard_coal").value
    assert factors.coal_coefficient(catalog.FUEL_BY_NAME["电力"]) * 1000 == pytest.approx(
        3600 / standard,
        abs=1e-4,  # 0.1229 is 3600/29307 to four places
    )


def test_the_enterprise_reporting_grid_factor_is_not_mixed_with_regional_averages(factors):
    assert all(f.value != 0.5703 for f in factors.factors if f.kind == "grid_co2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kind,key,value,unit,source,status\nfoo,原煤,1,kgce/kg,x,y\n", "第2行 kind 列"),
        ("kind,key,value,unit,source,status\ncoal_coefficient,,1,kgce/kg,x,y\n", "第2行 key 列"),
        ("kind,key,value,unit,source,status\ncoal_coefficient,原煤,abc,kgce/kg,x,y\n", "第2行 value 列"),
        ("kind,key,value,unit,source,status\ncoal_coefficient,原煤,1,kgce/kg,,y\n", "第2行 source 列"),
        ("kind,key,year,value,unit,source,status\ngrid_co2,江苏,,0.5,kgCO2/kWh,x,y\n", "第2行 year 列"),
        ("kind,key,year,value,unit,source,status\ngrid_co2,江苏,2024,0.5,kgce/kg,x,y\n", "第2行 unit 列"),
        ("kind,key,value\n", "缺少列"),
    ],
)
def test_factor_csv_errors_name_row_and_column(text, message):
    with pytest.raises(FactorError, match=message):
        read_factor_rows(text, "x.csv")


def test_unknown_factor_set_is_an_error():
    with pytest.raises(FactorError, match="未知因子集"):
        load_factor_set("nope")
