"""The pure parts: 统一社会信用代码 (GB 32100), GB/T 4754 codes into the account's sectors, the plan's PV rules at
their thresholds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbonpeak.enterprises import pv
from carbonpeak.enterprises.creditcode import CHARSET, CreditCodeError, check_character, validate
from carbonpeak.enterprises.industry import IndustryCodeError, account_sector, parse_code


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "91110000600037341L", "９１３５０１００Ｍ０００１００Ｙ４３"]
)
def test_published_codes_pass_the_check(code):
    assert validate(code) == "91350100M000100Y43" or validate(code) == "91110000600037341L"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y42", "校验码不符：末位应为“3”"),
        ("91350100M000100Y4", "应为18位"),
        ("91350100M000100I43", "不能含有字符“I”"),
        ("", "应为18位"),
    ],
)
def test_wrong_codes_say_what_is_wrong(code, message):
    with pytest.raises(CreditCodeError, match=message):
        validate(code)


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17), st.sampled_from(CHARSET))
def test_exactly_one_check_character_passes(first17, last):
    if last == check_character(first17):
        assert validate(first17 + last) == first17 + last
    else:
        with pytest.raises(CreditCodeError):
            validate(first17 + last)


@pytest.mark.parametrize(
    ("code", "sector"),
    [
        ("D4411", "电力、热力生产和供应业"),
        ("2221", "造纸和纸制品业"),
        ("C2822", "化学纤维制造业"),
        ("C3216", "有色金属冶炼和压延加工业"),
        ("C3433", "其他工业"),
        ("D4520", "其他工业"),
        ("E4710", "建筑业"),
        ("G5810", "交通运输、仓储和邮政业"),
        ("H6110", "批发和零售业、住宿和餐饮业"),
        ("I6450", "其他行业"),
        ("A0111", "农林牧渔业"),
    ],
)
def test_industry_codes_fall_in_the_accounts_sectors(code, sector):
    assert account_sector(code) == sector


@pytest.mark.parametrize(
    ("code", "message"), [("C4411", "属于门类 D"), ("X12", "应为 GB/T 4754"), ("98", "不在")]
)
def test_wrong_industry_codes(code, message):
    with pytest.raises(IndustryCodeError, match=message):
        parse_code(code)


RULES = pv.load_rules()


NOT_REPORTED = pv.EnterpriseUse()


def _statuses(building, use=NOT_REPORTED):
    return {f.rule: f.status for f in pv.evaluate(building, use, RULES)}


def test_the_thresholds_are_the_plans():
    assert (RULES.roof_area_min, RULES.energy_min_tce, RULES.electricity_min_kwh) == (3000, 1000, 5_000_000)
    assert (RULES.storage_pv_min_mw, RULES.storage_share_min) == (2, 8)
    assert all("太政发〔2025〕15号" in s or s.startswith("同上") for s in RULES.sources.values())


def test_new_roof_rule_at_its_threshold():
    at = pv.Building("甲", "1号", new_build=True, roof_area_m2=3000, pv_installed_mw=0)
    below = pv.Building("甲", "2号", new_build=True, roof_area_m2=2999.9, pv_installed_mw=0)
    assert _statuses(at) == {"new_roof": pv.TO_INSTALL}
    assert _statuses(below) == {}
    assert _statuses(pv.Building("甲", "3号", new_build=True, roof_area_m2=5000, pv_installed_mw=0.5)) == {
        "new_roof": pv.COMPLIANT
    }
    assert _statuses(pv.Building("甲", "4号", new_build=True)) == {"new_roof": pv.MISSING}


def test_existing_building_rule_at_its_thresholds_and_when_use_is_not_reported():
    b = pv.Building("甲", "1号", pv_installed_mw=0)
    assert _statuses(b, pv.EnterpriseUse(1000, 0)) == {"existing_large_user": pv.TO_INSTALL}
    assert _statuses(b, pv.EnterpriseUse(999.9, 5_000_000)) == {"existing_large_user": pv.TO_INSTALL}
    assert _statuses(b, pv.EnterpriseUse(999.9, 4_999_999)) == {}
    # one figure under its threshold and the other never reported: the rule cannot be decided
    finding = pv.evaluate(b, pv.EnterpriseUse(999.9, None), RULES)[0]
    assert finding.status == pv.MISSING and finding.needs == ["年用电量"]
    exempt = pv.Building("甲", "2号", pv_installed_mw=0, exemption="屋面承重不足")
    assert _statuses(exempt, pv.EnterpriseUse(2000, None)) == {"existing_large_user": pv.EXEMPT}


def test_state_standard_factory_rule():
    b = pv.Building(
        "甲", "1号", industrial=False, standard_factory=True, state_capital=True, pv_installed_mw=None
    )
    assert _statuses(b) == {"state_standard_factory": pv.MISSING}
    assert (
        _statuses(pv.Building("甲", "2号", industrial=False, standard_factory=True, state_capital=False))
        == {}
    )


def test_storage_rule_at_its_thresholds():
    at = pv.Building("甲", "1号", industrial=False, pv_installed_mw=2.0, storage_mw=0.16)
    short = pv.Building("甲", "2号", industrial=False, pv_installed_mw=2.0, storage_mw=0.159)
    small = pv.Building("甲", "3号", industrial=False, pv_installed_mw=1.99, storage_mw=0)
    unknown = pv.Building("甲", "4号", industrial=False, pv_installed_mw=5.0)
    assert _statuses(at) == {"storage": pv.COMPLIANT}
    assert _statuses(short) == {"storage": pv.TO_INSTALL}
    assert _statuses(small) == {}
    assert _statuses(unknown) == {"storage": pv.MISSING}
    assert pv.evaluate(at, pv.EnterpriseUse(), RULES)[0].storage_share == pytest.approx(8.0)


def test_the_rules_names_are_in_the_catalogue_and_their_reasons_say_in_english():
    """Every rule name of pv-rules.csv is one the translation catalogue has (``pv.RULE_NAMES``); a reason is
    said in the reader's language, the exemption a person wrote kept as written."""
    from django.utils import translation

    from carbonpeak.core.language import said

    assert set(RULES.names.values()) == set(pv.RULE_NAMES)
    b = pv.Building("甲", "1号", pv_installed_mw=3, storage_mw=None, exemption="屋面承重不足")
    finding = next(f for f in pv.evaluate(b, pv.EnterpriseUse(2000, None), RULES) if f.rule == "storage")
    assert finding.why == "光伏装机 3 MW ≥ 2 MW；储能容量未报；豁免：屋面承重不足"
    with translation.override("en"):
        english = said(finding.why)
    assert english.startswith(
        "PV installed 3 MW ≥ 2 MW; storage capacity not reported; exempt: 屋面承重不足"
    ), english
